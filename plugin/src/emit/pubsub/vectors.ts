/**
 * Conformance vectors of a topic (pubsub/<topic>.vectors.json): entity values in protobuf JSON and
 * the exact event each must become, binary (base64) and JSON, for producers in other languages
 * (docs/wire-contract.md).
 *
 * The expected values do not come from running a conversion: for each conversion of the model
 * (Column.conversion) a table below holds pairs of an entity value and the wire value it must
 * become, written out by hand (a Timestamp of 2024-03-01T12:34:56.123456Z is 1709296496123456
 * microseconds). The vectors are these pairs put together along the entity's columns, with the
 * presence rule applied per field. The entity's JSON is then put in protobuf JSON's field order
 * (vector-entity.ts) and the event's JSON is written, in JSON and in bytes, along the topic
 * schema's layout (vector-event.ts); neither uses the generated TypeScript encoders nor a
 * protobuf-es registry, which cost a registry and compiled codecs per topic and per entity.
 * Tests check them three ways: @bufbuild/protobuf parses and prints every vector of the example,
 * golden-case and googleapis entities to the same JSON and bytes (test/pubsub/vectors.test.ts),
 * buf decodes the bytes with the schema it compiles, and the generated TypeScript package turns
 * the entity JSON into the same event (test/pubsub/wire-contract.test.ts).
 */
import type { DescField, JsonValue } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { Column, Conversion, Entity, WireScalar } from "../../model/types.js";
import { topicMessageTypeName, type TopicSchema } from "../../physical/topic-schema.js";
import { JsonText, jsonValueText } from "./json-text.js";
import { writeCanonicalEntity } from "./vector-entity.js";
import { writeEvent } from "./vector-event.js";
import type { VectorMessage, VectorObject, VectorValue } from "./vector-values.js";

/** Which values a vector takes: everyday ones, the extremes, or every field at its zero value. */
type Variant = "typical" | "edge" | "zero";

interface Pair {
  readonly entity: VectorValue;
  readonly wire: VectorValue;
}

type PairTable = Readonly<Record<Variant, Pair>>;

const same = (typical: JsonValue, edge: JsonValue, zero: JsonValue): PairTable => ({
  typical: { entity: typical, wire: typical },
  edge: { entity: edge, wire: edge },
  zero: { entity: zero, wire: zero },
});

/** Scalars (and wrappers, and map keys) travel as they are; protobuf JSON writes 64-bit integers as strings. */
const SCALARS: Readonly<Record<WireScalar, PairTable>> = {
  double: same(1.5, "NaN", 0),
  float: same(0.25, "-Infinity", 0),
  int32: same(42, -2147483648, 0),
  int64: same("1234567890123", "-9223372036854775808", "0"),
  uint32: same(7, 4294967295, 0),
  uint64: same("12345678901234", "18446744073709551615", "0"),
  sint32: same(-7, -2147483648, 0),
  sint64: same("-123456789012", "-9223372036854775808", "0"),
  fixed32: same(3000000000, 4294967295, 0),
  // Above 2^63: a producer that holds it in a signed 64-bit integer must still send these bits.
  fixed64: same("9223372036854775809", "18446744073709551615", "0"),
  sfixed32: same(-5, -2147483648, 0),
  sfixed64: same("-5000000000", "9223372036854775807", "0"),
  bool: same(true, true, false),
  string: same("hello", "Grüße, 世界 🌍 \"quoted\"\n", ""),
  bytes: same("AAEC/w==", "//79/A==", ""),
};

const pair = (entity: VectorValue, wire: VectorValue): Pair => ({ entity, wire });

