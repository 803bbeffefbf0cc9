/**
 * Releases of the generated package follow the contract: a sequence of contract changes on a copy
 * of the example project, each released with `protoc-gen-entity release`, checked for its API
 * report diff, its version and its changelog entry; each release's package is packed and
 * installed into one fresh strict consumer project written against the first major version, which
 * type-checks until the release that removes API, and then fails exactly where the report said.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLock } from "../../plugin/src/evolution/lock.js";
import { diffApiReports, type ApiDiff } from "../../plugin/src/release/api-diff.js";
import { ExampleCopy } from "../cli/example-copy.js";
import { buildPlugin, type CliRun, type PluginBuild } from "../cli/support.js";
import { REPO_ROOT } from "../harness/buf/protos.js";

const SMART_METER = "proto/energy/metering/v1/smart_meter.proto";
const REPORT = "generated/ts/api-report.api.md";
const RELEASED_REPORT = "generated/release/api-report.api.md";
const CHANGELOG = "generated/ts/CHANGELOG.md";
const PACKAGE_NAME = "@acme-energy/entity-events";
const TSC = join(REPO_ROOT, "node_modules/.bin/tsc");
/** Each step runs the CLI (buf, generation, the report) and npm pack/install: minutes on a loaded 2-core machine. */
const STEP_TIMEOUT = 600_000;

/** A producer written against 0.x: each line that uses API names it, so a failure can be traced to the report. */
const CONSUMER_TS = `import { Commodity, SmartMeterEvent, TOPICS, type SmartMeter } from "${PACKAGE_NAME}";

export function label(meter: SmartMeter): string {
  const parts = [meter.id, meter.houseId];
  parts.push(meter.model); // uses: type SmartMeter › model
  return parts.join(" ");
}

export function publish(meter: SmartMeter) {
  const commodity: Commodity = Commodity.GAS;
  return { topic: TOPICS.SmartMeter, commodity, message: SmartMeterEvent.created(meter).toPubSubMessage() };
}
`;

let build: PluginBuild;
let example: ExampleCopy;
let work: string;
let consumer: string;

beforeAll(() => {
  build = buildPlugin();
  example = new ExampleCopy(build);
  work = mkdtempSync(join(tmpdir(), "entity-release-"));
  consumer = join(work, "consumer");
  mkdirSync(join(consumer, "node_modules/@bufbuild"), { recursive: true });
  // The runtime dependency, as the registry would deliver it, so that installs need no network.
  cpSync(join(REPO_ROOT, "node_modules/@bufbuild/protobuf"), join(consumer, "node_modules/@bufbuild/protobuf"), { recursive: true });
  writeFileSync(join(consumer, "main.ts"), CONSUMER_TS);
  writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [], skipLibCheck: true },
    include: ["main.ts"],
  }));
});

