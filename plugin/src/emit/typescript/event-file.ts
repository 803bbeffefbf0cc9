/**
 * One entity's event file, next to protoc-gen-es's *_pb.ts: the embedded topic schema, its
 * message types, the conversions both ways, and the event class.
 */
import { posix } from "node:path";
import type { Entity } from "../../model/types.js";
import { TOPIC_MESSAGE_ENCODING } from "../../model/envelope.js";
import { snakeCase } from "../../model/naming.js";
import { generatedHeader } from "../../printers/header.js";
import { topicMessageTypeName, type TopicSchema } from "../../physical/topic-schema.js";
import { writeDecoder } from "./decode.js";
import { writeEncoder } from "./encode.js";
import { writeBinaryWriter } from "./binary-writer.js";
import { writeBinaryReader } from "./binary-reader.js";
import { writeJsonWriter } from "./json-writer.js";
import { writeJsonReader } from "./json-reader.js";
import { ENTITY_CONST, EventContext, runtime, RUNTIME_NS } from "./event-context.js";
import { importSpecifier, type EsNames } from "../../physical/typescript-names.js";
import { doc, id, importsOf, joined, key, lineComment, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicLayout } from "./topic-layout.js";

export interface EventFile {
  /** Relative to ts/src. */
  readonly path: string;
  readonly content: string;
}

export function eventFilePath(entity: Entity): string {
  return posix.join(posix.dirname(entity.protoFile), `${snakeCase(entity.messageName)}_event.ts`);
}

export function writeEventFile(entity: Entity, names: EsNames, schema: TopicSchema): EventFile {
  const path = eventFilePath(entity);
  const ctx = new EventContext(entity, names, path, topicLayout(entity, schema));
  const encode = writeEncoder(ctx);
  const decode = writeDecoder(ctx);
  const writeBinary = writeBinaryWriter(ctx);
  const readBinary = writeBinaryReader(ctx);
  const writeJson = writeJsonWriter(ctx);
  const readJson = writeJsonReader(ctx);
  const fileDesc = ctx.lib("fileDesc", "@bufbuild/protobuf/codegenv2");
  const messageDesc = ctx.lib("messageDesc", "@bufbuild/protobuf/codegenv2");
  const genFile = ctx.lib("GenFile", "@bufbuild/protobuf/codegenv2", true);
  const genMessage = ctx.lib("GenMessage", "@bufbuild/protobuf/codegenv2", true);
  const shape = ctx.shapeOf(entity.descriptor);
  const wireType = ctx.wireTypeName(ctx.layout.message);
  const idType = idTypeOf(shape, entity);
  const topicFile = id(`${entity.eventName}TopicFile`);
  const topicSchema = id(`${entity.eventName}TopicSchema`);
  const entityConst = id(ENTITY_CONST);
  const stateType = ts`${runtime("EventState")}<${shape}, ${wireType}, ${idType}>`;

  const content = joined([
    lineComment(generatedHeader(entity.protoFile)),
    EMPTY,
    importsOf(ctx.imports),
    ts`import * as ${id(RUNTIME_NS)} from ${str(importSpecifier(path, "./runtime.js"))};`,
    EMPTY,
    ts`const ${entityConst} = ${str(entity.typeName)};`,
    EMPTY,
    doc(`The topic schema of ${entity.typeName} (pubsub/${entity.topic}.proto), embedded the way protoc-gen-es embeds its\nown, so that @bufbuild/protobuf encodes and decodes the topic's messages.`),
    ts`export const ${topicFile}: ${genFile} = /*@__PURE__*/`,
    ts`  ${fileDesc}(${str(ctx.layout.base64)});`,
    EMPTY,
    ...ctx.wireTypeDeclarations.flatMap((d) => [d, EMPTY]),
    doc(`Describes the topic message ${topicMessageTypeName(entity)}.`),
    ts`export const ${topicSchema}: ${genMessage}<${wireType}> = /*@__PURE__*/`,
    ts`  ${messageDesc}(${topicFile}, 0);`,
    EMPTY,
    ts`const codec: ${runtime("EventCodec")}<${shape}, ${wireType}, ${idType}> = {`,
    ts`  entity: ${entityConst},`,
    ts`  schema: ${str(topicMessageTypeName(entity))},`,
    ts`  entitySchema: ${str(ctx.names.schema(entity.descriptor).name)},`,
    ts`  encoding: ${str(TOPIC_MESSAGE_ENCODING.toLowerCase())},`,
    ts`  topicSchema: ${topicSchema},`,
    ts`  idField: ${str(entity.idFieldPath.map((f) => f.name).join("."))},`,
    ts`  id: (v) => ${idExpression(entity)},`,
    ts`  fromId: (id) => ${ctx.lib("create", "@bufbuild/protobuf")}(${ctx.schemaOf(entity.descriptor)}, ${idInit(entity)}),`,
    ts`  toTopic: ${encode},`,
    ts`  fromTopic: ${decode},`,
    ts`  writeBinary: ${writeBinary},`,
    ts`  readBinary: ${readBinary},`,
    ts`  writeJson: ${writeJson},`,
    ts`  readJson: ${readJson},`,
    ts`};`,
    EMPTY,
    classDeclaration(entity, shape, stateType, ts`${runtime("EntityEvent")}<${shape}, ${wireType}, ${idType}>`, idType),
    EMPTY,
    // The conversion functions, an empty line between two (one join, no pair array per function).
    joined(ctx.functions, BLANK_LINE),
    EMPTY,
  ]);
  return { path, content: oneFinalNewline(`${content}`) };
}