/** Messages stored as one value: the entity's protobuf JSON and the topic's value, per variant. */
const VALUE_TYPES: Readonly<Record<string, PairTable>> = {
  timestamp_micros: {
    typical: pair("2024-03-01T12:34:56.123456Z", "1709296496123456"),
    // Nanoseconds are cut to the microsecond toward the past: -1 µs, not 0.
    edge: pair("1969-12-31T23:59:59.999999999Z", "-1"),
    zero: pair("1970-01-01T00:00:00Z", "0"),
  },
  duration_seconds: { typical: pair("90.500s", "90.5"), edge: pair("-1.000000001s", "-1.000000001"), zero: pair("0s", "0") },
  field_mask: { typical: pair("fooBar,baz.qux", "fooBar,baz.qux"), edge: pair("a", "a"), zero: pair("", "") },
  empty_presence: { typical: pair({}, true), edge: pair({}, true), zero: pair({}, true) },
  date_days: {
    typical: pair({ year: 2024, month: 3, day: 1 }, 19783),
    edge: pair({ year: 1, month: 1, day: 1 }, -719162),
    zero: pair({ year: 1970, month: 1, day: 1 }, 0),
  },
  time_of_day: {
    typical: pair({ hours: 13, minutes: 5, seconds: 7, nanos: 123456789 }, "13:05:07.123456"),
    edge: pair({ hours: 23, minutes: 59, seconds: 59, nanos: 999999999 }, "23:59:59.999999"),
    zero: pair({}, "00:00:00.000000"),
  },
  civil_datetime: {
    typical: pair({ year: 2024, month: 2, day: 29, hours: 23, minutes: 59, seconds: 59, nanos: 1000 }, "2024-02-29T23:59:59.000001"),
    // The UTC offset is not carried: civil time as written.
    edge: pair({ year: 9999, month: 12, day: 31, hours: 23, minutes: 59, seconds: 59, nanos: 999999999, utcOffset: "3600s" }, "9999-12-31T23:59:59.999999"),
    zero: pair({ year: 1970, month: 1, day: 1 }, "1970-01-01T00:00:00.000000"),
  },
  decimal: { typical: pair({ value: "-12345.6789" }, "-12345.6789"), edge: pair({ value: "1.5e3" }, "1500"), zero: pair({ value: "0" }, "0") },
};

/** JSON columns: the text is the value's JSON, written compactly, keys in the order given. */
const JSON_TYPES: Readonly<Record<string, PairTable>> = {
  "google.protobuf.Struct": {
    typical: pair({ name: "Grüße", n: 1.5, list: [1, null, true] }, '{"name":"Grüße","n":1.5,"list":[1,null,true]}'),
    edge: pair({ "": { deep: [[]] } }, '{"":{"deep":[[]]}}'),
    zero: pair({}, "{}"),
  },
  "google.protobuf.Value": { typical: pair("text", '"text"'), edge: pair({ a: [1, true, null] }, '{"a":[1,true,null]}'), zero: pair(0, "0") },
  "google.protobuf.ListValue": { typical: pair([1, "two"], '[1,"two"]'), edge: pair([[], {}], "[[],{}]"), zero: pair([], "[]") },
};

const MONEY: PairTable = {
  typical: pair({ currencyCode: "EUR", units: "12", nanos: 500000000 }, { currency_code: "EUR", amount: "12.5" }),
  edge: pair({ currencyCode: "JPY", units: "-9223372036854775808", nanos: -999999999 }, { currency_code: "JPY", amount: "-9223372036854775808.999999999" }),
  // Not a zero amount: whether a derived amount of 0 is sent is not part of the presence rule.
  zero: pair({ currencyCode: "USD", nanos: 1 }, { currency_code: "USD", amount: "0.000000001" }),
};

const UNKNOWN_ENUM_NUMBER = 12345;

export interface VectorFile {
  readonly entity: string;
  readonly topicSchema: string;
  readonly eventMessage: string;
  readonly vectors: readonly Vector[];
}

export interface Vector {
  readonly name: string;
  readonly description: string;
  readonly entity: JsonValue;
  readonly event: { readonly json: JsonValue; readonly binary: string };
}

const VECTORS: readonly { name: Variant | "unset"; operation: string; description: string }[] = [
  { name: "typical", operation: "CREATED", description: "Every field set to an everyday value; repeated fields hold two elements, maps one entry, each oneof its first member." },
  { name: "edge", operation: "UPDATED", description: "Extremes: 64-bit limits, unsigned above 2^63, NaN and infinities, unicode, the oldest date, an unknown enum number (open enums), each oneof its second member." },
  { name: "zero", operation: "UPDATED", description: "Every field set to its zero value: absent from the event where the entity's encoding would not carry it (implicit presence), present where it would (explicit presence, messages); empty repeated fields and maps." },
  { name: "unset", operation: "UPDATED", description: "Only the id (and proto2 required fields) set: the event carries the envelope and those, nothing else." },
];

/** Each vector's name and description as JSON, made once for every entity's file. */
const VECTOR_TEXTS = VECTORS.map(({ name, description }) => ({ name: jsonValueText(name), description: jsonValueText(description) }));

/**
 * The vectors file of one entity, the vectors in the order above: its text is written as the
 * vectors are made (json-text.ts), with no object of the file in between.
 */
