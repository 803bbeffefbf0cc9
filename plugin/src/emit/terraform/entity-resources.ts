/**
 * Everything one entity needs to run: its Pub/Sub schema and topic, the BigQuery subscription
 * that writes the topic into the table, the dead-letter path (topic, its own BigQuery
 * subscription, a table where failed messages stay queryable), the service agent's grants, the
 * table and its views.
 */
import { TOPIC_MESSAGE_ENCODING } from "../../model/envelope.js";
import type { Entity } from "../../model/types.js";
import type { EntityPhysical } from "../../physical/entity-physical.js";
import { entityLabels, tableDescription } from "../../physical/table-metadata.js";
import type { BigQueryField } from "../../physical/table-schema.js";
import {
  eventsViewDescription,
  eventsViewQuery,
  latestStateMergeStatement,
  latestStateTableDescription,
  latestViewDescription,
  latestViewQuery,
} from "../../physical/views.js";
import { readRelations } from "../../physical/bigquery-names.js";
import { SUBSCRIPTION_SETTINGS } from "../../physical/artifact-names.js";
import { expr, MODULE_INPUTS, hclString, template, type ConfigValue, type Template } from "./json-config.js";
import { deploymentNames, entityKey, prefixed } from "./names.js";
import { datasetKey } from "./datasets.js";

/** The service agent's member string, from the module's locals. */
const SERVICE_AGENT = MODULE_INPUTS.pubsubServiceAgent;

/** Milliseconds in a day, for `partition_expiration_days` → `expiration_ms`. */
const DAY_MS = 86_400_000;

export function entityResources(entity: Entity, physical: EntityPhysical): Record<string, Record<string, ConfigValue>> {
  const key = entityKey(entity);
  const names = deploymentNames(entity);
  const tables = physical.names;
  const tableRef = (k: string) =>
    template(expr(`google_bigquery_table.${k}.project`), ".", expr(`google_bigquery_table.${k}.dataset_id`), ".", expr(`google_bigquery_table.${k}.table_id`));
  const labels = labelsExpression(entity);
  const reads = readResources(entity, physical, labels);
  return {
    google_pubsub_schema: {
      [key]: {
        project: MODULE_INPUTS.projectId,
        name: prefixed(names.topic),
        type: "PROTOCOL_BUFFER",
        // A changed definition becomes a new revision of the same schema (google provider ≥ 6.x
        // commits revisions in place); the evolution check keeps the change to what Pub/Sub allows.
        definition: physical.topicSchemaText,
      },
    },
    google_pubsub_topic: {
      [key]: {
        project: MODULE_INPUTS.projectId,
        name: prefixed(names.topic),
        labels,
        kms_key_name: MODULE_INPUTS.kmsKeyName,
        schema_settings: [{ schema: expr(`google_pubsub_schema.${key}.id`), encoding: TOPIC_MESSAGE_ENCODING }],
      },
      [`${key}__dead_letter`]: {
        project: MODULE_INPUTS.projectId,
        name: prefixed(names.deadLetterTopic),
        labels,
        kms_key_name: MODULE_INPUTS.kmsKeyName,
      },
    },
    google_pubsub_subscription: {
      [key]: {
        project: MODULE_INPUTS.projectId,
        name: prefixed(names.subscription),
        topic: expr(`google_pubsub_topic.${key}.id`),
        labels,
        bigquery_config: [
          {
            table: tableRef(key),
            use_topic_schema: true,
            write_metadata: SUBSCRIPTION_SETTINGS.writeMetadata,
            drop_unknown_fields: SUBSCRIPTION_SETTINGS.dropUnknownFields,
          },
        ],
        // Ordering gains nothing for a table whose views order by event time, and a message that
        // cannot be written would block every later message of its key.
        enable_message_ordering: false,
        message_retention_duration: MODULE_INPUTS.messageRetentionDuration,
        // A quiet entity must not lose its subscription after 31 days without messages.
        expiration_policy: [{ ttl: "" }],
        dead_letter_policy: [
          { dead_letter_topic: expr(`google_pubsub_topic.${key}__dead_letter.id`), max_delivery_attempts: MODULE_INPUTS.maxDeliveryAttempts },
        ],
        retry_policy: [{ minimum_backoff: "10s", maximum_backoff: "600s" }],
        // Pub/Sub checks at creation that its service agent may write the table.
        depends_on: [
          `google_bigquery_table_iam_member.${key}__writer`,
          `google_bigquery_dataset_iam_member.${datasetKey(entity.dataset)}__pubsub_metadata_viewer`,
          `google_pubsub_topic_iam_member.${key}__dead_letter_publisher`,
        ],
      },
      [`${key}__dead_letter`]: {
        project: MODULE_INPUTS.projectId,
        name: prefixed(names.deadLetterSubscription),
        topic: expr(`google_pubsub_topic.${key}__dead_letter.id`),
        labels,
        // The dead-letter topic has no schema: the message bytes land in `data` as published.
        bigquery_config: [{ table: tableRef(`${key}__dead_letter`), use_topic_schema: false, write_metadata: true, drop_unknown_fields: false }],
        enable_message_ordering: false,
        message_retention_duration: MODULE_INPUTS.messageRetentionDuration,
        expiration_policy: [{ ttl: "" }],
        depends_on: [
          `google_bigquery_table_iam_member.${key}__dead_letter_writer`,
          `google_bigquery_dataset_iam_member.${datasetKey(entity.dataset)}__pubsub_metadata_viewer`,
        ],
      },
    },
    google_pubsub_topic_iam_member: {
      [`${key}__dead_letter_publisher`]: {
        project: MODULE_INPUTS.projectId,
        topic: expr(`google_pubsub_topic.${key}__dead_letter.name`),
        role: "roles/pubsub.publisher",
        member: SERVICE_AGENT,
      },
    },
    google_pubsub_subscription_iam_member: {
      [`${key}__dead_letter_subscriber`]: {
        project: MODULE_INPUTS.projectId,
        subscription: expr(`google_pubsub_subscription.${key}.name`),
        role: "roles/pubsub.subscriber",
        member: SERVICE_AGENT,
      },
    },
    google_bigquery_table_iam_member: {
      [`${key}__writer`]: tableWriter(key),
      [`${key}__dead_letter_writer`]: tableWriter(`${key}__dead_letter`),
    },
    google_bigquery_table: {
      [key]: {
        ...projectScoped(entity.dataset),
        table_id: tables.table,
        description: tableDescription(entity),
        labels,
        // The live table's column order (the lock's), or Terraform shows a diff forever.
        schema: schemaText(physical.liveTableSchema),
        time_partitioning: [timePartitioning(entity)],
        require_partition_filter: entity.partitioning.requirePartitionFilter,
        clustering: entity.clustering.length > 0 ? [...entity.clustering] : undefined,
        deletion_protection: true,
        depends_on: [`google_bigquery_dataset.${datasetKey(entity.dataset)}`],
      },
      [`${key}__dead_letter`]: {
        ...projectScoped(entity.dataset),
        table_id: names.deadLetterTable,
        description: `Messages of the topic ${entity.topic} that the BigQuery subscription could not write after max_delivery_attempts, as published: replay them from here (docs/deployment.md).`,
        labels,
        schema: DEAD_LETTER_SCHEMA,
        time_partitioning: [{ type: "DAY", field: "publish_time" }],
        deletion_protection: true,
        depends_on: [`google_bigquery_dataset.${datasetKey(entity.dataset)}`],
      },
      ...reads.tables,
    },
    ...reads.others,
  };
}

