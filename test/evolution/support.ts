/**
 * Evolution test support: a test entity in successive contract versions, a workspace that
 * generates and releases them in-process against a lock file (as `buf generate` would run the
 * plugin), and a small BigQuery table simulator that applies a migration the way ZetaSQL resolved
 * its statements, plus the schema patch the way `bq update` takes it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { parseLock, type LockFile } from "../../plugin/src/evolution/lock.js";
import { RELEASE_FILE, RELEASE_OPTION, type ReleaseTransport } from "../../plugin/src/evolution/release.js";
import { ContractErrors } from "../../plugin/src/model/errors.js";
import { modelOfCompiled } from "../model/support.js";
import { compileProtos, runPlugin, type CompiledProtos } from "../harness/buf/protos.js";
import { definedColumn, type AnalyzedColumn, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";

export const PROJECT = "evo-test-project";
export const DATASET = "logistics";
export const TABLE = "shipment";
export const PROTO_PATH = "logistics/v1/shipment.proto";
export const TYPE_NAME = "logistics.v1.Shipment";

/** One version of the Shipment contract; each step of the tests changes one thing. */
export interface ShipmentVersion {
  readonly parcels: "int64 parcels = 2;" | "uint64 parcels = 2;";
  readonly transitTime: "google.protobuf.Duration" | "google.type.Decimal";
  /** Field 8: declared, removed (reserved), or its number given to another field. */
  readonly note: "declared" | "removed" | "reused";
  readonly labels: "declared" | "removed";
  /** Field 9, once added (its declaration). */
  readonly carrier: string | undefined;
  readonly postalCode: boolean;
  readonly returnedStatus: boolean;
  readonly partitionColumn: string | undefined;
  /** (entity.v1.entity).table, when not the default. */
  readonly table?: string;
  /** Comment lines of the note, carrier and postal_code fields, when not the plain ones. */
  readonly comments?: { readonly note?: readonly string[]; readonly carrier?: readonly string[]; readonly postalCode?: readonly string[] };
}

const commentLines = (lines: readonly string[] | undefined, plain: string) => (lines ?? [plain]).map((l) => `  // ${l}`);

export const V1: ShipmentVersion = {
  parcels: "int64 parcels = 2;",
  transitTime: "google.protobuf.Duration",
  note: "declared",
  labels: "declared",
  carrier: undefined,
  postalCode: false,
  returnedStatus: false,
  partitionColumn: undefined,
};

export function shipmentProto(v: ShipmentVersion): string {
  const settings = [
    `dataset: "${DATASET}"`,
    ...(v.partitionColumn !== undefined ? [`partitioning: {column: "${v.partitionColumn}"}`] : []),
    ...(v.table !== undefined ? [`table: "${v.table}"`] : []),
  ];
  const option = `{${settings.join(" ")}}`;
  const note = {
    declared: [...commentLines(v.comments?.note, "A note from the sender."), "  string note = 8;"],
    removed: ["  reserved 8;", '  reserved "note";'],
    reused: ["  // The receiver's remark.", "  string remark = 8;"],
  }[v.note];
  const labels = v.labels === "declared" ? ["  // Free labels.", "  repeated string labels = 4;"] : ["  reserved 4;", '  reserved "labels";'];
  return [
    'syntax = "proto3";',
    "",
    "package logistics.v1;",
    "",
    'import "entity/v1/options.proto";',
    'import "google/protobuf/duration.proto";',
    'import "google/protobuf/timestamp.proto";',
    'import "google/type/decimal.proto";',
    "",
    "// A shipment on its way to a customer.",
    "message Shipment {",
    `  option (entity.v1.entity) = ${option};`,
    "",
    "  // Shipment id.",
    "  string id = 1;",
    "  // Number of parcels.",
    `  ${v.parcels}`,
    "  // Where it goes.",
    "  Address destination = 3;",
    ...labels,
    "  // Where it stands.",
    "  Status status = 5;",
    "  // Expected time in transit.",
    `  ${v.transitTime} transit_time = 6;`,
    "  // When it left the warehouse.",
    "  google.protobuf.Timestamp shipped_at = 7;",
    ...note,
    ...(v.carrier !== undefined ? [...commentLines(v.comments?.carrier, "The carrier's name."), `  ${v.carrier}`] : []),
    "}",
    "",
    "// A postal address.",
    "message Address {",
    "  // City.",
    "  string city = 1;",
    ...(v.postalCode ? [...commentLines(v.comments?.postalCode, "Postal code."), "  string postal_code = 2;"] : []),
    "}",
    "",
    "// Where a shipment stands.",
    "enum Status {",
    "  STATUS_UNSPECIFIED = 0;",
    "  STATUS_IN_TRANSIT = 1;",
    "  STATUS_DELIVERED = 2;",
    ...(v.returnedStatus ? ["  STATUS_RETURNED = 3;"] : []),
    "}",
    "",
  ].join("\n");
}

