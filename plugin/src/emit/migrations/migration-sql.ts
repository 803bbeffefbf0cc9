/**
 * A change set as a migration file: a header saying what changes and how to apply it, then one
 * idempotent ALTER TABLE statement per change. Text from the contracts goes through the BigQuery
 * emitter's quoting, as in the table DDL.
 */
import type { ChangeSet, TableChange } from "../../evolution/evolution.js";
import { qualifiedName } from "../../physical/bigquery-names.js";
import { sqlIdentifier, sqlLineComment, sqlString } from "../../printers/sql-text.js";
import { sqlType, type BigQueryField } from "../../physical/table-schema.js";
import { migrationStem } from "../../physical/artifact-names.js";
import { generatedHeader } from "../../printers/header.js";

/** The first line of every migration file. */
export function migrationHeader(source: string): string {
  return sqlLineComment(generatedHeader(source));
}

/** The migration file without its header line. */
export function migrationBody(changeSet: ChangeSet): string {
  const { entity } = changeSet;
  const stem = migrationStem(changeSet.number, entity);
  const table = qualifiedName(entity.project, entity.dataset, entity.table);
  const steps = [
    ...(changeSet.statements.length > 0 ? [`bq query --use_legacy_sql=false < ${stem}.sql`] : []),
    ...(changeSet.schemaPatch !== undefined ? [`bq update ${entity.project}:${entity.dataset}.${entity.table} ${stem}.schema.json`] : []),
    ...(changeSet.newTopicRevision
      ? [`gcloud pubsub schemas commit ${entity.topic} --type=protocol-buffer --definition-file=../../../pubsub/${entity.topic}.proto`]
      : []),
  ];
  const header = [
    `Migration ${String(changeSet.number).padStart(4, "0")} of dataset ${entity.dataset}: table ${entity.project}.${entity.dataset}.${entity.table} of ${entity.typeName}.`,
    "Changes since the last release:",
    ...changeSet.summary.map((line) => `  - ${line}`),
    "Apply in this order, from this file's directory (the table first, so that it has every column before messages carry the field):",
    ...steps.map((step, i) => `  ${i + 1}. ${step}`),
    "Every statement can run again safely. BigQuery appends added columns at the end of the table.",
  ];
  const statements = changeSet.statements.map((change) => `${statement(table, change)};`);
  return `${header.map(sqlLineComment).join("\n")}\n${statements.join("\n")}${statements.length > 0 ? "\n" : ""}`;
}

function statement(table: string, change: TableChange): string {
  switch (change.kind) {
    case "addColumn":
      return `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${columnDefinition(change.column, "")}`;
    case "setDataType":
      return `ALTER TABLE ${table} ALTER COLUMN ${sqlIdentifier(change.name)} SET DATA TYPE ${sqlType(change.to)}`;
    case "setDescription":
      return `ALTER TABLE ${table} ALTER COLUMN ${sqlIdentifier(change.name)} SET OPTIONS (description=${change.description === "" ? "NULL" : sqlString(change.description)})`;
  }
}

/** `name TYPE OPTIONS(description=...)`, STRUCT fields one per line below `indent`. */
function columnDefinition(field: BigQueryField, indent: string): string {
  const description = field.description ? ` OPTIONS(description=${sqlString(field.description)})` : "";
  return `${sqlIdentifier(field.name)} ${columnType(field, indent)}${description}`;
}

function columnType(field: BigQueryField, indent: string): string {
  const inner = `${indent}  `;
  const element = field.type === "RECORD"
    ? `STRUCT<\n${(field.fields ?? []).map((f) => `${inner}${columnDefinition(f, inner)}`).join(",\n")}\n${indent}>`
    : sqlType(field.type);
  return field.mode === "REPEATED" ? `ARRAY<${element}>` : element;
}
