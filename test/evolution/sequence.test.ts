/**
 * A released entity through a sequence of contract versions. Every allowed step must yield a
 * migration that ZetaSQL analyzes against the released table and that turns it into the freshly
 * generated table (column order aside: BigQuery appends what ALTER adds), with the LookML, dbt
 * and TypeScript outputs following on their own; every forbidden step must fail with its
 * explanation and write nothing, the lock included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import {
  allowedStep,
  columnPaths,
  DATASET,
  LockedWorkspace,
  migrationFiles,
  PROTO_PATH,
  shipmentProto,
  statementsOf,
  TABLE,
  tableSchemaFile,
  TYPE_NAME,
  V1,
  type ShipmentVersion,
  type StepResult,
} from "./support.js";

const PUBSUB_RULE = "Pub/Sub revision rule";
const WAY_OUT_V2 = "copy Shipment to package logistics.v2 with its own topic and table";

let workspace: LockedWorkspace;
let zetasql: ZetaSqlSession;

beforeAll(async () => {
  workspace = new LockedWorkspace();
  workspace.release(shipmentProto(V1));
  zetasql = await startZetaSql({ alterTable: true });
});

afterAll(async () => {
  await zetasql?.stop();
  workspace?.dispose();
});

/** A forbidden step: refused with one explanation, no file, and the lock as it was. */
function forbiddenStep(version: ShipmentVersion) {
  const proto = shipmentProto(version);
  const lockBefore = workspace.lockText();
  expect(() => workspace.generate(proto)).toThrow(/nothing was generated/);
  expect(() => workspace.release(proto)).toThrow(/nothing was generated/);
  expect(workspace.lockText()).toBe(lockBefore);
  const { errors } = workspace.contractErrors(proto);
  expect(errors).toHaveLength(1);
  const [error] = errors;
  expect(error.location.file).toBe(PROTO_PATH);
  expect(error.location.line).toBeGreaterThan(0);
  expect(error.fix).toContain(WAY_OUT_V2);
  return error;
}

/** The proto line a field is declared on, to check that errors point at it. */
function lineOf(version: ShipmentVersion, declaration: string): number {
  return shipmentProto(version).split("\n").findIndex((l) => l.includes(declaration)) + 1;
}

// ---- what the other outputs say about the table -----------------------------------------------

function lookmlView(files: ReadonlyMap<string, string>): string {
  const view = files.get(`lookml/${TABLE}.view.lkml`);
  if (view === undefined) throw new Error(`no LookML view among ${[...files.keys()].filter((k) => k.startsWith("lookml/")).join(", ")}`);
  return view;
}

/** Column paths the LookML view reads (`${TABLE}.a.b`). */
function lookmlColumns(files: ReadonlyMap<string, string>): string[] {
  return [...lookmlView(files).matchAll(/\$\{TABLE\}\.([A-Za-z_][A-Za-z0-9_.]*)/g)].map((m) => m[1]);
}

interface DbtColumn {
  name: string;
  data_type?: string;
  data_tests?: unknown[];
}

/** The dbt source table of the entity's table. */
function dbtTable(files: ReadonlyMap<string, string>): { columns: DbtColumn[] } {
  const text = files.get(`dbt/${DATASET}/_${DATASET}__sources.yml`);
  if (text === undefined) throw new Error(`no dbt sources among ${[...files.keys()].filter((k) => k.startsWith("dbt/")).join(", ")}`);
  const yaml = parseYaml(text) as { sources: { tables: { name: string; columns: DbtColumn[] }[] }[] };
  const table = yaml.sources.flatMap((s) => s.tables).find((t) => t.name === TABLE);
  if (table === undefined) throw new Error(`no dbt source table ${TABLE}`);
  return table;
}

function typescriptEvent(files: ReadonlyMap<string, string>): string {
  const name = [...files.keys()].find((k) => k.endsWith("/shipment_event.ts"));
  if (name === undefined) throw new Error(`no TypeScript event class among ${[...files.keys()].filter((k) => k.startsWith("ts/")).join(", ")}`);
  return files.get(name)!;
}

