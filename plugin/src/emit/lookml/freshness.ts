/**
 * The freshness view of a dataset (one row per entity: last event, lag, thresholds, status) as a
 * LookML view and explore, for a dashboard of which streams went quiet.
 */
import type { Entity } from "../../model/types.js";
import { FRESHNESS_STATUSES, STALE_STATUSES } from "../../physical/freshness-view.js";
import { FRESHNESS_VIEW } from "../../physical/bigquery-names.js";
import { lookmlTableName } from "../../semantic/lookml-names.js";
import { exploreBlock } from "../../semantic/explores.js";
import { count, freeName, relationViews, type SourceColumn } from "../../semantic/fields.js";
import { atom, block, liquidLiteral, sql, str, type LookmlBlock, type LookmlWriter } from "../../printers/lookml-text.js";

function column(name: string, bigQueryType: SourceColumn["bigQueryType"], description: string, enumValues?: readonly string[]): SourceColumn {
  return { name, bigQueryType, mode: "NULLABLE", description, pii: false, enumValues, references: undefined, fields: [] };
}

/** The columns of the BigQuery freshness view. */
function freshnessColumns(entities: readonly Entity[]): SourceColumn[] {
  return [
    column("entity", "STRING", "Fully qualified Protobuf message name of the entity.", entities.map((e) => e.typeName)),
    column("topic", "STRING", "Pub/Sub topic of the entity."),
    column("table_name", "STRING", "BigQuery table the topic is written to."),
    column("last_publish_time", "TIMESTAMP", "When Pub/Sub received the entity's latest event in the lookback window."),
    column("last_occurred_at", "TIMESTAMP", "When the latest event's change happened, as its producer saw it."),
    column("lag_seconds", "INT64", "Seconds since the latest event reached Pub/Sub; lookback_seconds (a lower bound) when none arrived in the lookback window."),
    column("warn_after_seconds", "INT64", "The contract's warn_after in seconds; empty when the contract sets none."),
    column("error_after_seconds", "INT64", "The contract's error_after in seconds; empty when the contract sets none."),
    column("lookback_seconds", "INT64", "How far back the table was read to find the latest event."),
    column("data_in_window", "BOOL", "Whether an event arrived within the lookback window."),
    column("status", "STRING", `Freshness against the contract: ${FRESHNESS_STATUSES.join(", ")}.`, FRESHNESS_STATUSES),
    column("is_stale", "BOOL", `Whether the status is ${STALE_STATUSES.join(" or ")}: late against the contract, or silent for the whole lookback window.`),
    column("checked_at", "TIMESTAMP", "When the view was queried."),
  ];
}

/** The measure a freshness alert watches. */
export const STALE_ENTITIES = "stale_entities";

export function freshnessLookml(
  view: string,
  project: string,
  dataset: string,
  entities: readonly Entity[],
): { writeView: (writer: LookmlWriter) => void; explore: LookmlBlock; lastPublishGroup: string } {
  const relation = relationViews({
    view,
    label: `Entity Freshness (${dataset})`,
    sqlTableName: lookmlTableName(dataset, FRESHNESS_VIEW),
    columns: freshnessColumns(entities),
    primaryKey: { column: "entity" },
    rowsRepeat: false,
    highFrequency: true,
    drillColumns: ["entity", "status", "lag_seconds", "last_publish_time"],
    measures: (_, taken) => {
      const lagName = freeName("max_lag_seconds", taken);
      taken.add(lagName);
      const countName = freeName("count", taken);
      taken.add(countName);
      const staleName = freeName(STALE_ENTITIES, taken);
      taken.add(staleName);
      return [
        count(countName, "Number of entities."),
        block("measure", lagName, [
          atom("type", "max"),
          str("description", liquidLiteral("The largest lag among the entities, in seconds; empty when no entity has data.")),
          sql("sql", "${lag_seconds}"),
          atom("value_format_name", "decimal_0"),
        ]),
        // An alert needs a number that is never NULL: COUNTIF over no rows is 0, not NULL.
        block("measure", staleName, [
          atom("type", "number"),
          str("label", "Stale Entities"),
          str("description", liquidLiteral(`Number of stale entities (status ${STALE_STATUSES.join(" or ")}, or missing): late, or without any event in the lookback window. 0 when every stream is on time; never empty, so a Looker alert can watch it.`)),
          sql("sql", "COUNTIF(${TABLE}.is_stale IS NULL OR ${TABLE}.is_stale)"),
          atom("value_format_name", "decimal_0"),
        ]),
      ];
    },
    where: `freshness view of dataset ${dataset}`,
  });
  const explore = exploreBlock({
    name: view,
    label: `Entity Freshness (${dataset})`,
    description: `Last event, lag and status of every entity in ${project}.${dataset}, against the freshness its contract expects.`,
    tags: [],
    unnestJoins: [],
    referenceJoins: [],
    reservedNames: [new Set([view])],
    alwaysFilter: [],
    // Freshness is about now: a cached answer would hide a stream that just went quiet.
    persistFor: "0 seconds",
  });
  const lastPublishGroup = relation.timeGroups.get("last_publish_time");
  if (lastPublishGroup === undefined) throw new Error("internal error: the freshness view has no last_publish_time group");
  return { writeView: relation.writeViews, explore, lastPublishGroup };
}
