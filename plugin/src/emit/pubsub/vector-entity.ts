/**
 * The entity side of a conformance vector in the form protobuf JSON prints it: each message's
 * fields in number order, enum values by their (first) name, unknown enum numbers as numbers.
 *
 * The values come from the tables in vectors.ts, which are written in canonical protobuf JSON
 * already (test/pubsub/vectors.test.ts parses and prints each of them with @bufbuild/protobuf);
 * what the vectors put together along the entity's columns is in column order, and an entity
 * declares its fields in any order. Parsing and printing every vector with @bufbuild/protobuf
 * instead compiled its JSON codecs for every entity message and kept them for the rest of the
 * run: a second of CPU and tens of MB on the 1,000-entity benchmark.
 *
 * A key the message lacks, or a value of the wrong shape, is a bug of the value tables: it throws.
 */
import type { DescEnum, DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";

/** The entity's JSON as protobuf JSON prints it. */
export function canonicalEntityJson(message: DescMessage, json: JsonObject): JsonObject {
  return canonicalMessage(message, json, message.typeName);
}

/** Well-known types with a JSON form of their own: the tables write them canonically, so they are taken as they are. */
function hasOwnJsonForm(message: DescMessage): boolean {
  return message.typeName.startsWith("google.protobuf.");
}

const byNumber = new WeakMap<DescMessage, readonly DescField[]>();

function fieldsByNumber(message: DescMessage): readonly DescField[] {
  let fields = byNumber.get(message);
  if (fields === undefined) {
    fields = [...message.fields].sort((a, b) => a.number - b.number);
    byNumber.set(message, fields);
  }
  return fields;
}

function canonicalMessage(message: DescMessage, json: JsonValue, where: string): JsonObject {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${where}: expected an object for ${message.typeName}`);
  let known = 0;
  const out: JsonObject = {};
  for (const field of fieldsByNumber(message)) {
    const value = json[field.jsonName];
    if (value === undefined) continue;
    known++;
    out[field.jsonName] = canonicalField(field, value, where);
  }
  if (known !== Object.keys(json).length) {
    const unknown = Object.keys(json).filter((key) => !message.fields.some((f) => f.jsonName === key));
    throw new Error(`${where}: ${message.typeName} has no field ${unknown.join(", ")}`);
  }
  return out;
}

/** `owner` names the message; the field's path is put together only for an error or a nested message. */
function canonicalField(field: DescField, value: JsonValue, owner: string): JsonValue {
  switch (field.fieldKind) {
    case "scalar":
      return value;
    case "enum":
      return canonicalEnum(field.enum, value, owner, field);
    case "message":
      return canonicalValue(field.message, value, `${owner}.${field.jsonName}`);
    case "list":
      if (!Array.isArray(value)) throw new Error(`${owner}.${field.jsonName}: expected a list`);
      switch (field.listKind) {
        case "scalar":
          return value;
        case "enum":
          return value.map((v) => canonicalEnum(field.enum, v, owner, field));
        case "message":
          return value.map((v) => canonicalValue(field.message, v, `${owner}.${field.jsonName}`));
      }
      break;
    case "map": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${owner}.${field.jsonName}: expected an object`);
      if (field.mapKind === "scalar") return value;
      const out: JsonObject = {};
      for (const [key, v] of Object.entries(value)) {
        out[key] = field.mapKind === "enum" ? canonicalEnum(field.enum, v, owner, field) : canonicalValue(field.message, v, `${owner}.${field.jsonName}`);
      }
      return out;
    }
  }
}

function canonicalValue(message: DescMessage, value: JsonValue, where: string): JsonValue {
  return hasOwnJsonForm(message) ? value : canonicalMessage(message, value, where);
}

/** By the first name of its number (an alias prints as the value it aliases), an unknown number as it is. */
function canonicalEnum(desc: DescEnum, value: JsonValue, owner: string, field: DescField): JsonValue {
  if (desc.typeName === "google.protobuf.NullValue") return null;
  const number = typeof value === "number" ? value : desc.values.find((v) => v.name === value || v.jsonName === value)?.number;
  if (number === undefined) throw new Error(`${owner}.${field.jsonName}: ${desc.typeName} has no value ${JSON.stringify(value)}`);
  return desc.value[number]?.jsonName ?? number;
}
