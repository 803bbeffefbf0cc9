/**
 * The entity's topic schema as protobuf-es sees it: the descriptor embedded in the event file, and
 * for each column the topic field it is written to (with its property name in JavaScript).
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { Column, Entity } from "../../model/types.js";
import { topicMessageDesc } from "../../physical/topic-schema.js";
import { embeddedDescriptorBase64 } from "./embedded-descriptor.js";

export interface TopicLayout {
  /** The FileDescriptorProto, serialized the way protoc-gen-es embeds its own. */
  readonly base64: string;
  readonly message: DescMessage;
}

/** `proto` is the physical layer's topic schema of the entity (its envelope as the release decides). */
export function topicLayout(entity: Entity, proto: FileDescriptorProto): TopicLayout {
  return { base64: embeddedDescriptorBase64(proto), message: topicMessageDesc(entity, proto) };
}

/** The topic field a column is written to: columns keep their wire numbers. */
export function topicField(message: DescMessage, column: Column): DescField {
  const number = column.wire.number;
  // A loop rather than find(): no closure for each of the many calls per column.
  const fields = message.fields;
  let field: DescField | undefined;
  for (let i = 0; i < fields.length && field === undefined; i++) if (fields[i]!.number === number) field = fields[i];
  if (field === undefined) throw new Error(`topic message ${message.typeName} has no field ${column.wire.number} for column ${column.path.join(".")}`);
  return field;
}

/** The nested topic message of a STRUCT column. */
export function topicStruct(message: DescMessage, column: Column): DescMessage {
  const field = topicField(message, column);
  if (field.message === undefined) throw new Error(`topic field ${field.name} of ${message.typeName} is not a message`);
  return field.message;
}
