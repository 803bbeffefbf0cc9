/**
 * One entity's event file, next to protoc-gen-es's *_pb.ts: the embedded topic schema, its
 * message types, the conversions both ways, and the event class.
 */
import { posix } from "node:path";
import type { Entity } from "../../model/types.js";
import { TOPIC_MESSAGE_ENCODING } from "../../model/envelope.js";
import { snakeCase } from "../../model/naming.js";
import { generatedHeader } from "../header.js";
import { topicMessageTypeName } from "../pubsub/topic-schema.js";
import { writeDecoder } from "./decode.js";
import { writeEncoder } from "./encode.js";
import { ENTITY_CONST, EventContext, runtime, RUNTIME_NS } from "./event-context.js";
import { importSpecifier, type EsNames } from "./names.js";
import { docComment, property, stringLiteral } from "./source-text.js";
import { topicLayout } from "./topic-layout.js";

export interface EventFile {
  /** Relative to ts/src. */
  readonly path: string;
  readonly content: string;
}

export function eventFilePath(entity: Entity): string {
  return posix.join(posix.dirname(entity.protoFile), `${snakeCase(entity.messageName)}_event.ts`);
}

export function writeEventFile(entity: Entity, names: EsNames): EventFile {
  const path = eventFilePath(entity);
  const ctx = new EventContext(entity, names, path, topicLayout(entity));
  const encode = writeEncoder(ctx);
  const decode = writeDecoder(ctx);
  const fileDesc = ctx.lib("fileDesc", "@bufbuild/protobuf/codegenv2");
  const messageDesc = ctx.lib("messageDesc", "@bufbuild/protobuf/codegenv2");
  const genFile = ctx.lib("GenFile", "@bufbuild/protobuf/codegenv2", true);
  const genMessage = ctx.lib("GenMessage", "@bufbuild/protobuf/codegenv2", true);
  const shape = ctx.shapeOf(entity.descriptor);
  const wireType = ctx.wireTypeName(ctx.layout.message);
  const idType = idTypeOf(shape, entity);
  const { eventName } = entity;
  const stateType = `${runtime("EventState")}<${shape}, ${wireType}, ${idType}>`;

  const content = [
    `// ${generatedHeader(entity.protoFile)}`,
    "",
    ctx.imports.print(),
    `import * as ${RUNTIME_NS} from ${stringLiteral(importSpecifier(path, "./runtime.js"))};`,
    "",
    `const ${ENTITY_CONST} = ${stringLiteral(entity.typeName)};`,
    "",
    docComment(`The topic schema of ${entity.typeName} (pubsub/${entity.topic}.proto), embedded the way protoc-gen-es embeds its\nown, so that @bufbuild/protobuf encodes and decodes the topic's messages.`),
    `export const ${eventName}TopicFile: ${genFile} = /*@__PURE__*/`,
    `  ${fileDesc}(${stringLiteral(ctx.layout.base64)});`,
    "",
    ...ctx.wireTypeDeclarations.flatMap((d) => [d, ""]),
    docComment(`Describes the topic message ${topicMessageTypeName(entity)}.`),
    `export const ${eventName}TopicSchema: ${genMessage}<${wireType}> = /*@__PURE__*/`,
    `  ${messageDesc}(${eventName}TopicFile, 0);`,
    "",
    `const codec: ${runtime("EventCodec")}<${shape}, ${wireType}, ${idType}> = {`,
    `  entity: ${ENTITY_CONST},`,
    `  schema: ${stringLiteral(topicMessageTypeName(entity))},`,
    `  entitySchema: ${stringLiteral(ctx.names.schema(entity.descriptor).name)},`,
    `  encoding: ${stringLiteral(TOPIC_MESSAGE_ENCODING.toLowerCase())},`,
    `  topicSchema: ${eventName}TopicSchema,`,
    `  idField: ${stringLiteral(entity.idFieldPath.map((f) => f.name).join("."))},`,
    `  id: (v) => ${idExpression(entity)},`,
    `  toTopic: ${encode},`,
    `  fromTopic: ${decode},`,
    "};",
    "",
    classDeclaration(entity, shape, stateType, `${runtime("EntityEvent")}<${shape}, ${wireType}, ${idType}>`),
    "",
    ...ctx.functions.flatMap((f) => [f, ""]),
  ].join("\n");
  return { path, content: content.replace(/\n+$/, "\n") };
}

