/** The rules a BigQuery table schema must meet on its own (reference §3), whatever the topic. */
import type { BigQueryField } from "../physical/table-schema.js";
import { canonicalColumnType } from "./column-types.js";
import type { CompatFinding } from "./findings.js";
import { invalidNameReason } from "./names.js";

export const MAX_RECORD_NESTING = 15;
export const MAX_COLUMNS = 10_000;

export function checkTable(table: readonly BigQueryField[]): CompatFinding[] {
  const findings: CompatFinding[] = [];
  checkColumns(table, "", 0, findings);
  const count = countColumns(table);
  if (count > MAX_COLUMNS) {
    findings.push({ path: "", rule: "column-count", message: `the table has ${count} columns (nested ones included); BigQuery allows ${MAX_COLUMNS}.` });
  }
  return findings;
}

/**
 * `recordDepth` is how many RECORD columns enclose these columns; `parent` is their dotted path
 * ("" at the top), put together with a column's name only for a finding or a RECORD's fields.
 */
function checkColumns(columns: readonly BigQueryField[], parent: string, recordDepth: number, findings: CompatFinding[]): void {
  const seen = new Map<string, string>();
  for (const column of columns) {
    const invalid = invalidNameReason(column.name);
    if (invalid !== undefined) findings.push({ path: pathOf(parent, column.name), rule: "invalid-name", message: `column name "${column.name}" is not valid in BigQuery: ${invalid}.` });
    const lower = column.name.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier !== undefined) {
      findings.push({ path: pathOf(parent, column.name), rule: "name-collision", message: `column "${column.name}" collides with column "${earlier}"; BigQuery compares column names ignoring case.` });
    }
    seen.set(lower, column.name);
    checkColumnType(column, parent, recordDepth, findings);
  }
}

function pathOf(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

function checkColumnType(column: BigQueryField, parent: string, recordDepth: number, findings: CompatFinding[]): void {
  const type = canonicalColumnType(column.type);
  if (type === undefined) {
    findings.push({ path: pathOf(parent, column.name), rule: "unknown-column-type", message: `"${column.type}" is not a BigQuery column type.` });
    return;
  }
  if (type !== "RECORD") return;
  const path = pathOf(parent, column.name);
  const fields = column.fields ?? [];
  if (recordDepth + 1 > MAX_RECORD_NESTING) {
    findings.push({ path, rule: "nesting-depth", message: `this RECORD is nested ${recordDepth + 1} levels deep; BigQuery allows ${MAX_RECORD_NESTING}.` });
    return;
  }
  if (fields.length === 0) {
    findings.push({ path, rule: "empty-record", message: "a RECORD column needs at least one field." });
    return;
  }
  checkColumns(fields, path, recordDepth + 1, findings);
}

function countColumns(columns: readonly BigQueryField[]): number {
  let count = columns.length;
  for (const column of columns) if (column.fields !== undefined) count += countColumns(column.fields);
  return count;
}
