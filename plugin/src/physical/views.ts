/**
 * The two views of every entity table: the event log without Pub/Sub's redeliveries, and the
 * latest state of each entity. Both read the table directly, so each can be created on its own.
 */
import type { Entity } from "../model/types.js";
import { bigQueryNames } from "./bigquery-names.js";
import { identifier, joined, labels, options, path, qualifiedName, sql, stringLiteral, type Sql } from "../printers/sql.js";
import { entityLabels } from "./table-metadata.js";

/** The operation that ends an entity's life; the latest-state view leaves such entities out. */
const DELETED = "DELETED";

/**
 * One row per event_id. Pub/Sub delivers at least once and a producer may publish an event twice,
 * so the first arrival wins (publish_time, then message_id: the same message_id is the same
 * message, so the choice never depends on the scan order).
 */
export function eventsViewStatement(entity: Entity): string {
  return sql`${createView(entity, bigQueryNames(entity).eventsView, eventsViewDescription(entity))}\n${eventsViewSql(entity)};\n`.text;
}

export function eventsViewDescription(entity: Entity): string {
  return `Event log of ${entity.typeName} without duplicates: one row per event_id, the first delivery of each (publish_time, then message_id).`;
}

/** The events view's query alone, for a Terraform view resource (which takes no CREATE VIEW). */
export function eventsViewQuery(entity: Entity): string {
  return eventsViewSql(entity).text;
}

function eventsViewSql(entity: Entity): Sql {
  const names = bigQueryNames(entity);
  const [eventId, messageId, publishTime] = ["event_id", "message_id", "publish_time"].map(identifier);
  return lines(
    sql`SELECT *`,
    sql`FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    sql`-- BigQuery accepts QUALIFY only after a WHERE, GROUP BY or HAVING clause.`,
    sql`WHERE TRUE`,
    sql`QUALIFY ROW_NUMBER() OVER (`,
    sql`  -- A row without an event_id (not written by the generated event classes) is deduplicated by its Pub/Sub message only.`,
    sql`  PARTITION BY ${eventId}, IF(${eventId} IS NULL, ${messageId}, NULL)`,
    sql`  ORDER BY ${publishTime}, ${messageId}`,
    sql`) = 1`,
  );
}

/**
 * One row per entity id: its most recent event (occurred_at, then the later publication, then
 * event_id and message_id so that ties resolve the same way on every run), unless that event
 * deleted the entity.
 */
export function latestViewStatement(entity: Entity): string {
  return sql`${createView(entity, bigQueryNames(entity).latestView, latestViewDescription(entity))}\n${latestViewSql(entity)};\n`.text;
}

export function latestViewDescription(entity: Entity): string {
  return `Latest state of each ${entity.typeName} by ${entity.idColumn.path.join(".")}: its most recent event (occurred_at, then publish_time, event_id, message_id), entities whose latest event is ${DELETED} excluded.`;
}

/** The latest-state view's query alone, for a Terraform view resource. */
export function latestViewQuery(entity: Entity): string {
  return latestViewSql(entity).text;
}

function latestViewSql(entity: Entity): Sql {
  const names = bigQueryNames(entity);
  const id = path(entity.idColumn.path);
  const order = ["occurred_at", "publish_time", "event_id", "message_id"].map((c) => sql`${identifier(c)} DESC`);
  return lines(
    sql`SELECT *`,
    sql`FROM (`,
    sql`  SELECT *`,
    sql`  FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    sql`  WHERE ${id} IS NOT NULL`,
    sql`  QUALIFY ROW_NUMBER() OVER (`,
    sql`    PARTITION BY ${id}`,
    sql`    ORDER BY ${joined(order, sql`, `)}`,
    sql`  ) = 1`,
    sql`)`,
    sql`WHERE ${identifier("operation")} IS DISTINCT FROM ${stringLiteral(DELETED)}`,
  );
}

function createView(entity: Entity, view: string, description: string): Sql {
  const viewOptions = options([
    ["description", stringLiteral(description)],
    ["labels", labels(entityLabels(entity))],
  ]);
  return sql`CREATE OR REPLACE VIEW ${qualifiedName(entity.project, entity.dataset, view)}\n${viewOptions}\nAS`;
}

function lines(...fragments: Sql[]): Sql {
  return joined(fragments);
}
