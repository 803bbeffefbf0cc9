/**
 * Helpers of the BigQuery suites: comparing what ZetaSQL read from the DDL with the JSON schema,
 * BigQuery's label rules, and the query inside a generated CREATE VIEW.
 */
import { expect } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import type { AnalyzedColumn } from "../harness/zetasql/zetasql.js";

/** JSON schema type names (as the API reports them) → GoogleSQL type names. */
const SQL_TYPES: Readonly<Record<string, string>> = {
  INTEGER: "INT64",
  FLOAT: "FLOAT64",
  BOOLEAN: "BOOL",
  RECORD: "STRUCT",
};

/** The columns ZetaSQL resolved from CREATE TABLE, in the shape of a JSON schema, for toEqual. */
export function asSchema(columns: readonly AnalyzedColumn[]): unknown[] {
  return columns.map((c) => ({
    name: c.name,
    type: c.kind,
    mode: c.mode,
    description: c.description,
    fields: c.fields.length > 0 ? asSchema(c.fields) : undefined,
  }));
}

/** A JSON schema in the same shape (policy tags left out: DDL cannot carry them). */
export function schemaShape(fields: readonly BigQueryField[]): unknown[] {
  return fields.map((f) => ({
    name: f.name,
    type: SQL_TYPES[f.type] ?? f.type,
    mode: f.mode,
    description: f.description,
    fields: f.fields !== undefined ? schemaShape(f.fields) : undefined,
  }));
}

/** BigQuery's label rules (reference §3): keys 1–63, values 0–63 of [a-z0-9_-], keys start with a letter. */
export function expectValidLabels(labels: unknown): void {
  expect(Array.isArray(labels)).toBe(true);
  const pairs = labels as [string, string][];
  expect(pairs.length).toBeLessThanOrEqual(64);
  for (const [key, value] of pairs) {
    expect(key).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
    expect(value).toMatch(/^[a-z0-9_-]{0,63}$/);
  }
}

/** The query of a generated `CREATE OR REPLACE VIEW ... AS <query>;`. */
export function viewQuery(createView: string): string {
  const start = createView.indexOf("\nAS\n");
  expect(start).toBeGreaterThan(0);
  return createView.slice(start + "\nAS\n".length).replace(/;\s*$/, "");
}

export const HOUR_MS = 3_600_000;

/**
 * A small domain for the read relations (docs/warehouse-reads.md): a table that requires a
 * partition filter (a latest-state table and its MERGE), an append-only entity, a plain one.
 */
export const SHOP = `syntax = "proto3";

package shop.v1;

import "entity/v1/options.proto";

enum OrderState {
  ORDER_STATE_UNSPECIFIED = 0;
  ORDER_STATE_OPEN = 1;
  ORDER_STATE_PAID = 2;
}

// Many orders: the table requires a partition filter, so its latest state is a table kept by a MERGE.
message Order {
  option (entity.v1.entity) = {
    partitioning: {granularity: GRANULARITY_DAY, require_partition_filter: true}
    freshness: {warn_after: "1h"}
  };
  string id = 1;
  OrderState state = 2;
  int64 total_cents = 3;
}

// Immutable facts: no latest state.
message Click {
  option (entity.v1.entity) = {
    append_only: true
    freshness: {error_after: "2h"}
  };
  string id = 1;
  string page = 2;
}

// A small table: views over all rows.
message Customer {
  option (entity.v1.entity) = {};
  string id = 1;
  string name = 2;
  OrderState favourite_state = 3;
}
`;
