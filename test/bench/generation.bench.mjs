/**
 * Generation benchmark (issues 2 and 17): protoc-gen-entity against protoc-gen-es alone, on the
 * same synthetic 1,000-entity CodeGeneratorRequest, each plugin in its own process as buf runs it.
 * Target (issue 17): ours no slower than protoc-gen-es (median of each, ratio ≤ 1.0×), our peak
 * RSS under 250 MB (decimal) in every round. Each plugin's peak RSS is that of its own process
 * (support/report-peak-rss.cjs). Every figure is reported with its spread: the median and the
 * range over the measured rounds, for time and for peak RSS, for both plugins, and the ratio of
 * each round (the two plugins ran back to back, so a round's ratio shares its load). The notes print the digest of our
 * output, so that a restructure can show it left the output byte-for-byte as it was.
 *
 * BENCH_ROUNDS=<n> sets the number of measured rounds (default 5).
 * BENCH_PROFILE=<dir> also runs our plugin once more under `node --cpu-prof`, keeps the profile in
 * <dir> (open it in Chrome DevTools) and prints where the time went, per area and per function.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema } from "@bufbuild/protobuf/wkt";
import { compileProtos, REPO_ROOT, requestOf } from "../harness/buf/protos.js";
import { summarizeCpuProfile } from "./support/cpu-profile-summary.mjs";
import { formatMb, formatMs, tableLines } from "./support/format.mjs";
import { median, runPluginProcess } from "./support/plugin-process.mjs";
import { BENCH_DOMAIN_SIZE, BENCH_PARAMETER } from "./support/bench-domain.mjs";
import { outputDigest } from "./support/output-digest.mjs";
import { synthesizeDomain } from "./support/synthetic-domain.mjs";

const SIZE = BENCH_DOMAIN_SIZE;
const ENTITIES = SIZE.packages * SIZE.filesPerPackage * SIZE.entitiesPerFile;
const WARM_UP_ROUNDS = 1;
const MEASURED_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MAX_RATIO = 1.0;
const MAX_RSS_BYTES = 250e6;

const OURS = {
  label: "protoc-gen-entity",
  script: join(REPO_ROOT, "plugin/bin/protoc-gen-entity"),
  parameter: BENCH_PARAMETER,
  check: checkOurOutput,
};
const BASELINE = {
  label: "protoc-gen-es",
  script: join(REPO_ROOT, "node_modules/@bufbuild/protoc-gen-es/bin/protoc-gen-es"),
  parameter: "target=ts",
  check: checkBaselineOutput,
};

export default async function generationBenchmark() {
  if (!Number.isInteger(MEASURED_ROUNDS) || MEASURED_ROUNDS < 1) throw new Error(`BENCH_ROUNDS must be a positive integer, not ${process.env.BENCH_ROUNDS}`);
  const { sources } = synthesizeDomain(SIZE);
  // Compiled once with the real buf CLI, so that both plugins get exactly the same descriptors.
  const compiled = compileProtos(sources);
  const fieldCount = countEntityFields(compiled);
  const inputs = new Map([OURS, BASELINE].map((p) => [p, toBinary(CodeGeneratorRequestSchema, requestOf(compiled, p.parameter))]));

  const samples = new Map([[OURS, []], [BASELINE, []]]);
  const peaks = new Map([[OURS, []], [BASELINE, []]]);
  const cpuTimes = new Map([[OURS, []], [BASELINE, []]]);
  const outputs = new Map();
  const digests = new Map();
  for (let round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
    // Alternate who goes first, so that neither always runs on a warmer (or busier) machine.
    const order = round % 2 === 0 ? [BASELINE, OURS] : [OURS, BASELINE];
    for (const plugin of order) {
      const run = await runPluginProcess(plugin.script, inputs.get(plugin), { cwd: REPO_ROOT });
      outputs.set(plugin, plugin.check(run.response, compiled));
      digests.set(plugin, outputDigest(run.response.file));
      if (round >= WARM_UP_ROUNDS) {
        samples.get(plugin).push(run.ms);
        peaks.get(plugin).push(run.maxRss);
        cpuTimes.get(plugin).push(run.cpuMs);
      }
    }
  }
  const notes = process.env.BENCH_PROFILE ? await profileOurs(resolve(process.env.BENCH_PROFILE), inputs.get(OURS)) : [];

  const ours = median(samples.get(OURS));
  const baseline = median(samples.get(BASELINE));
  const ratio = ours / baseline;
  const roundRatios = samples.get(OURS).map((ms, i) => ms / samples.get(BASELINE)[i]);
  // The target holds for the worst round: a peak that crosses the limit once crosses it.
  const rss = Math.max(...peaks.get(OURS));
  const pass = ratio <= MAX_RATIO && rss < MAX_RSS_BYTES;
  const row = (p) => [
    p.label,
    formatMs(median(samples.get(p))),
    spread(samples.get(p), formatMs),
    samples.get(p).map((ms) => ms.toFixed(0)).join(" "),
    formatMb(median(peaks.get(p))),
    spread(peaks.get(p), formatMb),
    outputs.get(p),
  ];
  return {
    name: "generation",
    lines: [
      `input: ${ENTITIES} entities (${fieldCount} fields) in ${compiled.toGenerate.length} files of ${SIZE.packages} packages, ` +
        `${inputs.get(OURS).length} request bytes; ${WARM_UP_ROUNDS} warm-up + ${MEASURED_ROUNDS} measured rounds, alternating`,
    ],
    table: {
      headers: ["plugin", "time (median)", "time (min–max)", "rounds (ms)", "peak RSS (median)", "peak RSS (min–max)", "output"],
      rows: [row(OURS), row(BASELINE)],
    },
    notes: [
      `ratio per round (ours / protoc-gen-es, back to back): ${roundRatios.map((r) => r.toFixed(2)).join(" ")}; ` +
        `median ${ratio.toFixed(2)}×, range ${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)}×`,
      // Not the target (buf waits for the wall clock), but what a machine busy with other work disturbs least.
      `CPU time (user + system), median and min–max: ${[OURS, BASELINE].map((p) => `${p.label} ${formatMs(median(cpuTimes.get(p)))} (${spread(cpuTimes.get(p), formatMs)})`).join(", ")}; ` +
        `ratio ${(median(cpuTimes.get(OURS)) / median(cpuTimes.get(BASELINE))).toFixed(2)}×`,
      `digest of ${OURS.label}'s output (sha256 over its files sorted by name, as test/bench/output-digest.mjs prints it): ${digests.get(OURS)}`,
      ...notes,
    ],
    ratio,
    summary:
      `${ratio.toFixed(2)}× protoc-gen-es (rounds ${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)}×; ` +
      `${formatMs(ours)} vs ${formatMs(baseline)}), peak RSS ${formatMb(median(peaks.get(OURS)))} (${spread(peaks.get(OURS), formatMb)})`,
    target: `≤ ${MAX_RATIO.toFixed(2)}× protoc-gen-es, peak RSS < ${formatMb(MAX_RSS_BYTES)}`,
    pass,
  };
}

/** `min–max` of the rounds, each formatted. */
function spread(values, format) {
  return `${format(Math.min(...values))}–${format(Math.max(...values))}`;
}

