/**
 * Type mapping of the normalized model: envelope, the 15 scalars, enums, well-known types and
 * google.type, checked against the subscription's compatibility table (reference §2).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Entity, Model } from "../../plugin/src/model/types.js";
import { allColumns, columnAt, entityNamed, modelOf, names, proto3 } from "./support.js";

/**
 * The Pub/Sub BigQuery subscription's table of allowed column types per wire type
 * (pubsub-bigquery.md §2), with INTEGER spelled INT64 and BOOLEAN spelled BOOL.
 */
const ALLOWED: Record<string, readonly string[]> = {
  double: ["FLOAT64", "NUMERIC", "BIGNUMERIC"],
  float: ["FLOAT64", "NUMERIC", "BIGNUMERIC"],
  int32: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE"],
  uint32: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE"],
  fixed32: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE"],
  sfixed32: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE"],
  sint32: ["INT64", "NUMERIC", "BIGNUMERIC"],
  int64: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE", "DATETIME", "TIMESTAMP"],
  sint64: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE", "DATETIME", "TIMESTAMP"],
  sfixed64: ["INT64", "NUMERIC", "BIGNUMERIC", "DATE", "DATETIME", "TIMESTAMP"],
  uint64: ["NUMERIC", "BIGNUMERIC"],
  fixed64: ["NUMERIC", "BIGNUMERIC"],
  bool: ["BOOL"],
  string: ["STRING", "JSON", "TIMESTAMP", "DATETIME", "DATE", "TIME", "NUMERIC", "BIGNUMERIC"],
  bytes: ["BYTES", "NUMERIC", "BIGNUMERIC"],
  message: ["STRUCT"],
};

/** Scalar field type → the BigQuery type the model must give it (reference §2, first choice). */
const SCALARS: readonly [string, string][] = [
  ["double", "FLOAT64"],
  ["float", "FLOAT64"],
  ["int32", "INT64"],
  ["int64", "INT64"],
  ["uint32", "INT64"],
  ["uint64", "NUMERIC"],
  ["sint32", "INT64"],
  ["sint64", "INT64"],
  ["fixed32", "INT64"],
  ["fixed64", "NUMERIC"],
  ["sfixed32", "INT64"],
  ["sfixed64", "INT64"],
  ["bool", "BOOL"],
  ["string", "STRING"],
  ["bytes", "BYTES"],
];

const TYPES_PROTO = proto3(
  `// Every type the mapping knows.
message Types {
  option (entity.v1.entity) = {};

  string id = 1;
${SCALARS.map(([type], i) => `  ${type} s_${type} = ${i + 2};`).join("\n")}
  Color color = 20;
  google.protobuf.Timestamp ts = 21;
  google.protobuf.DoubleValue w_double = 22;
  google.protobuf.FloatValue w_float = 23;
  google.protobuf.Int64Value w_int64 = 24;
  google.protobuf.UInt64Value w_uint64 = 25;
  google.protobuf.Int32Value w_int32 = 26;
  google.protobuf.UInt32Value w_uint32 = 27;
  google.protobuf.BoolValue w_bool = 28;
  google.protobuf.StringValue w_string = 29;
  google.protobuf.BytesValue w_bytes = 30;
  google.protobuf.Duration duration = 31;
  google.protobuf.Struct struct = 32;
  google.protobuf.Value value = 33;
  google.protobuf.ListValue list_value = 34;
  google.protobuf.Any any = 35;
  google.protobuf.FieldMask field_mask = 36;
  google.protobuf.Empty empty = 37;
  google.type.Date date = 38;
  google.type.TimeOfDay time_of_day = 39;
  google.type.DateTime date_time = 40;
  google.type.Decimal decimal = 41;
  google.type.Money money = 42;
  google.type.LatLng lat_lng = 43;
}

enum Color {
  COLOR_UNSPECIFIED = 0;
  COLOR_RED = 1;
  COLOR_GREEN = 2;
}
`,
  [
    "google/protobuf/any.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/wrappers.proto",
    "google/type/date.proto",
    "google/type/datetime.proto",
    "google/type/decimal.proto",
    "google/type/latlng.proto",
    "google/type/money.proto",
    "google/type/timeofday.proto",
  ],
);

let model: Model;
let types: Entity;

beforeAll(() => {
  model = modelOf({ "test/v1/types.proto": TYPES_PROTO });
  types = entityNamed(model, "Types");
});