const compiled = new Map<string, CompiledProtos>();

function compile(proto: string): CompiledProtos {
  let result = compiled.get(proto);
  if (result === undefined) {
    result = compileProtos({ [PROTO_PATH]: proto });
    compiled.set(proto, result);
  }
  return result;
}

/** A directory holding the lock; generation and release run the plugin in-process against it. */
export class LockedWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), "entity-evolution-"));
  readonly lockPath = join(this.dir, "entity.lock.json");
  /** Plugin options beyond project= and lock=, as buf.gen.yaml would list them. */
  options: string[] = [];

  get parameter(): string {
    return [`project=${PROJECT}`, `lock=${this.lockPath}`, ...this.options].join(",");
  }

  /** The plugin's files for this contract, or what it throws. */
  generate(proto: string): Map<string, string> {
    return runPlugin(compile(proto), this.parameter);
  }

  /** Generates as `protoc-gen-entity release` does and writes the lock; returns the generated files. */
  release(proto: string): Map<string, string> {
    const files = runPlugin(compile(proto), `${this.parameter},${RELEASE_OPTION}`);
    const transport = JSON.parse(files.get(RELEASE_FILE) ?? "null") as ReleaseTransport | null;
    if (transport === null) throw new Error(`the plugin wrote no ${RELEASE_FILE}`);
    expect(transport.lockPath).toBe(this.lockPath);
    writeFileSync(transport.lockPath, transport.lockText);
    files.delete(RELEASE_FILE);
    return files;
  }

  lockText(): string {
    return readFileSync(this.lockPath, "utf8");
  }

  lock(): LockFile {
    return parseLock(this.lockText(), this.lockPath);
  }

  /** The ContractErrors the model throws for this contract (fails the test if it throws none). */
  contractErrors(proto: string): ContractErrors {
    try {
      modelOfCompiled(compile(proto), this.parameter, this.lock());
    } catch (error) {
      if (error instanceof ContractErrors) return error;
      throw error;
    }
    throw new Error("expected the contract to be refused");
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function migrationFiles(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].filter(([name]) => name.startsWith(`bigquery/${DATASET}/migrations/`)));
}

export function tableSchemaFile(files: ReadonlyMap<string, string>): BigQueryField[] {
  const text = files.get(`bigquery/${DATASET}/${TABLE}.schema.json`);
  if (text === undefined) throw new Error(`no table schema among ${[...files.keys()].join(", ")}`);
  return JSON.parse(text) as BigQueryField[];
}

/** The statements of a migration file: comment lines dropped (string literals never hold a line break). */
export function statementsOf(sql: string): string[] {
  const body = sql.split("\n").filter((line) => !line.startsWith("--")).join("\n");
  return body.split(/;\n/).map((s) => s.trim()).filter((s) => s !== "");
}

type Json = Record<string, unknown>;

/** A table being migrated: its fields, in the order BigQuery keeps them. */
export type Table = readonly BigQueryField[];

/**
 * Runs a migration on `table`: each statement is analyzed by ZetaSQL against the table as it is so
 * far (so a statement that does not resolve fails the test) and applied as ZetaSQL resolved it;
 * then the schema patch, after checking that `bq update` would take it (it keeps every field,
 * with its type and mode, in its place, and only appends).
 */
export async function applyMigration(zetasql: ZetaSqlSession, table: Table, sql: string, patch: Table | undefined): Promise<Table> {
  let current = table;
  for (const statement of statementsOf(sql)) {
    await zetasql.registerTables([{ project: PROJECT, dataset: DATASET, table: TABLE, schema: current }]);
    const analyzed = await zetasql.analyze(statement);
    current = applyAlterTable(current, analyzed.response as unknown as Json);
  }
  if (patch === undefined) return current;
  expectPatchApplicable(current, patch);
  return patch;
}