export function printEntityVectors(entity: Entity, topicSchema: TopicSchema): string {
  const out = new JsonText();
  out.beginObject();
  out.member("entity", entity.typeName);
  out.member("topicSchema", `${entity.topic}.proto`);
  out.member("eventMessage", topicMessageTypeName(entity));
  out.key("vectors");
  out.beginArray();
  VECTORS.forEach(({ name, operation }, index) => {
    // The envelope first, then the entity's fields, written straight into the same object.
    const envelope: VectorMessage = new Map<string, VectorValue>([
      ["event_id", `00000000-0000-4000-8000-00000000000${index + 1}`],
      ["operation", operation],
      ["occurred_at", "1709296496654321"],
    ]);
    const values = name === "unset" ? idOnly(entity, envelope) : message(entity, entity.columns, name, envelope);
    out.element();
    out.beginObject();
    out.memberJson("name", VECTOR_TEXTS[index]!.name);
    out.memberJson("description", VECTOR_TEXTS[index]!.description);
    out.key("entity");
    writeCanonicalEntity(entity.descriptor, values.entity, out);
    out.key("event");
    out.beginObject();
    out.key("json");
    const binary = writeEvent(topicSchema, values.wire, out);
    // Base64 has no character JSON escapes.
    out.memberUnescaped("binary", binary);
    out.end();
    out.end();
  });
  out.end();
  out.end();
  return out.finish("\n");
}

/** The vectors of one entity as objects: the file's text read back (for tests). */
export function entityVectors(entity: Entity, topicSchema: TopicSchema): VectorFile {
  return JSON.parse(printEntityVectors(entity, topicSchema)) as VectorFile;
}

interface Built {
  entity: VectorMessage;
  wire: VectorMessage;
}

/** The entity's fields and the topic message's fields for the columns of one message. */
function message(entity: Entity, columns: readonly Column[], variant: Variant, wire: VectorMessage = new Map()): Built {
  const built: Built = { entity: new Map(), wire };
  const oneofs = new Map<string, string>();
  for (const column of columns) {
    const source = column.source;
    if (source.kind === "nest") {
      const inner = message(entity, column.fields, variant);
      for (const [name, value] of inner.entity) built.entity.set(name, value);
      built.wire.set(column.name, inner.wire);
      continue;
    }
    if (source.kind !== "field") continue;
    const field = source.field;
    // The id stays set in every vector: the event's ordering key.
    const v = column === entity.idColumn || isIdPath(entity, column) ? "typical" : variant;
    if (field.oneof !== undefined) {
      let chosen = oneofs.get(field.oneof.name);
      if (chosen === undefined) {
        const members = field.oneof.fields.filter((f) => columns.some((c) => c.source.kind === "field" && c.source.field === f));
        chosen = (v === "edge" && members.length > 1 ? members[1] : members[0])!.name;
        oneofs.set(field.oneof.name, chosen);
      }
      if (field.name !== chosen) continue;
    }
    if (column.conversion.kind === "map") {
      if (v === "zero") continue;
      const entry = mapEntry(entity, column, field, v);
      built.entity.set(field.jsonName, { [entry.key]: entry.value.entity });
      built.wire.set(column.name, [entry.wire]);
      continue;
    }
    if (column.wire.repeated) {
      if (v === "zero") continue;
      const elements = v === "typical" ? [value(entity, column, field, "typical"), value(entity, column, field, "edge")] : [value(entity, column, field, "edge")];
      built.entity.set(field.jsonName, elements.map((e) => e.entity));
      built.wire.set(column.name, elements.map((e) => e.wire));
      continue;
    }
    const one = value(entity, column, field, v);
    // The presence rule: an implicit-presence field at its zero value is not encoded, so not sent.
    if (field.presence === FeatureSet_FieldPresence.IMPLICIT && isZero(field, one.entity)) continue;
    built.entity.set(field.jsonName, one.entity);
    built.wire.set(column.name, one.wire);
  }
  return built;
}

function isZero(field: DescField, value: VectorValue): boolean {
  if (field.fieldKind === "enum") return field.enum.values.find((e) => e.name === value)?.number === 0;
  return field.fieldKind === "scalar" && (value === 0 || value === "0" || value === false || value === "");
}

function isIdPath(entity: Entity, column: Column): boolean {
  const path = entity.idColumn.path;
  return column.path.length < path.length && column.path.every((p, i) => p === path[i]);
}

