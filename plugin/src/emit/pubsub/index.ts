/**
 * Emits generated/pubsub/: per entity, its topic schema and its conformance vectors (vectors.ts). How the topic and its subscription are
 * deployed is the Terraform module's (generated/terraform/), the one description of the deployment.
 */
import { checkGeneratedTopicSchemaAgainstTable, formatFindings } from "../../compat/index.js";
import { SUBSCRIPTION_SETTINGS } from "../../physical/artifact-names.js";
import type { Entity } from "../../model/types.js";
import type { BigQueryField } from "../../physical/table-schema.js";
import { Problems } from "../../model/errors.js";
import { planned, type Emitter } from "../emitter.js";
import { topicSchemaFileName, type TopicSchema } from "../../physical/topic-schema.js";
import { printTopicSchema, topicSchemaSizeBound } from "../../physical/topic-schema-text.js";
import { printEntityVectors } from "./vectors.js";

/** The conformance vectors' file, next to the topic schema. */
export function vectorsFileName(entity: Entity): string {
  return `${entity.topic}.vectors.json`;
}

/** Pub/Sub's limit for a schema definition. */
export const MAX_SCHEMA_BYTES = 300 * 1024;

export const pubsubEmitter: Emitter = {
  name: "pubsub",
  readsDescriptors: true,
  plan({ model, physical }) {
    return model.entities.flatMap((entity) => {
      return [
        planned(`pubsub/${topicSchemaFileName(entity)}`, () => physical.of(entity).topicSchemaText),
        planned(`pubsub/${vectorsFileName(entity)}`, () => printEntityVectors(entity, physical.of(entity).topicSchema.schema)),
      ];
    });
  },
  check({ model, physical }) {
    const problems = new Problems();
    for (const entity of model.entities) {
      const { topicSchema, tableSchema } = physical.of(entity);
      const { schema } = topicSchema;
      assertFitsTable(entity, schema, tableSchema);
      const size = sizeOverLimit(schema);
      if (size !== undefined) {
        problems.add(
          entity.location,
          entity.typeName,
          `its topic schema ${schema.fileName} would have ${size.toLocaleString("en")} bytes; Pub/Sub accepts at most ${MAX_SCHEMA_BYTES.toLocaleString("en")}`,
          "leave out fields the warehouse does not need with [(entity.v1.field).ignore = true], or shorten their comments (they become the schema's comments)",
        );
      }
    }
    problems.throwIfAny();
  },
};

/**
 * The size of the schema's text in UTF-8 when it is over Pub/Sub's limit, else undefined. The text
 * is what the file and the Terraform module write, printed there; it is printed here too only when
 * the bound from its strings' lengths does not already show it small enough (printing every
 * entity's schema only to measure it cost as much as the check's compatibility walk).
 */
function sizeOverLimit(schema: TopicSchema): number | undefined {
  if (topicSchemaSizeBound(schema) <= MAX_SCHEMA_BYTES) return undefined;
  const size = Buffer.byteLength(printTopicSchema(schema), "utf8");
  return size > MAX_SCHEMA_BYTES ? size : undefined;
}

/**
 * The subscription refuses a table that does not fit the topic schema, and then writes nothing;
 * better to find out here. The model is meant to make this impossible, so a finding is a bug in
 * the mapping, reported with everything needed to file it.
 */
function assertFitsTable(entity: Entity, schema: TopicSchema, table: readonly BigQueryField[]): void {
  const findings = checkGeneratedTopicSchemaAgainstTable(schema, entity.eventName, table, SUBSCRIPTION_SETTINGS);
  if (findings.length === 0) return;
  throw new Error(
    `${entity.protoFile}: ${entity.typeName}: the topic schema ${schema.fileName} does not fit the BigQuery table ` +
      `${entity.project}.${entity.dataset}.${entity.table}, so the subscription would not write its messages; nothing was generated:\n` +
      formatFindings(findings).replace(/^/gm, "  ") +
      "\n  This is a bug in protoc-gen-entity's mapping: please report it with the entity's .proto.",
  );
}