/** Whatever LookML and dbt read must exist in the migrated table. */
function expectOutputsReadTheTable(step: StepResult): void {
  const paths = new Set(columnPaths(step.migrated));
  for (const path of lookmlColumns(step.files)) expect(paths, `LookML reads ${path}`).toContain(path);
  for (const column of dbtTable(step.files).columns) expect(paths, `dbt documents ${column.name}`).toContain(column.name);
}

// ---- the sequence -----------------------------------------------------------------------------

const V2_CARRIER: ShipmentVersion = { ...V1, carrier: "string carrier = 9;" };
const V3_POSTAL_CODE: ShipmentVersion = { ...V2_CARRIER, postalCode: true };
const V4_RETURNED: ShipmentVersion = { ...V3_POSTAL_CODE, returnedStatus: true };
const V5_DECIMAL: ShipmentVersion = { ...V4_RETURNED, transitTime: "google.type.Decimal" };
const V6_NOTE_REMOVED: ShipmentVersion = { ...V5_DECIMAL, note: "removed" };

describe("allowed steps", () => {
  it("adds a field: ADD COLUMN IF NOT EXISTS, and every output gains the column", async () => {
    const step = await allowedStep(workspace, zetasql, V2_CARRIER);
    expect(statementsOf(step.sql!)).toEqual([
      `ALTER TABLE \`evo-test-project.${DATASET}.${TABLE}\` ADD COLUMN IF NOT EXISTS \`carrier\` STRING OPTIONS(description="The carrier's name.")`,
    ]);
    expect(step.patch).toBeUndefined();
    expect(step.sql).toContain("gcloud pubsub schemas commit shipment --type=protocol-buffer");
    expect(step.files.get("pubsub/shipment.proto")).toContain("optional string carrier = 9;");
    expect(lookmlColumns(step.files)).toContain("carrier");
    expect(dbtTable(step.files).columns.map((c) => c.name)).toContain("carrier");
    expect(typescriptEvent(step.files)).toMatch(/\bcarrier\?: string/);
    expectOutputsReadTheTable(step);
  });

  it("adds a field inside an existing STRUCT: a JSON schema patch for bq update", async () => {
    const step = await allowedStep(workspace, zetasql, V3_POSTAL_CODE);
    expect(statementsOf(step.sql!), "DDL cannot add a field inside a STRUCT").toEqual([]);
    expect(step.sql).toContain(`bq update evo-test-project:${DATASET}.${TABLE} 0002_${TABLE}.schema.json`);
    const destination = step.patch!.find((f) => f.name === "destination")!;
    expect(destination.fields).toEqual([
      { name: "city", type: "STRING", mode: "NULLABLE", description: "City." },
      { name: "postal_code", type: "STRING", mode: "NULLABLE", description: "Postal code." },
    ]);
    expect(lookmlColumns(step.files)).toContain("destination.postal_code");
    expect(dbtTable(step.files).columns.map((c) => c.name)).toContain("destination.postal_code");
    expect(typescriptEvent(step.files)).toMatch(/\bpostalCode\b/);
    expectOutputsReadTheTable(step);
  });

  it("adds an enum value: nothing to migrate; dbt accepts the value, LookML suggests it, the event classes send it", async () => {
    const step = await allowedStep(workspace, zetasql, V4_RETURNED);
    expect(step.sql).toBeUndefined();
    const status = dbtTable(step.files).columns.find((c) => c.name === "status")!;
    expect(JSON.stringify(status.data_tests)).toContain("STATUS_RETURNED");
    expect(lookmlView(step.files)).toMatch(/suggestions: \[[^\]]*"STATUS_RETURNED"\]/);
    // The event class converts through the enum's schema from protoc-gen-es, which the new value is part of.
    expect(typescriptEvent(step.files)).toMatch(/StatusSchema/);
    expectOutputsReadTheTable(step);
  });

  it("widens a NUMERIC column to BIGNUMERIC when the topic field stays the same (Duration → Decimal)", async () => {
    // Terraform would replace the table on this type change unless the migration runs first: the
    // team says it will with widen=, and until then check refuses, naming the option.
    const lockBefore = workspace.lockText();
    expect(() => workspace.release(shipmentProto(V5_DECIMAL))).toThrow(/nothing was generated/);
    expect(workspace.lockText()).toBe(lockBefore);
    const [refusal] = workspace.contractErrors(shipmentProto(V5_DECIMAL)).errors;
    expect(refusal.subject).toBe(`${TYPE_NAME}.transit_time`);
    expect(refusal.problem).toContain("widens column transit_time from NUMERIC to BIGNUMERIC");
    expect(refusal.problem).toContain("forces replacement");
    expect(refusal.fix).toContain(`widen=${TYPE_NAME}.transit_time`);
    workspace.options = [`widen=${TYPE_NAME}.transit_time`];

    const step = await allowedStep(workspace, zetasql, V5_DECIMAL);
    const statements = statementsOf(step.sql!);
    expect(statements[0]).toBe(`ALTER TABLE \`evo-test-project.${DATASET}.${TABLE}\` ALTER COLUMN \`transit_time\` SET DATA TYPE BIGNUMERIC`);
    expect(step.migrated.find((c) => c.name === "transit_time")!.type).toBe("BIGNUMERIC");
    expect(step.sql, "the topic schema did not change").not.toContain("gcloud pubsub schemas commit");
    expect(dbtTable(step.files).columns.find((c) => c.name === "transit_time")!.data_type).toBe("BIGNUMERIC");
    expectOutputsReadTheTable(step);
  });

  it("removes a field: the column stays, NULLABLE and marked retired; the topic schema drops the field", async () => {
    const step = await allowedStep(workspace, zetasql, V6_NOTE_REMOVED);
    expect(statementsOf(step.sql!)).toEqual([
      `ALTER TABLE \`evo-test-project.${DATASET}.${TABLE}\` ALTER COLUMN \`note\` SET OPTIONS (description="Retired: field 8 was removed from the contract; the column keeps the values written before. A note from the sender.")`,
    ]);
    const note = step.migrated.find((c) => c.name === "note")!;
    expect(note.mode).toBe("NULLABLE");
    expect(tableSchemaFile(step.files).some((c) => c.name === "note"), "the generated table keeps the column").toBe(true);
    expect(step.files.get("pubsub/shipment.proto")).not.toMatch(/\bnote\b/);
    expect(workspace.lock().entities[TYPE_NAME].topicSchema.retired).toEqual([{ name: "note", number: 8, type: "string", repeated: false }]);
    expect(lookmlColumns(step.files)).not.toContain("note");
    expect(dbtTable(step.files).columns.map((c) => c.name)).not.toContain("note");
    expect(typescriptEvent(step.files)).not.toMatch(/\bnote\?:/);
    expectOutputsReadTheTable(step);
  });

  it("numbers migrations per dataset and keeps emitting the released ones", () => {
    const files = workspace.generate(shipmentProto(V6_NOTE_REMOVED));
    expect([...migrationFiles(files).keys()].sort()).toEqual([
      `bigquery/${DATASET}/migrations/0001_${TABLE}.sql`,
      `bigquery/${DATASET}/migrations/0002_${TABLE}.schema.json`,
      `bigquery/${DATASET}/migrations/0002_${TABLE}.sql`,
      `bigquery/${DATASET}/migrations/0003_${TABLE}.sql`,
      `bigquery/${DATASET}/migrations/0004_${TABLE}.sql`,
    ]);
    for (const [name, content] of migrationFiles(files)) {
      if (name.endsWith(".sql")) expect(content.split("\n")[0]).toBe(`-- Code generated by protoc-gen-entity from ${PROTO_PATH}. DO NOT EDIT.`);
    }
  });
});

