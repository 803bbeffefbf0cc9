/**
 * Encode and decode benchmark (issues 3 and 17): what an event class costs a producer and a
 * consumer, against protoc-gen-es's bare toBinary / fromBinary of the same entity, in the same
 * process and run. Measured on MeterReading (the high-volume stream) and on the example entity
 * with the largest encoding.
 *
 * Our path is the whole of it: `<Entity>Event.created(entity)` (conversion to the topic's wire
 * format, validation, event id, timestamp) plus `toPubSubMessage({ encoding: "binary" })`; and
 * `fromPubSubMessage(message)` (envelope checks, conversion back to the entity). Target: at least
 * the bare throughput (share ≥ 1.0×).
 *
 * The same for JSON, as extra rows outside the target: `toPubSubMessage({ encoding: "json" })`
 * (the generated JSON encoder) against protoc-gen-es's toJsonString(entity), and
 * `fromPubSubMessage(message, { encoding: "json" })` against fromJsonString(entity).
 *
 * Builds generated/ts (tsc, into its gitignored dist/) and imports it from there.
 */
import { create, fromBinary, fromJsonString, toBinary, toJsonString } from "@bufbuild/protobuf";
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
/** Issue 17: at least toBinary's and fromBinary's throughput. */
const MIN_SHARE = 1.0;
const METER_READING = "MeterReading (every scalar type, proto2, group)";

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

/**
 * The entities measured: MeterReading (the high-volume stream) and the example fixture whose
 * entity has the largest encoding (toBinary of the entity), both with every field the fixture sets.
 */
function benchmarked(m) {
  const fixtures = exampleFixtures(m);
  const largest = fixtures.reduce((a, b) => (toBinary(b.schema, b.entity).length > toBinary(a.schema, a.entity).length ? b : a));
  return [fixtureNamed(m, METER_READING), fixtureNamed(m, largest.name)];
}

async function measureAll(m) {
  const rows = [];
  let worst = Infinity;
  const lines = [];
  for (const c of benchmarked(m)) {
    checkOutput(m, c);
    const bytes = toBinary(c.schema, c.entity);
    const message = c.event.created(c.entity).toPubSubMessage({ encoding: "binary" });
    lines.push(`${c.name}: ${bytes.length} bytes as the entity, ${message.data.length} as the event.`);
    const text = toJsonString(c.schema, c.entity);
    const json = c.event.created(c.entity).toPubSubMessage({ encoding: "json" });
    const variants = {
      toBinary: () => toBinary(c.schema, c.entity).length,
      encode: () => c.event.created(c.entity).toPubSubMessage({ encoding: "binary" }).data.length,
      fromBinary: () => (fromBinary(c.schema, bytes), bytes.length),
      decode: () => (c.event.fromPubSubMessage(message, { encoding: "binary" }), message.data.length),
      toJsonString: () => toJsonString(c.schema, c.entity).length,
      encodeJson: () => c.event.created(c.entity).toPubSubMessage({ encoding: "json" }).data.length,
      fromJsonString: () => (fromJsonString(c.schema, text), text.length),
      decodeJson: () => (c.event.fromPubSubMessage(json, { encoding: "json" }), json.data.length),
    };
    const samples = measure(variants);
    for (const [ours, theirs, what, baseline, target] of [
      ["encode", "toBinary", "encode: created() + toPubSubMessage()", "toBinary(entity)", true],
      ["decode", "fromBinary", "decode: fromPubSubMessage()", "fromBinary(entity)", true],
      ["encodeJson", "toJsonString", "encode JSON: created() + toPubSubMessage({ encoding: \"json\" })", "toJsonString(entity)", false],
      ["decodeJson", "fromJsonString", "decode JSON: fromPubSubMessage(json)", "fromJsonString(entity)", false],
    ]) {
      // The share of each round, ours against the baseline measured next to it.
      const shares = samples[ours].map((rate, i) => rate / samples[theirs][i]);
      const share = median(shares);
      // The target is the binary encoding's; the JSON rows are reported beside it.
      if (target) worst = Math.min(worst, share);
      rows.push([c.name, what, baseline, ops(median(samples[ours])), ops(median(samples[theirs])), `${share.toFixed(2)}×`, `${Math.min(...shares).toFixed(2)}–${Math.max(...shares).toFixed(2)}`]);
    }
  }
  return {
    name: "encode",
    lines: [
      `Median of ${MEASURED_ROUNDS} rounds of ${ROUND_MS} ms of CPU time after ${WARM_UP_ROUNDS} warm-up rounds, variants interleaved.`,
      "share = our throughput / protoc-gen-es's in the same round (median, and min–max over the rounds).",
      ...lines,
    ],
    table: { headers: ["entity", "ours", "against", "ours ops/s", "theirs ops/s", "share", "spread"], rows },
    ratio: 1 / worst,
    summary: `lowest share ${worst.toFixed(2)}× of toBinary/fromBinary's throughput`,
    target: `≥ ${MIN_SHARE.toFixed(1)}× toBinary's and fromBinary's throughput`,
    pass: worst >= MIN_SHARE,
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
  return samples;
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
