/**
 * One view per dataset that tells, for every entity in it, when its last event arrived and whether
 * that is later than the contract's freshness expectation: a dashboard shows it, an alert fires on
 * status ERROR or NO_DATA.
 */
import type { Entity, Partitioning } from "../model/types.js";
import { PLUGIN_NAME } from "../version.js";
import { bigQueryNames, FRESHNESS_VIEW, qualifiedName } from "./bigquery-names.js";
import { labelsLiteral, labelValue, optionsClause, sqlIdentifier, sqlString } from "../printers/sql-text.js";

/** How far back an entity without expectations is looked at. */
export const DEFAULT_LOOKBACK_SECONDS = 30 * 86_400;

/**
 * Each entity's table is read back this many times its largest threshold: enough to tell WARN and
 * ERROR apart, and a bounded scan (tables with require_partition_filter need a filter anyway).
 */
const LOOKBACK_FACTOR = 2;

export const FRESHNESS_STATUSES = ["OK", "WARN", "ERROR", "NO_EXPECTATION", "NO_DATA"] as const;
export type FreshnessStatus = (typeof FRESHNESS_STATUSES)[number];

/** Seconds of each entity's table that the view reads. */
export function lookbackSeconds(entity: Entity): number {
  const thresholds = [entity.freshness.warnAfter, entity.freshness.errorAfter].flatMap((p) => (p ? [p.seconds] : []));
  return thresholds.length > 0 ? LOOKBACK_FACTOR * Math.max(...thresholds) : DEFAULT_LOOKBACK_SECONDS;
}

/** The freshness view of one dataset; `entities` all live in it. */
export function freshnessViewStatement(project: string, dataset: string, entities: readonly Entity[]): string {
  const options = optionsClause([
    ["description", sqlString(FRESHNESS_VIEW_DESCRIPTION)],
    ["labels", labelsLiteral([["generated_by", labelValue(PLUGIN_NAME)]])],
  ]);
  return `CREATE OR REPLACE VIEW ${qualifiedName(project, dataset, FRESHNESS_VIEW)}\n${options}\nAS\n${freshnessViewQuery(entities)};\n`;
}

export const FRESHNESS_VIEW_DESCRIPTION =
  "Freshness of every entity in this dataset: last event time, lag in seconds, the contract's thresholds and a status " +
  `(${FRESHNESS_STATUSES.join(", ")}). Each table is read over lookback_seconds only; NO_DATA means no event in that window.`;

/** The freshness view's query alone (each entity's table is named with its own project), for a Terraform view resource. */
export function freshnessViewQuery(entities: readonly Entity[]): string {
  return [
    "WITH arrivals AS (",
    entities.map(arrivalsOf).join("\n  UNION ALL\n"),
    "),",
    "lags AS (",
    "  SELECT *, TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), last_publish_time, SECOND) AS lag_seconds",
    "  FROM arrivals",
    ")",
    "SELECT",
    "  entity,",
    "  topic,",
    "  table_name,",
    "  last_publish_time,",
    "  last_occurred_at,",
    "  lag_seconds,",
    "  warn_after_seconds,",
    "  error_after_seconds,",
    "  lookback_seconds,",
    "  CASE",
    `    WHEN warn_after_seconds IS NULL AND error_after_seconds IS NULL THEN ${status("NO_EXPECTATION")}`,
    `    WHEN last_publish_time IS NULL THEN ${status("NO_DATA")}`,
    `    WHEN lag_seconds > error_after_seconds THEN ${status("ERROR")}`,
    `    WHEN lag_seconds > warn_after_seconds THEN ${status("WARN")}`,
    `    ELSE ${status("OK")}`,
    "  END AS status,",
    "  CURRENT_TIMESTAMP() AS checked_at",
    "FROM lags",
  ].join("\n");
}

function status(name: FreshnessStatus): string {
  return sqlString(name);
}

function arrivalsOf(entity: Entity): string {
  const names = bigQueryNames(entity);
  const lookback = lookbackSeconds(entity);
  const seconds = (period: { seconds: number } | undefined) => (period ? String(period.seconds) : "NULL");
  return [
    "  SELECT",
    `    ${sqlString(entity.typeName)} AS entity,`,
    `    ${sqlString(entity.topic)} AS topic,`,
    `    ${sqlString(names.table)} AS table_name,`,
    `    MAX(${sqlIdentifier("publish_time")}) AS last_publish_time,`,
    `    MAX(${sqlIdentifier("occurred_at")}) AS last_occurred_at,`,
    `    CAST(${seconds(entity.freshness.warnAfter)} AS INT64) AS warn_after_seconds,`,
    `    CAST(${seconds(entity.freshness.errorAfter)} AS INT64) AS error_after_seconds,`,
    `    CAST(${lookback} AS INT64) AS lookback_seconds`,
    `  FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    `  WHERE ${recentPartitions(entity.partitioning, lookback)}`,
  ].join("\n");
}

/** A filter on the partitioning column, so that BigQuery reads only the recent partitions. */
export function recentPartitions({ column, columnType }: Partitioning, seconds: number): string {
  const name = sqlIdentifier(column);
  switch (columnType) {
    case "TIMESTAMP":
      return `${name} >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${seconds} SECOND)`;
    case "DATETIME":
      // Civil time has no zone: a day more keeps rows of any zone in the window.
      return `${name} >= DATETIME_SUB(CURRENT_DATETIME(), INTERVAL ${seconds + 86_400} SECOND)`;
    case "DATE":
      return `${name} >= DATE_SUB(CURRENT_DATE(), INTERVAL ${Math.ceil(seconds / 86_400) + 1} DAY)`;
  }
}
