/**
 * The type mapping: which wire type and BigQuery type each Protobuf type gets. This is the only
 * place that decides it (reference: pubsub-bigquery.md §2, the subscription's compatibility table).
 */
import { ScalarType } from "@bufbuild/protobuf";
import type { BigQueryType, Conversion, WireScalar } from "./types.js";

export interface ScalarMapping {
  readonly wire: WireScalar;
  readonly bigQueryType: BigQueryType;
}

const SCALARS: Record<ScalarType, ScalarMapping> = {
  [ScalarType.DOUBLE]: { wire: "double", bigQueryType: "FLOAT64" },
  [ScalarType.FLOAT]: { wire: "float", bigQueryType: "FLOAT64" },
  [ScalarType.INT32]: { wire: "int32", bigQueryType: "INT64" },
  [ScalarType.UINT32]: { wire: "uint32", bigQueryType: "INT64" },
  [ScalarType.FIXED32]: { wire: "fixed32", bigQueryType: "INT64" },
  [ScalarType.SFIXED32]: { wire: "sfixed32", bigQueryType: "INT64" },
  [ScalarType.SINT32]: { wire: "sint32", bigQueryType: "INT64" },
  [ScalarType.INT64]: { wire: "int64", bigQueryType: "INT64" },
  [ScalarType.SINT64]: { wire: "sint64", bigQueryType: "INT64" },
  [ScalarType.SFIXED64]: { wire: "sfixed64", bigQueryType: "INT64" },
  // The subscription refuses INTEGER for unsigned 64-bit values: they may exceed INT64.
  [ScalarType.UINT64]: { wire: "uint64", bigQueryType: "NUMERIC" },
  [ScalarType.FIXED64]: { wire: "fixed64", bigQueryType: "NUMERIC" },
  [ScalarType.BOOL]: { wire: "bool", bigQueryType: "BOOL" },
  [ScalarType.STRING]: { wire: "string", bigQueryType: "STRING" },
  [ScalarType.BYTES]: { wire: "bytes", bigQueryType: "BYTES" },
};

export function scalarMapping(scalar: ScalarType): ScalarMapping {
  return SCALARS[scalar];
}

/** Enums travel as their value names: the subscription would only map their numbers to INTEGER. */
export const ENUM_MAPPING: ScalarMapping = { wire: "string", bigQueryType: "STRING" };

/** A message type that is stored as one value rather than a STRUCT of its fields. */
export interface ValueTypeMapping extends ScalarMapping {
  readonly conversion: Conversion;
  /** Appended to the column description so that readers know the unit or format. */
  readonly note: string | undefined;
}

function value(wire: WireScalar, bigQueryType: BigQueryType, conversion: Conversion, note?: string): ValueTypeMapping {
  return { wire, bigQueryType, conversion, note };
}

const wrapper = (wire: WireScalar): ValueTypeMapping => ({ ...SCALARS[scalarOf(wire)], conversion: { kind: "wrapper" }, note: undefined });

function scalarOf(wire: WireScalar): ScalarType {
  return Number(Object.entries(SCALARS).find(([, m]) => m.wire === wire)![0]) as ScalarType;
}

const json = (messageTypeName: string): ValueTypeMapping =>
  value("string", "JSON", { kind: "json", messageTypeName, reason: "dynamic" });

export const EMPTY_TYPE_NAME = "google.protobuf.Empty";

const VALUE_TYPES: Record<string, ValueTypeMapping> = {
  "google.protobuf.Timestamp": value("int64", "TIMESTAMP", { kind: "timestamp_micros" }),
  "google.protobuf.Duration": value("string", "NUMERIC", { kind: "duration_seconds" }, "In seconds."),
  "google.protobuf.FieldMask": value("string", "STRING", { kind: "field_mask" }, "Comma-separated field paths."),
  [EMPTY_TYPE_NAME]: value("bool", "BOOL", { kind: "empty_presence" }, "TRUE when set."),
  "google.protobuf.Struct": json("google.protobuf.Struct"),
  "google.protobuf.Value": json("google.protobuf.Value"),
  "google.protobuf.ListValue": json("google.protobuf.ListValue"),
  "google.protobuf.Any": json("google.protobuf.Any"),
  "google.protobuf.DoubleValue": wrapper("double"),
  "google.protobuf.FloatValue": wrapper("float"),
  "google.protobuf.Int64Value": wrapper("int64"),
  "google.protobuf.UInt64Value": wrapper("uint64"),
  "google.protobuf.Int32Value": wrapper("int32"),
  "google.protobuf.UInt32Value": wrapper("uint32"),
  "google.protobuf.BoolValue": wrapper("bool"),
  "google.protobuf.StringValue": wrapper("string"),
  "google.protobuf.BytesValue": wrapper("bytes"),
  // google.type: the closest BigQuery type the subscription can write.
  "google.type.Date": value("int32", "DATE", { kind: "date_days" }),
  "google.type.TimeOfDay": value("string", "TIME", { kind: "time_of_day" }),
  "google.type.DateTime": value("string", "DATETIME", { kind: "civil_datetime" }, "Civil time as written; the time zone or UTC offset is not carried."),
  // BIGNUMERIC rather than NUMERIC: a Decimal may carry up to 38 fractional digits.
  "google.type.Decimal": value("string", "BIGNUMERIC", { kind: "decimal" }),
};

/** Stored as a value (TIMESTAMP, JSON, ...) instead of a STRUCT; undefined for other messages. */
export function valueTypeMapping(messageTypeName: string): ValueTypeMapping | undefined {
  return VALUE_TYPES[messageTypeName];
}

/** google.type.Money: a STRUCT of currency and exact decimal amount, instead of units and nanos. */
export const MONEY_TYPE_NAME = "google.type.Money";

/** JSON for a message that cannot be a STRUCT here (recursion, or BigQuery's nesting limit). */
export const CUT_TO_JSON: ScalarMapping = { wire: "string", bigQueryType: "JSON" };

/** BigQuery allows 15 levels of nested RECORD. */
export const MAX_NESTING_DEPTH = 15;