/**
 * The relations the entity is read through (`readRelations`): its views, its latest-state table
 * and the scheduled MERGE that keeps it current. The time-bounded table functions are created from
 * generated/bigquery/ (docs/warehouse-reads.md): the provider schema the module is validated
 * against does not hold google_bigquery_routine yet.
 */
function readResources(
  entity: Entity,
  physical: EntityPhysical,
  labels: ConfigValue,
): { tables: Record<string, ConfigValue>; others: Record<string, Record<string, ConfigValue>> } {
  const key = entityKey(entity);
  const tables = physical.names;
  const reads = readRelations(entity);
  const views: Record<string, ConfigValue> = {};
  const merges: Record<string, ConfigValue> = {};
  if (reads.eventsView) {
    views[`${key}__events`] = view(entity, tables.eventsView, eventsViewDescription(entity), eventsViewQuery(entity), labels, [`google_bigquery_table.${key}`]);
  }
  if (reads.latest === "table") {
    // The physical layer makes the schema on every read: read once for the table and its MERGE.
    const tableSchema = physical.tableSchema;
    views[`${key}__latest_state`] = {
      ...projectScoped(entity.dataset),
      table_id: tables.latestStateTable,
      description: latestStateTableDescription(entity),
      labels,
      schema: schemaText(tableSchema),
      clustering: entity.idColumn.path.length === 1 ? [entity.idColumn.path[0]] : undefined,
      deletion_protection: true,
      depends_on: [`google_bigquery_dataset.${datasetKey(entity.dataset)}`],
    };
    merges[`${key}__latest_state`] = {
      project: MODULE_INPUTS.projectId,
      display_name: `Latest state of ${entity.typeName}`,
      location: MODULE_INPUTS.location,
      data_source_id: "scheduled_query",
      schedule: expr("var.latest_state_schedule"),
      service_account_name: MODULE_INPUTS.scheduledQueryServiceAccount,
      notification_pubsub_topic: MODULE_INPUTS.freshnessNotificationTopic,
      email_preferences: [{ enable_failure_email: true }],
      params: { query: queryInProject(latestStateMergeStatement(entity, tableSchema), entity.project) },
      depends_on: [`google_bigquery_table.${key}`, `google_bigquery_table.${key}__latest_state`],
    };
  }
  if (reads.latestView) {
    const source = reads.latest === "table" ? `google_bigquery_table.${key}__latest_state` : `google_bigquery_table.${key}`;
    views[`${key}__latest`] = view(entity, tables.latestView, latestViewDescription(entity), latestViewQuery(entity), labels, [source]);
  }
  return {
    tables: views,
    others: Object.keys(merges).length > 0 ? { google_bigquery_data_transfer_config: merges } : {},
  };
}

