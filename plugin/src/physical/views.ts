/**
 * How an entity's table is read: the event log without Pub/Sub's redeliveries and the latest
 * state of each entity, as views (tables anyone may scan whole), as table functions bounded by a
 * time range of the partitioning column (the filter reaches the table before any ranking, so
 * BigQuery prunes partitions), and, for tables that require a partition filter, as a latest-state
 * table kept current by a scheduled MERGE over recent partitions. `readRelations` says which
 * exist for an entity.
 */
import type { Entity, Partitioning } from "../model/types.js";
import { bigQueryNames, readRelations } from "./bigquery-names.js";
import { identifier, joined, labels, options, path, qualifiedName, sql, stringLiteral, type Sql } from "../printers/sql.js";
import { entityLabels } from "./table-metadata.js";
import { columnDefinition } from "./column-definition.js";
import { recentPartitionsFilter } from "./freshness-view.js";
import type { BigQueryField } from "./table-schema.js";

/** The operation that ends an entity's life; the latest-state view leaves such entities out. */
const DELETED = "DELETED";

/** The order of an entity's events, latest first: occurred_at, then the later publication, then ids so that ties resolve the same way on every run. */
const LATEST_ORDER = ["occurred_at", "publish_time", "event_id", "message_id"] as const;

/**
 * How far back the scheduled MERGE reads the table on each run (by its partitioning column): an
 * event that reaches the table later than this after its partition's time is not merged. Three
 * days let a run every hour fail for two days without losing an event.
 */
export const LATEST_STATE_WINDOW_SECONDS = 3 * 86_400;

/** The table functions' parameters: a half-open range [from_ts, to_ts) of the partitioning column. */
const FROM = "from_ts";
const TO = "to_ts";

/**
 * One row per event_id. Pub/Sub delivers at least once and a producer may publish an event twice,
 * so the first arrival wins (publish_time, then message_id: the same message_id is the same
 * message, so the choice never depends on the scan order).
 */
export function eventsViewStatement(entity: Entity): string {
  return sql`${createView(entity, bigQueryNames(entity).eventsView, eventsViewDescription(entity))}\n${eventsSql(entity, sql`TRUE`)};\n`.text;
}

export function eventsViewDescription(entity: Entity): string {
  return `Event log of ${entity.typeName} without duplicates: one row per event_id, the first delivery of each (publish_time, then message_id).`;
}

/** The events view's query alone, for a Terraform view resource (which takes no CREATE VIEW). */
export function eventsViewQuery(entity: Entity): string {
  return eventsSql(entity, sql`TRUE`).text;
}

function eventsSql(entity: Entity, where: Sql): Sql {
  const [eventId, messageId, publishTime] = ["event_id", "message_id", "publish_time"].map(identifier);
  return joined([
    sql`SELECT *`,
    sql`FROM ${tableName(entity)}`,
    sql`-- BigQuery accepts QUALIFY only after a WHERE, GROUP BY or HAVING clause.`,
    sql`WHERE ${where}`,
    sql`QUALIFY ROW_NUMBER() OVER (`,
    sql`  -- A row without an event_id (not written by the generated event classes) is deduplicated by its Pub/Sub message only.`,
    sql`  PARTITION BY ${eventId}, IF(${eventId} IS NULL, ${messageId}, NULL)`,
    sql`  ORDER BY ${publishTime}, ${messageId}`,
    sql`) = 1`,
  ]);
}

/**
 * One row per entity id: its most recent event (occurred_at, then the later publication, then
 * event_id and message_id so that ties resolve the same way on every run), unless that event
 * deleted the entity. Over the latest-state table when the entity has one.
 */
export function latestViewStatement(entity: Entity): string {
  return sql`${createView(entity, bigQueryNames(entity).latestView, latestViewDescription(entity))}\n${latestViewSql(entity)};\n`.text;
}

export function latestViewDescription(entity: Entity): string {
  const source =
    readRelations(entity).latest === "table"
      ? `, read from ${bigQueryNames(entity).latestStateTable} (kept current by a scheduled MERGE)`
      : "";
  return `Latest state of each ${entity.typeName} by ${entity.idColumn.path.join(".")}: its most recent event (occurred_at, then publish_time, event_id, message_id), entities whose latest event is ${DELETED} excluded${source}.`;
}

