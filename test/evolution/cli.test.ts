/**
 * `protoc-gen-entity release` and `check` as a user runs them: a project with its own buf.yaml
 * (breaking: WIRE_JSON) and buf.gen.yaml (lock=generated/entity.lock.json), the plugin built on
 * its own, buf from node_modules.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_HEADER_PATTERN } from "../../plugin/src/printers/header.js";
import { parseLock } from "../../plugin/src/evolution/lock.js";
import { buildPlugin, entityPlugin, PROTOC_GEN_ES_PLUGIN, type PluginBuild } from "../cli/support.js";
import { BUF, REPO_ROOT } from "../harness/buf/protos.js";
import { DATASET, PROJECT, PROTO_PATH, shipmentProto, TABLE, TYPE_NAME, V1, type ShipmentVersion } from "./support.js";

const LOCK = "generated/entity.lock.json";
const IMAGE = "generated/release/image.binpb";

let build: PluginBuild;
let project: string;

beforeAll(() => {
  build = buildPlugin();
  project = mkdtempSync(join(tmpdir(), "entity-evolution-cli-"));
  write("buf.yaml", ["version: v2", "modules:", "  - path: proto", "  - path: deps", "breaking:", "  use:", "    - WIRE_JSON", ""].join("\n"));
  write(
    "buf.gen.yaml",
    ["version: v2", "plugins:", ...PROTOC_GEN_ES_PLUGIN, ...entityPlugin(build, [`project=${PROJECT}`, `lock=${LOCK}`]), ""].join("\n"),
  );
  write("proto/entity/v1/options.proto", readFileSync(join(REPO_ROOT, "proto/entity/v1/options.proto"), "utf8"));
  mkdirSync(join(project, "deps/google"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules/google-proto-files/google/type"), join(project, "deps/google/type"));
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  if (build) rmSync(build.dir, { recursive: true, force: true });
});

function write(path: string, content: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), content);
}

function contract(version: ShipmentVersion): void {
  write(`proto/${PROTO_PATH}`, shipmentProto(version));
}

function run(command: "release" | "check" | "generate", ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`, BUF };
  const result = spawnSync(process.execPath, [build.bin, command, ...args], { cwd: project, env, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under generated/, with its bytes as text. */
function generatedTree(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(relative(project, full).split(sep).join("/"), readFileSync(full, "latin1"));
    }
  };
  if (existsSync(join(project, "generated"))) walk(join(project, "generated"));
  return out;
}

const MIGRATION = `generated/bigquery/${DATASET}/migrations/0001_${TABLE}.sql`;
const V2: ShipmentVersion = { ...V1, carrier: "string carrier = 9;" };

describe("release and check", () => {
  it("release writes the lock, the released image and generated/", () => {
    contract(V1);
    const first = run("release");
    expect(first.status, "a first release must say so").toBe(1);
    expect(first.stderr).toContain("protoc-gen-entity release --first");
    expect(existsSync(join(project, LOCK))).toBe(false);
    const result = run("release", "--first");
    expect(result.stderr + result.stdout).toContain("protoc-gen-entity release: lock generated/entity.lock.json, image generated/release/image.binpb");
    expect(result.status).toBe(0);
    const lock = parseLock(readFileSync(join(project, LOCK), "utf8"), LOCK);
    expect(Object.keys(lock.entities)).toEqual([TYPE_NAME]);
    expect(existsSync(join(project, IMAGE))).toBe(true);
    expect(existsSync(join(project, "generated/entity-release.json")), "the release file never reaches generated/").toBe(false);
    expect(readFileSync(join(project, "generated/.generated-files"), "utf8")).not.toContain("entity.lock.json");
    expect(run("check").status).toBe(0);
  });

  it("check passes an allowed change, and generate writes its migration", () => {
    contract(V2);
    const check = run("check");
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    expect(run("generate").status).toBe(0);
    expect(readFileSync(join(project, MIGRATION), "utf8")).toContain("ADD COLUMN IF NOT EXISTS `carrier` STRING");
  });

  it("check fails a change that buf breaking allows but Pub/Sub does not, and writes nothing", () => {
    const before = generatedTree();
    contract({ ...V2, parcels: "uint64 parcels = 2;" });
    const check = run("check");
    expect(check.status).toBe(1);
    expect(check.stderr).not.toContain("buf breaking against the last release");
    expect(check.stderr).toContain("logistics.v1.Shipment.parcels: changes the type of the released field `optional int64 parcels = 2`");
    expect(check.stderr).toContain("Pub/Sub revision rule");
    expect(check.stderr).toContain("protoc-gen-entity check: failed (generation)");
    expect(run("generate").status).not.toBe(0);
    expect(run("release").status).not.toBe(0);
    expect(generatedTree()).toEqual(before);
  });

  it("check reports buf breaking and the lock's rules together", () => {
    const before = generatedTree();
    contract({ ...V2, note: "reused" });
    const check = run("check");
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("buf breaking against the last release (generated/release/image.binpb)");
    expect(check.stderr).toMatch(/Field "8" with name "remark" on message "Shipment" changed option "json_name"|Field "8" on message "Shipment" changed name from "note" to "remark"/);
    expect(check.stderr).toContain("logistics.v1.Shipment.remark: renames the released field `optional string note = 8`");
    expect(check.stderr).toContain("protoc-gen-entity check: failed (buf breaking, generation)");
    expect(generatedTree()).toEqual(before);
  });

  it("release records the allowed change: its migration moves into the lock and nothing is pending", () => {
    contract(V2);
    const imageBefore = readFileSync(join(project, IMAGE));
    expect(run("release").status).toBe(0);
    const lock = parseLock(readFileSync(join(project, LOCK), "utf8"), LOCK);
    expect(lock.migrations.map((m) => m.sql.file)).toEqual([`0001_${TABLE}.sql`]);
    expect(readFileSync(join(project, MIGRATION), "utf8")).toBe(
      `-- Code generated by protoc-gen-entity from ${PROTO_PATH}. DO NOT EDIT.\n${lock.migrations[0].sql.lines.join("\n")}\n`,
    );
    // generated/ holds it, but `generate` does not write it: it must not say it is generated.
    expect(readFileSync(join(project, LOCK), "utf8")).not.toMatch(GENERATED_HEADER_PATTERN);
    expect(readFileSync(join(project, IMAGE)).equals(imageBefore)).toBe(false);
    const tree = generatedTree();
    const generate = run("generate");
    expect(generate.stdout).toMatch(/ 0 written, \d+ unchanged, 0 removed/);
    expect(generatedTree()).toEqual(tree);
  });
});
