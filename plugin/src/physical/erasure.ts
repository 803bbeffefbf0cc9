/**
 * The erasure statement of an entity: one UPDATE that sets every personal-data column of one id to
 * NULL (an empty array for a repeated one) in every row of the table, so that the data is gone
 * from the table and from both views, which read it. Everything else in those rows stays: the
 * history of the entity, its non-personal fields and the envelope.
 *
 * Rows the subscription wrote in the last half hour may still be in BigQuery's streaming buffer,
 * which DML cannot change (BigQuery fails the whole statement); the statement leaves them alone so
 * that it always succeeds, and is run again once they have left the buffer.
 */
import type { Column, Entity } from "../model/types.js";
import { bigQueryNames } from "./bigquery-names.js";
import { identifier, integer, joined, lineComment, path, qualifiedName, sql, type Sql } from "../printers/sql.js";

/** How long rows may stay in the streaming buffer, where DML cannot reach them. */
export const STREAMING_BUFFER_MINUTES = 30;

/** Whether the entity has an erasure statement: some column, at any depth, holds personal data. */
export function holdsPersonalData(entity: Entity): boolean {
  return entity.columns.some(holdsPii);
}

/** The statement of an entity that holds personal data (holdsPersonalData). */
export function erasureStatement(entity: Entity): string {
  const assignments = entity.columns.flatMap((c) => erasures(c, []));
  if (assignments.length === 0) throw new Error(`internal error: ${entity.typeName} holds no personal data to erase`);
  const id = path(entity.idColumn.path);
  const table = qualifiedName(entity.project, entity.dataset, bigQueryNames(entity).table);
  return joined([
    lineComment(`Erases the personal data of one ${entity.typeName} (parameter @id, the ${entity.idColumn.path.join(".")} column's type) in every row of the table,`),
    lineComment(`and so in its views. Rows written in the last ${STREAMING_BUFFER_MINUTES} minutes may be in the streaming buffer, which DML cannot change:`),
    lineComment(`they are left out, so run the statement again ${STREAMING_BUFFER_MINUTES} minutes after the last event of the id.`),
    sql`UPDATE ${table}`,
    sql`SET`,
    joined(assignments.map((a) => sql`  ${a}`), sql`,\n`),
    sql`WHERE ${id} = @id`,
    sql`  AND ${identifier("publish_time")} < TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${integer(STREAMING_BUFFER_MINUTES)} MINUTE);`,
  ]).text + "\n";
}

/** The assignments that erase the personal data at and below a column reached through non-repeated STRUCTs. */
function erasures(column: Column, parents: readonly string[]): Sql[] {
  const at = [...parents, column.name];
  if (column.pii) return [sql`${path(at)} = ${column.mode === "REPEATED" ? sql`[]` : sql`NULL`}`];
  if (column.fields.length === 0 || !holdsPii(column)) return [];
  if (column.mode !== "REPEATED") return column.fields.flatMap((f) => erasures(f, at));
  // Inside an array of STRUCTs: each element keeps its other fields and its place.
  return [sql`${path(at)} = ${arrayErasure(path(at), column, 1)}`];
}

/** An array of STRUCTs with the personal data of each element erased, in the same order. */
function arrayErasure(array: Sql, column: Column, depth: number): Sql {
  const element = identifier(depth === 1 ? "element" : `element_${depth}`);
  const position = identifier(depth === 1 ? "position" : `position_${depth}`);
  return sql`ARRAY(SELECT AS STRUCT ${element}.* REPLACE (${joined(fieldErasures(element, column, depth), sql`, `)}) FROM UNNEST(${array}) AS ${element} WITH OFFSET AS ${position} ORDER BY ${position})`;
}

/**
 * The REPLACE list of a STRUCT value: its personal fields erased, and the STRUCTs and arrays of
 * STRUCTs among its fields that hold personal data rebuilt the same way. A bare NULL in REPLACE
 * would be an INT64; the IF and the empty ARRAY take the field's own type.
 */
function fieldErasures(value: Sql, column: Column, depth: number): Sql[] {
  return column.fields.flatMap((f) => {
    if (!holdsPii(f)) return [];
    const name = identifier(f.name);
    const field = sql`${value}.${name}`;
    if (f.pii) return [f.mode === "REPEATED" ? sql`ARRAY(SELECT value FROM UNNEST(${field}) AS value WHERE FALSE) AS ${name}` : sql`IF(FALSE, ${field}, NULL) AS ${name}`];
    if (f.mode === "REPEATED") return [sql`${arrayErasure(field, f, depth + 1)} AS ${name}`];
    return [sql`IF(${field} IS NULL, NULL, (SELECT AS STRUCT ${field}.* REPLACE (${joined(fieldErasures(field, f, depth), sql`, `)}))) AS ${name}`];
  });
}

function holdsPii(column: Column): boolean {
  return column.pii || column.fields.some(holdsPii);
}
