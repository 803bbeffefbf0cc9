/**
 * CREATE TABLE for an entity's table: the topic's columns with their descriptions (nested ones
 * included, as STRUCT field options), the subscription's metadata columns, partitioning,
 * clustering, the table description and labels.
 */
import type { Column, Entity, Partitioning } from "../../model/types.js";
import { bigQueryNames, qualifiedName } from "../../physical/bigquery-names.js";
import { sqlType, type BigQueryField } from "../../physical/table-schema.js";
import { entityLabels, tableDescription } from "../../physical/table-metadata.js";
import { labelsLiteral, optionsClause, sqlIdentifier, sqlLineComment, sqlString } from "../../printers/sql-text.js";

/** Written from the JSON schema, so that the DDL and `bq mk --schema` create the same table. */
export function createTableStatement(entity: Entity, table: readonly BigQueryField[]): string {
  const names = bigQueryNames(entity);
  const columns = table.map((field) => `  ${columnDefinition(field, "  ")}`);
  const clauses = [
    ...policyTagNote(entity),
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(entity.project, entity.dataset, names.table)} (\n${columns.join(",\n")}\n)`,
    `PARTITION BY ${partitionExpression(entity.partitioning)}`,
    ...(entity.clustering.length > 0 ? [`CLUSTER BY ${entity.clustering.map(sqlIdentifier).join(", ")}`] : []),
    optionsClause(tableOptions(entity)),
  ];
  return `${clauses.join("\n")};\n`;
}

/** Where the policy tags went: DDL cannot set them, the JSON schema carries them. */
function policyTagNote(entity: Entity): string[] {
  const tagged = taggedPaths(entity.columns);
  if (tagged.length === 0) return [];
  const table = bigQueryNames(entity).table;
  return [
    sqlLineComment(
      `Policy tags cannot be set in DDL: \`bq update ${entity.project}:${entity.dataset}.${table} ${table}.schema.json\` tags ${tagged.join(", ")}.`,
    ),
  ];
}

function taggedPaths(columns: readonly Column[]): string[] {
  return columns.flatMap((c) => [...(c.policyTag !== undefined ? [c.path.join(".")] : []), ...taggedPaths(c.fields)]);
}

function tableOptions(entity: Entity): [string, string][] {
  const { partitioning } = entity;
  return [
    ["description", sqlString(tableDescription(entity))],
    ["labels", labelsLiteral(entityLabels(entity))],
    ...(partitioning.expirationDays !== undefined
      ? [["partition_expiration_days", String(partitioning.expirationDays)] as [string, string]]
      : []),
    ...(partitioning.requirePartitionFilter ? [["require_partition_filter", "true"] as [string, string]] : []),
  ];
}

/** The partitioning expression BigQuery accepts for the column's type and the granularity. */
export function partitionExpression({ column, columnType, granularity }: Partitioning): string {
  const name = sqlIdentifier(column);
  switch (columnType) {
    case "TIMESTAMP":
      return `TIMESTAMP_TRUNC(${name}, ${granularity})`;
    case "DATETIME":
      return `DATETIME_TRUNC(${name}, ${granularity})`;
    case "DATE":
      if (granularity === "HOUR") throw new Error(`partitioning column ${column} is a DATE and cannot be partitioned by HOUR`);
      return granularity === "DAY" ? name : `DATE_TRUNC(${name}, ${granularity})`;
  }
}

/** `name TYPE OPTIONS(description=...)`; `indent` is the indentation of the line it starts on. */
function columnDefinition(field: BigQueryField, indent: string): string {
  const description = field.description ? ` OPTIONS(description=${sqlString(field.description)})` : "";
  return `${sqlIdentifier(field.name)} ${columnType(field, indent)}${description}`;
}

function columnType(field: BigQueryField, indent: string): string {
  const element = field.type === "RECORD" ? structType(field.fields ?? [], indent) : sqlType(field.type);
  return field.mode === "REPEATED" ? `ARRAY<${element}>` : element;
}

function structType(fields: readonly BigQueryField[], indent: string): string {
  const inner = `${indent}  `;
  return `STRUCT<\n${fields.map((f) => `${inner}${columnDefinition(f, inner)}`).join(",\n")}\n${indent}>`;
}
