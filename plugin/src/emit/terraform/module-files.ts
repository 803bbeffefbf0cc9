/**
 * The module's interface: what differs between environments comes in as variables, what other
 * modules need goes out as outputs; and the provider it is written for.
 */
import type { Entity, Model } from "../../model/types.js";
import { expr, type ConfigValue } from "./json-config.js";
import { entityKey } from "./names.js";

/** The oldest google provider with every argument the module sets (schema_settings, bigquery_config.drop_unknown_fields, alert severity). */
export const GOOGLE_PROVIDER_CONSTRAINT = ">= 6.0";

export function versionsConfig(): ConfigValue {
  return {
    terraform: {
      required_version: ">= 1.5",
      required_providers: { google: { source: "hashicorp/google", version: GOOGLE_PROVIDER_CONSTRAINT } },
    },
  };
}

interface Variable {
  readonly type: string;
  readonly description: string;
  readonly default?: ConfigValue;
  readonly nullable?: boolean;
  readonly validation?: readonly { readonly condition: ConfigValue; readonly error_message: string }[];
}

export function variablesConfig(model: Model): ConfigValue {
  const variables: Record<string, Variable> = {
    project_id: {
      type: "string",
      description: "The GCP project of the topics, subscriptions, tables and alerts. The contracts' project is the default.",
      default: model.project,
    },
    project_number: {
      type: "string",
      description:
        "The project's number, for the Pub/Sub service agent service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com. Null reads it with the google_project data source.",
      default: null,
    },
    location: { type: "string", description: "BigQuery location of the datasets and the scheduled freshness queries.", default: "US" },
    create_datasets: {
      type: "bool",
      description: "Create the BigQuery datasets; false when they are managed elsewhere (they must exist before apply).",
      default: true,
    },
    name_prefix: {
      type: "string",
      description: "Prefix of every Pub/Sub topic, schema and subscription name (e.g. `staging-`). BigQuery names are not prefixed.",
      default: "",
    },
    labels: { type: "map(string)", description: "Labels added to every resource that takes labels.", default: {} },
    notification_channels: {
      type: "list(string)",
      description: "Cloud Monitoring notification channel ids (projects/P/notificationChannels/N) of every alert policy.",
      default: [],
    },
    kms_key_name: {
      type: "string",
      description: "Cloud KMS key of the topics (customer-managed encryption); null uses Google-managed keys. See docs/deployment.md for the tables.",
      default: null,
    },
    message_retention_duration: {
      type: "string",
      description: "How long a subscription keeps an unacknowledged message (at most 31 days).",
      default: "604800s",
    },
    max_delivery_attempts: {
      type: "number",
      description: "Deliveries of a message BigQuery cannot write before it moves to the dead-letter topic (5 to 100).",
      default: 5,
      validation: [
        {
          condition: expr("var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100"),
          error_message: "Pub/Sub accepts max_delivery_attempts from 5 to 100.",
        },
      ],
    },
    oldest_unacked_age_alert_seconds: {
      type: "number",
      description: "Alert (warning) when a subscription's oldest unacknowledged message is older than this.",
      default: 3600,
    },
    freshness_check_schedule: {
      type: "string",
      description: "Schedule of the scheduled queries that check freshness thresholds beyond 23.5 hours.",
      default: "every 1 hours",
    },
    scheduled_query_service_account: {
      type: "string",
      description: "Service account the scheduled freshness queries run as; null runs them as the applying identity.",
      default: null,
    },
    latest_state_schedule: {
      type: "string",
      description: "Schedule of the scheduled MERGE that keeps each latest-state table current (entities whose table requires a partition filter). It reads the last 3 days of partitions, so a run may fail for two days without losing an event.",
      default: "every 1 hours",
    },
    activity_check_schedule: {
      type: "string",
      description: "Schedule of the scheduled query that fails when an entity's events of the last hour are far below the same hour of the previous weeks (the dataset's entity_activity view); an empty string creates none.",
      default: "every 1 hours",
    },
    freshness_notification_topic: {
      type: "string",
      description: "Pub/Sub topic (projects/P/topics/T) told of every failed scheduled freshness query, in addition to e-mail.",
      default: null,
    },
  };
  return { variable: variables as unknown as ConfigValue };
}

export function localsConfig(): ConfigValue {
  return {
    data: {
      google_project: {
        this: { count: expr("var.project_number == null ? 1 : 0"), project_id: expr("var.project_id") },
      },
    },
    locals: {
      project_number: expr("var.project_number != null ? var.project_number : data.google_project.this[0].number"),
      pubsub_service_agent: expr('"serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"'),
    },
  };
}

export function outputsConfig(entities: readonly Entity[]): ConfigValue {
  const map = (resource: string, suffix = "", attribute = "id") =>
    expr(`{\n${entities.map((e) => `    ${JSON.stringify(e.typeName)} = ${resource}.${entityKey(e)}${suffix}.${attribute}`).join("\n")}\n  }`);
  return {
    output: {
      topic_ids: { description: "Topic id per entity (fully qualified message name).", value: map("google_pubsub_topic") },
      subscription_ids: { description: "BigQuery subscription id per entity.", value: map("google_pubsub_subscription") },
      dead_letter_topic_ids: { description: "Dead-letter topic id per entity.", value: map("google_pubsub_topic", "__dead_letter") },
      table_ids: { description: "BigQuery table id (projects/P/datasets/D/tables/T) per entity.", value: map("google_bigquery_table") },
      dead_letter_table_ids: { description: "Dead-letter table id per entity.", value: map("google_bigquery_table", "__dead_letter") },
    },
  };
}
