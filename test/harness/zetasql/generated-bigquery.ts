/**
 * Runs a plugin output's generated/bigquery/ through ZetaSQL the way a deployment would create it:
 * tables from their JSON schemas, then every table's DDL, then the views (each registered, so that
 * later statements could read it), then the freshness views.
 */
import { expect } from "vitest";
import type { BigQueryField } from "../../../plugin/src/physical/table-schema.js";
import { FRESHNESS_VIEW } from "../../../plugin/src/physical/bigquery-names.js";
import type { AnalyzedStatement, CatalogTable, ZetaSqlSession } from "./zetasql.js";

export interface GeneratedBigQuery {
  /** `dataset/table` → JSON schema. */
  readonly schemas: ReadonlyMap<string, BigQueryField[]>;
  /** File name → SQL, per kind. */
  readonly tables: ReadonlyMap<string, string>;
  readonly views: ReadonlyMap<string, string>;
  readonly freshness: ReadonlyMap<string, string>;
  /** The erasure statements (UPDATE, run per request, not part of creating the objects; see test/bigquery/erasure.test.ts). */
  readonly erasures: ReadonlyMap<string, string>;
}

/** Sorts the plugin's bigquery/ files by what they create. */
export function generatedBigQuery(files: ReadonlyMap<string, string>): GeneratedBigQuery {
  const schemas = new Map<string, BigQueryField[]>();
  const tables = new Map<string, string>();
  const views = new Map<string, string>();
  const freshness = new Map<string, string>();
  const erasures = new Map<string, string>();
  for (const [name, content] of files) {
    // Migrations change released tables; test/evolution runs them.
    if (!name.startsWith("bigquery/") || name.includes("/migrations/")) continue;
    if (name.endsWith("_erase_pii.sql")) {
      erasures.set(name, content);
    } else if (name.endsWith(".schema.json")) {
      schemas.set(name.slice("bigquery/".length, -".schema.json".length), JSON.parse(content) as BigQueryField[]);
    } else if (name.endsWith(`/${FRESHNESS_VIEW}.sql`)) {
      freshness.set(name, content);
    } else if (/CREATE OR REPLACE VIEW/.test(content)) {
      views.set(name, content);
    } else {
      tables.set(name, content);
    }
  }
  return { schemas, tables, views, freshness, erasures };
}

export function catalogTables(project: string, generated: GeneratedBigQuery): CatalogTable[] {
  return [...generated.schemas].map(([path, schema]) => {
    const [dataset, table] = path.split("/");
    return { project, dataset, table, schema };
  });
}

/** Every statement, analyzed; fails the test with ZetaSQL's message on the first rejection. */
export async function analyzeAll(
  zetasql: ZetaSqlSession,
  project: string,
  generated: GeneratedBigQuery,
): Promise<Map<string, AnalyzedStatement>> {
  await zetasql.registerTables(catalogTables(project, generated));
  const analyzed = new Map<string, AnalyzedStatement>();
  for (const [name, sql] of generated.tables) analyzed.set(name, await zetasql.analyze(sql));
  for (const [name, sql] of generated.views) analyzed.set(name, await zetasql.registerView(sql));
  for (const [name, sql] of generated.freshness) analyzed.set(name, await zetasql.registerView(sql));
  expect(analyzed.size).toBe(generated.tables.size + generated.views.size + generated.freshness.size);
  return analyzed;
}

/**
 * Registers a run's tables (from their JSON schemas) and creates its views, as a deployment would,
 * so that SQL written against them (LookML's) can be analyzed.
 */
export async function registerBigQuery(zetasql: ZetaSqlSession, files: ReadonlyMap<string, string>, project: string): Promise<void> {
  const generated = generatedBigQuery(files);
  expect(generated.schemas.size).toBeGreaterThan(0);
  await zetasql.registerTables(catalogTables(project, generated));
  for (const sql of [...generated.views.values(), ...generated.freshness.values()]) await zetasql.registerView(sql);
}

/** The JSON schema of a run's table (`dataset/table`). */
export function tableSchema(files: ReadonlyMap<string, string>, dataset: string, table: string): BigQueryField[] {
  const schema = generatedBigQuery(files).schemas.get(`${dataset}/${table}`);
  if (schema === undefined) throw new Error(`no schema for ${dataset}.${table}`);
  return schema;
}
