/**
 * Random entities for property tests: a fast-check arbitrary built from a message descriptor,
 * giving a protobuf-es message with any subset of its fields set (every scalar type over its whole
 * range, -0 and NaN included, unknown enum numbers, oneofs, lists, maps, nested and recursive
 * messages up to a depth), and the well-known and google.type messages with values mostly within
 * what the topic's columns hold, sometimes beyond, so that rejections are exercised too.
 */
import { create, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";

const MAX_DEPTH = 3;
const MAX_ITEMS = 3;

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };

function scalar(type: ScalarType, longAsString: boolean): fc.Arbitrary<unknown> {
  const long = (range: { min: bigint; max: bigint }) => fc.bigInt(range).map((v) => (longAsString ? String(v) : v));
  switch (type) {
    case ScalarType.DOUBLE:
      return fc.oneof(fc.double(), fc.constantFrom(0, -0, 1.5));
    case ScalarType.FLOAT:
      return fc.oneof(fc.float(), fc.constantFrom(0, -0, 0.5));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constant(0));
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.oneof(long(INT64), long({ min: -1n, max: 0n }));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.oneof(long(UINT64), long({ min: 0n, max: 0n }));
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.STRING:
      return fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 6 }), fc.string({ minLength: 130, maxLength: 140 }), fc.constant(""));
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 8 });
  }
}

const SECONDS = { min: -62135596800n, max: 253402300799n };
const nanos = fc.integer({ min: 0, max: 999_999_999 });
/** Mostly valid, sometimes not: the rejection must be the same on both paths. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid, weight: 1 });

/** Values of the well-known and google.type messages the model converts, as create() inits. */
const KNOWN: Readonly<Record<string, () => fc.Arbitrary<Record<string, unknown>>>> = {
  "google.protobuf.Timestamp": () =>
    mostly(fc.record({ seconds: fc.bigInt(SECONDS), nanos }), fc.record({ seconds: fc.bigInt(INT64), nanos: fc.integer() })),
  "google.protobuf.Duration": () =>
    mostly(
      fc.tuple(fc.bigInt({ min: 0n, max: 315576000000n }), nanos, fc.boolean()).map(([s, n, negative]) => (negative ? { seconds: -s, nanos: -n } : { seconds: s, nanos: n })),
      fc.record({ seconds: fc.bigInt(INT64), nanos: fc.integer() }),
    ),
  "google.type.Date": () =>
    mostly(fc.record({ year: fc.integer({ min: 1, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }), fc.record({ year: fc.integer({ min: 0, max: 10000 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }) })),
  "google.type.TimeOfDay": () => fc.record({ hours: fc.integer({ min: 0, max: 24 }), minutes: fc.integer({ min: 0, max: 59 }), seconds: fc.integer({ min: 0, max: 59 }), nanos: fc.integer({ min: 0, max: 999_999 }).map((n) => n * 1000) }),
  "google.type.DateTime": () =>
    fc.record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hours: fc.integer({ min: 0, max: 23 }),
      minutes: fc.integer({ min: 0, max: 59 }),
      seconds: fc.integer({ min: 0, max: 59 }),
      nanos: fc.integer({ min: 0, max: 999_999 }).map((n) => n * 1000),
    }),
  "google.type.Money": () =>
    fc.record({
      currencyCode: fc.constantFrom("EUR", "USD", ""),
      units: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      nanos,
    }),
  "google.type.Decimal": () => fc.record({ value: mostly(fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.nat(999)).map(([w, f]) => `${w}.${f}`), fc.constantFrom("1e5", "", "12,5", "1e40")) }),
  "google.type.LatLng": () => fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }),
  "google.protobuf.FieldMask": () => fc.record({ paths: fc.array(fc.stringMatching(/^[a-z]{1,5}(_[a-z]{1,5}){0,2}$/), { maxLength: 3 }) }),
  "google.protobuf.Empty": () => fc.constant({}),
  "google.protobuf.Value": () => fc.oneof(fc.record({ kind: fc.record({ case: fc.constant("stringValue"), value: fc.string({ maxLength: 5 }) }) }), fc.record({ kind: fc.record({ case: fc.constant("numberValue"), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }) })),
  "google.protobuf.ListValue": () => fc.constant({}),
};

