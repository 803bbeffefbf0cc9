/**
 * Names of the BigQuery objects generated for an entity. LookML and dbt refer to the same tables
 * and views, so they take the names from here rather than spelling them again.
 */
import type { Entity } from "../model/types.js";

export interface BigQueryNames {
  /** The table the subscription writes into. */
  readonly table: string;
  /** The event log without redelivered duplicates (one row per event_id). */
  readonly eventsView: string;
  /** The latest state per entity id, deleted entities excluded. */
  readonly latestView: string;
}

export function bigQueryNames(entity: Entity): BigQueryNames {
  return {
    table: entity.table,
    eventsView: `${entity.table}_events`,
    latestView: `${entity.table}_latest`,
  };
}

/** One view per dataset: last event time, lag and thresholds of every entity in it. */
export const FRESHNESS_VIEW = "entity_freshness";
