/** The lock file: deterministic text, careful parsing, and the example domain's first release. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLockFile } from "../../plugin/src/edge/lock-file.js";
import { emptyLock, LockFileError, parseLock, printLock, type LockFile } from "../../plugin/src/evolution/lock.js";
import { RELEASE_FILE, RELEASE_OPTION, type ReleaseTransport } from "../../plugin/src/evolution/release.js";
import { compileExample, exampleParameter, runPlugin } from "../harness/buf/protos.js";
import { readModule } from "../harness/opentofu/module.js";
import { LockedWorkspace, shipmentProto, V1 } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "entity-lock-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function releasedLock(): LockFile {
  const workspace = new LockedWorkspace();
  try {
    workspace.release(shipmentProto(V1));
    return workspace.lock();
  } finally {
    workspace.dispose();
  }
}

describe("printLock", () => {
  it("prints the same text whatever order entities and migrations come in", () => {
    const lock = releasedLock();
    const entity = lock.entities["logistics.v1.Shipment"];
    const migration = (dataset: string, number: number) => ({ dataset, number, entity: "logistics.v1.Shipment", sql: { file: `${number}.sql`, source: "a.proto", lines: ["-- x"] } });
    const a: LockFile = { ...lock, entities: { "b.v1.B": entity, "a.v1.A": entity }, migrations: [migration("y", 2), migration("x", 1), migration("y", 1)] };
    const b: LockFile = { ...lock, entities: { "a.v1.A": entity, "b.v1.B": entity }, migrations: [migration("y", 1), migration("y", 2), migration("x", 1)] };
    expect(printLock(a)).toBe(printLock(b));
    expect(parseLock(printLock(a), "lock.json").migrations.map((m) => `${m.dataset}/${m.number}`)).toEqual(["x/1", "y/1", "y/2"]);
  });

  it("keeps short objects on one line, so that a release reads as a short diff", () => {
    const text = printLock(releasedLock());
    expect(text).toContain('{"name": "id", "number": 1, "type": "string", "repeated": false}');
    expect(text).toContain('"partitioning": {"column": "publish_time", "type": "TIMESTAMP", "granularity": "DAY"}');
  });
});

describe("parseLock", () => {
  const valid = () => JSON.parse(printLock(releasedLock())) as Record<string, unknown>;
  const parse = (value: unknown) => () => parseLock(typeof value === "string" ? value : JSON.stringify(value), "generated/entity.lock.json");

  it("reads back what printLock wrote", () => {
    const lock = releasedLock();
    expect(parseLock(printLock(lock), "x")).toEqual(lock);
  });

  it("names the file and the spot of anything wrong, and says how to recover", () => {
    expect(parse("{ not json")).toThrow(/generated\/entity\.lock\.json: is not JSON/);
    expect(parse({ ...valid(), lockVersion: 2 })).toThrow(/lockVersion: is 2; this protoc-gen-entity reads version 1/);
    const broken = valid();
    const entity = (broken.entities as Record<string, Record<string, unknown>>)["logistics.v1.Shipment"];
    (entity.topicSchema as { fields: Record<string, unknown>[] }).fields[3].number = "1";
    expect(parse(broken)).toThrow(/entities\["logistics\.v1\.Shipment"\]\.topicSchema\.fields\[3\]\.number: must be a positive integer/);
    expect(parse(broken)).toThrow(LockFileError);
    expect(parse(broken)).toThrow(/git checkout/);
  });

  it("reads and prints the released package's version and digest, and checks them", () => {
    const lock: LockFile = { ...releasedLock(), package: { version: "1.2.0", digest: `sha256:${"ab".repeat(32)}` } };
    const text = printLock(lock);
    expect(text.split("\n")[2]).toBe(`  "package": {"version": "1.2.0", "digest": "sha256:${"ab".repeat(32)}"},`);
    expect(parseLock(text, "x")).toEqual(lock);
    expect(parseLock(printLock(releasedLock()), "x").package).toBeUndefined();
    expect(parse({ ...valid(), package: { version: "1.2", digest: `sha256:${"ab".repeat(32)}` } })).toThrow(/package\.version: must be a semantic version/);
    expect(parse({ ...valid(), package: { version: "1.2.0", digest: "md5:00" } })).toThrow(/package\.digest: must be sha256:<64 hex digits>/);
    expect(parse({ ...valid(), package: "1.2.0" })).toThrow(/package: must be an object/);
  });

  it("insists that message fields, and only they, carry their fields", () => {
    const broken = valid();
    const entity = (broken.entities as Record<string, Record<string, unknown>>)["logistics.v1.Shipment"];
    const fields = (entity.topicSchema as { fields: Record<string, unknown>[] }).fields;
    delete fields.find((f) => f.type === "message")!.message;
    expect(parse(broken)).toThrow(/a field of type message, and only such a field, has `message`/);
  });
});

describe("readLockFile", () => {
  it("reads a missing lock as nothing released", () => {
    expect(readLockFile(join(dir, "absent.json"))).toEqual(emptyLock());
  });

  it("refuses a lock it cannot read rather than generating without it", () => {
    const path = join(dir, "broken.json");
    writeFileSync(path, "[]");
    expect(() => readLockFile(path)).toThrow(/broken\.json: must be an object/);
  });
});

describe("the example domain", () => {
  const lockPath = join(dir, "example.lock.json");
  const parameter = `${exampleParameter().split(",").filter((o) => !o.startsWith("lock=")).join(",")},lock=${lockPath}`;
  const withoutLock = exampleParameter().split(",").filter((o) => !o.startsWith("lock=")).join(",");

  it("generates the same files with its first release locked as with no lock", () => {
    const released = runPlugin(compileExample(), `${parameter},${RELEASE_OPTION}`);
    const transport = JSON.parse(released.get(RELEASE_FILE)!) as ReleaseTransport;
    writeFileSync(lockPath, transport.lockText);
    const lock = parseLock(transport.lockText, lockPath);
    const unlocked = runPlugin(compileExample(), withoutLock);
    // The lock names the topic and table of every entity the Terraform module deploys.
    const module = readModule(unlocked);
    const topics = Object.keys(module.resource.google_pubsub_topic).filter((key) => !key.endsWith("__dead_letter"));
    expect(Object.keys(lock.entities)).toHaveLength(topics.length);
    for (const entity of Object.values(lock.entities)) {
      const key = `${entity.dataset}__${entity.table}`;
      expect(module.resource.google_pubsub_topic[key].name).toBe(`\${var.name_prefix}${entity.topic}`);
      expect(module.resource.google_bigquery_table[key]).toMatchObject({ dataset_id: entity.dataset, table_id: entity.table });
    }
    expect(lock.migrations).toEqual([]);
    // The catalog's pages say whether releases are tracked: only they may differ.
    const withoutCatalog = (files: Map<string, string>) => new Map([...files].filter(([name]) => !name.startsWith("catalog/")));
    expect(withoutCatalog(runPlugin(compileExample(), parameter))).toEqual(withoutCatalog(unlocked));
  });
});