describe("envelope", () => {
  it("puts event_id, operation and occurred_at first, then the entity's fields in declaration order", () => {
    expect(names(types.columns)).toEqual([
      "event_id",
      "operation",
      "occurred_at",
      "id",
      ...SCALARS.map(([type]) => `s_${type}`),
      "color",
      "ts",
      ...["double", "float", "int64", "uint64", "int32", "uint32", "bool", "string", "bytes"].map((t) => `w_${t}`),
      "duration",
      "struct",
      "value",
      "list_value",
      "any",
      "field_mask",
      "empty",
      "date",
      "time_of_day",
      "date_time",
      "decimal",
      "money",
      "lat_lng",
    ]);
  });

  it("types the envelope: event_id STRING, operation STRING of CREATED|UPDATED|DELETED, occurred_at TIMESTAMP sent as int64", () => {
    const [eventId, operation, occurredAt] = types.columns;
    expect(eventId).toMatchObject({ bigQueryType: "STRING", mode: "NULLABLE", wire: { type: "string", repeated: false }, conversion: { kind: "envelope" } });
    expect(operation).toMatchObject({ bigQueryType: "STRING", mode: "NULLABLE", wire: { type: "string", repeated: false }, conversion: { kind: "envelope" } });
    expect(operation.enumValues).toEqual(["CREATED", "UPDATED", "DELETED"]);
    expect(occurredAt).toMatchObject({ bigQueryType: "TIMESTAMP", mode: "NULLABLE", wire: { type: "int64", repeated: false }, conversion: { kind: "envelope" } });
    expect(types.columns.slice(0, 3).map((c) => c.source.kind)).toEqual(["envelope", "envelope", "envelope"]);
    // Distinct numbers that stay clear of the entity's own.
    const numbers = types.columns.slice(0, 3).map((c) => c.wire.number);
    expect(new Set(numbers).size).toBe(3);
    for (const column of types.columns.slice(3)) expect(numbers).not.toContain(column.wire.number);
  });

  it("lists the subscription's metadata columns separately, without a wire type", () => {
    expect(types.metadataColumns.map((c) => [c.name, c.bigQueryType, c.mode])).toEqual([
      ["subscription_name", "STRING", "NULLABLE"],
      ["message_id", "STRING", "NULLABLE"],
      ["publish_time", "TIMESTAMP", "NULLABLE"],
      ["attributes", "JSON", "NULLABLE"],
    ]);
    expect(types.metadataColumns.every((c) => !("wire" in c))).toBe(true);
  });
});

describe("scalars", () => {
  it.each(SCALARS)("%s → %s, sent as itself, NULLABLE, keeping its field number", (type, bigQueryType) => {
    const column = columnAt(types, `s_${type}`);
    expect(column.bigQueryType).toBe(bigQueryType);
    expect(column.wire).toEqual({ type, number: SCALARS.findIndex(([t]) => t === type) + 2, repeated: false });
    expect(column.conversion).toEqual({ kind: "scalar" });
    expect(column.mode).toBe("NULLABLE");
    expect(column.fields).toEqual([]);
    expect(column.path).toEqual([`s_${type}`]);
  });
});

describe("enums", () => {
  it("become STRING columns holding the value name, with the value names in declaration order", () => {
    const color = columnAt(types, "color");
    expect(color).toMatchObject({ bigQueryType: "STRING", mode: "NULLABLE", wire: { type: "string", number: 20, repeated: false } });
    expect(color.conversion).toEqual({ kind: "enum_name", enumTypeName: "test.v1.Color" });
    expect(color.enumValues).toEqual(["COLOR_UNSPECIFIED", "COLOR_RED", "COLOR_GREEN"]);
  });
});

