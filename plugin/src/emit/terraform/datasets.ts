/**
 * Per BigQuery dataset: the dataset itself (unless the module's create_datasets is false, for
 * teams whose datasets are managed elsewhere), the service agent's metadata access to it, and the
 * freshness and activity views over its entities.
 */
import type { Entity } from "../../model/types.js";
import { freshnessViewQuery, FRESHNESS_VIEW_DESCRIPTION } from "../../physical/freshness-view.js";
import { ACTIVITY_VIEW, FRESHNESS_VIEW } from "../../physical/bigquery-names.js";
import { activityViewQuery, ACTIVITY_VIEW_DESCRIPTION } from "../../physical/activity-view.js";
import { PLUGIN_NAME } from "../../version.js";
import { labelValue } from "../../physical/table-metadata.js";
import { expr, hclString, type ConfigValue } from "./json-config.js";
import { entityKey, resourceKey } from "./names.js";
import { view } from "./entity-resources.js";

export function datasetKey(dataset: string): string {
  return resourceKey(dataset);
}

export function freshnessViewKey(dataset: string): string {
  return `${datasetKey(dataset)}__${FRESHNESS_VIEW}`;
}

export function activityViewKey(dataset: string): string {
  return `${datasetKey(dataset)}__${ACTIVITY_VIEW}`;
}

const GENERATED_LABELS = expr(`merge(var.labels, { generated_by = ${hclString(labelValue(PLUGIN_NAME))} })`);

export function datasetResources(dataset: string, entities: readonly Entity[]): Record<string, Record<string, ConfigValue>> {
  const key = datasetKey(dataset);
  return {
    google_bigquery_dataset: {
      [key]: {
        count: expr("var.create_datasets ? 1 : 0"),
        project: expr("var.project_id"),
        dataset_id: dataset,
        location: expr("var.location"),
        description: `Entity events of ${[...new Set(entities.map((e) => e.protoPackage))].sort().join(", ")}, written by Pub/Sub BigQuery subscriptions.`,
        labels: GENERATED_LABELS,
        // Dropping the dataset must never take the event history with it.
        delete_contents_on_destroy: false,
      },
    },
    google_bigquery_dataset_iam_member: {
      // The subscription reads the table's metadata through the dataset before it writes.
      [`${key}__pubsub_metadata_viewer`]: {
        project: expr("var.project_id"),
        dataset_id: dataset,
        role: "roles/bigquery.metadataViewer",
        member: expr("local.pubsub_service_agent"),
        depends_on: [`google_bigquery_dataset.${key}`],
      },
    },
    google_bigquery_table: {
      [freshnessViewKey(dataset)]: view(
        { project: entities[0].project, dataset },
        FRESHNESS_VIEW,
        FRESHNESS_VIEW_DESCRIPTION,
        freshnessViewQuery(entities),
        GENERATED_LABELS,
        entities.map((e) => `google_bigquery_table.${entityKey(e)}`),
      ),
      [activityViewKey(dataset)]: view(
        { project: entities[0].project, dataset },
        ACTIVITY_VIEW,
        ACTIVITY_VIEW_DESCRIPTION,
        activityViewQuery(entities),
        GENERATED_LABELS,
        entities.map((e) => `google_bigquery_table.${entityKey(e)}`),
      ),
    },
  };
}
