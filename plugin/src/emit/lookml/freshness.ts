/**
 * The freshness view of a dataset (one row per entity: last event, lag, thresholds, status) as a
 * LookML view and explore, for a dashboard of which streams went quiet.
 */
import type { Entity } from "../../model/types.js";
import { FRESHNESS_STATUSES } from "../bigquery/freshness-view.js";
import { FRESHNESS_VIEW, qualifiedName } from "../bigquery/names.js";
import { exploreBlock } from "./explores.js";
import { count, freeName, relationViews, type SourceColumn } from "./fields.js";
import { atom, block, liquidLiteral, sql, str, type LookmlBlock } from "./lookml-text.js";

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
    column("lag_seconds", "INT64", "Seconds since the latest event reached Pub/Sub."),
    column("warn_after_seconds", "INT64", "The contract's warn_after in seconds; empty when the contract sets none."),
    column("error_after_seconds", "INT64", "The contract's error_after in seconds; empty when the contract sets none."),
    column("lookback_seconds", "INT64", "How far back the table was read to find the latest event."),
    column("status", "STRING", `Freshness against the contract: ${FRESHNESS_STATUSES.join(", ")}.`, FRESHNESS_STATUSES),
    column("checked_at", "TIMESTAMP", "When the view was queried."),
  ];
}

export function freshnessLookml(view: string, project: string, dataset: string, entities: readonly Entity[]): { view: LookmlBlock[]; explore: LookmlBlock } {
  const relation = relationViews({
    view,
    label: `Entity Freshness (${dataset})`,
    sqlTableName: qualifiedName(project, dataset, FRESHNESS_VIEW),
    columns: freshnessColumns(entities),
    primaryKey: "entity",
    measures: (_, taken) => {
      const lagName = freeName("max_lag_seconds", taken);
      taken.add(lagName);
      return [
        count(freeName("count", taken), "Number of entities."),
        block("measure", lagName, [
          atom("type", "max"),
          str("description", liquidLiteral("The largest lag among the entities, in seconds.")),
          sql("sql", "${lag_seconds}"),
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
  });
  return { view: [...relation.views], explore };
}
