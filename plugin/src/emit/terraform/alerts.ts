/**
 * Alerting: the freshness contract becomes a page when an entity's business events stop, and
 * every subscription is watched for messages it gave up on and for a backlog that does not drain.
 *
 * Cloud Monitoring's metric-absence condition waits at most 23.5 hours, so a threshold up to that
 * is an alert policy on the topic's publish metric; a longer one is a BigQuery scheduled query over
 * the dataset's freshness view that calls ERROR() when an entity is late, and a failed run
 * notifies (e-mail to the owner of the transfer, and the optional Pub/Sub topic).
 */
import type { Entity, FreshnessPeriod } from "../../model/types.js";
import { ACTIVITY_VIEW, FRESHNESS_VIEW } from "../../physical/bigquery-names.js";
import { joined, qualifiedNameAroundProject, sql, stringLiteral, type Sql } from "../../printers/sql.js";
import { activityViewKey, freshnessViewKey } from "./datasets.js";
import { expr, MODULE_INPUTS, template, type ConfigValue } from "./json-config.js";
import { deploymentNames, entityKey } from "./names.js";

/** Cloud Monitoring's longest metric-absence duration: 23.5 hours. */
export const MAX_ABSENCE_SECONDS = 84_600;

export type Severity = "WARNING" | "ERROR";

/** One freshness expectation of an entity and how it is watched. */
export interface FreshnessAlert {
  readonly entity: Entity;
  readonly severity: Severity;
  readonly after: FreshnessPeriod;
  readonly mechanism: "metric_absence" | "scheduled_query";
}

export function freshnessAlerts(entity: Entity): FreshnessAlert[] {
  const alerts: FreshnessAlert[] = [];
  const add = (severity: Severity, after: FreshnessPeriod | undefined) => {
    if (after === undefined) return;
    alerts.push({ entity, severity, after, mechanism: after.seconds <= MAX_ABSENCE_SECONDS ? "metric_absence" : "scheduled_query" });
  };
  add("WARNING", entity.freshness.warnAfter);
  add("ERROR", entity.freshness.errorAfter);
  return alerts;
}

const SEVERITY_WORD: Record<Severity, string> = { WARNING: "warn", ERROR: "error" };

/**
 * What a check of this severity fails on: any stale entity (is_stale: WARN or ERROR, silence for
 * the whole window included), or an entity in ERROR.
 */
const LATE_CONDITION: Record<Severity, Sql> = { WARNING: sql`is_stale`, ERROR: sql`status = ${stringLiteral("ERROR")}` };

function common(): Record<string, ConfigValue> {
  return {
    project: MODULE_INPUTS.projectId,
    combiner: "OR",
    notification_channels: MODULE_INPUTS.notificationChannels,
    user_labels: expr("merge(var.labels, { generated_by = \"protoc-gen-entity\" })"),
  };
}

/** Metric-absence policies for the entity's short thresholds, and its subscription's alerts. */
export function entityAlertPolicies(entity: Entity): Record<string, ConfigValue> {
  const key = entityKey(entity);
  const names = deploymentNames(entity);
  const policies: Record<string, ConfigValue> = {};
  for (const alert of freshnessAlerts(entity)) {
    if (alert.mechanism !== "metric_absence") continue;
    const word = SEVERITY_WORD[alert.severity];
    policies[`${key}__freshness_${word}`] = {
      ...common(),
      display_name: `${entity.typeName}: no event for ${alert.after.text} (${word})`,
      severity: alert.severity,
      conditions: [
        {
          display_name: `No message published to ${names.topic} for ${alert.after.text}`,
          condition_absent: [
            {
              filter: template(
                'resource.type = "pubsub_topic" AND metric.type = "pubsub.googleapis.com/topic/send_request_count" AND resource.label.topic_id = "',
                expr(`google_pubsub_topic.${key}.name`),
                '"',
              ),
              duration: `${alert.after.seconds}s`,
              aggregations: [{ alignment_period: "60s", per_series_aligner: "ALIGN_SUM" }],
              trigger: [{ count: 1 }],
            },
          ],
        },
      ],
      documentation: [
        {
          mime_type: "text/markdown",
          content:
            `No ${entity.typeName} event was published to the topic ${names.topic} for ${alert.after.text}; ` +
            `the contract (${entity.protoFile}) says ${word} after ${alert.after.text}. ` +
            `Check the producers of ${entity.typeName}; the dataset's ${FRESHNESS_VIEW} view shows the last event. See docs/deployment.md.`,
        },
      ],
    };
  }
  policies[`${key}__dead_letters`] = {
    ...common(),
    display_name: `${entity.typeName}: messages dead-lettered`,
    severity: "ERROR",
    conditions: [
      {
        display_name: `Messages of ${names.subscription} moved to ${names.deadLetterTopic}`,
        condition_threshold: [
          {
            filter: subscriptionFilter("dead_letter_message_count", key),
            comparison: "COMPARISON_GT",
            threshold_value: 0,
            duration: "0s",
            aggregations: [{ alignment_period: "300s", per_series_aligner: "ALIGN_SUM" }],
            trigger: [{ count: 1 }],
          },
        ],
      },
    ],
    documentation: [
      {
        mime_type: "text/markdown",
        content:
          `BigQuery could not write some ${entity.typeName} messages after max_delivery_attempts; they are in the table ` +
          `${entity.dataset}.${names.deadLetterTable}. Find why (the table's schema, a producer's value), fix it and replay them: see docs/deployment.md.`,
      },
    ],
  };
  policies[`${key}__oldest_unacked`] = {
    ...common(),
    display_name: `${entity.typeName}: subscription backlog not draining`,
    severity: "WARNING",
    conditions: [
      {
        display_name: `Oldest unacked message of ${names.subscription}`,
        condition_threshold: [
          {
            filter: subscriptionFilter("oldest_unacked_message_age", key),
            comparison: "COMPARISON_GT",
            threshold_value: expr("var.oldest_unacked_age_alert_seconds"),
            duration: "300s",
            aggregations: [{ alignment_period: "60s", per_series_aligner: "ALIGN_MAX" }],
            trigger: [{ count: 1 }],
          },
        ],
      },
    ],
    documentation: [
      {
        mime_type: "text/markdown",
        content: `Messages of ${names.subscription} wait longer than expected: BigQuery is rejecting or throttling writes, or the subscription is detached. See docs/deployment.md.`,
      },
    ],
  };
  return policies;
}

