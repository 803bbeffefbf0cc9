/**
 * Every generic test of the generated sources files, as real dbt Core compiles it, run on ZetaSQL's
 * reference evaluator: on a correct domain it returns no row, and on data broken the way the test
 * is meant to catch it returns rows.
 *
 * The correct domain holds what the pipeline really delivers: duplicate deliveries, events that
 * arrive out of order, events tied on occurred_at, an entity deleted then created again, tombstones
 * that carry only the id (the presence rule), a child that names a parent whose events have not
 * landed yet. The evaluator's catalog holds tables only, so a view the compiled SQL reads is
 * replaced by the generated view's own query.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbtProject, ensureDbt, type CompiledDbtTest } from "../harness/dbt/dbt-core.js";
import { allTables, bigQuerySchema, dbtFilesOnDisk, generatedBigQueryOnDisk, testParts, type LocatedTable, type SchemaField } from "../harness/dbt/dbt.js";
import { startZetaSql, type TableRows, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { viewQuery } from "../bigquery/support.js";

const EXAMPLE_PROJECT = "acme-energy-analytics";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A value no version of the contract lists. */
const UNKNOWN_ENUM_TEXT = "VALUE_FROM_A_NEWER_PRODUCER";

type Row = Record<string, unknown>;

/** One entity table of the example, as the sources files and its JSON schema describe it. */
interface EntityTable {
  readonly located: LocatedTable;
  /** `project.dataset.table`. */
  readonly fullName: string;
  readonly entity: string;
  readonly schema: readonly SchemaField[];
  readonly idColumn: string;
  /** Enum columns (operation excluded) → the values the contract accepts. */
  readonly enums: ReadonlyMap<string, readonly string[]>;
  /** Reference column → the referenced entity. */
  readonly references: ReadonlyMap<string, string>;
}

let dbt: string;
let dbtProject: DbtProject;
let zetasql: ZetaSqlSession;
let compiled: CompiledDbtTest[];
const located = allTables(dbtFilesOnDisk());
const bigquery = generatedBigQueryOnDisk();
const entities = located.filter(({ table }) => table.config.meta.object === "table").map(entityTable);
const now = Date.now();

beforeAll(async () => {
  dbt = await ensureDbt();
  dbtProject = new DbtProject(dbtFilesOnDisk(), EXAMPLE_PROJECT);
  const { status, output } = dbtProject.run(dbt, ["compile", "--no-introspect", "--no-populate-cache"]);
  expect(status, output).toBe(0);
  compiled = dbtProject.compiledTests();
  zetasql = await startZetaSql();
}, 15 * 60_000);

afterAll(async () => {
  await zetasql?.stop();
  dbtProject?.dispose();
});

function entityTable(table: LocatedTable): EntityTable {
  const { source, table: t } = table;
  const enums = new Map<string, string[]>();
  for (const column of t.columns ?? []) {
    for (const test of column.data_tests ?? []) {
      const { name, args } = testParts(test);
      if (name === "accepted_values" && column.name !== "operation") enums.set(column.name, args.values as string[]);
    }
  }
  return {
    located: table,
    fullName: `${source.database}.${source.schema}.${t.identifier}`,
    entity: t.config.meta.entity!,
    schema: bigQuerySchema(source.schema, t.identifier!),
    idColumn: t.config.meta.id_column!,
    enums,
    references: new Map(Object.entries(t.config.meta.references ?? {})),
  };
}

function byEntity(typeName: string): EntityTable {
  const found = entities.find((e) => e.entity === typeName);
  if (found === undefined) throw new Error(`no table of ${typeName}`);
  return found;
}

function idOf(e: EntityTable, n: number): string | number {
  const type = e.schema.find((f) => f.name === e.idColumn)?.type;
  return type === "INTEGER" || type === "INT64" ? n : `${e.located.table.identifier}-${n}`;
}

function setPath(row: Row, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let target = row;
  for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Row;
  target[parts[parts.length - 1]] = value;
}

let sequence = 0;

/**
 * One delivery of an event. A DELETED event is a tombstone that carries only the id; any other
 * carries a contract value in every enum column and names parent `parentN` in every reference.
 */
function delivery(e: EntityTable, n: number, operation: string, occurredAt: Date | null, publishedAgo: number, parentN = 1, eventId?: string): Row {
  sequence += 1;
  const row: Row = {
    event_id: eventId ?? `${e.located.table.identifier}-${n}-event-${sequence}`,
    operation,
    occurred_at: occurredAt,
    message_id: `message-${sequence}`,
    publish_time: new Date(now - publishedAgo),
    subscription_name: "projects/p/subscriptions/s",
  };
  setPath(row, e.idColumn, idOf(e, n));
  if (operation !== "DELETED") {
    for (const [column, values] of e.enums) setPath(row, column, values.find((v) => !v.endsWith("_UNSPECIFIED")) ?? values[0]);
    for (const [column, parent] of e.references) {
      if (column.split(".").every((_, i, parts) => !isRepeated(e.schema, parts.slice(0, i + 1)))) setPath(row, column, idOf(byEntity(parent), parentN));
    }
  }
  return row;
}

