/**
 * Names of the BigQuery objects generated for an entity, and which of them exist. LookML, dbt,
 * Terraform and the catalog refer to the same tables and views, so they take the names and the
 * rule from here rather than spelling them again.
 */
import type { Entity } from "../model/types.js";

export interface BigQueryNames {
  /** The table the subscription writes into. */
  readonly table: string;
  /** The event log without redelivered duplicates (one row per event_id). */
  readonly eventsView: string;
  /** The latest state per entity id, deleted entities excluded (a view, over the table or over `latestStateTable`). */
  readonly latestView: string;
  /** The table kept current by a scheduled MERGE, one row per id, tombstones of deleted ids included. */
  readonly latestStateTable: string;
  /** Table function: the event log of a time range of the partitioning column. */
  readonly eventsFunction: string;
  /** Table function: the latest state per id among the events of a time range. */
  readonly latestFunction: string;
}

export function bigQueryNames(entity: Entity): BigQueryNames {
  return {
    table: entity.table,
    eventsView: `${entity.table}_events`,
    latestView: `${entity.table}_latest`,
    latestStateTable: `${entity.table}_latest_state`,
    eventsFunction: `${entity.table}_events_between`,
    latestFunction: `${entity.table}_latest_between`,
  };
}

/**
 * How an entity's latest state is read:
 * - `view`: a view ranking over the whole table (small tables without a required partition filter);
 * - `table`: the table requires a partition filter, so a view over all rows would fail on every
 *   query: `<table>_latest_state` is kept current by a scheduled MERGE that reads recent partitions
 *   only, and the `_latest` view filters its tombstones out;
 * - `none`: an append-only entity has no latest state.
 */
export type LatestState = "view" | "table" | "none";

export interface ReadRelations {
  /** Whether the `_events` view exists: not on a table that requires a partition filter (every query of it would fail). */
  readonly eventsView: boolean;
  readonly latest: LatestState;
  /** Whether the `_latest` view exists (over the table, or over the latest-state table). */
  readonly latestView: boolean;
}

export function readRelations(entity: Entity): ReadRelations {
  const requiresFilter = entity.partitioning.requirePartitionFilter;
  const latest: LatestState = entity.appendOnly ? "none" : requiresFilter ? "table" : "view";
  return { eventsView: !requiresFilter, latest, latestView: latest !== "none" };
}

/** One view per dataset: last event time, lag and thresholds of every entity in it. */
export const FRESHNESS_VIEW = "entity_freshness";

/** One view per dataset: each entity's events of the last hour against the same hour of the previous weeks. */
export const ACTIVITY_VIEW = "entity_activity";
