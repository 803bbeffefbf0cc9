/**
 * Encode benchmark (issue 3): what an event class costs a producer, against protoc-gen-es's bare
 * toBinary of the same entity, in the same process and run. Measured on MeterReading (the
 * high-volume stream) and User (JSON, maps, FieldMask, wrappers).
 *
 * Our path is the whole of it: `<Entity>Event.created(entity)` (conversion to the topic schema,
 * validation, event id, timestamp) plus `toPubSubMessage({ encoding: "binary" })`. toPubSubMessage
 * alone on a ready event is reported too. Target: at least half the bare throughput, i.e. our cost
 * at most 2× toBinary's.
 *
 * Builds generated/ts (tsc, into its gitignored dist/) and imports it from there.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { exampleFixtures } from "../typescript/support/example-fixtures.js";
import { median } from "./support/plugin-process.mjs";

const WARM_UP_ROUNDS = 2;
const MEASURED_ROUNDS = 7;
const ROUND_MS = 300;
const MAX_COST_RATIO = 2;
/** The entities measured: the tests' fixtures of the example domain, every field set. */
const BENCHMARKED = ["MeterReading (every scalar type, proto2, group)", "User"];

export default async function encodeBenchmark({ repoRoot }) {
  const packageDir = join(repoRoot, "generated/ts");
  const dist = join(packageDir, "dist");
  // dist/ is gitignored build output; leave the tree as it was found.
  const hadDist = existsSync(dist);
  try {
    execFileSync(join(repoRoot, "node_modules/.bin/tsc"), ["-p", join(packageDir, "tsconfig.json")], { stdio: ["ignore", "inherit", "inherit"] });
    return await measureAll(await import(pathToFileURL(join(dist, "index.js")).href));
  } finally {
    if (!hadDist) rmSync(dist, { recursive: true, force: true });
  }
}

async function measureAll(m) {

  const cases = BENCHMARKED.map((name) => fixtureNamed(m, name));
  const rows = [];
  let worst = 0;
  for (const c of cases) {
    checkOutput(m, c);
    const event = c.event.created(c.entity);
    const variants = {
      bare: () => toBinary(c.schema, c.entity).length,
      full: () => c.event.created(c.entity).toPubSubMessage({ encoding: "binary" }).data.length,
      encodeOnly: () => event.toPubSubMessage({ encoding: "binary" }).data.length,
    };
    const rates = measure(variants);
    const full = rates.bare / rates.full;
    const encodeOnly = rates.bare / rates.encodeOnly;
    worst = Math.max(worst, full);
    rows.push(
      [c.name, "protoc-gen-es toBinary", ops(rates.bare), "1.00×", "—"],
      [c.name, "created() + toPubSubMessage()", ops(rates.full), `${full.toFixed(2)}×`, `${(rates.full / rates.bare).toFixed(2)}`],
      [c.name, "toPubSubMessage() of a ready event", ops(rates.encodeOnly), `${encodeOnly.toFixed(2)}×`, `${(rates.encodeOnly / rates.bare).toFixed(2)}`],
    );
  }
  return {
    name: "encode",
    lines: [
      `Median of ${MEASURED_ROUNDS} rounds of ${ROUND_MS} ms of CPU time after ${WARM_UP_ROUNDS} warm-up rounds, variants interleaved.`,
      "cost = time per message relative to toBinary; share = throughput relative to toBinary.",
    ],
    table: { headers: ["entity", "what", "ops/s", "cost", "share"], rows },
    ratio: worst,
    summary: `${worst.toFixed(2)}× toBinary's cost (${(1 / worst).toFixed(2)} of its throughput)`,
    target: `≥ 0.5 of toBinary's throughput (cost ≤ ${MAX_COST_RATIO.toFixed(1)}×)`,
    pass: worst <= MAX_COST_RATIO,
  };
}

/** Rounds of each variant in turn, so that none always runs on a warmer or busier machine. */
function measure(variants) {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
    const names = Object.keys(variants);
    if (round % 2 === 1) names.reverse();
    for (const name of names) {
      globalThis.gc?.();
      const rate = opsPerSecond(variants[name]);
      if (round >= WARM_UP_ROUNDS) samples[name].push(rate);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/**
 * Operations per second of this process's CPU time: on a shared machine, wall time also counts
 * the time other processes had the CPU, which is noise for a ratio measured in one process.
 */
function opsPerSecond(fn) {
  let count = 0;
  let bytes = 0;
  const started = process.cpuUsage();
  const wallEnd = performance.now() + ROUND_MS * 20;
  let cpuMicros = 0;
  while (cpuMicros < ROUND_MS * 1000 && performance.now() < wallEnd) {
    for (let i = 0; i < 100; i++) bytes += fn();
    count += 100;
    const used = process.cpuUsage(started);
    cpuMicros = used.user + used.system;
  }
  if (bytes === 0) throw new Error("the benchmarked function produced no bytes");
  return count / (cpuMicros / 1e6);
}

function ops(rate) {
  return Math.round(rate).toLocaleString("en-US");
}

function fixtureNamed(m, name) {
  const fixture = exampleFixtures(m).find((f) => f.name === name);
  if (fixture === undefined) throw new Error(`no fixture "${name}" in test/typescript/support/example-fixtures.ts`);
  return { ...fixture, name: name.replace(/ \(.*$/, "") };
}

/** The event's data must decode as the entity's topic message with the entity's id, or we time a failure. */
function checkOutput(m, c) {
  const message = c.event.created(c.entity).toPubSubMessage({ encoding: "binary" });
  const back = c.event.fromPubSubMessage(message, { encoding: "binary" });
  if (message.data.length === 0 || back.id !== c.event.created(c.entity).id) throw new Error(`${c.name}: the event does not round-trip`);
  if (fromBinary(c.schema, toBinary(c.schema, c.entity)).$typeName !== c.schema.typeName) throw new Error(`${c.name}: toBinary failed`);
  void m;
}