function isRepeated(schema: readonly SchemaField[], path: readonly string[]): boolean {
  let fields: readonly SchemaField[] | undefined = schema;
  let field: SchemaField | undefined;
  for (const part of path) {
    field = fields?.find((f) => f.name === part);
    fields = field?.fields;
  }
  return field?.mode === "REPEATED";
}

/** Whether the entity's latest-state relation carries tests (it does unless its table requires a partition filter). */
function hasLatestState(e: EntityTable): boolean {
  const latest = located.find(({ table }) => table.config.meta.object === "latest_view" && table.config.meta.view_of === e.located.table.identifier);
  return latest !== undefined && latest.table.config.meta.tests_note === undefined;
}

/** What the pipeline delivers for one entity when everything works. */
function correctRows(e: EntityTable): Row[] {
  const at = (hours: number) => new Date(now - 6 * HOUR + hours * HOUR);
  const updated = delivery(e, 1, "UPDATED", at(1), 4 * HOUR);
  const tiedA = delivery(e, 3, "UPDATED", at(1), 3 * HOUR);
  return [
    // Out of order (the update arrives first) and delivered twice.
    updated,
    delivery(e, 1, "CREATED", at(0), 5 * HOUR),
    { ...updated, message_id: "redelivery", publish_time: new Date(now - 4 * HOUR + MINUTE) },
    // Deleted, then created again.
    delivery(e, 2, "CREATED", at(0), 5 * HOUR),
    delivery(e, 2, "DELETED", at(1), 4 * HOUR),
    delivery(e, 2, "CREATED", at(2), 3 * HOUR),
    // Two updates tied on occurred_at and publish_time.
    delivery(e, 3, "CREATED", at(0), 5 * HOUR),
    tiedA,
    { ...delivery(e, 3, "UPDATED", at(1), 3 * HOUR), publish_time: tiedA.publish_time },
    // Deleted for good, and so is its parent number 4 (an entity tested on its events, without a
    // latest state, names a live parent: its events would report the deleted one).
    delivery(e, 4, "CREATED", at(0), 5 * HOUR, hasLatestState(e) ? 4 : 1),
    delivery(e, 4, "DELETED", at(1), 4 * HOUR),
    // Names parent 99, whose events have not landed yet: the race between topics.
    delivery(e, 5, "CREATED", new Date(now - 10 * MINUTE), 10 * MINUTE, 99),
  ];
}

/** How the rows of the domain change for the broken case, and which views read the raw table instead. */
interface Breakage {
  readonly why: string;
  readonly extraRows: readonly Row[];
  /** Views replaced by the table under them: a relation that is not deduplicated. */
  readonly undeduplicated: boolean;
}

function breakageFor(test: CompiledDbtTest, e: EntityTable, object: string): Breakage {
  const column = test.column!;
  const recent = (mutate: (row: Row) => void, n = 1): Row => {
    const row = delivery(e, n, "UPDATED", new Date(now - HOUR), HOUR);
    mutate(row);
    return row;
  };
  switch (`${object} ${test.testName}`) {
    case "table not_null":
      return { why: `a recent row with ${column} NULL`, extraRows: [recent((r) => setPath(r, column, null))], undeduplicated: false };
    case "table accepted_values":
      return { why: `${column} = ${UNKNOWN_ENUM_TEXT}`, extraRows: [recent((r) => setPath(r, column, UNKNOWN_ENUM_TEXT))], undeduplicated: false };
    case "events_view not_null":
      return { why: "a row without event_id", extraRows: [recent((r) => setPath(r, column, null))], undeduplicated: false };
    case "events_view unique":
    case "latest_view unique":
      return { why: "the relation is the raw table (duplicate deliveries, several events per id)", extraRows: [], undeduplicated: true };
    case "latest_view not_null":
      return { why: "the relation is the raw table, with a row without id", extraRows: [recent((r) => setPath(r, column, null))], undeduplicated: true };
    case "table relationships":
    case "latest_view relationships":
      return {
        why: `a live child, older than the grace period, names a deleted parent`,
        extraRows: [delivery(e, 6, "CREATED", new Date(now - 2 * HOUR), 2 * HOUR, 4)],
        undeduplicated: false,
      };
    default:
      throw new Error(`no broken case for ${object} ${test.testName} (${test.uniqueId})`);
  }
}

/** The compiled SQL, runnable on the evaluator: one quoted name per table, views replaced by their query (or by their table). */
function runnable(sql: string, undeduplicated: boolean): string {
  const oneName = sql.replace(/`([^`]+)`\.`([^`]+)`\.`([^`]+)`/g, "`$1.$2.$3`");
  return oneName.replace(/`([^`.]+)\.([^`.]+)\.([^`.]+)`/g, (whole, project: string, dataset: string, name: string) => {
    const view = located.find(({ source, table }) => source.database === project && source.schema === dataset && table.identifier === name);
    if (view === undefined || view.table.config.meta.object === "table") return whole;
    if (undeduplicated) return `\`${project}.${dataset}.${view.table.config.meta.view_of}\``;
    const query = bigquery.get(`bigquery/${dataset}/${name}.sql`);
    if (query === undefined) throw new Error(`no generated view ${dataset}.${name}`);
    return `(${viewQuery(query)})`;
  });
}

