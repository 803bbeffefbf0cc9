/**
 * Emits generated/pubsub/: per entity, its topic schema. How the topic and its subscription are
 * deployed is the Terraform module's (generated/terraform/), the one description of the deployment.
 */
import { checkTopicSchemaAgainstTable, formatFindings } from "../../compat/index.js";
import { SUBSCRIPTION_SETTINGS } from "../../physical/artifact-names.js";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { Entity } from "../../model/types.js";
import { tableSchema } from "../../physical/table-schema.js";
import { Problems } from "../../model/errors.js";
import type { Emitter } from "../emitter.js";
import { printTopicSchema } from "../../physical/topic-schema-text.js";
import { entityTopicSchema, type TopicSchema } from "../../physical/topic-schema.js";

/** Pub/Sub's limit for a schema definition. */
export const MAX_SCHEMA_BYTES = 300 * 1024;

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