/** The latest-state view's query alone, for a Terraform view resource. */
export function latestViewQuery(entity: Entity): string {
  return latestViewSql(entity).text;
}

function latestViewSql(entity: Entity): Sql {
  if (readRelations(entity).latest === "table") {
    return joined([
      sql`SELECT *`,
      sql`FROM ${qualifiedName(entity.project, entity.dataset, bigQueryNames(entity).latestStateTable)}`,
      sql`WHERE ${identifier("operation")} IS DISTINCT FROM ${stringLiteral(DELETED)}`,
    ]);
  }
  return latestSql(entity, sql`TRUE`);
}

function latestSql(entity: Entity, where: Sql): Sql {
  return joined([
    sql`SELECT *`,
    sql`FROM (`,
    latestEventsSql(entity, where),
    sql`)`,
    sql`WHERE ${identifier("operation")} IS DISTINCT FROM ${stringLiteral(DELETED)}`,
  ]);
}

/** Each id's latest event among the rows `where` selects, DELETED ones included. */
function latestEventsSql(entity: Entity, where: Sql): Sql {
  const id = path(entity.idColumn.path);
  const order = LATEST_ORDER.map((c) => sql`${identifier(c)} DESC`);
  return joined([
    sql`SELECT *`,
    sql`FROM ${tableName(entity)}`,
    sql`WHERE ${where}`,
    sql`  AND ${id} IS NOT NULL`,
    sql`QUALIFY ROW_NUMBER() OVER (`,
    sql`  PARTITION BY ${id}`,
    sql`  ORDER BY ${joined(order, sql`, `)}`,
    sql`) = 1`,
  ]);
}

/** `<table>_events_between(from_ts, to_ts)`: the event log of a range of the partitioning column. */
export function eventsFunctionStatement(entity: Entity): string {
  return tableFunction(entity, bigQueryNames(entity).eventsFunction, eventsFunctionDescription(entity), eventsSql(entity, rangeFilter(entity.partitioning)));
}

export function eventsFunctionDescription(entity: Entity): string {
  return `Event log of ${entity.typeName} without duplicates, of the rows whose ${entity.partitioning.column} is in ${rangeText(entity.partitioning)}: reads only those partitions.`;
}

/** `<table>_latest_between(from_ts, to_ts)`: each id's latest state among the events of a range. */
export function latestFunctionStatement(entity: Entity): string {
  return tableFunction(entity, bigQueryNames(entity).latestFunction, latestFunctionDescription(entity), latestSql(entity, rangeFilter(entity.partitioning)));
}

export function latestFunctionDescription(entity: Entity): string {
  return `Latest state of each ${entity.typeName} among the events whose ${entity.partitioning.column} is in ${rangeText(entity.partitioning)} (an id without an event in the range is absent), ${DELETED} excluded: reads only those partitions.`;
}

/** The table functions' parameters. */
const FUNCTION_ARGUMENTS: readonly { readonly name: string; readonly type: "TIMESTAMP" }[] = [
  { name: FROM, type: "TIMESTAMP" },
  { name: TO, type: "TIMESTAMP" },
];

function tableFunction(entity: Entity, name: string, description: string, body: Sql): string {
  const parameters = joined(FUNCTION_ARGUMENTS.map((a) => sql`${identifier(a.name)} TIMESTAMP`), sql`, `);
  return sql`CREATE OR REPLACE TABLE FUNCTION ${qualifiedName(entity.project, entity.dataset, name)}(${parameters})\n${options([["description", stringLiteral(description)]])}\nAS\n${body};\n`.text;
}

/** [from_ts, to_ts) on the partitioning column, in its type (UTC for DATETIME; whole days for DATE). */
function rangeFilter({ column, columnType }: Partitioning): Sql {
  const name = identifier(column);
  const [from, to] = [identifier(FROM), identifier(TO)];
  switch (columnType) {
    case "TIMESTAMP":
      return sql`${name} >= ${from} AND ${name} < ${to}`;
    case "DATETIME":
      return sql`${name} >= DATETIME(${from}) AND ${name} < DATETIME(${to})`;
    case "DATE":
      return sql`${name} BETWEEN DATE(${from}) AND DATE(${to})`;
  }
}

function rangeText({ columnType }: Partitioning): string {
  return columnType === "DATE" ? `the days from DATE(${FROM}) to DATE(${TO}), both included` : `[${FROM}, ${TO}) (UTC)`;
}