describe("forbidden steps", () => {
  const RELEASED = V6_NOTE_REMOVED;

  it("widening an integer to uint64 (NUMERIC) would edit the topic field: refused, with the way out", () => {
    const version = { ...RELEASED, parcels: "uint64 parcels = 2;" } as const;
    const error = forbiddenStep(version);
    expect(error.subject).toBe("logistics.v1.Shipment.parcels");
    expect(error.location.line).toBe(lineOf(version, "uint64 parcels = 2;"));
    expect(error.problem).toContain("`optional int64 parcels = 2` (column parcels INT64)");
    expect(error.problem).toContain("`optional uint64 parcels = 2` (column parcels NUMERIC)");
    expect(error.problem).toContain(PUBSUB_RULE);
    expect(error.problem).toContain("BigQuery alone could widen the column (ALTER COLUMN SET DATA TYPE NUMERIC)");
    expect(error.fix).toContain("add the new definition as a new field with an unused number (10)");
  });

  it("renaming a field is refused", () => {
    const version = { ...RELEASED, carrier: "string carrier_name = 9;" };
    const error = forbiddenStep(version);
    expect(error.subject).toBe("logistics.v1.Shipment.carrier_name");
    expect(error.problem).toContain("renames the released field `optional string carrier = 9` (column carrier STRING) to `optional string carrier_name = 9`");
    expect(error.problem).toContain(PUBSUB_RULE);
    expect(error.fix).toContain("keep the name carrier, or keep field 9 as released and add the new definition as a new field with an unused number (10)");
  });

  it("changing a field's type is refused, quoting both rules", () => {
    const version = { ...RELEASED, carrier: "int64 carrier = 9;" };
    const error = forbiddenStep(version);
    expect(error.problem).toContain("`optional string carrier = 9` (column carrier STRING) to `optional int64 carrier = 9` (column carrier INT64)");
    expect(error.problem).toContain(PUBSUB_RULE);
    expect(error.problem).toContain("BigQuery ALTER rule");
  });

  it("reusing the number of a removed field is refused", () => {
    const version = { ...RELEASED, note: "reused" } as const;
    const error = forbiddenStep(version);
    expect(error.subject).toBe("logistics.v1.Shipment.remark");
    expect(error.problem).toContain("takes number 8, which the released field `optional string note = 8` had until it was removed");
    expect(error.problem).toContain("Protobuf field number rule");
    expect(error.fix).toContain("keep 8 reserved");
  });

  it("changing the partitioning column is refused", () => {
    const version = { ...RELEASED, partitionColumn: "shipped_at" };
    const error = forbiddenStep(version);
    expect(error.subject).toBe(TYPE_NAME);
    expect(error.problem).toContain("from the released publish_time (TIMESTAMP, by DAY) to shipped_at (TIMESTAMP, by DAY)");
    expect(error.problem).toContain("BigQuery ALTER rule");
  });

  it("moving the entity to another table is refused", () => {
    const error = forbiddenStep({ ...RELEASED, table: "parcels" });
    expect(error.subject).toBe(TYPE_NAME);
    expect(error.problem).toContain(`moves from the released topic shipment, table ${DATASET}.${TABLE} to topic shipment, table ${DATASET}.parcels`);
    expect(error.fix).toContain(`keep topic "shipment", dataset "${DATASET}" and table "${TABLE}"`);
  });

  it("making a singular field repeated is refused", () => {
    const version = { ...RELEASED, carrier: "repeated string carrier = 9;" };
    const error = forbiddenStep(version);
    expect(error.problem).toContain("`optional string carrier = 9` (column carrier STRING) to `repeated string carrier = 9` (column carrier ARRAY<STRING>)");
    expect(error.problem).toContain("a column cannot change between NULLABLE and REPEATED");
  });

  it("removing a repeated field is refused: its REPEATED column could not stay", () => {
    const version = { ...RELEASED, labels: "removed" } as const;
    const error = forbiddenStep(version);
    expect(error.problem).toContain("removes the released repeated field `repeated string labels = 4`");
    expect(error.problem).toContain("BigQuery columns absent from the topic schema must be NULLABLE");
    expect(error.fix).toContain("[deprecated = true]");
  });

  it("reports every forbidden change of a run at once", () => {
    const version = { ...RELEASED, carrier: "int64 carrier = 9;", note: "reused", partitionColumn: "shipped_at" } as const;
    const { errors } = workspace.contractErrors(shipmentProto(version));
    expect(errors.map((e) => e.subject).sort()).toEqual([TYPE_NAME, "logistics.v1.Shipment.carrier", "logistics.v1.Shipment.remark"]);
  });
});
