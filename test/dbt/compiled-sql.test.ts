/**
 * The tests and freshness checks of the sources files, compiled to SQL the way dbt's built-in
 * generic tests and `dbt source freshness` query BigQuery, and analyzed by ZetaSQL against the
 * generated tables and views: every column resolves, accepted values and relationships compare
 * values of the same type, every filter is valid GoogleSQL. Then run on ZetaSQL's reference
 * engine to show the freshness filter still finds a table that is late.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { compiledTests, freshnessQuery } from "../harness/dbt/compiled-sql.js";
import { allTables, bigQuerySchema, dbtFiles, dbtFilesOnDisk, generatedBigQueryOnDisk, registerSourceObjects, schemaTableOf, type LocatedTable } from "../harness/dbt/dbt.js";

let zetasql: ZetaSqlSession;
let example: LocatedTable[];
let hostile: LocatedTable[];
let hostileOutputs: Map<string, string>;

beforeAll(async () => {
  zetasql = await startZetaSql();
  example = allTables(dbtFilesOnDisk());
  hostileOutputs = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }));
  hostile = allTables(dbtFiles(hostileOutputs));
  await registerSourceObjects(zetasql, example, generatedBigQueryOnDisk());
  await registerSourceObjects(zetasql, hostile, hostileOutputs);
});

afterAll(async () => {
  await zetasql?.stop();
});

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
    const bigquery = generatedBigQueryOnDisk();
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