/**
 * The latest-state table: the table's columns, one row per id (tombstones of deleted ids kept, so
 * that an older event arriving late cannot bring a deleted entity back), clustered by the id.
 */
export function latestStateTableStatement(entity: Entity, table: readonly BigQueryField[]): string {
  const names = bigQueryNames(entity);
  const columns = table.map((field) => sql`  ${columnDefinition(field, 2)}`);
  const clustering = entity.idColumn.path.length === 1 ? [sql`CLUSTER BY ${identifier(entity.idColumn.path[0]!)}`] : [];
  return sql`${joined([
    sql`CREATE TABLE IF NOT EXISTS ${qualifiedName(entity.project, entity.dataset, names.latestStateTable)} (\n${joined(columns, sql`,\n`)}\n)`,
    ...clustering,
    options([
      ["description", stringLiteral(latestStateTableDescription(entity))],
      ["labels", labels(entityLabels(entity))],
    ]),
  ])};\n`.text;
}

export function latestStateTableDescription(entity: Entity): string {
  const names = bigQueryNames(entity);
  return `Latest event of each ${entity.typeName} by ${entity.idColumn.path.join(".")}, ${DELETED} ones included (read ${names.latestView} for the live entities). Kept current by the scheduled MERGE of ${names.latestStateTable}.merge.sql.`;
}

/**
 * The MERGE that keeps the latest-state table current: each id's latest event of the last
 * LATEST_STATE_WINDOW_SECONDS of partitions replaces the table's row only when it is later in the
 * events' order, so running it twice changes nothing and an event arriving out of order never
 * overwrites a later one. `columns` are the table's top-level columns.
 */
export function latestStateMergeStatement(entity: Entity, table: readonly BigQueryField[]): string {
  const names = bigQueryNames(entity);
  const id = entity.idColumn.path;
  const column = (alias: string, name: string) => sql`${identifier(alias)}.${identifier(name)}`;
  const recent = recentPartitionsFilter(entity.partitioning, LATEST_STATE_WINDOW_SECONDS);
  const columns = table.map((f) => f.name);
  return sql`${joined([
    sql`MERGE ${qualifiedName(entity.project, entity.dataset, names.latestStateTable)} AS ${identifier("target")}`,
    sql`USING (`,
    latestEventsSql(entity, recent),
    sql`) AS ${identifier("source")}`,
    sql`ON ${identifier("target")}.${path(id)} = ${identifier("source")}.${path(id)}`,
    sql`WHEN MATCHED AND (`,
    sql`  ${laterThan(LATEST_ORDER.map((c) => [column("source", c), column("target", c)] as const))}`,
    sql`) THEN UPDATE SET`,
    joined(columns.map((n) => sql`  ${identifier(n)} = ${column("source", n)}`), sql`,\n`),
    sql`WHEN NOT MATCHED BY TARGET THEN INSERT (${joined(columns.map(identifier), sql`, `)})`,
    sql`  VALUES (${joined(columns.map((n) => column("source", n)), sql`, `)})`,
  ])};\n`.text;
}

/**
 * Whether the source's key is later than the target's, comparing each part in turn with NULL as
 * the earliest value (as ORDER BY … DESC puts NULL last).
 */
function laterThan(parts: readonly (readonly [Sql, Sql])[]): Sql {
  if (parts.length === 0) return sql`FALSE`;
  const [[source, target], ...rest] = parts as [readonly [Sql, Sql], ...(readonly [Sql, Sql])[]];
  const greater = sql`${source} > ${target} OR (${target} IS NULL AND ${source} IS NOT NULL)`;
  if (rest.length === 0) return greater;
  return sql`${greater}\n  OR (${source} IS NOT DISTINCT FROM ${target} AND (${laterThan(rest)}))`;
}

function tableName(entity: Entity): Sql {
  return qualifiedName(entity.project, entity.dataset, bigQueryNames(entity).table);
}

function createView(entity: Entity, view: string, description: string): Sql {
  const viewOptions = options([
    ["description", stringLiteral(description)],
    ["labels", labels(entityLabels(entity))],
  ]);
  return sql`CREATE OR REPLACE VIEW ${qualifiedName(entity.project, entity.dataset, view)}\n${viewOptions}\nAS`;
}
