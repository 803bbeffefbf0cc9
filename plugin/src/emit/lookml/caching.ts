/**
 * Caching tied to freshness: one datagroup per dataset, triggered when any of its tables receives
 * an event, and never keeping a result longer than half the tightest freshness threshold of its
 * entities, so a dashboard cannot show a stream as fine from a cache older than its contract.
 */
import type { Entity } from "../../model/types.js";
import { lookbackSeconds, recentPartitions } from "../../physical/freshness-view.js";
import { bigQueryNames } from "../../physical/bigquery-names.js";
import { block, sql, str, type LookmlBlock } from "../../printers/lookml-text.js";
import { datagroupName, lookmlTableName } from "../../semantic/lookml-names.js";

/** Looker's own default, for datasets whose entities have no freshness threshold. */
const DEFAULT_MAX_CACHE_AGE_SECONDS = 3600;

/**
 * Seconds a cached result may be used: half the smallest threshold (whole minutes, at least one),
 * and never more than Looker's default hour, since the trigger already keeps results while no
 * new data arrives.
 */
export function maxCacheAgeSeconds(entities: readonly Entity[]): number {
  const thresholds = entities.flatMap((e) => [e.freshness.warnAfter, e.freshness.errorAfter].flatMap((p) => (p ? [p.seconds] : [])));
  if (thresholds.length === 0) return DEFAULT_MAX_CACHE_AGE_SECONDS;
  return Math.min(DEFAULT_MAX_CACHE_AGE_SECONDS, Math.max(60, Math.floor(Math.min(...thresholds) / 2 / 60) * 60));
}

/** `"15 minutes"`: the form Looker's duration parameters take. */
export function lookerDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} ${seconds === 3600 ? "hour" : "hours"}`;
  if (seconds % 60 === 0) return `${seconds / 60} ${seconds === 60 ? "minute" : "minutes"}`;
  return `${seconds} seconds`;
}

/**
 * The latest publish_time of the dataset's tables, each read over its recent partitions only (the
 * window the freshness view reads), so the check Looker runs every few minutes scans little.
 */
export function newDataTrigger(dataset: string, entities: readonly Entity[]): string {
  const latest = entities.map(
    (e) =>
      `SELECT MAX(publish_time) AS last_publish_time FROM ${lookmlTableName(dataset, bigQueryNames(e).table)} WHERE ${recentPartitions(e.partitioning, lookbackSeconds(e))}`,
  );
  return `SELECT MAX(last_publish_time) FROM (${latest.join(" UNION ALL ")})`;
}

export function datagroupBlock(dataset: string, entities: readonly Entity[]): LookmlBlock {
  const age = maxCacheAgeSeconds(entities);
  return block("datagroup", datagroupName(dataset), [
    str("label", `New events in ${dataset}`),
    str(
      "description",
      `Cached results of the ${dataset} explores are used until one of its tables receives an event, and never longer than ${lookerDuration(age)} (at most half the tightest freshness threshold of its entities).`,
    ),
    sql("sql_trigger", newDataTrigger(dataset, entities)),
    str("max_cache_age", lookerDuration(age)),
  ]);
}
