/**
 * A column as GoogleSQL DDL spells it (`name TYPE OPTIONS(description=...)`, STRUCT fields one per
 * line): CREATE TABLE and the migrations' ADD COLUMN print the same columns the same way.
 */
import { sqlType, type BigQueryField } from "./table-schema.js";
import { identifier, joined, spaces, sql, stringLiteral, typeName, type Sql } from "../printers/sql.js";

const NO_OPTIONS = sql``;

/** `depth` is the indentation (in spaces) of the line the definition starts on. */
export function columnDefinition(field: BigQueryField, depth: number): Sql {
  const description = field.description ? sql` OPTIONS(description=${stringLiteral(field.description)})` : NO_OPTIONS;
  return sql`${identifier(field.name)} ${columnType(field, depth)}${description}`;
}

function columnType(field: BigQueryField, depth: number): Sql {
  const element = field.type === "RECORD" ? structType(field.fields ?? [], depth) : typeName(sqlType(field.type));
  return field.mode === "REPEATED" ? sql`ARRAY<${element}>` : element;
}

function structType(fields: readonly BigQueryField[], depth: number): Sql {
  const inner = depth + 2;
  // One indentation per level, not per field.
  const indent = spaces(inner);
  const lines = fields.map((f) => sql`${indent}${columnDefinition(f, inner)}`);
  return sql`STRUCT<\n${joined(lines, FIELD_SEPARATOR)}\n${spaces(depth)}>`;
}

const FIELD_SEPARATOR = sql`,\n`;
