/**
 * One view per dataset that tells, for every entity in it, when its last event arrived and whether
 * that is later than the contract's freshness expectation: a dashboard shows it, an alert watches
 * is_stale and the dataset's stale_entities.
 */
import type { Entity, Partitioning } from "../model/types.js";
import { PLUGIN_NAME } from "../version.js";
import { bigQueryNames, FRESHNESS_VIEW } from "./bigquery-names.js";
import { labelValue } from "./table-metadata.js";
import { identifier, integer, joined, labels, options, qualifiedName, sql, stringLiteral, type Sql } from "../printers/sql.js";

/** How far back an entity without expectations is looked at. */
export const DEFAULT_LOOKBACK_SECONDS = 30 * 86_400;

/**
 * Each entity's table is read back this many times its largest threshold: enough to tell WARN and
 * ERROR apart, and a bounded scan (tables with require_partition_filter need a filter anyway).
 */
const LOOKBACK_FACTOR = 2;

/**
 * Loudest last: an entity with expectations but no event in its lookback window has a lag of at
 * least the window, which is more than twice its largest threshold, so it is ERROR (WARN when the
 * contract sets only warn_after) for as long as the outage lasts, never a quieter status.
 */
export const FRESHNESS_STATUSES = ["OK", "WARN", "ERROR", "NO_EXPECTATION"] as const;
export type FreshnessStatus = (typeof FRESHNESS_STATUSES)[number];

/** Statuses that make an entity stale (is_stale): late against its warn_after or its error_after. */
export const STALE_STATUSES: readonly FreshnessStatus[] = ["WARN", "ERROR"];

/** Seconds of each entity's table that the view reads. */
export function lookbackSeconds(entity: Entity): number {
  const thresholds = [entity.freshness.warnAfter, entity.freshness.errorAfter].flatMap((p) => (p ? [p.seconds] : []));
  return thresholds.length > 0 ? LOOKBACK_FACTOR * Math.max(...thresholds) : DEFAULT_LOOKBACK_SECONDS;
}

/** The freshness view of one dataset; `entities` all live in it. */
export function freshnessViewStatement(project: string, dataset: string, entities: readonly Entity[]): string {
  const viewOptions = options([
    ["description", stringLiteral(FRESHNESS_VIEW_DESCRIPTION)],
    ["labels", labels([["generated_by", labelValue(PLUGIN_NAME)]])],
  ]);
  return sql`CREATE OR REPLACE VIEW ${qualifiedName(project, dataset, FRESHNESS_VIEW)}\n${viewOptions}\nAS\n${freshnessViewSql(entities)};\n`.text;
}

export const FRESHNESS_VIEW_DESCRIPTION =
  "Freshness of every entity in this dataset: last event time, lag in seconds, the contract's thresholds, a status " +
  `(${FRESHNESS_STATUSES.join(", ")}), is_stale (${STALE_STATUSES.join(" or ")}) and stale_entities, the dataset's count of stale entities to alert on. ` +
  "Each table is read over lookback_seconds only; without an event in that window (data_in_window false) the lag is reported as lookback_seconds, a lower bound, and the status is the loudest the contract has.";

/** The freshness view's query alone (each entity's table is named with its own project), for a Terraform view resource. */
export function freshnessViewQuery(entities: readonly Entity[]): string {
  return freshnessViewSql(entities).text;
}

function freshnessViewSql(entities: readonly Entity[]): Sql {
  const stale = joined(STALE_STATUSES.map(status), sql`, `);
  return joined([
    sql`WITH arrivals AS (`,
    joined(entities.map(arrivalsOf), sql`\n  UNION ALL\n`),
    sql`),`,
    sql`lags AS (`,
    sql`  SELECT`,
    sql`    *,`,
    sql`    -- No event in the window: silent for at least the window.`,
    sql`    IFNULL(TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), last_publish_time, SECOND), lookback_seconds) AS lag_seconds`,
    sql`  FROM arrivals`,
    sql`),`,
    sql`statuses AS (`,
    sql`  SELECT`,
    sql`    *,`,
    sql`    CASE`,
    sql`      WHEN warn_after_seconds IS NULL AND error_after_seconds IS NULL THEN ${status("NO_EXPECTATION")}`,
    sql`      WHEN lag_seconds > error_after_seconds THEN ${status("ERROR")}`,
    sql`      WHEN lag_seconds > warn_after_seconds THEN ${status("WARN")}`,
    sql`      ELSE ${status("OK")}`,
    sql`    END AS status`,
    sql`  FROM lags`,
    sql`)`,
    sql`SELECT`,
    sql`  entity,`,
    sql`  topic,`,
    sql`  table_name,`,
    sql`  last_publish_time,`,
    sql`  last_occurred_at,`,
    sql`  lag_seconds,`,
    sql`  warn_after_seconds,`,
    sql`  error_after_seconds,`,
    sql`  lookback_seconds,`,
    sql`  last_publish_time IS NOT NULL AS data_in_window,`,
    sql`  status,`,
    sql`  status IN (${stale}) AS is_stale,`,
    sql`  COUNTIF(status IN (${stale})) OVER () AS stale_entities,`,
    sql`  CURRENT_TIMESTAMP() AS checked_at`,
    sql`FROM statuses`,
  ]);
}

function status(name: FreshnessStatus): Sql {
  return stringLiteral(name);
}

function arrivalsOf(entity: Entity): Sql {
  const names = bigQueryNames(entity);
  const lookback = lookbackSeconds(entity);
  const seconds = (period: { seconds: number } | undefined) => (period ? integer(period.seconds) : sql`NULL`);
  return joined([
    sql`  SELECT`,
    sql`    ${stringLiteral(entity.typeName)} AS entity,`,
    sql`    ${stringLiteral(entity.topic)} AS topic,`,
    sql`    ${stringLiteral(names.table)} AS table_name,`,
    sql`    MAX(${identifier("publish_time")}) AS last_publish_time,`,
    sql`    MAX(${identifier("occurred_at")}) AS last_occurred_at,`,
    sql`    CAST(${seconds(entity.freshness.warnAfter)} AS INT64) AS warn_after_seconds,`,
    sql`    CAST(${seconds(entity.freshness.errorAfter)} AS INT64) AS error_after_seconds,`,
    sql`    CAST(${integer(lookback)} AS INT64) AS lookback_seconds`,
    sql`  FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    sql`  WHERE ${recentPartitionsFilter(entity.partitioning, lookback)}`,
  ]);
}

/** A filter on the partitioning column, so that BigQuery reads only the recent partitions. */
export function recentPartitions(partitioning: Partitioning, seconds: number): string {
  return recentPartitionsFilter(partitioning, seconds).text;
}

export function recentPartitionsFilter({ column, columnType }: Partitioning, seconds: number): Sql {
  const name = identifier(column);
  switch (columnType) {
    case "TIMESTAMP":
      return sql`${name} >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${integer(seconds)} SECOND)`;
    case "DATETIME":
      // Civil time has no zone: a day more keeps rows of any zone in the window.
      return sql`${name} >= DATETIME_SUB(CURRENT_DATETIME(), INTERVAL ${integer(seconds + 86_400)} SECOND)`;
    case "DATE":
      return sql`${name} >= DATE_SUB(CURRENT_DATE(), INTERVAL ${integer(Math.ceil(seconds / 86_400) + 1)} DAY)`;
  }
}
