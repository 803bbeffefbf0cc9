/**
 * A plugin run's BigQuery objects in a ZetaSQL catalog, as a deployment would create them, so
 * the SQL in its LookML can be analyzed against them.
 */
import { expect } from "vitest";
import type { BigQueryField } from "../../../plugin/src/emit/bigquery/table-schema.js";
import type { ZetaSqlSession } from "./zetasql.js";

/** Registers a run's tables (from their JSON schemas) and creates its views, as a deployment would. */
export async function registerBigQuery(zeta: ZetaSqlSession, output: ReadonlyMap<string, string>, project: string): Promise<void> {
  const tables = [...output]
    .filter(([name]) => name.startsWith("bigquery/") && name.endsWith(".schema.json"))
    .map(([name, content]) => {
      const [dataset, table] = name.slice("bigquery/".length, -".schema.json".length).split("/");
      return { project, dataset, table, schema: JSON.parse(content) as BigQueryField[] };
    });
  expect(tables.length).toBeGreaterThan(0);
  await zeta.registerTables(tables);
  for (const [name, sql] of output) {
    if (name.startsWith("bigquery/") && /^CREATE OR REPLACE VIEW/m.test(sql)) await zeta.registerView(sql);
  }
}


/** The JSON schema of a run's table (`dataset/table`). */
export function tableSchema(output: ReadonlyMap<string, string>, dataset: string, table: string): BigQueryField[] {
  const text = output.get(`bigquery/${dataset}/${table}.schema.json`);
  if (text === undefined) throw new Error(`no schema for ${dataset}.${table}`);
  return JSON.parse(text) as BigQueryField[];
}
