/**
 * The BigQuery table of an entity as a JSON schema (the format of `bq mk --schema`, the API and
 * Terraform). The DDL, the compatibility check and the tests all start from this one shape.
 */
import type { BigQueryMode, BigQueryType, Column, Entity, MetadataColumn } from "../model/types.js";

/** A field of a BigQuery JSON schema. */
export interface BigQueryField {
  readonly name: string;
  readonly type: BigQueryJsonType;
  readonly mode: BigQueryMode;
  readonly description?: string;
  readonly fields?: readonly BigQueryField[];
  readonly policyTags?: { readonly names: readonly string[] };
}

/**
 * Type names as the BigQuery API returns them (INTEGER, FLOAT, BOOLEAN, RECORD): Terraform
 * compares the schema it is given with what the API reports, so other spellings show as diffs.
 */
export type BigQueryJsonType =
  | "STRING"
  | "BYTES"
  | "INTEGER"
  | "FLOAT"
  | "NUMERIC"
  | "BIGNUMERIC"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "DATE"
  | "TIME"
  | "DATETIME"
  | "JSON"
  | "RECORD";

const JSON_TYPES: Record<BigQueryType, BigQueryJsonType> = {
  STRING: "STRING",
  BYTES: "BYTES",
  INT64: "INTEGER",
  FLOAT64: "FLOAT",
  NUMERIC: "NUMERIC",
  BIGNUMERIC: "BIGNUMERIC",
  BOOL: "BOOLEAN",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  TIME: "TIME",
  DATETIME: "DATETIME",
  JSON: "JSON",
  STRUCT: "RECORD",
};

export function jsonType(type: BigQueryType): BigQueryJsonType {
  return JSON_TYPES[type];
}

const SQL_TYPES = new Map(Object.entries(JSON_TYPES).map(([sql, json]) => [json, sql as BigQueryType]));

/** The GoogleSQL type of a JSON schema type (INTEGER → INT64, RECORD → STRUCT). */
export function sqlType(type: BigQueryJsonType): BigQueryType {
  const sql = SQL_TYPES.get(type);
  if (sql === undefined) throw new Error(`unknown BigQuery JSON schema type ${type}`);
  return sql;
}

/**
 * Every column of the entity's table: the topic's columns, the columns of removed fields that the
 * table keeps (`retired`, each at the end of its level), then the subscription's metadata.
 */
export function tableSchema(entity: Entity, retired: readonly RetiredColumn[] = []): readonly BigQueryField[] {
  if (retired.length > 0) return buildTableSchema(entity, retired);
  // Several emitters read it, each for one entity's files after another's (BigQuery's table, its
  // JSON schema, the latest state's three files), so the last entity's is kept. Keeping every
  // entity's (a WeakMap on the model's entities, which live to the end of the run) held ~70,000
  // fields from the Pub/Sub check to the catalog: ~5 MB of the live heap while everything renders.
  if (lastSchema?.entity !== entity) lastSchema = { entity, schema: buildTableSchema(entity, []) };
  return lastSchema.schema;
}

let lastSchema: { readonly entity: Entity; readonly schema: readonly BigQueryField[] } | undefined;

function buildTableSchema(entity: Entity, retiredColumns: readonly RetiredColumn[]): readonly BigQueryField[] {
  const retired = retiredByParent(retiredColumns);
  const fields: BigQueryField[] = [];
  for (const column of entity.columns) fields.push(columnField(column, retired));
  const retiredTop = retired.get("");
  if (retiredTop !== undefined) fields.push(...retiredTop);
  for (const column of entity.metadataColumns) fields.push(metadataField(column));
  return fields;
}

type RetiredByParent = ReadonlyMap<string, readonly BigQueryField[]>;

/** A mutable field while it is made; its keys are set in the order the JSON schema prints them. */
type FieldUnderConstruction = { -readonly [K in keyof BigQueryField]: BigQueryField[K] };

function columnField(column: Column, retired: RetiredByParent): BigQueryField {
  const field: FieldUnderConstruction = { name: column.name, type: jsonType(column.bigQueryType), mode: column.mode };
  if (column.description !== "") field.description = column.description;
  // The path is joined only when a level has retired columns at all (none without a lock).
  const retiredHere = retired.size === 0 ? undefined : retired.get(column.path.join("."));
  if (column.fields.length > 0 || retiredHere !== undefined) {
    const fields: BigQueryField[] = [];
    for (const inner of column.fields) fields.push(columnField(inner, retired));
    if (retiredHere !== undefined) fields.push(...retiredHere);
    if (fields.length > 0) field.fields = fields;
  }
  if (column.policyTag !== undefined) field.policyTags = { names: [column.policyTag] };
  return field;
}

/** Retired columns as JSON schema fields, grouped by the path of the level they belong to. */
function retiredByParent(columns: readonly RetiredColumn[]): RetiredByParent {
  const groups = new Map<string, BigQueryField[]>();
  for (const column of columns) {
    const parent = column.path.slice(0, -1).join(".");
    groups.set(parent, [...(groups.get(parent) ?? []), retiredField(column)]);
  }
  return groups;
}

function retiredField(column: RetiredColumn): BigQueryField {
  return {
    name: column.name,
    type: jsonType(column.bigQueryType),
    mode: column.mode,
    ...(column.description !== "" ? { description: column.description } : {}),
    ...(column.fields.length > 0 ? { fields: column.fields.map(retiredField) } : {}),
    ...(column.policyTag !== undefined ? { policyTags: { names: [column.policyTag] } } : {}),
  };
}

function metadataField(column: MetadataColumn): BigQueryField {
  return { name: column.name, type: jsonType(column.bigQueryType), mode: column.mode, description: column.description };
}

/**
 * A column the table keeps after its field left the contract: BigQuery cannot drop a column
 * without losing the rows written before, and the subscription ignores a NULLABLE column that
 * the topic schema does not fill. Only the table's schema has it; emitters of the topic, the
 * event classes, LookML and dbt go by the model's `columns` and never see it. The evolution stage
 * finds them (plugin option `lock=`).
 */
export interface RetiredColumn {
  readonly name: string;
  /** Names from the top-level column down to this one: a retired field of a STRUCT column has its parent's path first. */
  readonly path: readonly string[];
  readonly bigQueryType: BigQueryType;
  readonly mode: BigQueryMode;
  /** Says that the field was removed, then what the column held. */
  readonly description: string;
  readonly policyTag: string | undefined;
  /** A retired STRUCT keeps all its fields. */
  readonly fields: readonly RetiredColumn[];
}