/** One topic schema per entity, or the benchmark measured something else than generation. */
function checkOurOutput(response) {
  const schemas = response.file.filter((f) => /^pubsub\/[^/]+\.proto$/.test(f.name) && f.content.length > 0);
  if (schemas.length !== ENTITIES) {
    throw new Error(`protoc-gen-entity wrote ${schemas.length} topic schemas for ${ENTITIES} entities`);
  }
  return `${response.file.length} files, ${formatMb(contentBytes(response), 1)}`;
}

function checkBaselineOutput(response, compiled) {
  const generated = response.file.filter((f) => f.name.endsWith("_pb.ts") && f.content.length > 0);
  if (generated.length !== compiled.toGenerate.length) {
    throw new Error(`protoc-gen-es wrote ${generated.length} _pb.ts files for ${compiled.toGenerate.length} inputs`);
  }
  return `${response.file.length} files, ${formatMb(contentBytes(response), 1)}`;
}

function contentBytes(response) {
  return response.file.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
}

function countEntityFields(compiled) {
  const generated = new Set(compiled.toGenerate);
  return compiled.files
    .filter((f) => generated.has(f.name) && !f.name.endsWith("/types.proto"))
    .reduce((n, f) => n + f.messageType.reduce((m, message) => m + message.field.length, 0), 0);
}

/** One more run of ours under the CPU profiler; returns the breakdown as lines. */
async function profileOurs(dir, input) {
  mkdirSync(dir, { recursive: true });
  const name = `generation-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`;
  // The executable runs the plugin in a worker thread; node writes one profile per thread (a
  // common --cpu-prof-name would make the idle main thread's overwrite the worker's). The
  // plugin's is the one of the thread that is not the main thread (thread id 1 in node's name).
  const threads = mkdtempSync(join(dir, ".threads-"));
  await runPluginProcess(OURS.script, input, { cwd: REPO_ROOT, nodeArgs: ["--cpu-prof", "--cpu-prof-dir", threads] });
  const worker = readdirSync(threads).find((file) => /^CPU\.\d+\.\d+\.\d+\.[1-9]\d*\.\d+\.cpuprofile$/.test(file));
  if (worker === undefined) throw new Error(`no worker thread's profile among ${readdirSync(threads).join(", ")}`);
  const path = join(dir, name);
  renameSync(join(threads, worker), path);
  rmSync(threads, { recursive: true });
  const { totalMs, areas, hottest } = summarizeCpuProfile(path);
  return [
    "",
    `CPU profile of ${OURS.label} (${formatMs(totalMs)} sampled): ${path}`,
    ...tableLines(["area", "time", "share"], areas),
    "",
    ...tableLines(["hottest functions (self time)", "time", "share"], hottest),
    "",
  ];
}
