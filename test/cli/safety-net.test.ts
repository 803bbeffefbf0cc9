/**
 * The evolution gate cannot be bypassed: end-to-end runs of `generate`, `check` and `release` on a
 * copy of the example project, for each way the released state could be lost or skipped, and the
 * messages a user reads when a contract is wrong.
 */
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseLock } from "../../plugin/src/evolution/lock.js";
import { ExampleCopy } from "./example-copy.js";
import { buildPlugin, type CliRun, type PluginBuild } from "./support.js";

const LOCK = "generated/entity.lock.json";
const SMART_METER = "proto/energy/metering/v1/smart_meter.proto";
const INVOICE = "proto/energy/billing/v1/invoice.proto";
const METER_READING = "proto/energy/metering/v1/meter_reading.proto";
const BUF_NOISE = [/^Failure: plugin/m, /context canceled/, /signal: killed/];

let build: PluginBuild;
let example: ExampleCopy;

beforeAll(() => {
  build = buildPlugin();
});
afterEach(() => example?.dispose());
afterAll(() => {
  if (build) rmSync(build.dir, { recursive: true, force: true });
});

function output(run: CliRun): string {
  return run.stdout + run.stderr;
}

function expectNoBufNoise(run: CliRun): void {
  for (const noise of BUF_NOISE) expect(output(run)).not.toMatch(noise);
}

describe("a lock= path with a typo", () => {
  it("fails generate, check and release with the path looked for and the released lock, and changes nothing", () => {
    example = new ExampleCopy(build);
    example.edit("buf.gen.yaml", "lock=generated/entity.lock.json", "lock=generated/entity-lock.json");
    // The change the typo would hide: a released field's type.
    example.edit(SMART_METER, "int32 failed_transmissions = 15;", "uint32 failed_transmissions = 15;");
    const before = example.generatedTree();
    for (const command of ["generate", "check", "release"]) {
      const run = example.run(command);
      expect(run.status, command).toBe(1);
      expect(run.stderr, command).toContain("no lock at generated/entity-lock.json (plugin option lock= in buf.gen.yaml), but generated/release/image.binpb holds a release");
      expect(run.stderr, command).toContain("Did you mean generated/entity.lock.json?");
      expect(run.stderr.trimEnd().split("\n").at(-1), command).toMatch(new RegExp(`^protoc-gen-entity ${command}: failed \\(released state\\); .*(nothing was written|cannot be released|nothing was released)`));
      expectNoBufNoise(run);
    }
    expect(example.exists("generated/entity-lock.json")).toBe(false);
    expect(example.generatedTree()).toEqual(before);
  });

  it("fails plain buf generate too, naming the lock beside it", () => {
    example = new ExampleCopy(build);
    example.edit("buf.gen.yaml", "lock=generated/entity.lock.json", "lock=generated/entity-lock.json");
    const run = example.run("generate", "--image", "generated/release/missing.binpb");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("generated/entity-lock.json: does not exist, but generated/entity.lock.json beside it looks like the released lock");
  });

  it("with the right path, the same change fails check", () => {
    example = new ExampleCopy(build);
    example.edit(SMART_METER, "int32 failed_transmissions = 15;", "uint32 failed_transmissions = 15;");
    const run = example.run("check");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("checking the contracts against 7 released entities from generated/entity.lock.json and generated/release/image.binpb");
    expect(run.stderr).toContain("changes the type of the released field");
  });

  it("a release without a lock or an image is refused unless it says it is the first", () => {
    example = new ExampleCopy(build);
    example.edit("buf.gen.yaml", "lock=generated/entity.lock.json", "lock=fresh/entity.lock.json");
    const refused = example.run("release", "--image", "fresh/image.binpb");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("nothing was released before: no lock at fresh/entity.lock.json and no released image at fresh/image.binpb");
    expect(refused.stderr).toContain("protoc-gen-entity release --first");
    expect(example.exists("fresh")).toBe(false);
    const again = example.run("release", "--first");
    expect(again.status, "--first where a release exists").toBe(1);
    expect(again.stderr).toContain("--first, but this project has released before (generated/release/image.binpb exists)");
  });
});

