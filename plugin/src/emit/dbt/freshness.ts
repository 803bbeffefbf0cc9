/**
 * Freshness of an entity's table in dbt terms, and the partition filters that keep the freshness
 * query and the tests of a `require_partition_filter` table inside recent partitions.
 */
import type { Entity, FreshnessPeriod, Partitioning } from "../../model/types.js";
import { lookbackSeconds } from "../../physical/freshness-view.js";
import { datePart, identifier, integer, sql, stringLiteral, type Sql } from "../../printers/sql.js";
import type { YamlMapping } from "../../printers/yaml-text.js";

/** The subscription's receive time: when the platform last heard of the entity. */
export const LOADED_AT_FIELD = "publish_time";

/**
 * Tests on the table the subscription writes read the last day of partitions: a daily `dbt test`
 * sees every new row once or twice and prunes the rest of the history (and a table that requires
 * a partition filter accepts the query at all).
 */
const TEST_WINDOW_SECONDS = 86_400;

/**
 * How long a child may name a parent whose events have not landed yet: parent and child travel on
 * different topics and subscriptions, so the parent's CREATED event can arrive after the child's.
 */
const REFERENCE_GRACE_SECONDS = 3_600;

const DAY = 86_400;
const HOUR = 3_600;

/** The table's `config.freshness`: thresholds and filter, or null when the contract sets none. */
export function freshnessConfig(entity: Entity): YamlMapping | null {
  const { warnAfter, errorAfter } = entity.freshness;
  if (warnAfter === undefined && errorAfter === undefined) return null;
  return {
    warn_after: warnAfter && threshold(warnAfter),
    error_after: errorAfter && threshold(errorAfter),
    // The window of the dataset's entity_freshness view (a multiple of the longest threshold): a
    // late table is still found, and reported late, instead of showing no rows at all.
    filter: recentPartitionsFilter(entity.partitioning, lookbackSeconds(entity)),
  };
}

function threshold(period: FreshnessPeriod): YamlMapping {
  return { count: period.count, period: period.period };
}

/** What the contract says about freshness, for people reading the source's meta. */
export function freshnessExpectation(entity: Entity): string {
  const { warnAfter, errorAfter } = entity.freshness;
  const parts = [warnAfter && `warn after ${warnAfter.text}`, errorAfter && `error after ${errorAfter.text}`].filter(Boolean);
  if (parts.length > 0) return `${parts.join(", ")} without events (${entity.typeName} freshness)`;
  return `none: ${entity.typeName} declares no freshness, so silence is not checked; set (entity.v1.entity).freshness to check it`;
}

/**
 * The `where` of a test on the table: its recent partitions. A not-null test of the partitioning
 * column itself also reads the partition of NULLs (`__NULL__`), where the rows it looks for are;
 * BigQuery prunes on `IS NULL` as well.
 */
export function testWindowFilter(entity: Entity, column: string): string {
  const recent = recentPartitionsSql(entity.partitioning, TEST_WINDOW_SECONDS);
  if (column !== entity.partitioning.column) return recent.text;
  return sql`(${recent} OR ${identifier(column)} IS NULL)`.text;
}

/** Events other than tombstones (a DELETED event names no parent it needs). */
export function liveEventsFilter(): string {
  return sql`${identifier("operation")} IS DISTINCT FROM ${stringLiteral("DELETED")}`.text;
}

/** The `where` of a relationships test: children whose last change is older than the grace period. */
export function recentChildrenFilter(): string {
  return sql`${identifier(LOADED_AT_FIELD)} < TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${interval(REFERENCE_GRACE_SECONDS)})`.text;
}

/** A condition on the partitioning column that BigQuery prunes partitions with. */
export function recentPartitionsFilter(partitioning: Partitioning, seconds: number): string {
  return recentPartitionsSql(partitioning, seconds).text;
}

function recentPartitionsSql(partitioning: Partitioning, seconds: number): Sql {
  const column = identifier(partitioning.column);
  // Civil dates and times carry no time zone: a day of margin covers any offset from UTC.
  const civilDays = integer(Math.ceil(seconds / DAY) + 1);
  switch (partitioning.columnType) {
    case "TIMESTAMP":
      return sql`${column} >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${interval(seconds)})`;
    case "DATE":
      return sql`${column} >= DATE_SUB(CURRENT_DATE(), INTERVAL ${civilDays} DAY)`;
    case "DATETIME":
      return sql`${column} >= DATETIME_SUB(CURRENT_DATETIME(), INTERVAL ${civilDays} DAY)`;
  }
}

function interval(seconds: number): Sql {
  if (seconds % DAY === 0) return sql`${integer(seconds / DAY)} ${datePart("DAY")}`;
  if (seconds % HOUR === 0) return sql`${integer(seconds / HOUR)} ${datePart("HOUR")}`;
  return sql`${integer(Math.ceil(seconds / 60))} ${datePart("MINUTE")}`;
}
