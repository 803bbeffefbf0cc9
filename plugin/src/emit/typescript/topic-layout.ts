/**
 * The entity's topic schema as the writers need it: the descriptor embedded in the event file, and
 * for each column the topic field it is written to (with its property name in JavaScript).
 *
 * The topic message is described here from the physical layer's topic schema directly, not by a protobuf-es
 * file registry: a registry resolves features, extensions and names for every field of every
 * topic schema, which was ~13 % of this emitter's render, and the writers read only a few
 * properties. Those properties are the ones protobuf-es gives the same fields (topic-layout.test.ts
 * compares both on the example's and the golden cases' entities), so the generated code is unchanged.
 */
import { ScalarType } from "@bufbuild/protobuf";
import { safeObjectProperty } from "@bufbuild/protobuf/reflect";
import { FeatureSet_FieldPresence, FieldDescriptorProto_Label } from "@bufbuild/protobuf/wkt";
import type { Column, Entity } from "../../model/types.js";
import { defaultJsonName, isPacked, SCALAR_TYPES, topicFieldLabel, topicMessageTypeName, type TopicField, type TopicMessage, type TopicSchema } from "../../physical/topic-schema.js";
import { embeddedDescriptorBase64 } from "./embedded-descriptor.js";

export interface TopicLayout {
  /** The FileDescriptorProto, serialized the way protoc-gen-es embeds its own. */
  readonly base64: string;
  readonly message: TopicMessageDesc;
}

/** A topic message: the top-level one or one of its nested messages. */
export interface TopicMessageDesc {
  readonly name: string;
  readonly typeName: string;
  readonly fields: readonly TopicFieldDesc[];
  /** The same fields by number: the writers ask for a column's field several times each. */
  readonly fieldsByNumber: ReadonlyMap<number, TopicFieldDesc>;
}

/** What every topic field has, named as protobuf-es names it on its DescField. */
interface TopicFieldCommon {
  readonly name: string;
  readonly number: number;
  /** The property of the field in protobuf-es's generated shape. */
  readonly localName: string;
  readonly jsonName: string;
  readonly presence: FeatureSet_FieldPresence;
  /** The message declaring the field. */
  readonly parent: TopicMessageDesc;
}

/** A topic field: proto2, no imports, so only scalars, nested messages and lists of either. */
export type TopicFieldDesc =
  | (TopicFieldCommon & { readonly fieldKind: "scalar"; readonly scalar: ScalarType; readonly message?: undefined })
  | (TopicFieldCommon & { readonly fieldKind: "message"; readonly scalar?: undefined; readonly message: TopicMessageDesc })
  | (TopicFieldCommon & { readonly fieldKind: "list"; readonly listKind: "scalar"; readonly scalar: ScalarType; readonly packed: boolean; readonly message?: undefined })
  | (TopicFieldCommon & { readonly fieldKind: "list"; readonly listKind: "message"; readonly packed: boolean; readonly scalar?: undefined; readonly message: TopicMessageDesc });

/**
 * `schema` is the physical layer's topic schema of the entity (its envelope as the release
 * decides). Read from the schema itself, not from its FileDescriptorProto: the descriptor (a
 * protobuf-es message per field) was built only to be read here.
 */
export function topicLayout(entity: Entity, schema: TopicSchema): TopicLayout {
  return { base64: embeddedDescriptorBase64(schema), message: topicMessage(entity, schema) };
}

/**
 * The top-level topic message with its fields. Nested messages are all declared in the top-level
 * one and may refer to each other, so every message is named first and its fields made after.
 */
function topicMessage(entity: Entity, schema: TopicSchema): TopicMessageDesc {
  const typeName = topicMessageTypeName(entity);
  const top = schema.message;
  if (`${schema.package}.${top.name}` !== typeName) throw new Error(`${entity.typeName}: the topic schema lacks ${typeName}`);
  type Declared = { name: string; typeName: string; fields: TopicFieldDesc[]; fieldsByNumber: Map<number, TopicFieldDesc> };
  const declare = (name: string, typeName: string): Declared => ({ name, typeName, fields: [], fieldsByNumber: new Map() });
  const declared: [TopicMessage, Declared][] = [[top, declare(top.name, typeName)]];
  // A nested message is referred to by its name in the top-level message.
  const byName = new Map<string, Declared>();
  for (const nested of top.nested) {
    const message = declare(nested.name, `${typeName}.${nested.name}`);
    declared.push([nested, message]);
    byName.set(nested.name, message);
  }
  for (const [proto, message] of declared) {
    for (const field of proto.fields) {
      const desc = topicFieldDesc(field, byName, message);
      message.fields.push(desc);
      message.fieldsByNumber.set(desc.number, desc);
    }
  }
  return declared[0]![1];
}

/**
 * One object literal with every property, in one order, for all kinds of field: V8 then gives all
 * topic fields one shape (spreading a common part into each kind was most of this function's time).
 */
function topicFieldDesc(field: TopicField, messages: ReadonlyMap<string, TopicMessageDesc>, parent: TopicMessageDesc): TopicFieldDesc {
  const repeated = field.repeated;
  let message: TopicMessageDesc | undefined;
  let scalar: ScalarType | undefined;
  if (typeof field.type === "string") {
    // ScalarType numbers its types as FieldDescriptorProto.Type does.
    scalar = SCALAR_TYPES[field.type] as number as ScalarType;
  } else {
    message = messages.get(field.type.message);
    if (message === undefined) throw new Error(`topic message ${parent.typeName}: field ${field.name} refers to ${field.type.message}, which it does not declare`);
  }
  // The descriptor's json_name is protoCamelCase(name) (topicSchemaDescriptor), which is what
  // protobuf-es makes the property name of (safeObjectProperty escapes names such as `constructor`).
  const jsonName = defaultJsonName(field.name);
  const desc = {
    name: field.name,
    number: field.number,
    localName: safeObjectProperty(jsonName),
    jsonName,
    presence: presenceOf(topicFieldLabel(field)),
    parent,
    fieldKind: repeated ? "list" : message === undefined ? "scalar" : "message",
    listKind: repeated ? (message === undefined ? "scalar" : "message") : undefined,
    scalar,
    packed: isPacked(field),
    message,
  };
  // The kinds are consistent by construction above; TypeScript cannot relate them through the literal.
  return desc as TopicFieldDesc;
}

/** Presence as protobuf-es resolves it for proto2 fields: lists have none, `required` is legacy. */
function presenceOf(label: FieldDescriptorProto_Label): FeatureSet_FieldPresence {
  switch (label) {
    case FieldDescriptorProto_Label.REPEATED:
      return FeatureSet_FieldPresence.IMPLICIT;
    case FieldDescriptorProto_Label.REQUIRED:
      return FeatureSet_FieldPresence.LEGACY_REQUIRED;
    default:
      return FeatureSet_FieldPresence.EXPLICIT;
  }
}

/** The topic field a column is written to: columns keep their wire numbers. */
export function topicField(message: TopicMessageDesc, column: Column): TopicFieldDesc {
  const field = message.fieldsByNumber.get(column.wire.number);
  if (field === undefined) throw new Error(`topic message ${message.typeName} has no field ${column.wire.number} for column ${column.path.join(".")}`);
  return field;
}

/** The nested topic message of a STRUCT column. */
export function topicStruct(message: TopicMessageDesc, column: Column): TopicMessageDesc {
  const field = topicField(message, column);
  if (field.message === undefined) throw new Error(`topic field ${field.name} of ${message.typeName} is not a message`);
  return field.message;
}
