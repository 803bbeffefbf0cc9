/**
 * Names in the Terraform module: resource keys (Terraform identifiers, unique per module) and the
 * names of the Pub/Sub and BigQuery objects each entity gets. The topic, its schema and its
 * subscriptions take the module's `name_prefix`; BigQuery names do not, because the generated SQL,
 * LookML and dbt sources refer to the tables by name.
 */
import type { Entity } from "../../model/types.js";
import { bigQueryNames } from "../../physical/bigquery-names.js";
import { subscriptionName } from "../../physical/topic-schema.js";
export { entityKey, resourceKey } from "../../physical/artifact-names.js";
import { template, expr, type Template } from "./json-config.js";

export interface DeploymentNames {
  /** The entity's topic, and its Pub/Sub schema of the same name. */
  readonly topic: string;
  /** The BigQuery subscription that writes the topic into the table. */
  readonly subscription: string;
  /** Where the subscription moves a message it could not write after max_delivery_attempts. */
  readonly deadLetterTopic: string;
  /** Writes the dead-letter topic into the dead-letter table. */
  readonly deadLetterSubscription: string;
  /** The table of dead letters: the message bytes and attributes, as the subscription got them. */
  readonly deadLetterTable: string;
}

export function deploymentNames(entity: Entity): DeploymentNames {
  return {
    topic: entity.topic,
    subscription: subscriptionName(entity),
    deadLetterTopic: `${entity.topic}-dead-letter`,
    deadLetterSubscription: `${entity.topic}-dead-letter-bigquery`,
    deadLetterTable: `${bigQueryNames(entity).table}_dead_letter`,
  };
}

/** A Pub/Sub name with the module's prefix. */
export function prefixed(name: string): Template {
  return template(expr("var.name_prefix"), name);
}
