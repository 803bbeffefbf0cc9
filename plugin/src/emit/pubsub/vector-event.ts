/**
 * The event of a conformance vector in its two encodings, made straight from the topic schema's
 * layout (physical/topic-schema.ts) and the event's JSON as the value tables write it.
 *
 * Why not @bufbuild/protobuf: its codecs need a registry of the topic schema's descriptor, and
 * each topic schema is a file of its own, so every topic paid for a registry and for compiling
 * the codecs of each of its messages, for four small messages (a third of the pubsub emitter's
 * time on the 1,000-entity benchmark). What is done here is the little the vectors need: read
 * each value as protobuf JSON reads it (numbers from strings, the special floats, 64-bit integers,
 * base64), write it back as protobuf JSON writes it (the .proto field names, fields in number
 * order) and in the binary wire format.
 *
 * This is the conformance reference, so it shares no code with the generated TypeScript encoders
 * (emit/typescript): buf decodes these bytes with the schema it compiles from generated/pubsub/
 * and must find exactly the JSON written next to them (test/pubsub/wire-contract.test.ts).
 */
import type { JsonValue } from "@bufbuild/protobuf";
import type { WireScalar } from "../../model/types.js";
import { isPacked, type TopicField, type TopicMessage, type TopicSchema } from "../../physical/topic-schema.js";
import { ProtobufWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from "../../printers/protobuf-wire.js";
import { jsonValueText, type JsonText } from "./json-text.js";
import { fieldValue, isMessageValue, type VectorMessage, type VectorObject, type VectorValue } from "./vector-values.js";

/**
 * Writes the event's canonical JSON (protobuf JSON with the .proto field names) as the next value
 * of `json`, and returns its bytes in base64; throws on a field the schema lacks or a value its
 * type cannot hold.
 */
export function writeEvent(schema: TopicSchema, event: VectorMessage, json: JsonText): string {
  const nested = new Map(schema.message.nested.map((m) => [m.name, m]));
  const writer = new ProtobufWriter();
  writeMessage(schema.message, event, nested, writer, json, `${schema.package}.${schema.message.name}`);
  return writer.base64();
}

type Scalar = number | bigint | boolean | string | Uint8Array;

interface MessageLayout {
  /** In number order, as protobuf-es and protoc write them. */
  readonly fields: readonly TopicField[];
  readonly names: ReadonlySet<string>;
}

/** Per message of the schema, for the four vectors of its topic. */
const layouts = new WeakMap<TopicMessage, MessageLayout>();

function layoutOf(message: TopicMessage): MessageLayout {
  let layout = layouts.get(message);
  if (layout === undefined) {
    layout = { fields: [...message.fields].sort((a, b) => a.number - b.number), names: new Set(message.fields.map((f) => f.name)) };
    layouts.set(message, layout);
  }
  return layout;
}

/**
 * `where` names the message (`pkg.Event.payload`); a field's path is put together only for an
 * error or a nested message, not for every field of every vector.
 */
function writeMessage(message: TopicMessage, value: VectorMessage | VectorObject, nested: ReadonlyMap<string, TopicMessage>, writer: ProtobufWriter, json: JsonText, where: string): void {
  const layout = layoutOf(message);
  for (const key of value instanceof Map ? value.keys() : Object.keys(value)) {
    if (!layout.names.has(key)) throw new Error(`${where}: the event's JSON has "${key}", which the topic schema lacks`);
  }
  json.beginObject();
  for (const field of layout.fields) {
    const given = fieldValue(value, field.name);
    // protobuf JSON reads null as "not set".
    if (given === undefined || given === null) {
      if (field.required) throw new Error(`${where}: the required field ${field.name} is not set`);
      continue;
    }
    if (field.repeated) {
      if (!Array.isArray(given)) throw new Error(`${where}.${field.name}: expected a list`);
      if (given.length === 0) continue;
      json.key(field.name);
      writeList(field, given, nested, writer, json, where);
      continue;
    }
    json.key(field.name);
    writeSingular(field, given, nested, writer, json, where);
  }
  json.end();
}

/** The value of one field (or element), after its key (or as an element) in `json`. */
function writeSingular(field: TopicField, given: VectorValue, nested: ReadonlyMap<string, TopicMessage>, writer: ProtobufWriter, json: JsonText, where: string): void {
  if (typeof field.type !== "string") {
    const at = `${where}.${field.name}`;
    const inner = nested.get(field.type.message);
    if (inner === undefined) throw new Error(`${at}: the topic schema lacks the message ${field.type.message}`);
    if (!isMessageValue(given)) throw new Error(`${at}: expected an object`);
    writer.tag(field.number, WIRE_LENGTH_DELIMITED);
    const fork = writer.fork();
    writeMessage(inner, given, nested, writer, json, at);
    writer.join(fork);
    return;
  }
  const encoded = encodedScalar(field.type, given, where, field.name);
  writer.tag(field.number, wireTypeOf(field.type));
  writer.raw(encoded.bytes);
  json.valueJson(encoded.json);
}

/** A scalar value in both encodings: its wire bytes (after the tag) and its canonical JSON text. */
interface EncodedScalar {
  readonly bytes: Uint8Array;
  readonly json: string;
}

/**
 * Per scalar type, each value read once. The values come from the few pairs of vectors.ts's
 * tables, written again for every field of every vector: reading them (a regular expression, a
 * BigInt for 64-bit integers) and encoding them was a fifth of the event's writing.
 */
const ENCODED_SCALARS = new Map<WireScalar, Map<VectorValue, EncodedScalar>>();

function encodedScalar(type: WireScalar, given: VectorValue, where: string, name: string): EncodedScalar {
  // Objects and lists are refused by readScalar; -0 is a Map key equal to 0, but not the same double.
  const memo = typeof given === "object" || Object.is(given, -0) ? undefined : (ENCODED_SCALARS.get(type) ?? newScalarMemo(type));
  let encoded = memo?.get(given);
  if (encoded === undefined) {
    const scalar = readScalar(type, given, where, name);
    const writer = new ProtobufWriter(16);
    writeScalar(writer, type, scalar);
    encoded = { bytes: Uint8Array.from(writer.written()), json: jsonValueText(scalarJson(type, scalar) as string | number | boolean) };
    memo?.set(given, encoded);
  }
  return encoded;
}

function newScalarMemo(type: WireScalar): Map<VectorValue, EncodedScalar> {
  const memo = new Map<VectorValue, EncodedScalar>();
  ENCODED_SCALARS.set(type, memo);
  return memo;
}

function writeList(field: TopicField, given: readonly VectorValue[], nested: ReadonlyMap<string, TopicMessage>, writer: ProtobufWriter, json: JsonText, where: string): void {
  json.beginArray();
  if (!isPacked(field)) {
    for (const element of given) {
      json.element();
      writeSingular(field, element, nested, writer, json, where);
    }
    json.end();
    return;
  }
  const type = field.type as WireScalar;
  const scalars = given.map((element) => encodedScalar(type, element, where, field.name));
  writer.tag(field.number, WIRE_LENGTH_DELIMITED);
  const fork = writer.fork();
  for (const scalar of scalars) writer.raw(scalar.bytes);
  writer.join(fork);
  for (const scalar of scalars) {
    json.element();
    json.valueJson(scalar.json);
  }
  json.end();
}

function wireTypeOf(type: WireScalar): number {
  switch (type) {
    case "double":
    case "fixed64":
    case "sfixed64":
      return WIRE_FIXED64;
    case "float":
    case "fixed32":
    case "sfixed32":
      return WIRE_FIXED32;
    case "string":
    case "bytes":
      return WIRE_LENGTH_DELIMITED;
    default:
      return WIRE_VARINT;
  }
}

const INT_RANGES: Partial<Record<WireScalar, readonly [number, number] | readonly [bigint, bigint]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  sint32: [-(2 ** 31), 2 ** 31 - 1],
  sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  fixed32: [0, 2 ** 32 - 1],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

/** A value as protobuf JSON reads it: integers given as numbers or decimal strings, floats also as "NaN" and the infinities, bytes as base64. */
function readScalar(type: WireScalar, given: VectorValue, where: string, name: string): Scalar {
  switch (type) {
    case "double":
    case "float": {
      if (given === "NaN") return NaN;
      if (given === "Infinity") return Infinity;
      if (given === "-Infinity") return -Infinity;
      const number = typeof given === "string" && given !== "" && given.trim() === given ? Number(given) : given;
      if (typeof number !== "number" || !Number.isFinite(number)) throw notScalar(type, given, where, name);
      return number;
    }
    case "bool":
      if (typeof given !== "boolean") throw notScalar(type, given, where, name);
      return given;
    case "string":
      if (typeof given !== "string") throw notScalar(type, given, where, name);
      return given;
    case "bytes":
      if (typeof given !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(given)) throw notScalar(type, given, where, name);
      return Buffer.from(given, "base64");
    default: {
      const range = INT_RANGES[type]!;
      if (!(typeof given === "number" && Number.isInteger(given)) && !(typeof given === "string" && /^-?\d+$/.test(given))) throw notScalar(type, given, where, name);
      const integer = typeof range[0] === "bigint" ? BigInt(given) : Number(given);
      if (integer < range[0] || integer > range[1]) throw notScalar(type, given, where, name);
      return integer;
    }
  }
}

function notScalar(type: WireScalar, given: VectorValue, where: string, name: string): Error {
  return new Error(`${where}.${name}: ${JSON.stringify(given)} is not a protobuf JSON ${type}`);
}

/** A value as protobuf JSON writes it: 64-bit integers as decimal strings, the special floats as strings, bytes as padded base64. */
function scalarJson(type: WireScalar, value: Scalar): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (type === "double" || type === "float") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
  }
  return value;
}

function writeScalar(writer: ProtobufWriter, type: WireScalar, value: Scalar): void {
  switch (type) {
    case "double":
      return writer.double(value as number);
    case "float":
      return writer.float(value as number);
    case "int32":
      return writer.int32(value as number);
    case "uint32":
      return writer.varint(value as number);
    case "sint32": {
      const n = value as number;
      return writer.varint(n >= 0 ? n * 2 : -n * 2 - 1);
    }
    case "sint64": {
      const n = value as bigint;
      return writer.varint64(n >= 0n ? n << 1n : ((-n) << 1n) - 1n);
    }
    case "int64":
    case "uint64":
      return writer.varint64(BigInt.asUintN(64, value as bigint));
    case "fixed32":
    case "sfixed32":
      return writer.fixed32(value as number);
    case "fixed64":
    case "sfixed64":
      return writer.fixed64(value as bigint);
    case "bool":
      return writer.varint(value ? 1 : 0);
    case "string":
      return writer.string(value as string);
    case "bytes":
      return writer.bytesField(value as Uint8Array);
  }
}
