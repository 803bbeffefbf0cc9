/**
 * CREATE TABLE for an entity's table: the topic's columns with their descriptions (nested ones
 * included, as STRUCT field options), the subscription's metadata columns, partitioning,
 * clustering, the table description and labels.
 */
import type { Column, Entity, Partitioning } from "../../model/types.js";
import { bigQueryNames } from "../../physical/bigquery-names.js";
import type { BigQueryField } from "../../physical/table-schema.js";
import { columnDefinition } from "../../physical/column-definition.js";
import { entityLabels, tableDescription } from "../../physical/table-metadata.js";
import { datePart, identifier, integer, joined, labels, lineComment, options, qualifiedName, sql, stringLiteral, type OptionName, type Sql } from "../../printers/sql.js";

/** Written from the JSON schema, so that the DDL and `bq mk --schema` create the same table. */
export function createTableStatement(entity: Entity, table: readonly BigQueryField[]): string {
  const names = bigQueryNames(entity);
  const columns = table.map((field) => sql`  ${columnDefinition(field, 2)}`);
  const clauses = [
    ...policyTagNote(entity),
    sql`CREATE TABLE IF NOT EXISTS ${qualifiedName(entity.project, entity.dataset, names.table)} (\n${joined(columns, sql`,\n`)}\n)`,
    sql`PARTITION BY ${partitionExpression(entity.partitioning)}`,
    ...(entity.clustering.length > 0 ? [sql`CLUSTER BY ${joined(entity.clustering.map(identifier), sql`, `)}`] : []),
    options(tableOptions(entity)),
  ];
  return sql`${joined(clauses)};\n`.text;
}

/** Where the policy tags went: DDL cannot set them, the JSON schema carries them. */
function policyTagNote(entity: Entity): Sql[] {
  const tagged = taggedPaths(entity.columns);
  if (tagged.length === 0) return [];
  const table = bigQueryNames(entity).table;
  return [
    lineComment(
      `Policy tags cannot be set in DDL: \`bq update ${entity.project}:${entity.dataset}.${table} ${table}.schema.json\` tags ${tagged.join(", ")}.`,
    ),
  ];
}

/** Dotted paths of the columns with a policy tag, parents before their fields. */
function taggedPaths(columns: readonly Column[], into: string[] = []): string[] {
  for (const column of columns) {
    if (column.policyTag !== undefined) into.push(column.path.join("."));
    taggedPaths(column.fields, into);
  }
  return into;
}

function tableOptions(entity: Entity): [OptionName, Sql][] {
  const { partitioning } = entity;
  return [
    ["description", stringLiteral(tableDescription(entity))],
    ["labels", labels(entityLabels(entity))],
    ...(partitioning.expirationDays !== undefined
      ? [["partition_expiration_days", integer(partitioning.expirationDays)] as [OptionName, Sql]]
      : []),
    ...(partitioning.requirePartitionFilter ? [["require_partition_filter", sql`true`] as [OptionName, Sql]] : []),
  ];
}

/** The partitioning expression BigQuery accepts for the column's type and the granularity. */
function partitionExpression({ column, columnType, granularity }: Partitioning): Sql {
  const name = identifier(column);
  const part = datePart(granularity);
  switch (columnType) {
    case "TIMESTAMP":
      return sql`TIMESTAMP_TRUNC(${name}, ${part})`;
    case "DATETIME":
      return sql`DATETIME_TRUNC(${name}, ${part})`;
    case "DATE":
      if (granularity === "HOUR") throw new Error(`partitioning column ${column} is a DATE and cannot be partitioned by HOUR`);
      return granularity === "DAY" ? name : sql`DATE_TRUNC(${name}, ${part})`;
  }
}