afterAll(() => {
  example?.dispose();
  if (build) rmSync(build.dir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

function ok(run: CliRun): CliRun {
  if (run.status !== 0) throw new Error(`exit ${run.status}:\n${run.stdout}${run.stderr}`);
  return run;
}

interface Released {
  readonly version: string;
  readonly diff: ApiDiff;
  /** The newest changelog entry. */
  readonly entry: string;
  readonly stdout: string;
}

/** Runs release, and reads what it changed: the diff is the released report's, from which the version follows. */
function release(): Released {
  const before = example.read(RELEASED_REPORT);
  const run = ok(example.run("release"));
  const after = example.read(REPORT);
  const version = (JSON.parse(example.read("generated/ts/package.json")) as { version: string }).version;
  // The lock records it, and the released report is the committed one.
  expect(parseLock(example.read("generated/entity.lock.json"), "lock").package?.version).toBe(version);
  expect(example.read(RELEASED_REPORT)).toBe(after);
  const changelog = example.read(CHANGELOG);
  const entry = changelog.slice(changelog.indexOf("\n## ") + 1).split(/\n(?=## )/)[0]!;
  return { version, diff: diffApiReports(before, after), entry, stdout: run.stdout };
}

/** Packs the released package and installs it into the consumer; returns tsc's errors (empty when it type-checks). */
function installAndTypeCheck(): string[] {
  const env = { ...process.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`, npm_config_update_notifier: "false" };
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: join(example.dir, "generated/ts"), env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as { filename: string; files: { path: string }[] }[];
  expect(packed[0]!.files.map((f) => f.path)).toEqual(expect.arrayContaining(["CHANGELOG.md", "api-report.api.md", "dist/index.d.ts"]));
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { [PACKAGE_NAME]: `file:${join(work, packed[0]!.filename)}` } }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], { cwd: consumer, env, stdio: ["ignore", "pipe", "pipe"] });
  const installed = JSON.parse(readFileSync(join(consumer, "node_modules", PACKAGE_NAME, "package.json"), "utf8")) as { version: string };
  const tsc = spawnSync(TSC, ["-p", "tsconfig.json"], { cwd: consumer, encoding: "utf8" });
  return [installed.version, ...tsc.stdout.split("\n").filter((l) => l.includes("error TS"))];
}

describe("releasing the generated package", () => {
  it("starts from the example's release: 2.0.0, which the consumer type-checks against", () => {
    expect(JSON.parse(example.read("generated/ts/package.json")).version).toBe("2.0.0");
    expect(example.read(RELEASED_REPORT)).toBe(example.read(REPORT));
    expect(installAndTypeCheck()).toEqual(["2.0.0"]);
  }, STEP_TIMEOUT);

  it("adds a field: a minor release, the field added in the report and the changelog", () => {
    example.edit(SMART_METER, "map<string, BufferedReading> buffered = 16;", "map<string, BufferedReading> buffered = 16;\n  // Firmware update channel.\n  string firmware_channel = 17;");
    const released = release();
    expect(released.version).toBe("2.1.0");
    expect(released.diff).toEqual({ removed: [], added: ["type SmartMeter › firmwareChannel: string"] });
    expect(released.entry).toMatch(/^## 2\.1\.0 \(\d{4}-\d\d-\d\d\)\n\nMinor release after 2\.0\.0\. New API, nothing removed/);
    expect(released.entry).toContain("### energy.metering.v1.SmartMeter\n\n- field added: `firmware_channel`\n- column added: `firmware_channel`\n- migration: `bigquery/energy_metering_v1/migrations/0002_smart_meter.sql`\n");
    expect(released.entry).toContain("+ type SmartMeter › firmwareChannel: string");
    expect(released.stdout).toContain(`${PACKAGE_NAME} 2.0.0 → 2.1.0 (minor: 0 API lines removed or changed, 1 added)`);
    expect(installAndTypeCheck()).toEqual(["2.1.0"]);
  }, STEP_TIMEOUT);

  it("adds an enum value: a minor release", () => {
    example.edit(SMART_METER, "COMMODITY_HEAT = 3;", "COMMODITY_HEAT = 3;\n  // Hydrogen, in kilograms.\n  COMMODITY_HYDROGEN = 4;");
    const released = release();
    expect(released.version).toBe("2.2.0");
    expect(released.diff).toEqual({ removed: [], added: ["enum Commodity › HYDROGEN = 4"] });
    expect(released.entry).toContain("Minor release after 2.1.0.");
    expect(released.entry).toContain("+ enum Commodity › HYDROGEN = 4");
    // No field or column changed: no entity section.
    expect(released.entry).not.toContain("### energy.");
    expect(installAndTypeCheck()).toEqual(["2.2.0"]);
  }, STEP_TIMEOUT);

  it("removes a field: check shows the stale report and the major release ahead; release makes 3.0.0, and the consumer fails where the report says", () => {
    example.edit(SMART_METER, /\n\s*\/\/ Manufacturer's model name\.\n\s*string model = 4;/, "\n  reserved 4;\n  reserved model;");
    const stale = example.run("check");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`${REPORT} is not the API the contracts generate`);
    expect(stale.stderr).toContain("fix: run `npm run generate`");
    ok(example.run("generate"));
    const checked = ok(example.run("check"));
    expect(checked.stdout).toContain(`${PACKAGE_NAME}: the next release is a major one, 2.2.0 → 3.0.0 (1 API lines removed or changed, 0 added`);

    const released = release();
    expect(released.version).toBe("3.0.0");
    expect(released.diff).toEqual({ removed: ["type SmartMeter › model: string"], added: [] });
    expect(released.entry).toContain("Major release after 2.2.0. Breaking:");
    expect(released.entry).toContain("- field removed: `model` (number 4 stays reserved; its column keeps the released rows)");
    expect(released.entry).toContain("- type SmartMeter › model: string");

    const [version, ...errors] = installAndTypeCheck();
    expect(version).toBe("3.0.0");
    // Exactly one error, on the line that uses what the report removed.
    const line = CONSUMER_TS.split("\n").findIndex((l) => l.includes("uses: type SmartMeter › model")) + 1;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^main\\.ts\\(${line},\\d+\\): error TS2339: Property 'model' does not exist on type 'SmartMeter'`));
  }, STEP_TIMEOUT);

  it("edits only a comment: a patch release with the same API", () => {
    example.edit(SMART_METER, "// What the meter measures.", "// What the meter measures: one commodity per meter.");
    const before = example.read(REPORT);
    const released = release();
    expect(released.version).toBe("3.0.1");
    expect(released.diff).toEqual({ removed: [], added: [] });
    expect(example.read(REPORT)).toBe(before);
    expect(released.entry).toContain("Patch release after 3.0.0. Documentation only");
    expect(released.entry).not.toContain("```diff");
    const [version] = installAndTypeCheck();
    expect(version).toBe("3.0.1");
  }, STEP_TIMEOUT);

  it("refuses a release when nothing changed, and changes no file", () => {
    const before = example.generatedTree();
    const run = example.run("release");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`nothing changed since the last release: ${PACKAGE_NAME} 3.0.1 has the same API and files, and the lock is the same.`);
    expect(run.stderr).toContain("protoc-gen-entity release: nothing was released and no file was changed.");
    expect(example.generatedTree()).toEqual(before);
  }, STEP_TIMEOUT);
});

