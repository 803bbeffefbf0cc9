/**
 * A change set as a migration file: a header saying what changes and how to apply it, then one
 * idempotent ALTER TABLE statement per change. Printed with the typed SQL printer, and columns with
 * the same definition as the table DDL.
 */
import type { ChangeSet, TableChange } from "../../evolution/evolution.js";
import { sqlType } from "../../physical/table-schema.js";
import { columnDefinition } from "../../physical/column-definition.js";
import { identifier, joined, lineComment, qualifiedName, sql, stringLiteral, typeName, type Sql } from "../../printers/sql.js";
import { migrationStem } from "../../physical/artifact-names.js";
import { generatedHeader } from "../../printers/header.js";

/** The first line of every migration file. */
export function migrationHeader(source: string): string {
  return lineComment(generatedHeader(source)).text;
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
  const statements = changeSet.statements.map((change) => sql`${statement(table, change)};\n`);
  return sql`${joined(header.map(lineComment))}\n${joined(statements, sql``)}`.text;
}

function statement(table: Sql, change: TableChange): Sql {
  switch (change.kind) {
    case "addColumn":
      return sql`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${columnDefinition(change.column, 0)}`;
    case "setDataType":
      return sql`ALTER TABLE ${table} ALTER COLUMN ${identifier(change.name)} SET DATA TYPE ${typeName(sqlType(change.to))}`;
    case "setDescription":
      return sql`ALTER TABLE ${table} ALTER COLUMN ${identifier(change.name)} SET OPTIONS (description=${change.description === "" ? sql`NULL` : stringLiteral(change.description)})`;
  }
}
