/**
 * The two views of every entity table: the event log without Pub/Sub's redeliveries, and the
 * latest state of each entity. Both read the table directly, so each can be created on its own.
 */
import type { Entity } from "../model/types.js";
import { bigQueryNames, qualifiedName } from "./bigquery-names.js";
import { labelsLiteral, optionsClause, sqlIdentifier, sqlPath, sqlString } from "../printers/sql-text.js";
import { entityLabels } from "./table-metadata.js";

/** The operation that ends an entity's life; the latest-state view leaves such entities out. */
const DELETED = "DELETED";

/**
 * One row per event_id. Pub/Sub delivers at least once and a producer may publish an event twice,
 * so the first arrival wins (publish_time, then message_id: the same message_id is the same
 * message, so the choice never depends on the scan order).
 */
export function eventsViewStatement(entity: Entity): string {
  return `${createView(entity, bigQueryNames(entity).eventsView, eventsViewDescription(entity))}\n${eventsViewQuery(entity)};\n`;
}

export function eventsViewDescription(entity: Entity): string {
  return `Event log of ${entity.typeName} without duplicates: one row per event_id, the first delivery of each (publish_time, then message_id).`;
}

/** The events view's query alone, for a Terraform view resource (which takes no CREATE VIEW). */
export function eventsViewQuery(entity: Entity): string {
  const names = bigQueryNames(entity);
  const [eventId, messageId, publishTime] = ["event_id", "message_id", "publish_time"].map(sqlIdentifier);
  return [
    "SELECT *",
    `FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    "-- BigQuery accepts QUALIFY only after a WHERE, GROUP BY or HAVING clause.",
    "WHERE TRUE",
    "QUALIFY ROW_NUMBER() OVER (",
    "  -- A row without an event_id (not written by the generated event classes) is deduplicated by its Pub/Sub message only.",
    `  PARTITION BY ${eventId}, IF(${eventId} IS NULL, ${messageId}, NULL)`,
    `  ORDER BY ${publishTime}, ${messageId}`,
    ") = 1",
  ].join("\n");
}

/**
 * One row per entity id: its most recent event (occurred_at, then the later publication, then
 * event_id and message_id so that ties resolve the same way on every run), unless that event
 * deleted the entity.
 */
export function latestViewStatement(entity: Entity): string {
  return `${createView(entity, bigQueryNames(entity).latestView, latestViewDescription(entity))}\n${latestViewQuery(entity)};\n`;
}

export function latestViewDescription(entity: Entity): string {
  return `Latest state of each ${entity.typeName} by ${entity.idColumn.path.join(".")}: its most recent event (occurred_at, then publish_time, event_id, message_id), entities whose latest event is ${DELETED} excluded.`;
}

/** The latest-state view's query alone, for a Terraform view resource. */
export function latestViewQuery(entity: Entity): string {
  const names = bigQueryNames(entity);
  const id = sqlPath(entity.idColumn.path);
  const order = ["occurred_at", "publish_time", "event_id", "message_id"].map((c) => `${sqlIdentifier(c)} DESC`);
  return [
    "SELECT *",
    "FROM (",
    "  SELECT *",
    `  FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    `  WHERE ${id} IS NOT NULL`,
    "  QUALIFY ROW_NUMBER() OVER (",
    `    PARTITION BY ${id}`,
    `    ORDER BY ${order.join(", ")}`,
    "  ) = 1",
    ")",
    `WHERE ${sqlIdentifier("operation")} IS DISTINCT FROM ${sqlString(DELETED)}`,
  ].join("\n");
}

function createView(entity: Entity, view: string, description: string): string {
  const options = optionsClause([
    ["description", sqlString(description)],
    ["labels", labelsLiteral(entityLabels(entity))],
  ]);
  return `CREATE OR REPLACE VIEW ${qualifiedName(entity.project, entity.dataset, view)}\n${options}\nAS`;
}
