/** Emits generated/pubsub/: per entity, its topic schema and a manifest for deploy tooling. */
import { checkTopicSchemaAgainstTable, formatFindings, type SubscriptionSettings } from "../../compat/index.js";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { Entity } from "../../model/types.js";
import { tableSchema } from "../bigquery/table-schema.js";
import { Problems } from "../../model/errors.js";
import type { Emitter } from "../emitter.js";
import { PLUGIN_NAME } from "../../version.js";
import { printTopicSchema } from "./proto-text.js";
import { entityTopicSchema, subscriptionName, topicMessageTypeName, type TopicSchema } from "./topic-schema.js";

/** Pub/Sub's limit for a schema definition. */
export const MAX_SCHEMA_BYTES = 300 * 1024;

/** How the manifest configures every entity's BigQuery subscription; the check assumes the same. */
export const SUBSCRIPTION_SETTINGS: SubscriptionSettings = { writeMetadata: true, dropUnknownFields: false };

export const pubsubEmitter: Emitter = {
  name: "pubsub",
  check({ model }) {
    const problems = new Problems();
    for (const entity of model.entities) {
      const { schema, descriptor } = entityTopicSchema(entity);
      assertFitsTable(entity, schema, descriptor);
      // Printed again when emitted: 5 MB of text for 1,000 entities costs less to print twice than to hold.
      const size = Buffer.byteLength(printTopicSchema(schema), "utf8");
      if (size > MAX_SCHEMA_BYTES) {
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
  *emit({ model }) {
    for (const entity of model.entities) {
      const { schema } = entityTopicSchema(entity);
      yield { name: `pubsub/${schema.fileName}`, content: printTopicSchema(schema) };
      yield { name: `pubsub/${entity.topic}.manifest.json`, content: manifest(entity, schema.fileName) };
    }
  },
};

/**
 * The subscription refuses a table that does not fit the topic schema, and then writes nothing;
 * better to find out here. The model is meant to make this impossible, so a finding is a bug in
 * the mapping, reported with everything needed to file it.
 */
function assertFitsTable(entity: Entity, schema: TopicSchema, descriptor: FileDescriptorProto): void {
  const findings = checkTopicSchemaAgainstTable(descriptor, entity.eventName, tableSchema(entity), SUBSCRIPTION_SETTINGS);
  if (findings.length === 0) return;
  throw new Error(
    `${entity.protoFile}: ${entity.typeName}: the topic schema ${schema.fileName} does not fit the BigQuery table ` +
      `${entity.project}.${entity.dataset}.${entity.table}, so the subscription would not write its messages; nothing was generated:\n` +
      formatFindings(findings).replace(/^/gm, "  ") +
      "\n  This is a bug in protoc-gen-entity's mapping: please report it with the entity's .proto.",
  );
}

/** What deploy tooling (Terraform, gcloud scripts) needs to create the topic and its subscription. */
function manifest(entity: Entity, schemaFile: string): string {
  const content = {
    generatedBy: PLUGIN_NAME,
    entity: entity.typeName,
    source: entity.protoFile,
    topic: entity.topic,
    schema: {
      name: entity.topic,
      type: "PROTOCOL_BUFFER",
      file: schemaFile,
      messageType: topicMessageTypeName(entity),
      encoding: "BINARY",
    },
    orderingKey: entity.idColumn.path.join("."),
    subscription: {
      name: subscriptionName(entity),
      bigqueryConfig: {
        table: `${entity.project}.${entity.dataset}.${entity.table}`,
        useTopicSchema: true,
        writeMetadata: SUBSCRIPTION_SETTINGS.writeMetadata,
        dropUnknownFields: SUBSCRIPTION_SETTINGS.dropUnknownFields,
      },
      enableMessageOrdering: true,
    },
  };
  return JSON.stringify(content, null, 2) + "\n";
}
