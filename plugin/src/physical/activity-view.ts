/**
 * One view per dataset that compares, for every entity in it, the events of the last hour with
 * the same hour of the previous weeks: "no event at 10:00 on a Monday" is wrong for a stream that
 * usually has thousands then, and normal at 03:00 on a Sunday. An alert watches is_low and the
 * dataset's low_entities.
 */
import type { Entity } from "../model/types.js";
import { PLUGIN_NAME } from "../version.js";
import { ACTIVITY_VIEW, bigQueryNames } from "./bigquery-names.js";
import { labelValue } from "./table-metadata.js";
import { recentPartitionsFilter } from "./freshness-view.js";
import { identifier, integer, joined, labels, options, qualifiedName, sql, stringLiteral, type Sql } from "../printers/sql.js";

/** The window compared: the last hour (by publish_time, when the events reached Pub/Sub). */
export const ACTIVITY_WINDOW_SECONDS = 3600;
/** The same window of this many previous weeks is the usual level. */
export const ACTIVITY_HISTORY_WEEKS = 4;
// The usual level is the median of the previous weeks: one busy or broken week does not move it.
/** Fewer previous weeks with events than this (a new entity): no baseline, never LOW. */
export const ACTIVITY_MIN_WEEKS_WITH_EVENTS = 3;
/** A usual level below this many events is noise (one event more or less is no outage): never LOW. */
export const ACTIVITY_MIN_USUAL_EVENTS = 10;
/** LOW when the window has less than 1/LOW_DIVISOR of the usual level. */
export const ACTIVITY_LOW_DIVISOR = 4;

const WEEK_SECONDS = 7 * 86_400;

export const ACTIVITY_STATUSES = ["OK", "LOW", "NO_BASELINE"] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const ACTIVITY_VIEW_DESCRIPTION =
  `Activity of every entity in this dataset: its distinct events of the last ${ACTIVITY_WINDOW_SECONDS / 3600} hour (by publish_time) against the same hour of the previous ${ACTIVITY_HISTORY_WEEKS} weeks ` +
  `(previous_weeks, latest first; usual_events is their median). Status LOW when events < usual_events / ${ACTIVITY_LOW_DIVISOR}; ` +
  `NO_BASELINE when fewer than ${ACTIVITY_MIN_WEEKS_WITH_EVENTS} previous weeks had events or usual_events < ${ACTIVITY_MIN_USUAL_EVENTS}; low_entities counts LOW entities, to alert on.`;

export function activityViewStatement(project: string, dataset: string, entities: readonly Entity[]): string {
  const viewOptions = options([
    ["description", stringLiteral(ACTIVITY_VIEW_DESCRIPTION)],
    ["labels", labels([["generated_by", labelValue(PLUGIN_NAME)]])],
  ]);
  return sql`CREATE OR REPLACE VIEW ${qualifiedName(project, dataset, ACTIVITY_VIEW)}\n${viewOptions}\nAS\n${activityViewSql(entities)};\n`.text;
}

/** The activity view's query alone, for a Terraform view resource. */
export function activityViewQuery(entities: readonly Entity[]): string {
  return activityViewSql(entities).text;
}