describe("well-known types", () => {
  it("google.protobuf.Timestamp → TIMESTAMP, sent as int64 microseconds", () => {
    expect(columnAt(types, "ts")).toMatchObject({ bigQueryType: "TIMESTAMP", mode: "NULLABLE", wire: { type: "int64", number: 21 }, conversion: { kind: "timestamp_micros" }, fields: [] });
  });

  it.each([
    ["double", "FLOAT64"],
    ["float", "FLOAT64"],
    ["int64", "INT64"],
    ["uint64", "NUMERIC"],
    ["int32", "INT64"],
    ["uint32", "INT64"],
    ["bool", "BOOL"],
    ["string", "STRING"],
    ["bytes", "BYTES"],
  ])("wrapper of %s → nullable %s of the wrapped type", (wrapped, bigQueryType) => {
    const column = columnAt(types, `w_${wrapped}`);
    expect(column).toMatchObject({ bigQueryType, mode: "NULLABLE", wire: { type: wrapped, repeated: false }, conversion: { kind: "wrapper" }, fields: [] });
  });

  it("google.protobuf.Duration → NUMERIC seconds, sent as decimal text", () => {
    const column = columnAt(types, "duration");
    expect(column).toMatchObject({ bigQueryType: "NUMERIC", wire: { type: "string" }, conversion: { kind: "duration_seconds" }, fields: [] });
    expect(column.description).toContain("seconds");
  });

  it.each([
    ["struct", "google.protobuf.Struct"],
    ["value", "google.protobuf.Value"],
    ["list_value", "google.protobuf.ListValue"],
    ["any", "google.protobuf.Any"],
  ])("%s (%s) → JSON, sent as JSON text", (name, typeName) => {
    expect(columnAt(types, name)).toMatchObject({
      bigQueryType: "JSON",
      mode: "NULLABLE",
      wire: { type: "string", repeated: false },
      conversion: { kind: "json", messageTypeName: typeName, reason: "dynamic" },
      fields: [],
    });
  });

  it("google.protobuf.FieldMask → STRING of its paths", () => {
    expect(columnAt(types, "field_mask")).toMatchObject({ bigQueryType: "STRING", wire: { type: "string" }, conversion: { kind: "field_mask" }, fields: [] });
  });

  it("google.protobuf.Empty → BOOL, TRUE when set", () => {
    expect(columnAt(types, "empty")).toMatchObject({ bigQueryType: "BOOL", wire: { type: "bool" }, conversion: { kind: "empty_presence" }, fields: [] });
  });
});

describe("google.type", () => {
  it("Date → DATE, sent as int32 days", () => {
    expect(columnAt(types, "date")).toMatchObject({ bigQueryType: "DATE", wire: { type: "int32" }, conversion: { kind: "date_days" }, fields: [] });
  });

  it("TimeOfDay → TIME, sent as text", () => {
    expect(columnAt(types, "time_of_day")).toMatchObject({ bigQueryType: "TIME", wire: { type: "string" }, conversion: { kind: "time_of_day" }, fields: [] });
  });

  it("DateTime → DATETIME, sent as civil time text", () => {
    expect(columnAt(types, "date_time")).toMatchObject({ bigQueryType: "DATETIME", wire: { type: "string" }, conversion: { kind: "civil_datetime" }, fields: [] });
  });

  it("Decimal → BIGNUMERIC, sent as decimal text", () => {
    expect(columnAt(types, "decimal")).toMatchObject({ bigQueryType: "BIGNUMERIC", wire: { type: "string" }, conversion: { kind: "decimal" }, fields: [] });
  });

  it("Money → STRUCT<currency_code STRING, amount NUMERIC>", () => {
    const money = columnAt(types, "money");
    expect(money).toMatchObject({ bigQueryType: "STRUCT", mode: "NULLABLE", wire: { type: "message", number: 42 }, conversion: { kind: "money" } });
    expect(money.fields.map((f) => [f.name, f.bigQueryType, f.mode, f.wire.type, f.path.join(".")])).toEqual([
      ["currency_code", "STRING", "NULLABLE", "string", "money.currency_code"],
      ["amount", "NUMERIC", "NULLABLE", "string", "money.amount"],
    ]);
  });

  it("LatLng → STRUCT<latitude FLOAT64, longitude FLOAT64>", () => {
    const latLng = columnAt(types, "lat_lng");
    expect(latLng).toMatchObject({ bigQueryType: "STRUCT", wire: { type: "message" }, conversion: { kind: "message", messageTypeName: "google.type.LatLng" } });
    expect(latLng.fields.map((f) => [f.name, f.bigQueryType, f.wire.type, f.wire.number])).toEqual([
      ["latitude", "FLOAT64", "double", 1],
      ["longitude", "FLOAT64", "double", 2],
    ]);
  });
});

describe("compatibility with the BigQuery subscription", () => {
  it("gives every column a BigQuery type that the subscription accepts for its wire type", () => {
    for (const column of allColumns(types.columns)) {
      expect(ALLOWED[column.wire.type], `${column.path.join(".")}: ${column.wire.type} → ${column.bigQueryType}`).toContain(column.bigQueryType);
    }
  });

  it("makes every column NULLABLE or REPEATED, never REQUIRED", () => {
    for (const column of allColumns(types.columns)) expect(["NULLABLE", "REPEATED"]).toContain(column.mode);
  });
});
