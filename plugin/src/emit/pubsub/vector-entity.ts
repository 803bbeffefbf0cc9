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
import type { DescEnum, DescField, DescMessage, JsonValue } from "@bufbuild/protobuf";
import type { JsonText } from "./json-text.js";
import { fieldValue, isMessageValue, type VectorMessage, type VectorValue } from "./vector-values.js";

/** Writes the entity's JSON as protobuf JSON prints it, as the next value of `out`. */
export function writeCanonicalEntity(message: DescMessage, json: VectorMessage, out: JsonText): void {
  writeMessage(message, json, message.typeName, out);
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

function writeMessage(message: DescMessage, json: VectorValue, where: string, out: JsonText): void {
  if (!isMessageValue(json)) throw new Error(`${where}: expected an object for ${message.typeName}`);
  let known = 0;
  out.beginObject();
  for (const field of fieldsByNumber(message)) {
    const value = fieldValue(json, field.jsonName);
    if (value === undefined) continue;
    known++;
    out.key(field.jsonName);
    writeField(field, value, where, out);
  }
  out.end();
  const keys = json instanceof Map ? [...json.keys()] : Object.keys(json);
  if (known !== keys.length) {
    const unknown = keys.filter((key) => !message.fields.some((f) => f.jsonName === key));
    throw new Error(`${where}: ${message.typeName} has no field ${unknown.join(", ")}`);
  }
}

/** `owner` names the message; the field's path is put together only for an error or a nested message. */
function writeField(field: DescField, value: VectorValue, owner: string, out: JsonText): void {
  switch (field.fieldKind) {
    case "scalar":
      return out.value(tableJson(value, owner));
    case "enum":
      return out.value(canonicalEnum(field.enum, value, owner, field));
    case "message":
      return writeValue(field.message, value, `${owner}.${field.jsonName}`, out);
    case "list":
      if (!Array.isArray(value)) throw new Error(`${owner}.${field.jsonName}: expected a list`);
      if (field.listKind === "scalar") return out.value(tableJson(value, owner));
      out.beginArray();
      for (const v of value) {
        out.element();
        if (field.listKind === "enum") out.value(canonicalEnum(field.enum, v, owner, field));
        else writeValue(field.message, v, `${owner}.${field.jsonName}`, out);
      }
      return out.end();
    case "map": {
      if (!isMessageValue(value) || value instanceof Map) throw new Error(`${owner}.${field.jsonName}: expected an object`);
      if (field.mapKind === "scalar") return out.value(tableJson(value, owner));
      out.beginObject();
      for (const key in value) {
        out.key(key);
        if (field.mapKind === "enum") out.value(canonicalEnum(field.enum, value[key]!, owner, field));
        else writeValue(field.message, value[key]!, `${owner}.${field.jsonName}`, out);
      }
      return out.end();
    }
  }
}

/** A value written as it is: one of the tables' (JSON), never a message put together along columns. */
function tableJson(value: VectorValue, where: string): JsonValue {
  if (value instanceof Map) throw new Error(`${where}: a message where a value of the tables was expected`);
  return value as JsonValue;
}

function writeValue(message: DescMessage, value: VectorValue, where: string, out: JsonText): void {
  if (hasOwnJsonForm(message)) out.value(tableJson(value, where));
  else writeMessage(message, value, where, out);
}

/** By the first name of its number (an alias prints as the value it aliases), an unknown number as it is. */
function canonicalEnum(desc: DescEnum, value: VectorValue, owner: string, field: DescField): JsonValue {
  if (desc.typeName === "google.protobuf.NullValue") return null;
  const number = typeof value === "number" ? value : desc.values.find((v) => v.name === value || v.jsonName === value)?.number;
  if (number === undefined) throw new Error(`${owner}.${field.jsonName}: ${desc.typeName} has no value ${JSON.stringify(value)}`);
  return desc.value[number]?.jsonName ?? number;
}