function activityViewSql(entities: readonly Entity[]): Sql {
  const weeks = ACTIVITY_HISTORY_WEEKS;
  // The median of an even count is the mean of the middle two.
  const median = weeks % 2 === 0 ? sql`LIMIT 2 OFFSET ${integer(weeks / 2 - 1)}` : sql`LIMIT 1 OFFSET ${integer((weeks - 1) / 2)}`;
  const low = sql`events * ${integer(ACTIVITY_LOW_DIVISOR)} < usual_events`;
  const baseline = sql`weeks_with_events >= ${integer(ACTIVITY_MIN_WEEKS_WITH_EVENTS)} AND usual_events >= ${integer(ACTIVITY_MIN_USUAL_EVENTS)}`;
  return joined([
    sql`WITH counts AS (`,
    joined(entities.map(countsOf), sql`\n  UNION ALL\n`),
    sql`),`,
    sql`baselines AS (`,
    sql`  SELECT`,
    sql`    *,`,
    sql`    (SELECT AVG(n) FROM (SELECT n FROM UNNEST(previous_weeks) AS n ORDER BY n ${median})) AS usual_events,`,
    sql`    (SELECT COUNTIF(n > 0) FROM UNNEST(previous_weeks) AS n) AS weeks_with_events`,
    sql`  FROM counts`,
    sql`),`,
    sql`statuses AS (`,
    sql`  SELECT`,
    sql`    *,`,
    sql`    CASE`,
    sql`      WHEN NOT (${baseline}) THEN ${stringLiteral("NO_BASELINE")}`,
    sql`      WHEN ${low} THEN ${stringLiteral("LOW")}`,
    sql`      ELSE ${stringLiteral("OK")}`,
    sql`    END AS status`,
    sql`  FROM baselines`,
    sql`)`,
    sql`SELECT`,
    sql`  entity,`,
    sql`  topic,`,
    sql`  table_name,`,
    sql`  CAST(${integer(ACTIVITY_WINDOW_SECONDS)} AS INT64) AS window_seconds,`,
    sql`  events,`,
    sql`  previous_weeks,`,
    sql`  usual_events,`,
    sql`  weeks_with_events,`,
    sql`  status,`,
    sql`  status = ${stringLiteral("LOW")} AS is_low,`,
    sql`  COUNTIF(status = ${stringLiteral("LOW")}) OVER () AS low_entities,`,
    sql`  CURRENT_TIMESTAMP() AS checked_at`,
    sql`FROM statuses`,
  ]);
}

/**
 * One row per entity whatever its table holds (an aggregate without GROUP BY): the distinct
 * events (event_id, else the Pub/Sub message) of the window now and of the same window 1…N weeks
 * ago. The ranges on publish_time prune a table partitioned by it to those hours.
 */
function countsOf(entity: Entity): Sql {
  const names = bigQueryNames(entity);
  const publishTime = identifier("publish_time");
  const ago = (seconds: number) => sql`TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${integer(seconds)} SECOND)`;
  const ranges = Array.from({ length: ACTIVITY_HISTORY_WEEKS + 1 }, (_, week) =>
    sql`(${publishTime} > ${ago(week * WEEK_SECONDS + ACTIVITY_WINDOW_SECONDS)} AND ${publishTime} <= ${ago(week * WEEK_SECONDS)})`,
  );
  const partitionFilter =
    entity.partitioning.column === "publish_time"
      ? []
      : [sql`      AND ${recentPartitionsFilter(entity.partitioning, ACTIVITY_HISTORY_WEEKS * WEEK_SECONDS + ACTIVITY_WINDOW_SECONDS)}`];
  const week = (n: number) => sql`COUNT(DISTINCT IF(weeks_ago = ${integer(n)}, event_key, NULL))`;
  const previous = Array.from({ length: ACTIVITY_HISTORY_WEEKS }, (_, i) => week(i + 1));
  return joined([
    sql`  SELECT`,
    sql`    ${stringLiteral(entity.typeName)} AS entity,`,
    sql`    ${stringLiteral(entity.topic)} AS topic,`,
    sql`    ${stringLiteral(names.table)} AS table_name,`,
    sql`    ${week(0)} AS events,`,
    sql`    [${joined(previous, sql`, `)}] AS previous_weeks`,
    sql`  FROM (`,
    sql`    SELECT`,
    sql`      DIV(TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), ${publishTime}, SECOND), ${integer(WEEK_SECONDS)}) AS weeks_ago,`,
    sql`      COALESCE(CONCAT('event:', ${identifier("event_id")}), CONCAT('message:', ${identifier("message_id")})) AS event_key`,
    sql`    FROM ${qualifiedName(entity.project, entity.dataset, names.table)}`,
    sql`    WHERE (${joined(ranges, sql`\n      OR `)})`,
    ...partitionFilter,
    sql`      AND MOD(TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), ${publishTime}, SECOND), ${integer(WEEK_SECONDS)}) < ${integer(ACTIVITY_WINDOW_SECONDS)}`,
    sql`  )`,
  ]);
}