function applyAlterTable(table: Table, response: Json): Table {
  const stmt = dig(response, "resolvedStatement", "resolvedAlterObjectStmtNode", "resolvedAlterTableStmtNode", "parent") as Json | undefined;
  if (stmt === undefined) throw new Error(`not an ALTER TABLE statement: ${JSON.stringify(response).slice(0, 300)}`);
  expect((stmt.namePath as string[]).join(".")).toBe(`${PROJECT}.${DATASET}.${TABLE}`);
  let next = [...table];
  for (const action of stmt.alterActionList as Json[]) {
    const add = action.resolvedAddColumnActionNode as Json | undefined;
    if (add !== undefined) {
      const definition = add.columnDefinition as Json;
      const column = asField(definedColumn(definition.name as string, definition.type as Json, (definition.annotations ?? undefined) as Json | undefined));
      // IF NOT EXISTS: an existing column stays as it is.
      if (!next.some((c) => c.name === column.name)) next = [...next, column];
      continue;
    }
    const alter = action.resolvedAlterColumnActionNode as Json | undefined;
    const setType = alter?.resolvedAlterColumnSetDataTypeActionNode as Json | undefined;
    if (setType !== undefined) {
      const name = (setType.parent as Json).column as string;
      const type = asField(definedColumn(name, setType.updatedType as Json, undefined));
      next = next.map((c) => (c.name === name ? { ...c, type: type.type } : c));
      continue;
    }
    const setOptions = alter?.resolvedAlterColumnOptionsActionNode as Json | undefined;
    if (setOptions !== undefined) {
      const name = (setOptions.parent as Json).column as string;
      const description = optionText((setOptions.optionList as Json[]).find((o) => o.name === "description"));
      next = next.map((c) => {
        if (c.name !== name) return c;
        const { description: _old, ...rest } = c;
        void _old;
        return description === undefined ? rest : { ...rest, description };
      });
      continue;
    }
    throw new Error(`unexpected ALTER TABLE action ${JSON.stringify(Object.keys(action))}`);
  }
  return next;
}

function optionText(option: Json | undefined): string | undefined {
  if (option === undefined) return undefined;
  const literal = dig(option, "value", "resolvedLiteralNode", "value", "value") as Json | null | undefined;
  if (literal === null || literal === undefined || literal.value === undefined) return undefined;
  return literal.stringValue as string;
}

function dig(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys) {
    if (node === null || node === undefined || typeof node !== "object") return undefined;
    node = (node as Json)[key];
  }
  return node ?? undefined;
}

const JSON_TYPES: Record<string, BigQueryField["type"]> = {
  INT64: "INTEGER",
  FLOAT64: "FLOAT",
  BOOL: "BOOLEAN",
  STRUCT: "RECORD",
};

/** A column as ZetaSQL resolved it, as a JSON schema field. */
export function asField(column: AnalyzedColumn): BigQueryField {
  return {
    name: column.name,
    type: JSON_TYPES[column.kind] ?? (column.kind as BigQueryField["type"]),
    mode: column.mode,
    ...(column.description !== undefined ? { description: column.description } : {}),
    ...(column.fields.length > 0 ? { fields: column.fields.map(asField) } : {}),
  };
}

/** `bq update` keeps every field where it is with its type and mode; new fields go at the end of their level. */
function expectPatchApplicable(before: Table, patch: Table, path = ""): void {
  const kept = patch.slice(0, before.length);
  expect(kept.map((f) => f.name), `fields of ${path || "the table"} in the schema patch`).toEqual(before.map((f) => f.name));
  for (const [i, old] of before.entries()) {
    const now = kept[i];
    expect({ type: now.type, mode: now.mode }, `${path}${old.name} in the schema patch`).toEqual({ type: old.type, mode: old.mode });
    if (old.fields !== undefined) expectPatchApplicable(old.fields, now.fields ?? [], `${path}${old.name}.`);
  }
  for (const added of patch.slice(before.length)) expect(added.mode, `${path}${added.name}, added by the patch`).not.toBe("REQUIRED");
}

/** The table without column order (BigQuery appends what ALTER adds): names, types, modes, descriptions. */
export function unordered(table: readonly BigQueryField[]): unknown[] {
  return [...table]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f) => ({ name: f.name, type: f.type, mode: f.mode, description: f.description ?? "", fields: unordered(f.fields ?? []) }));
}