function subscriptionFilter(metric: string, key: string): ConfigValue {
  return template(
    `resource.type = "pubsub_subscription" AND metric.type = "pubsub.googleapis.com/subscription/${metric}" AND resource.label.subscription_id = "`,
    expr(`google_pubsub_subscription.${key}.name`),
    '"',
  );
}

/** Scheduled queries for the dataset's thresholds beyond 23.5 hours, one per severity. */
export function scheduledFreshnessChecks(dataset: string, entities: readonly Entity[]): Record<string, ConfigValue> {
  const checks: Record<string, ConfigValue> = {};
  for (const severity of ["WARNING", "ERROR"] as const) {
    const late = entities.flatMap(freshnessAlerts).filter((a) => a.severity === severity && a.mechanism === "scheduled_query");
    if (late.length === 0) continue;
    const word = SEVERITY_WORD[severity];
    checks[`${freshnessViewKey(dataset)}__${word}`] = {
      project: MODULE_INPUTS.projectId,
      display_name: `Entity freshness ${word}: ${dataset}`,
      location: MODULE_INPUTS.location,
      data_source_id: "scheduled_query",
      schedule: expr("var.freshness_check_schedule"),
      service_account_name: MODULE_INPUTS.scheduledQueryServiceAccount,
      notification_pubsub_topic: MODULE_INPUTS.freshnessNotificationTopic,
      email_preferences: [{ enable_failure_email: true }],
      params: { query: freshnessCheckQuery(dataset, late.map((a) => a.entity.typeName), severity) },
      depends_on: [`google_bigquery_table.${freshnessViewKey(dataset)}`],
    };
  }
  return checks;
}

/**
 * Fails (ERROR()) when one of the entities is late for this severity: the count of such entities,
 * each with its status and lag (the lag of a silent entity is at least its lookback window).
 */
export function freshnessCheckQuery(dataset: string, entityNames: readonly string[], severity: Severity): ConfigValue {
  const threshold = severity === "ERROR" ? sql`error_after_seconds` : sql`warn_after_seconds`;
  const message = stringLiteral(`stale entities (${SEVERITY_WORD[severity]}): `);
  // The project is a Terraform variable: the query is a template with the variable between two SQL texts.
  const view = qualifiedNameAroundProject(dataset, FRESHNESS_VIEW);
  return template(
    joined([
      sql`SELECT IF(COUNT(*) = 0, 'fresh', ERROR(CONCAT(${message}, CAST(COUNT(*) AS STRING), ': ', STRING_AGG(`,
      sql`  FORMAT('%s: status %s, lag %d s%s, threshold %d s', entity, status, lag_seconds, IF(data_in_window, '', ' or more (no event in the lookback window)'), ${threshold}),`,
      sql`  '; ' ORDER BY entity)))) AS freshness`,
      sql`FROM ${view.before}`,
    ]).text,
    MODULE_INPUTS.projectId,
    joined([
      view.after,
      sql`WHERE entity IN (${joined(entityNames.map(stringLiteral), sql`, `)})`,
      sql`  AND ${LATE_CONDITION[severity]}`,
    ]).text,
  );
}

/** The dataset's activity check: fails when an entity's last hour is far below its usual level. */
export function scheduledActivityCheck(dataset: string): Record<string, ConfigValue> {
  return {
    [activityViewKey(dataset)]: {
      count: expr('var.activity_check_schedule == "" ? 0 : 1'),
      project: MODULE_INPUTS.projectId,
      display_name: `Entity activity: ${dataset}`,
      location: MODULE_INPUTS.location,
      data_source_id: "scheduled_query",
      schedule: expr("var.activity_check_schedule"),
      service_account_name: MODULE_INPUTS.scheduledQueryServiceAccount,
      notification_pubsub_topic: MODULE_INPUTS.freshnessNotificationTopic,
      email_preferences: [{ enable_failure_email: true }],
      params: { query: activityCheckQuery(dataset) },
      depends_on: [`google_bigquery_table.${activityViewKey(dataset)}`],
    },
  };
}

export function activityCheckQuery(dataset: string): ConfigValue {
  const view = qualifiedNameAroundProject(dataset, ACTIVITY_VIEW);
  return template(
    joined([
      sql`SELECT IF(COUNT(*) = 0, 'usual', ERROR(CONCAT('entities far below their usual activity: ', CAST(COUNT(*) AS STRING), ': ', STRING_AGG(`,
      sql`  FORMAT('%s: %d events in the last %d s, usually %.1f', entity, events, window_seconds, usual_events),`,
      sql`  '; ' ORDER BY entity)))) AS activity`,
      sql`FROM ${view.before}`,
    ]).text,
    MODULE_INPUTS.projectId,
    joined([view.after, sql`WHERE is_low`]).text,
  );
}
