/**
 * The tests and freshness checks of the sources files, compiled to SQL the way dbt's built-in
 * generic tests and `dbt source freshness` query BigQuery, and analyzed by ZetaSQL against the
 * generated tables and views: every column resolves, accepted values and relationships compare
 * values of the same type, every filter is valid GoogleSQL. Then run on ZetaSQL's reference
 * engine to show the freshness filter still finds a table that is late.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos, runPlugin } from "../support/protos.js";
import { startZetaSql, type ZetaSqlSession } from "../support/zetasql.js";
import {
  allTables,
  bigQuerySchema,
  dbtFiles,
  dbtFilesOnDisk,
  GENERATED,
  schemaTableOf,
  registerRawTables,
  testParts,
  type DbtSource,
  type DbtTable,
  type DbtTest,
  type LocatedTable,
} from "./support.js";

let zetasql: ZetaSqlSession;
let example: LocatedTable[];
let hostile: LocatedTable[];
let hostileOutputs: Map<string, string>;

beforeAll(async () => {
  zetasql = await startZetaSql();
  example = allTables(dbtFilesOnDisk());
  hostileOutputs = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }));
  hostile = allTables(dbtFiles(hostileOutputs));
  await registerObjects(example, readGeneratedBigQuery());
  await registerObjects(hostile, hostileOutputs);
});

afterAll(async () => {
  await zetasql?.stop();
});

/** generated/bigquery as committed, by name relative to generated/. */
function readGeneratedBigQuery(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dataset of readdirSync(join(GENERATED, "bigquery"))) {
    for (const file of readdirSync(join(GENERATED, "bigquery", dataset))) {
      files.set(`bigquery/${dataset}/${file}`, readFileSync(join(GENERATED, "bigquery", dataset, file), "utf8"));
    }
  }
  return files;
}

/** The tables from their JSON schemas, then the entity views from their CREATE VIEW statements. */
async function registerObjects(tables: readonly LocatedTable[], bigquery: ReadonlyMap<string, string>): Promise<void> {
  await registerRawTables(zetasql, tables, bigquery);
  for (const { source, table } of tables.filter(({ table }) => ["events_view", "latest_view"].includes(table.config.meta.object))) {
    const sql = bigquery.get(`bigquery/${source.schema}/${table.identifier}.sql`);
    expect(sql, `generated view ${table.identifier}`).toBeDefined();
    await zetasql.registerView(sql!);
  }
}

/** `{{ source(...) }}` as dbt-bigquery renders it. */
function relation(source: DbtSource, table: DbtTable): string {
  return `\`${source.database}.${source.schema}.${table.identifier ?? table.name}\``;
}

/** A test's relation: with `config.where`, dbt wraps it in a filtered subquery. */
function testedRelation(source: DbtSource, table: DbtTable, where: unknown): string {
  return typeof where === "string" ? `(select * from ${relation(source, table)} where ${where}) dbt_subquery` : relation(source, table);
}

function resolveSource(all: readonly LocatedTable[], to: string): LocatedTable {
  const match = /^source\('([^']+)', '([^']+)'\)$/.exec(to);
  expect(match, `relationships to: ${to}`).not.toBeNull();
  const found = all.find(({ source, table }) => source.name === match![1] && table.name === match![2]);
  expect(found, `${to} is a table of a generated source`).toBeDefined();
  return found!;
}

/** The query dbt runs for a generic test (the same shape as dbt's built-in test macros). */
function compileTest(all: readonly LocatedTable[], { source, table }: LocatedTable, column: string, test: DbtTest): string {
  const { name, args, config } = testParts(test);
  const model = testedRelation(source, table, config.where);
  switch (name) {
    case "not_null":
      return `select ${column} from ${model} where ${column} is null`;
    case "unique":
      return `select ${column} as unique_field, count(*) as n_records from ${model} where ${column} is not null group by ${column} having count(*) > 1`;
    case "accepted_values": {
      const values = (args.values as string[]).map((v) => `'${v}'`).join(", ");
      return (
        `with all_values as (select ${column} as value_field, count(*) as n_records from ${model} group by ${column}) ` +
        `select * from all_values where value_field not in (${values})`
      );
    }
    case "relationships": {
      const parent = resolveSource(all, args.to as string);
      return (
        `with child as (select ${column} as from_field from ${model} where ${column} is not null), ` +
        `parent as (select ${args.field as string} as to_field from ${relation(parent.source, parent.table)}) ` +
        `select from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null`
      );
    }
    default:
      throw new Error(`unexpected test ${name}`);
  }
}

/** The query of `dbt source freshness` for a table. */
function freshnessQuery({ source, table }: LocatedTable): string {
  const filter = table.config.freshness?.filter;
  return (
    `select max(${source.config.loaded_at_field}) as max_loaded_at, current_timestamp() as snapshotted_at ` +
    `from ${relation(source, table)}${filter === undefined ? "" : ` where ${filter}`}`
  );
}

function compiledTests(all: readonly LocatedTable[]): { label: string; sql: string }[] {
  return all.flatMap((located) =>
    (located.table.columns ?? []).flatMap((column) =>
      (column.data_tests ?? []).map((test) => ({
        label: `${located.table.name}.${column.name} ${testParts(test).name}`,
        sql: compileTest(all, located, column.name, test),
      })),
    ),
  );
}

describe.each([
  ["example domain", () => example],
  ["hostile entity", () => hostile],
])("%s", (_, tables) => {
  it("every data test compiles to SQL that ZetaSQL accepts", async () => {
    const compiled = compiledTests(tables());
    expect(compiled.length).toBeGreaterThan(0);
    for (const { label, sql } of compiled) {
      await expect(zetasql.analyze(sql), label).resolves.toMatchObject({ kind: "query" });
    }
  });

  it("every freshness query compiles to SQL that ZetaSQL accepts", async () => {
    const checked = tables().filter(({ table }) => table.config.freshness);
    for (const located of checked) {
      await expect(zetasql.analyze(freshnessQuery(located)), located.table.name).resolves.toMatchObject({ kind: "query" });
    }
  });
});

describe("the freshness filter", () => {
  it("still finds the last event of a table that has been silent longer than its error threshold", async () => {
    const bigquery = readGeneratedBigQuery();
    const checked = example.filter(({ table }) => table.config.freshness);
    expect(checked.length).toBeGreaterThan(0);
    for (const located of checked) {
      const { source, table } = located;
      const freshness = table.config.freshness!;
      const longest = Math.max(...[freshness.warn_after, freshness.error_after].flatMap((t) => (t ? [seconds(t)] : [])));
      const lastEvent = new Date(Date.now() - (longest + 600) * 1000);
      const schema = bigQuerySchema(source.schema, schemaTableOf(table), bigquery);
      const row = Object.fromEntries(schema.filter((f) => f.type === "TIMESTAMP" && f.mode !== "REPEATED").map((f) => [f.name, lastEvent]));
      const name = `${source.database}.${source.schema}.${table.identifier}`;
      const rows = await zetasql.evaluate(freshnessQuery(located), [{ name, schema: schema as never, rows: [row] }]);
      expect(rows[0].max_loaded_at, `${table.name}: ${freshness.filter}`).toEqual(lastEvent);
    }
  });
});

function seconds({ count, period }: { count: number; period: string }): number {
  return count * { minute: 60, hour: 3600, day: 86400 }[period as "minute" | "hour" | "day"];
}
