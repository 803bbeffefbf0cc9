/**
 * Emits generated/terraform/: a Terraform module (JSON configuration) that deploys every entity —
 * Pub/Sub schema, topic, BigQuery subscription with its dead-letter path, the service agent's
 * grants, datasets, tables in the live column order, views, and the alerts of the freshness
 * contracts and of every subscription. Terraform or OpenTofu applies it; see docs/deployment.md.
 */
import type { Entity } from "../../model/types.js";
import { Problems } from "../../model/errors.js";
import { entitiesByDataset } from "../../physical/datasets.js";
import { planned, type Emitter, type PlannedFile } from "../emitter.js";
import { entityAlertPolicies, scheduledActivityCheck, scheduledFreshnessChecks } from "./alerts.js";
import { datasetResources } from "./datasets.js";
import { entityResources } from "./entity-resources.js";
import { printConfig, type ConfigValue } from "./json-config.js";
import { localsConfig, outputsConfig, variablesConfig, versionsConfig } from "./module-files.js";
import { deploymentNames, entityKey } from "./names.js";
import { bigQueryNames } from "../../physical/bigquery-names.js";

export const terraformEmitter: Emitter = {
  name: "terraform",
  check({ model }) {
    const problems = new Problems();
    checkNames(model.entities, problems);
    problems.throwIfAny();
  },
  plan({ model, physical }) {
    // No entity, no module (and no files for `generate` to keep).
    if (model.entities.length === 0) return [];
    return [
      file("versions.tf.json", versionsConfig),
      file("variables.tf.json", () => variablesConfig(model)),
      file("locals.tf.json", localsConfig),
      ...[...entitiesByDataset(model.entities)].map(([dataset, entities]) =>
        file(`${dataset}.tf.json`, () => {
          const checks = { ...scheduledFreshnessChecks(dataset, entities), ...scheduledActivityCheck(dataset) };
          return {
            resource: {
              ...datasetResources(dataset, entities),
              google_bigquery_data_transfer_config: checks,
            },
          };
        }),
      ),
      ...model.entities.map((entity) =>
        file(`${entityKey(entity)}.tf.json`, () => ({
          resource: { ...entityResources(entity, physical.of(entity)), google_monitoring_alert_policy: entityAlertPolicies(entity) },
        })),
      ),
      file("outputs.tf.json", () => outputsConfig(model.entities)),
    ];
  },
};

function file(name: string, config: () => ConfigValue): PlannedFile {
  return planned(`terraform/${name}`, () => printConfig(config()));
}

/**
 * The module adds objects next to the generated ones (dead-letter topics and tables, the
 * BigQuery subscription); one of them must not take the name of another entity's object.
 */
function checkNames(entities: readonly Entity[], problems: Problems): void {
  const topics = new Map<string, Entity>();
  const tables = new Map<string, Entity>();
  // The entities' own names; the names the module adds are checked against them.
  for (const entity of entities) {
    const bq = bigQueryNames(entity);
    topics.set(entity.topic, entity);
    for (const name of [bq.table, bq.eventsView, bq.latestView, bq.latestStateTable, bq.eventsFunction, bq.latestFunction]) tables.set(`${entity.dataset}.${name}`, entity);
  }
  for (const entity of entities) {
    const names = deploymentNames(entity);
    const other = topics.get(names.deadLetterTopic);
    if (other !== undefined && other !== entity) {
      problems.add(
        entity.location,
        entity.typeName,
        `its dead-letter topic ${names.deadLetterTopic} is the topic of ${other.typeName}`,
        `give one of them another topic with (entity.v1.entity).topic`,
      );
    }
    const table = tables.get(`${entity.dataset}.${names.deadLetterTable}`);
    if (table !== undefined && table !== entity) {
      problems.add(
        entity.location,
        entity.typeName,
        `its dead-letter table ${entity.dataset}.${names.deadLetterTable} has the name of a table or view of ${table.typeName}`,
        `give one of them another table name with (entity.v1.entity).table`,
      );
    }
  }
}