/** The text with its trailing newlines made one (a regular expression would try every line of a large file). */
function oneFinalNewline(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end + 1);
}

const BLANK_LINE = ts`\n\n`;

const EMPTY = ts``;

/** An append-only entity publishes without an ordering key: a key used once defeats batching. */
function withoutOrderingKey(entity: Entity): TsCode[] {
  return [
    EMPTY,
    doc(
      `The argument of topic.publishMessage(), without an ordering key: ${entity.messageName} is append-only ((entity.v1.entity).ordering_key = ORDERING_KEY_NONE), and a key used by one message only would make every message its own publish call.`,
      2,
    ),
    ts`  override toPubSubMessage(options?: ${runtime("ToPubSubMessageOptions")}): ${runtime("PubSubMessage")} {`,
    ts`    return { ...super.toPubSubMessage(options), orderingKey: "" };`,
    ts`  }`,
  ];
}

/** `User["id"]`, or `NonNullable<Invoice["header"]>["number"]` for an id inside a message. */
function idTypeOf(shape: TsCode, entity: Entity): TsCode {
  let type = shape;
  entity.idFieldPath.forEach((field, i) => {
    const access = ts`${type}[${str(field.localName)}]`;
    type = i === entity.idFieldPath.length - 1 ? access : ts`NonNullable<${access}>`;
  });
  return type;
}

/** `v.id`, or `v.header?.number` for an id inside a message. */
function idExpression(entity: Entity): TsCode {
  const [first, ...rest] = entity.idFieldPath.map((f) => prop(f.localName));
  // An optional access is `?.name` or `?.["name"]`.
  return joined([ts`v${first!}`, ...rest.map((access) => (`${access}`.startsWith("[") ? ts`?.${access}` : ts`?${access}`))], EMPTY);
}

/** `{ id }`, or `{ header: { number: id } }` for an id inside a message: the init of an entity holding only its id. */
function idInit(entity: Entity): TsCode {
  let init = ts`id`;
  for (const field of [...entity.idFieldPath].reverse()) init = ts`{ ${key(field.localName)}: ${init} }`;
  return init;
}

function classDeclaration(entity: Entity, shape: TsCode, stateType: TsCode, base: TsCode, idType: TsCode): TsCode {
  const eventName = id(entity.eventName);
  const about = [
    entity.description,
    "",
    `Events of ${entity.typeName} on the Pub/Sub topic "${entity.topic}". Create them with`,
    `${entity.eventName}.created(), .updated() or .deleted(); send toPubSubMessage() with topic.publishMessage().`,
  ].join("\n");
  const factory = (method: string, operation: string, what: string) => [
    doc(what, 2),
    ts`  static ${id(method)}(entity: ${shape}, options?: ${runtime("EventOptions")}): ${eventName} {`,
    ts`    return new ${eventName}(${runtime("newEvent")}(codec, ${str(operation)}, entity, options));`,
    ts`  }`,
    EMPTY,
  ];
  return joined([
    doc(about.replace(/^\n+/, "")),
    ts`export class ${eventName} extends ${base} {`,
    ts`  /** The Pub/Sub topic of this entity's events. */`,
    ts`  static readonly topic = ${str(entity.topic)};`,
    ts`  /** Fully qualified name of the entity message. */`,
    ts`  static readonly entityTypeName = ${str(entity.typeName)};`,
    ts`  /** Fully qualified name of the topic schema's message. */`,
    ts`  static readonly schemaTypeName = ${str(topicMessageTypeName(entity))};`,
    ts`  /** The entity's description from its contract. */`,
    ts`  static readonly description = ${str(entity.description)};`,
    EMPTY,
    ts`  private constructor(state: ${stateType}) {`,
    ts`    super(codec, state);`,
    ts`  }`,
    EMPTY,
    ...factory("created", "CREATED", "An event for an entity that was created. Throws if the entity cannot be sent (see the error classes)."),
    ...factory("updated", "UPDATED", "An event for an entity that was changed; carries the whole new state."),
    doc("An event for an entity that was deleted: its last state, or just its id (every other column is then NULL).", 2),
    ts`  static deleted(entityOrId: ${shape} | ${idType}, options?: ${runtime("EventOptions")}): ${eventName} {`,
    ts`    return new ${eventName}(${runtime("newEvent")}(codec, "DELETED", ${runtime("entityOrId")}(codec, entityOrId), options));`,
    ts`  }`,
    EMPTY,
    doc("Decodes a received message (or the output of toPubSubMessage) back into an event.", 2),
    ts`  static fromPubSubMessage(message: ${runtime("ReceivedPubSubMessage")}, options?: ${runtime("FromPubSubMessageOptions")}): ${eventName} {`,
    ts`    return new ${eventName}(${runtime("decodeEvent")}(codec, message, options));`,
    ts`  }`,
    ...(entity.orderingKey === "none" ? withoutOrderingKey(entity) : []),
    ts`}`,
  ]);
}
