/**
 * The columns a dbt source documents: every top-level column of the table, and the leaves of
 * non-repeated STRUCTs under their dotted names (`address.city`). dbt's tests run on exactly
 * these; what sits inside a REPEATED column needs UNNEST and stays with the array.
 */
import type { BigQueryMode, BigQueryType, Column, Entity, MetadataColumn } from "../../model/types.js";
import { bareName, joined, sql, typeName, type Sql } from "../../printers/sql.js";

/** Where a documented column comes from. */
export type ColumnOrigin =
  | { readonly kind: "envelope" }
  | { readonly kind: "subscription" }
  /** The STRUCT that holds all entity fields (`nest_under`). */
  | { readonly kind: "nest" }
  /** An entity field, or a part of one's value (a map entry's key, Money's amount). */
  | { readonly kind: "field"; readonly protoField: string };

export interface DocumentedColumn {
  /** Dotted path: `total.amount`. */
  readonly name: string;
  readonly dataType: string;
  readonly description: string;
  readonly mode: BigQueryMode;
  /** The column or one of the STRUCTs it sits in is personal data. */
  readonly pii: boolean;
  readonly policyTag: string | undefined;
  readonly enumValues: readonly string[] | undefined;
  readonly references: string | undefined;
  readonly origin: ColumnOrigin;
}

export function documentedColumns(entity: Entity): DocumentedColumn[] {
  // One array filled in order: no arrays per level to flatten and spread.
  const documentedList: DocumentedColumn[] = [];
  for (const column of entity.columns) walk(column, false, undefined, documentedList);
  for (const column of entity.metadataColumns) documentedList.push(metadataColumn(column));
  return documentedList;
}

/**
 * The subscription's metadata columns are the model's shared objects, the same for every entity:
 * documented once per run, so that what is printed for them can be too (sources.ts).
 */
const documentedMetadata = new WeakMap<MetadataColumn, DocumentedColumn>();

function metadataColumn(column: MetadataColumn): DocumentedColumn {
  let documented = documentedMetadata.get(column);
  if (documented === undefined) {
    documented = describedMetadataColumn(column);
    documentedMetadata.set(column, documented);
  }
  return documented;
}

function walk(column: Column, parentPii: boolean, parentField: string | undefined, out: DocumentedColumn[]): void {
  const pii = parentPii || column.pii;
  const field = column.source.kind === "field" ? column.source.fieldName : parentField;
  const isStruct = column.bigQueryType === "STRUCT" && column.mode !== "REPEATED";
  // Top-level columns are always listed, before what is below them; nested ones only as leaves of non-repeated STRUCTs.
  if (column.path.length === 1 || !isStruct) out.push(documented(column, pii, field));
  if (isStruct) for (const f of column.fields) walk(f, pii, field, out);
}

function documented(column: Column, pii: boolean, protoField: string | undefined): DocumentedColumn {
  return {
    name: column.path.join("."),
    dataType: sqlType(column),
    description: column.description,
    mode: column.mode,
    pii,
    policyTag: column.policyTag,
    enumValues: column.enumValues,
    references: column.references,
    origin: originOf(column, protoField),
  };
}

function originOf(column: Column, protoField: string | undefined): ColumnOrigin {
  switch (column.source.kind) {
    case "envelope":
      return { kind: "envelope" };
    case "field":
      return { kind: "field", protoField: column.source.fieldName };
    case "nest":
      return { kind: "nest" };
    case "synthetic":
      // Map keys and values, Money's parts: always inside the field they come from.
      if (protoField === undefined) throw new Error(`dbt: column ${column.path.join(".")} has no field it comes from`);
      return { kind: "field", protoField };
  }
}

function describedMetadataColumn(column: MetadataColumn): DocumentedColumn {
  return {
    name: column.name,
    dataType: wrapMode(column.bigQueryType, column.mode),
    description: column.description,
    mode: column.mode,
    pii: false,
    policyTag: undefined,
    enumValues: undefined,
    references: undefined,
    origin: { kind: "subscription" },
  };
}

/**
 * The column's type as GoogleSQL writes it (`INT64`, `ARRAY<STRUCT<a STRING>>`): the spelling
 * dbt-bigquery reports for a warehouse column, so a dbt contract compares equal.
 */
export function sqlType(column: Column): string {
  return columnType(column).text;
}

function columnType(column: Column): Sql {
  const base =
    column.bigQueryType === "STRUCT"
      ? sql`STRUCT<${joined(column.fields.map((f) => sql`${bareName(f.name)} ${columnType(f)}`), sql`, `)}>`
      : typeName(column.bigQueryType);
  return withMode(base, column.mode);
}

function wrapMode(type: BigQueryType, mode: BigQueryMode): string {
  return withMode(typeName(type), mode).text;
}

function withMode(type: Sql, mode: BigQueryMode): Sql {
  return mode === "REPEATED" ? sql`ARRAY<${type}>` : type;
}
