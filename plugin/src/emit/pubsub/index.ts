/** Emits generated/pubsub/: per entity, its topic schema and a manifest for deploy tooling. */
import type { Entity } from "../../model/types.js";
import type { Emitter, OutputFile } from "../emitter.js";
import { GENERATOR_NAME } from "../header.js";
import { printTopicSchema } from "./proto-text.js";
import { buildTopicSchema, topicMessageTypeName } from "./topic-schema.js";

/** Pub/Sub's limit for a schema definition. */
export const MAX_SCHEMA_BYTES = 300 * 1024;

export const pubsubEmitter: Emitter = {
  name: "pubsub",
  emit({ model }) {
    return model.entities.flatMap((entity) => {
      const schema = buildTopicSchema(entity);
      const text = printTopicSchema(schema);
      const size = Buffer.byteLength(text, "utf8");
      if (size > MAX_SCHEMA_BYTES) {
        throw new Error(
          `${entity.protoFile}: ${entity.typeName}: its topic schema has ${size} bytes; Pub/Sub accepts at most ${MAX_SCHEMA_BYTES}.\n` +
            "  fix: ignore fields the warehouse does not need with [(entity.v1.field).ignore = true], or shorten their comments.",
        );
      }
      return [
        { name: `pubsub/${schema.fileName}`, content: text },
        { name: `pubsub/${entity.topic}.manifest.json`, content: manifest(entity, schema.fileName) },
      ] satisfies OutputFile[];
    });
  },
};

/** What deploy tooling (Terraform, gcloud scripts) needs to create the topic and its subscription. */
function manifest(entity: Entity, schemaFile: string): string {
  const content = {
    generatedBy: GENERATOR_NAME,
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
      name: `${entity.topic}-bigquery`,
      bigqueryConfig: {
        table: `${entity.project}.${entity.dataset}.${entity.table}`,
        useTopicSchema: true,
        writeMetadata: true,
        dropUnknownFields: false,
      },
      enableMessageOrdering: true,
    },
  };
  return JSON.stringify(content, null, 2) + "\n";
}
