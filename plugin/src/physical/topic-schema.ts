/**
 * The self-contained Pub/Sub topic schema of an entity: one top-level message, no imports, nested
 * types inlined, every singular entity field optional so that later revisions may add and remove
 * fields. The envelope fields are proto2 `required` (see EnvelopePresence): Pub/Sub then refuses
 * a publish that lacks them, which is what the entity's own message published by mistake does.
 * Built once as a small tree, then printed as .proto text (proto-text.ts) or turned into a
 * descriptor (for code that encodes with the same schema).
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import {
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  type DescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import type { Column, Entity, WireScalar } from "../model/types.js";

/**
 * How the envelope fields (event_id, operation, occurred_at) are declared. `required` turns "the
 * entity's message published instead of the event" into a refused publish (no envelope field in
 * it); a topic schema released with `optional` ones keeps them, since a Pub/Sub revision cannot
 * edit a field (the evolution stage decides, from the lock).
 */
export type EnvelopePresence = "required" | "optional";

export interface TopicSchema {
  /** File name in generated/pubsub/. */
  readonly fileName: string;
  readonly package: string;
  readonly envelope: EnvelopePresence;
  readonly message: TopicMessage;
  readonly sourceFile: string;
}

export interface TopicMessage {
  readonly name: string;
  readonly description: string;
  readonly fields: readonly TopicField[];
  /** Only the top-level message has nested types: every nested message is declared there. */
  readonly nested: readonly TopicMessage[];
}

export interface TopicField {
  readonly name: string;
  readonly number: number;
  readonly repeated: boolean;
  /** proto2 `required`: only envelope fields, when the schema's envelope is required. */
  readonly required: boolean;
  /** A scalar, or the name of a nested message. */
  readonly type: WireScalar | { readonly message: string };
  readonly description: string;
}

/** Packed encoding for repeated numbers: proto2 does not pack by default. */
const PACKABLE = new Set<string>(["double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool"]);

export function topicSchemaFileName(entity: Entity): string {
  return `${entity.topic}.proto`;
}

/** The topic's BigQuery subscription, which writes every message into the entity's table. */
export function subscriptionName(entity: Entity): string {
  return `${entity.topic}-bigquery`;
}

export function topicSchemaPackage(entity: Entity): string {
  return entity.protoPackage === "" ? "pubsub" : `${entity.protoPackage}.pubsub`;
}

/** Fully qualified name of the topic message, as Pub/Sub and decoders see it. */
export function topicMessageTypeName(entity: Entity): string {
  return `${topicSchemaPackage(entity)}.${entity.eventName}`;
}

/** The topic schema and its descriptor (made when first read), for every emitter that needs them. */
export interface EntityTopicSchema {
  readonly schema: TopicSchema;
  readonly descriptor: FileDescriptorProto;
}

/**
 * Kept for the entity last asked about only: a format takes what it needs of one entity and lets
 * it go (the pubsub emitter's two files of an entity follow each other). Holding every entity's
 * schema and descriptor from the first format to the last held 30 MB on the 1,000-entity
 * benchmark; building a schema again costs a few milliseconds in all. The descriptor is made
 * only for a caller that reads it.
 */
export function entityTopicSchema(entity: Entity, envelope: EnvelopePresence): EntityTopicSchema {
  if (last?.entity === entity && last.envelope === envelope) return last.built;
  const schema = buildTopicSchema(entity, envelope);
  let descriptor: FileDescriptorProto | undefined;
  const built: EntityTopicSchema = {
    schema,
    get descriptor() {
      return (descriptor ??= topicSchemaDescriptor(schema));
    },
  };
  last = { entity, envelope, built };
  return built;
}

let last: { readonly entity: Entity; readonly envelope: EnvelopePresence; readonly built: EntityTopicSchema } | undefined;

export function buildTopicSchema(entity: Entity, envelope: EnvelopePresence): TopicSchema {
  const nested = new NestedMessages();
  const fields = entity.columns.map((c) => {
    const field = topicField(c, nested);
    return c.source.kind === "envelope" && envelope === "required" ? { ...field, required: true } : field;
  });
  return {
    fileName: topicSchemaFileName(entity),
    package: topicSchemaPackage(entity),
    envelope,
    sourceFile: entity.protoFile,
    message: { name: entity.eventName, description: entity.description, fields, nested: nested.all() },
  };
}

function topicField(column: Column, nested: NestedMessages): TopicField {
  const type = column.wire.type === "message" ? { message: nested.declare(column) } : column.wire.type;
  return { name: column.name, number: column.wire.number, repeated: column.wire.repeated, required: false, type, description: column.description };
}

/**
 * Declares each nested message once. Two columns of the same shape share a declaration, which
 * keeps large schemas under Pub/Sub's 300 KB limit; same name but another shape gets a suffix.
 */
class NestedMessages {
  private readonly byName = new Map<string, { shape: string; message: TopicMessage }>();

  declare(column: Column): string {
    const fields = column.fields.map((c) => topicField(c, this));
    const shape = shapeKey(fields);
    const base = nestedBaseName(column);
    for (let i = 1; ; i++) {
      const name = i === 1 ? base : `${base}${i}`;
      const existing = this.byName.get(name);
      if (existing === undefined) {
        this.byName.set(name, { shape, message: { name, description: "", fields, nested: [] } });
        return name;
      }
      if (existing.shape === shape) return name;
    }
  }