async function failingRows(test: CompiledDbtTest, extra: ReadonlyMap<string, readonly Row[]>, undeduplicated: boolean): Promise<Row[]> {
  const tables: TableRows[] = entities.map((e) => ({
    name: e.fullName,
    schema: e.schema as never,
    rows: [...correctRows(e), ...(extra.get(e.fullName) ?? [])],
  }));
  return zetasql.evaluate(runnable(test.sql, undeduplicated), tables);
}

function testedEntity(test: CompiledDbtTest): { e: EntityTable; object: string } {
  const table = located.find(({ source, table: t }) => source.name === test.tested?.source && t.name === test.tested?.table);
  expect(table, test.uniqueId).toBeDefined();
  const object = table!.table.config.meta.object;
  return { e: byEntity(table!.table.config.meta.entity!), object };
}

function partitioningOf(test: CompiledDbtTest): string {
  const table = located.find(({ source, table: t }) => source.name === test.tested?.source && t.name === test.tested?.table)!.table;
  return (table.config.meta.partitioning as { column: string }).column;
}

describe("dbt tests as dbt compiles them, run on ZetaSQL's reference evaluator", () => {
  it("compiled the tests of every kind on every kind of relation", () => {
    const kinds = new Set(compiled.map((t) => `${testedEntity(t).object} ${t.testName}`));
    expect([...kinds].sort()).toEqual(
      [
        "events_view not_null",
        "events_view unique",
        "latest_view not_null",
        "latest_view relationships",
        "latest_view unique",
        "table accepted_values",
        "table relationships",
        "table not_null",
      ].sort(),
    );
  });

  it("returns no row on a correct domain (duplicates, out-of-order and tied events, delete then re-create, tombstones, the race between topics)", async () => {
    expect(compiled.length).toBeGreaterThan(0);
    for (const test of compiled) {
      await expect(failingRows(test, new Map(), false), `${test.uniqueId}\n${test.sql}`).resolves.toEqual([]);
    }
  }, 300_000);

  it("returns rows on data broken the way each test is meant to catch", async () => {
    for (const test of compiled) {
      const { e, object } = testedEntity(test);
      const broken = breakageFor(test, e, object);
      const rows = await failingRows(test, new Map([[e.fullName, broken.extraRows]]), broken.undeduplicated);
      expect(rows.length, `${test.uniqueId} on ${broken.why}\n${test.sql}`).toBeGreaterThan(0);
    }
  }, 300_000);

  it("ignores a NULL occurred_at outside the tested window: tests on the table read only recent partitions", async () => {
    const test = compiled.find(
      (t) => t.testName === "not_null" && t.column === "occurred_at" && testedEntity(t).object === "table" && partitioningOf(t) !== "occurred_at",
    )!;
    expect(test, "a not_null test on occurred_at of a table partitioned by another column").toBeDefined();
    const { e } = testedEntity(test);
    const old = delivery(e, 1, "UPDATED", null, 3 * 24 * HOUR);
    await expect(failingRows(test, new Map([[e.fullName, [old]]]), false)).resolves.toEqual([]);
    const fresh = delivery(e, 1, "UPDATED", null, HOUR);
    await expect(failingRows(test, new Map([[e.fullName, [fresh]]]), false)).resolves.toHaveLength(1);
  }, 60_000);

  it("finds a NULL partitioning column at any age: the test of that column also reads the partition of NULLs", async () => {
    const test = compiled.find((t) => t.testName === "not_null" && testedEntity(t).object === "table" && t.column === partitioningOf(t))!;
    expect(test, "a not_null test on a partitioning column").toBeDefined();
    const { e } = testedEntity(test);
    const old = delivery(e, 1, "UPDATED", new Date(now), 3 * 24 * HOUR);
    setPath(old, test.column!, null);
    await expect(failingRows(test, new Map([[e.fullName, [old]]]), false)).resolves.toHaveLength(1);
  }, 60_000);

  it("warns on unknown enum values and dangling references, and errors on the rest", () => {
    for (const test of compiled) {
      const warns = test.testName === "relationships" || (test.testName === "accepted_values" && test.column !== "operation");
      expect(test.severity, test.uniqueId).toBe(warns ? "warn" : "error");
    }
  });

  it("filters every test on the table on its partitioning column, so BigQuery prunes", () => {
    for (const test of compiled.filter((t) => testedEntity(t).object === "table")) {
      // A relationships test adds the grace period and leaves tombstones out after the window.
      expect(test.where, test.uniqueId).toMatch(new RegExp(`^\\(?\`${partitioningOf(test)}\` >= `));
      expect(test.sql, test.uniqueId).toContain(test.where);
    }
  });
});