/** JSON objects for Struct, which protobuf-es represents as a plain JSON object in singular fields. */
const jsonObject = fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 });

const WRAPPERS: Readonly<Record<string, ScalarType>> = {
  "google.protobuf.DoubleValue": ScalarType.DOUBLE,
  "google.protobuf.FloatValue": ScalarType.FLOAT,
  "google.protobuf.Int64Value": ScalarType.INT64,
  "google.protobuf.UInt64Value": ScalarType.UINT64,
  "google.protobuf.Int32Value": ScalarType.INT32,
  "google.protobuf.UInt32Value": ScalarType.UINT32,
  "google.protobuf.BoolValue": ScalarType.BOOL,
  "google.protobuf.StringValue": ScalarType.STRING,
  "google.protobuf.BytesValue": ScalarType.BYTES,
};

/** A message of the type, as a create() init (undefined leaves it unset in the caller). */
function messageInit(desc: DescMessage, depth: number, context: "singular" | "other"): fc.Arbitrary<unknown> | undefined {
  const wrapped = WRAPPERS[desc.typeName];
  if (wrapped !== undefined) return context === "singular" ? scalar(wrapped, false) : scalar(wrapped, false).map((value) => create(desc, { value } as never));
  if (desc.typeName === "google.protobuf.Struct") return context === "singular" ? jsonObject : undefined;
  if (desc.typeName === "google.protobuf.Any") return undefined;
  const known = KNOWN[desc.typeName];
  if (known !== undefined) return known().map((init) => create(desc, init as never));
  if (depth >= MAX_DEPTH) return undefined;
  return messageOf(desc, depth + 1);
}

function fieldValue(field: DescField, depth: number): fc.Arbitrary<unknown> | undefined {
  const context = field.oneof === undefined ? "singular" : "other";
  switch (field.fieldKind) {
    case "scalar":
      return scalar(field.scalar, field.longAsString);
    case "enum":
      // An open enum (proto3) also holds numbers it does not declare; a closed one (proto2) does not.
      return field.enum.open ? fc.oneof(fc.constantFrom(...field.enum.values.map((v) => v.number)), fc.integer({ min: -5, max: 100 })) : fc.constantFrom(...field.enum.values.map((v) => v.number));
    case "message":
      return messageInit(field.message, depth, context);
    case "list": {
      const element =
        field.listKind === "scalar" ? scalar(field.scalar, field.longAsString) : field.listKind === "enum" ? fc.constantFrom(...field.enum.values.map((v) => v.number)) : messageInit(field.message, depth, "other");
      return element === undefined ? undefined : fc.array(element, { maxLength: MAX_ITEMS });
    }
    case "map": {
      const value = field.mapKind === "scalar" ? scalar(field.scalar, false) : field.mapKind === "enum" ? fc.constantFrom(...field.enum.values.map((v) => v.number)) : messageInit(field.message, depth, "other");
      if (value === undefined) return undefined;
      const key = scalar(field.mapKey, false).map((k) => String(k));
      return fc.array(fc.tuple(key, value), { maxLength: MAX_ITEMS }).map((entries) => Object.fromEntries(entries));
    }
  }
}

/** A random message of the type: each field set or not, one member (or none) of each oneof. */
export function messageOf(desc: DescMessage, depth = 0): fc.Arbitrary<Message> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of desc.fields) {
    if (field.oneof !== undefined) continue;
    const value = fieldValue(field, depth);
    // A proto2 required field is mostly set: unset, both paths reject the entity alike.
    const freq = field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED ? 20 : 3;
    if (value !== undefined) parts[field.localName] = fc.option(value, { nil: undefined, freq });
  }
  for (const oneof of desc.oneofs) {
    const members = oneof.fields.flatMap((f) => {
      const value = fieldValue(f, depth);
      return value === undefined ? [] : [value.map((v) => ({ case: f.localName, value: v }))];
    });
    if (members.length > 0) parts[oneof.localName] = fc.option(fc.oneof(...members), { nil: undefined, freq: 3 });
  }
  return fc.record(parts).map((init) => {
    const set = Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined));
    return create(desc, set as never);
  });
}