/** Every `a.b.c` path of the table, STRUCT fields included. */
export function columnPaths(table: readonly BigQueryField[], parent = ""): string[] {
  return table.flatMap((f) => [`${parent}${f.name}`, ...columnPaths(f.fields ?? [], `${parent}${f.name}.`)]);
}

export interface StepResult {
  readonly files: Map<string, string>;
  /** The new migration, when the step makes one. */
  readonly sql: string | undefined;
  readonly patch: BigQueryField[] | undefined;
  /** The released table after the migration. */
  readonly migrated: readonly BigQueryField[];
}

/**
 * Generates `version` against the lock, runs its new migration on the released table, checks that
 * the result is the freshly generated table, releases it, and checks that the release keeps the
 * migration as it was and leaves nothing pending.
 */
export async function allowedStep(workspace: LockedWorkspace, zetasql: ZetaSqlSession, version: ShipmentVersion): Promise<StepResult> {
  const proto = shipmentProto(version);
  const before = workspace.lock();
  const released = new Set(before.migrations.flatMap((m) => [m.sql.file, ...(m.schemaPatch ? [m.schemaPatch.file] : [])]));
  const files = workspace.generate(proto);
  const pending = [...migrationFiles(files)].filter(([name]) => !released.has(name.split("/").pop()!));
  expect(pending.length, `new migration files: ${pending.map(([n]) => n).join(", ")}`).toBeLessThanOrEqual(2);
  const sql = pending.find(([name]) => name.endsWith(".sql"))?.[1];
  const patchText = pending.find(([name]) => name.endsWith(".schema.json"))?.[1];
  const patch = patchText === undefined ? undefined : (JSON.parse(patchText) as BigQueryField[]);
  if (patch !== undefined) expect(sql, "a schema patch comes with its SQL file").toBeDefined();

  const previous = before.entities[TYPE_NAME].columns as BigQueryField[];
  const migrated = sql === undefined ? previous : await applyMigration(zetasql, previous, sql, patch);
  expect(unordered(migrated)).toEqual(unordered(tableSchemaFile(files)));
  await expectCreateTableMatches(zetasql, files, migrated);

  const afterRelease = workspace.release(proto);
  expect(migrationFiles(afterRelease)).toEqual(migrationFiles(files));
  const lock = workspace.lock();
  expect(lock.entities[TYPE_NAME].columns, "the lock records the table as the migration left it, in its order").toEqual(migrated);
  expect(workspace.generate(proto), "after the release nothing is pending").toEqual(afterRelease);
  return { files, sql, patch, migrated };
}

/**
 * The generated CREATE TABLE, as ZetaSQL reads it, creates the migrated table: the same columns
 * with the same types and modes, except that it may leave out the columns kept for removed fields.
 */
async function expectCreateTableMatches(zetasql: ZetaSqlSession, files: ReadonlyMap<string, string>, migrated: readonly BigQueryField[]): Promise<void> {
  const ddl = files.get(`bigquery/${DATASET}/${TABLE}.sql`);
  if (ddl === undefined) throw new Error("no CREATE TABLE among the generated files");
  const created = await zetasql.analyze(ddl);
  expect(created.kind).toBe("createTable");
  expectSameColumnsButRetired(created.columns.map(asField), migrated, "");
}

function expectSameColumnsButRetired(created: readonly BigQueryField[], migrated: readonly BigQueryField[], path: string): void {
  const byName = new Map(migrated.map((c) => [c.name, c]));
  for (const column of created) {
    const twin = byName.get(column.name);
    expect(twin, `CREATE TABLE column ${path}${column.name} in the migrated table`).toBeDefined();
    expect({ type: column.type, mode: column.mode }, `${path}${column.name}`).toEqual({ type: twin!.type, mode: twin!.mode });
    expectSameColumnsButRetired(column.fields ?? [], twin!.fields ?? [], `${path}${column.name}.`);
  }
  const createdNames = new Set(created.map((c) => c.name));
  for (const column of migrated.filter((c) => !createdNames.has(c.name))) {
    expect(column.description ?? "", `${path}${column.name} is missing from CREATE TABLE, so it must be a retired column`).toMatch(/^Retired: /);
  }
}
