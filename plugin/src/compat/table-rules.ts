/** The rules a BigQuery table schema must meet on its own (reference §3), whatever the topic. */
import type { BigQueryField } from "../physical/table-schema.js";
import { canonicalColumnType } from "./column-types.js";
import type { CompatFinding } from "./findings.js";
import { invalidNameReason } from "./names.js";

export const MAX_RECORD_NESTING = 15;
export const MAX_COLUMNS = 10_000;

export function checkTable(table: readonly BigQueryField[]): CompatFinding[] {
  const findings: CompatFinding[] = [];
  checkColumns(table, [], 0, findings);
  const count = countColumns(table);
  if (count > MAX_COLUMNS) {
    findings.push({ path: "", rule: "column-count", message: `the table has ${count} columns (nested ones included); BigQuery allows ${MAX_COLUMNS}.` });
  }
  return findings;
}

/** `recordDepth` is how many RECORD columns enclose these columns. */
function checkColumns(columns: readonly BigQueryField[], parent: readonly string[], recordDepth: number, findings: CompatFinding[]): void {
  const seen = new Map<string, string>();
  for (const column of columns) {
    const parts = [...parent, column.name];
    const path = parts.join(".");
    const invalid = invalidNameReason(column.name);
    if (invalid !== undefined) findings.push({ path, rule: "invalid-name", message: `column name "${column.name}" is not valid in BigQuery: ${invalid}.` });
    const earlier = seen.get(column.name.toLowerCase());
    if (earlier !== undefined) {
      findings.push({ path, rule: "name-collision", message: `column "${column.name}" collides with column "${earlier}"; BigQuery compares column names ignoring case.` });
    }
    seen.set(column.name.toLowerCase(), column.name);
    checkColumnType(column, parts, recordDepth, findings);
  }
}

function checkColumnType(column: BigQueryField, parts: readonly string[], recordDepth: number, findings: CompatFinding[]): void {
  const path = parts.join(".");
  const type = canonicalColumnType(column.type);
  const fields = column.fields ?? [];
  if (type === undefined) {
    findings.push({ path, rule: "unknown-column-type", message: `"${column.type}" is not a BigQuery column type.` });
    return;
  }
  if (type !== "RECORD") return;
  if (recordDepth + 1 > MAX_RECORD_NESTING) {
    findings.push({ path, rule: "nesting-depth", message: `this RECORD is nested ${recordDepth + 1} levels deep; BigQuery allows ${MAX_RECORD_NESTING}.` });
    return;
  }
  if (fields.length === 0) {
    findings.push({ path, rule: "empty-record", message: "a RECORD column needs at least one field." });
    return;
  }
  checkColumns(fields, parts, recordDepth + 1, findings);
}

function countColumns(columns: readonly BigQueryField[]): number {
  return columns.reduce((n, c) => n + 1 + countColumns(c.fields ?? []), 0);
}