describe("release runs every check that check runs", () => {
  it("refuses a field deleted without reserved, as check does, and writes nothing", () => {
    example = new ExampleCopy(build);
    example.edit(INVOICE, /\n  \/\/ Where the payment stands\.\n  PaymentState payment_state = 7;/, "");
    const before = example.generatedTree();
    const check = example.run("check");
    const release = example.run("release");
    for (const run of [check, release]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${INVOICE}:11:1:Previously present field "7" with name "payment_state" on message "Invoice" was deleted without reserving the number "7".`);
      expectNoBufNoise(run);
    }
    expect(release.stderr).toContain("protoc-gen-entity release: failed (buf breaking); nothing was released and no file was changed.");
    expect(example.generatedTree()).toEqual(before);
    // Still reported afterwards: the refused release recorded nothing.
    expect(example.run("check").status).toBe(1);
  });
});

describe("a released entity that disappears", () => {
  const dropPayment = (copy: ExampleCopy) => copy.edit("buf.gen.yaml", /\n *- entity=energy\.billing\.v1\.Payment:payment_id/, "");

  it("fails check and generate with the way out, and changes nothing", () => {
    example = new ExampleCopy(build);
    dropPayment(example);
    const before = example.generatedTree();
    for (const command of ["check", "generate", "release"]) {
      const run = example.run(command);
      expect(run.status, command).toBe(1);
      expect(run.stderr, command).toContain("energy.billing.v1.Payment: was released (topic payment, table energy_billing_v1.payment) and is no longer an entity");
      expect(run.stderr, command).toContain("add the plugin option retire=energy.billing.v1.Payment to buf.gen.yaml");
    }
    expect(example.generatedTree()).toEqual(before);
  });

  it("with retire=, check passes, release records the retirement, and the dbt source documents the table as retired", () => {
    example = new ExampleCopy(build);
    dropPayment(example);
    example.edit("buf.gen.yaml", "      - lock=generated/entity.lock.json", "      - lock=generated/entity.lock.json\n      - retire=energy.billing.v1.Payment");
    // PaymentEvent leaves the package's API: check wants that in the committed report first.
    expect(example.run("check").stderr).toContain("generated/ts/api-report.api.md is not the API the contracts generate");
    expect(example.run("generate").status).toBe(0);
    expect(example.run("check").status).toBe(0);
    const release = example.run("release");
    expect(output(release)).toContain("protoc-gen-entity release: lock generated/entity.lock.json");
    expect(release.status).toBe(0);
    const lock = parseLock(example.read(LOCK), LOCK);
    expect(lock.entities["energy.billing.v1.Payment"]?.retired).toBe(true);
    expect(lock.entities["energy.billing.v1.Invoice"]?.retired).toBeUndefined();
    const sources = example.read("generated/dbt/energy_billing_v1/_energy_billing_v1__sources.yml");
    expect(sources).toContain("Retired: energy.billing.v1.Payment is no longer published");
    expect(sources).toContain("object: retired_table");
    expect(example.exists("generated/ts/src/energy/billing/v1/payment_event.ts")).toBe(false);
    // Recorded in the lock, the retirement needs the option no more.
    example.edit("buf.gen.yaml", "\n      - retire=energy.billing.v1.Payment", "");
    const check = example.run("check");
    expect(check.stdout).toContain("7 released entities (1 retired)");
    expect(check.status).toBe(0);
  });
});

describe("contract errors as the user reads them", () => {
  it("name the repository path and the option's line, suggest the closest names, and carry no buf noise", () => {
    example = new ExampleCopy(build);
    example.edit(METER_READING, 'id_field: "reading_id"', 'id_field: "readng_id"');
    example.edit(SMART_METER, 'references = "energy.customer.v1.House"', 'references = "energy.customer.v1.Hose"');
    const run = example.run("generate");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${METER_READING}:15:5: energy\\.metering\\.v1\\.MeterReading: id field "readng_id": MeterReading has no field "readng_id"\\. Did you mean "reading_id"\\?$`, "m"));
    expect(run.stderr).toMatch(new RegExp(`^${SMART_METER}:35:\\d+: energy\\.metering\\.v1\\.SmartMeter\\.house_id: references "energy\\.customer\\.v1\\.Hose", which is not an entity of this run\\. Did you mean "energy\\.customer\\.v1\\.House"\\?$`, "m"));
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe("protoc-gen-entity generate: failed (generation); nothing was written.");
    expectNoBufNoise(run);
  });
});