/** An append-only entity publishes without an ordering key: a key used once defeats batching. */
function withoutOrderingKey(entity: Entity): string[] {
  return [
    "",
    docComment(
      `The argument of topic.publishMessage(), without an ordering key: ${entity.messageName} is append-only ((entity.v1.entity).ordering_key = ORDERING_KEY_NONE), and a key used by one message only would make every message its own publish call.`,
      "  ",
    ),
    `  override toPubSubMessage(options?: ${runtime("ToPubSubMessageOptions")}): ${runtime("PubSubMessage")} {`,
    '    return { ...super.toPubSubMessage(options), orderingKey: "" };',
    "  }",
  ];
}

/** `User["id"]`, or `NonNullable<Invoice["header"]>["number"]` for an id inside a message. */
function idTypeOf(shape: string, entity: Entity): string {
  let type = shape;
  entity.idFieldPath.forEach((field, i) => {
    const access = `${type}[${stringLiteral(field.localName)}]`;
    type = i === entity.idFieldPath.length - 1 ? access : `NonNullable<${access}>`;
  });
  return type;
}

function idExpression(entity: Entity): string {
  return "v" + entity.idFieldPath.map((f, i) => (i === 0 ? property(f.localName) : `?${property(f.localName)}`.replace("?[", "?.["))).join("");
}

function classDeclaration(entity: Entity, shape: string, stateType: string, base: string): string {
  const { eventName } = entity;
  const about = [
    entity.description,
    "",
    `Events of ${entity.typeName} on the Pub/Sub topic "${entity.topic}". Create them with`,
    `${eventName}.created(), .updated() or .deleted(); send toPubSubMessage() with topic.publishMessage().`,
  ].join("\n");
  const factory = (method: string, operation: string, what: string) => [
    docComment(what, "  "),
    `  static ${method}(entity: ${shape}, options?: ${runtime("EventOptions")}): ${eventName} {`,
    `    return new ${eventName}(${runtime("newEvent")}(codec, ${stringLiteral(operation)}, entity, options));`,
    "  }",
    "",
  ];
  return [
    docComment(about.replace(/^\n+/, "")),
    `export class ${eventName} extends ${base} {`,
    "  /** The Pub/Sub topic of this entity's events. */",
    `  static readonly topic = ${stringLiteral(entity.topic)};`,
    "  /** Fully qualified name of the entity message. */",
    `  static readonly entityTypeName = ${stringLiteral(entity.typeName)};`,
    "  /** Fully qualified name of the topic schema's message. */",
    `  static readonly schemaTypeName = ${stringLiteral(topicMessageTypeName(entity))};`,
    "  /** The entity's description from its contract. */",
    `  static readonly description = ${stringLiteral(entity.description)};`,
    "",
    `  private constructor(state: ${stateType}) {`,
    "    super(codec, state);",
    "  }",
    "",
    ...factory("created", "CREATED", "An event for an entity that was created. Throws if the entity cannot be sent (see the error classes)."),
    ...factory("updated", "UPDATED", "An event for an entity that was changed; carries the whole new state."),
    ...factory("deleted", "DELETED", "An event for an entity that was deleted; carries its last state (at least its id)."),
    docComment("Decodes a received message (or the output of toPubSubMessage) back into an event.", "  "),
    `  static fromPubSubMessage(message: ${runtime("ReceivedPubSubMessage")}, options?: ${runtime("FromPubSubMessageOptions")}): ${eventName} {`,
    `    return new ${eventName}(${runtime("decodeEvent")}(codec, message, options));`,
    "  }",
    ...(entity.orderingKey === "none" ? withoutOrderingKey(entity) : []),
    "}",
  ].join("\n");
}