/** What a BigQuery subscription without a topic schema writes (`write_metadata`, `data` as BYTES). */
export const DEAD_LETTER_COLUMNS: readonly BigQueryField[] = [
  { name: "subscription_name", type: "STRING", mode: "NULLABLE", description: "The dead-letter subscription that wrote the row." },
  { name: "message_id", type: "STRING", mode: "NULLABLE", description: "Pub/Sub message id on the dead-letter topic." },
  { name: "publish_time", type: "TIMESTAMP", mode: "NULLABLE", description: "When the message reached the dead-letter topic." },
  { name: "data", type: "BYTES", mode: "NULLABLE", description: "The message as published to the entity's topic (topic-schema encoded)." },
  {
    name: "attributes",
    type: "STRING",
    mode: "NULLABLE",
    description: "JSON of the message's attributes, with CloudPubSubDeadLetterSourceSubscription, ...DeliveryCount and the ordering key.",
  },
];

/** The dead-letter table's schema text: the same for every entity, printed once per run. */
const DEAD_LETTER_SCHEMA = schemaText(DEAD_LETTER_COLUMNS);

function tableWriter(tableKey: string): Record<string, ConfigValue> {
  return {
    project: expr(`google_bigquery_table.${tableKey}.project`),
    dataset_id: expr(`google_bigquery_table.${tableKey}.dataset_id`),
    table_id: expr(`google_bigquery_table.${tableKey}.table_id`),
    role: "roles/bigquery.dataEditor",
    member: SERVICE_AGENT,
  };
}

/** A view resource over tables of `project` (the generated project), deployed in the module's project_id. */
export function view(
  at: { readonly project: string; readonly dataset: string },
  name: string,
  description: string,
  query: string,
  labels: ConfigValue,
  dependsOn: string[],
): Record<string, ConfigValue> {
  return {
    ...projectScoped(at.dataset),
    table_id: name,
    description,
    labels,
    view: [{ query: queryInProject(query, at.project), use_legacy_sql: false }],
    // A view holds no data, but dashboards and dbt depend on it: removing one takes a deliberate step too.
    deletion_protection: true,
    depends_on: dependsOn,
  };
}

/**
 * The generated SQL names its tables `project.dataset.table` with the contract's project; in the
 * module they are the tables of var.project_id.
 */
export function queryInProject(query: string, project: string): Template {
  const qualifier = `\`${project}.`;
  const parts: (string | ReturnType<typeof expr>)[] = [];
  query.split(qualifier).forEach((part, i) => {
    if (i > 0) parts.push("`", MODULE_INPUTS.projectId, ".");
    parts.push(part);
  });
  return template(...parts);
}

export function projectScoped(dataset: string): Record<string, ConfigValue> {
  return { project: MODULE_INPUTS.projectId, dataset_id: dataset };
}

/** The schema as the provider compares it: a JSON array in the API's spelling. */
function schemaText(fields: readonly BigQueryField[]): string {
  return JSON.stringify(fields);
}

function timePartitioning(entity: Entity): Record<string, ConfigValue | undefined> {
  const { partitioning } = entity;
  return {
    type: partitioning.granularity,
    field: partitioning.column,
    expiration_ms: partitioning.expirationDays !== undefined ? partitioning.expirationDays * DAY_MS : undefined,
  };
}

/** The module's labels, then the entity's (owner, package, generator). */
export function labelsExpression(entity: Entity): ConfigValue {
  const own = entityLabels(entity).map(([k, v]) => `${k} = ${hclString(v)}`);
  return expr(`merge(var.labels, { ${own.join(", ")} })`);
}