  all(): TopicMessage[] {
    return [...this.byName.values()].map((e) => e.message);
  }
}

/**
 * What makes two declarations the same message: each field's name, number, label and type. A
 * string key, built by concatenation: names hold no space or `;`, so the key is unambiguous.
 */
function shapeKey(fields: readonly TopicField[]): string {
  let key = "";
  for (const f of fields) key += `${f.name} ${f.number} ${f.repeated ? "r" : "s"} ${typeof f.type === "string" ? f.type : `.${f.type.message}`};`;
  return key;
}

function nestedBaseName(column: Column): string {
  const conversion = column.conversion.kind === "map_value" ? column.conversion.value : column.conversion;
  switch (conversion.kind) {
    case "message":
      return conversion.messageTypeName.slice(conversion.messageTypeName.lastIndexOf(".") + 1);
    case "money":
      return "Money";
    default:
      return pascalCase(column.name) + (conversion.kind === "map" ? "Entry" : "");
  }
}

function pascalCase(name: string): string {
  return name.split("_").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

export const SCALAR_TYPES: Readonly<Record<WireScalar, FieldDescriptorProto_Type>> = {
  double: FieldDescriptorProto_Type.DOUBLE,
  float: FieldDescriptorProto_Type.FLOAT,
  int32: FieldDescriptorProto_Type.INT32,
  int64: FieldDescriptorProto_Type.INT64,
  uint32: FieldDescriptorProto_Type.UINT32,
  uint64: FieldDescriptorProto_Type.UINT64,
  sint32: FieldDescriptorProto_Type.SINT32,
  sint64: FieldDescriptorProto_Type.SINT64,
  fixed32: FieldDescriptorProto_Type.FIXED32,
  fixed64: FieldDescriptorProto_Type.FIXED64,
  sfixed32: FieldDescriptorProto_Type.SFIXED32,
  sfixed64: FieldDescriptorProto_Type.SFIXED64,
  bool: FieldDescriptorProto_Type.BOOL,
  string: FieldDescriptorProto_Type.STRING,
  bytes: FieldDescriptorProto_Type.BYTES,
};

/** The same schema as a descriptor, for encoding with @bufbuild/protobuf. */
export function topicSchemaDescriptor(schema: TopicSchema): FileDescriptorProto {
  const top = schema.message;
  const scope = `.${schema.package}.${top.name}.`;
  const message = (m: TopicMessage, nested: DescriptorProto[]): DescriptorProto =>
    create(DescriptorProtoSchema, { name: m.name, nestedType: nested, field: m.fields.map((f) => fieldDescriptor(f, scope)) });
  return create(FileDescriptorProtoSchema, {
    name: schema.fileName,
    package: schema.package,
    syntax: "proto2",
    messageType: [message(top, top.nested.map((n) => message(n, [])))],
  });
}

/** One init object per field, its optional parts set only when present (no spread of partial objects). */
function fieldDescriptor(f: TopicField, scope: string): FieldDescriptorProto {
  const init: MessageInitShape<typeof FieldDescriptorProtoSchema> = {
    name: f.name,
    number: f.number,
    // protoc fills json_name; protobuf-es reads it as is, so JSON would have empty keys without it.
    jsonName: defaultJsonName(f.name),
    label: topicFieldLabel(f),
  };
  if (typeof f.type === "string") {
    init.type = SCALAR_TYPES[f.type];
  } else {
    init.type = FieldDescriptorProto_Type.MESSAGE;
    init.typeName = scope + f.type.message;
  }
  if (isPacked(f)) init.options = create(FieldOptionsSchema, { packed: true });
  return create(FieldDescriptorProtoSchema, init);
}

/** A topic field's label as its .proto text declares it; the catalog shows the same. */
export function topicFieldLabelText(field: TopicField): "repeated" | "required" | "optional" {
  return field.repeated ? "repeated" : field.required ? "required" : "optional";
}

/** A topic field's type as its .proto text declares it: a scalar, or the nested message's name. */
export function topicFieldTypeText(field: TopicField): string {
  return typeof field.type === "string" ? field.type : field.type.message;
}

/** A topic field's label in the descriptor: the TypeScript emitter's embedded descriptor writes the same. */
export function topicFieldLabel(field: TopicField): FieldDescriptorProto_Label {
  return field.repeated ? FieldDescriptorProto_Label.REPEATED : field.required ? FieldDescriptorProto_Label.REQUIRED : FieldDescriptorProto_Label.OPTIONAL;
}

/**
 * The json_name protoc derives from a field's name. Made once per distinct name: the same column
 * names come back in every entity (ids, timestamps, a convention's fields), and protoCamelCase
 * walks the name character by character each time (~70,000 topic fields on the 1,000-entity
 * benchmark, fewer than 5,000 distinct names).
 */
export function defaultJsonName(fieldName: string): string {
  let jsonName = jsonNames.get(fieldName);
  if (jsonName === undefined) {
    jsonName = protoCamelCase(fieldName);
    jsonNames.set(fieldName, jsonName);
  }
  return jsonName;
}

const jsonNames = new Map<string, string>();

export function isPacked(field: TopicField): boolean {
  return field.repeated && typeof field.type === "string" && PACKABLE.has(field.type);
}