/** Only the id and the proto2 required fields (which the entity cannot go without), at their typical values. */
function idOnly(entity: Entity, wire: VectorMessage): Built {
  const along = (columns: readonly Column[], into: VectorMessage = new Map()): Built => {
    const built: Built = { entity: new Map(), wire: into };
    for (const column of columns) {
      if (column.source.kind === "nest") {
        const inner = along(column.fields);
        for (const [name, value] of inner.entity) built.entity.set(name, value);
        built.wire.set(column.name, inner.wire);
        continue;
      }
      if (column.source.kind !== "field") continue;
      const field = column.source.field;
      const one =
        column === entity.idColumn || field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED
          ? value(entity, column, field, "typical")
          : isIdPath(entity, column)
            ? along(column.fields)
            : undefined;
      if (one === undefined) continue;
      built.entity.set(field.jsonName, one.entity);
      built.wire.set(column.name, one.wire);
    }
    return built;
  };
  return along(entity.columns, wire);
}

/** One value of a singular field, or one element of a repeated one. */
function value(entity: Entity, column: Column, field: DescField, variant: Variant): Pair {
  return converted(entity, column.conversion, column, variant, {
    scalar: column.wire.type === "message" ? undefined : column.wire.type,
    enumValues: field.enum?.values ?? NO_ENUM_VALUES,
    openEnum: field.enum?.open ?? false,
  });
}

const NO_ENUM_VALUES: ValueShape["enumValues"] = [];

interface ValueShape {
  readonly scalar: WireScalar | undefined;
  readonly enumValues: readonly { name: string; number: number }[];
  readonly openEnum: boolean;
}

function converted(entity: Entity, conversion: Conversion, column: Column, variant: Variant, shape: ValueShape): Pair {
  switch (conversion.kind) {
    case "scalar":
    case "wrapper":
    case "map_key":
      return SCALARS[shape.scalar!][variant];
    case "enum_name": {
      const values = shape.enumValues;
      if (variant === "zero") {
        const zero = values.find((e) => e.number === 0) ?? values[0]!;
        return pair(zero.name, zero.name);
      }
      if (variant === "edge" && shape.openEnum) return pair(UNKNOWN_ENUM_NUMBER, String(UNKNOWN_ENUM_NUMBER));
      const chosen = variant === "edge" ? values[values.length - 1]! : (values[1] ?? values[0]!);
      return pair(chosen.name, chosen.name);
    }
    case "json": {
      const table = JSON_TYPES[conversion.messageTypeName];
      if (table !== undefined) return table[variant];
      if (conversion.messageTypeName === "google.protobuf.Any") {
        if (variant === "zero") return pair({}, "{}");
        // A packed message the registry knows: the entity itself, empty.
        const typeUrl = `type.googleapis.com/${entity.typeName}`;
        return pair({ "@type": typeUrl }, JSON.stringify({ "@type": typeUrl }));
      }
      // A message cut to JSON (recursion, depth): the empty message.
      return pair({}, "{}");
    }
    case "money":
      return MONEY[variant];
    case "message": {
      const inner = message(entity, column.fields, variant);
      return pair(inner.entity, inner.wire);
    }
    case "map_value":
      return converted(entity, conversion.value, column, variant, shape);
    case "envelope":
    case "map":
    case "derived":
      throw new Error(`${entity.typeName}: column ${column.path.join(".")} has no value of its own`);
    default: {
      const table = VALUE_TYPES[conversion.kind];
      if (table === undefined) throw new Error(`${entity.typeName}: no conformance values for the conversion ${conversion.kind}`);
      return table[variant];
    }
  }
}

/** One map entry: its key as protobuf JSON writes object keys, and the entry as the topic's repeated message. */
function mapEntry(entity: Entity, column: Column, field: DescField, variant: Variant): { key: string; value: Pair; wire: VectorObject } {
  const [keyColumn, valueColumn] = column.fields as [Column, Column];
  const key = SCALARS[keyColumn.wire.type as WireScalar][variant].entity;
  const valueShape: ValueShape = {
    scalar: valueColumn.wire.type === "message" ? undefined : valueColumn.wire.type,
    enumValues: field.enum?.values ?? NO_ENUM_VALUES,
    openEnum: field.enum?.open ?? false,
  };
  const entryValue = converted(entity, valueColumn.conversion, valueColumn, variant, valueShape);
  return { key: String(key), value: entryValue, wire: { [keyColumn.name]: key, [valueColumn.name]: entryValue.wire } };
}
