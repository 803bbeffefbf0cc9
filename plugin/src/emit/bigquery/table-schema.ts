/**
 * The BigQuery table of an entity as a JSON schema (the format of `bq mk --schema`, the API and
 * Terraform). The DDL, the compatibility check and the tests all start from this one shape.
 */
import type { BigQueryMode, BigQueryType, Column, Entity, MetadataColumn } from "../../model/types.js";

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

/** Every column of the entity's table: the topic's columns, then the subscription's metadata. */
export function tableSchema(entity: Entity): BigQueryField[] {
  return [...entity.columns.map(columnField), ...entity.metadataColumns.map(metadataField)];
}

function columnField(column: Column): BigQueryField {
  return {
    name: column.name,
    type: jsonType(column.bigQueryType),
    mode: column.mode,
    ...(column.description !== "" ? { description: column.description } : {}),
    ...(column.fields.length > 0 ? { fields: column.fields.map(columnField) } : {}),
    ...(column.policyTag !== undefined ? { policyTags: { names: [column.policyTag] } } : {}),
  };
}

function metadataField(column: MetadataColumn): BigQueryField {
  return { name: column.name, type: jsonType(column.bigQueryType), mode: column.mode, description: column.description };
}
