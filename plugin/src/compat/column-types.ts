/**
 * The BigQuery subscription's type table (reference: pubsub-bigquery.md §2), restated here on its
 * own: the checker must not share the type mapping whose output it checks, or it could never catch
 * a mistake in it.
 */
import { FieldDescriptorProto_Type } from "@bufbuild/protobuf/wkt";

/** A BigQuery column type in one canonical spelling (the one the BigQuery API returns). */
export type CanonicalColumnType =
  | "STRING"
  | "BYTES"
  | "INTEGER"
  | "FLOAT"
  | "NUMERIC"
  | "BIGNUMERIC"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "DATE"
  | "TIME"
  | "DATETIME"
  | "JSON"
  | "RECORD"
  | "GEOGRAPHY"
  | "INTERVAL"
  | "RANGE";

/** Every spelling BigQuery accepts for a type, upper-cased, to its canonical name. */
const ALIASES: Readonly<Record<string, CanonicalColumnType>> = {
  STRING: "STRING",
  BYTES: "BYTES",
  INTEGER: "INTEGER",
  INT64: "INTEGER",
  INT: "INTEGER",
  SMALLINT: "INTEGER",
  BIGINT: "INTEGER",
  TINYINT: "INTEGER",
  BYTEINT: "INTEGER",
  FLOAT: "FLOAT",
  FLOAT64: "FLOAT",
  NUMERIC: "NUMERIC",
  DECIMAL: "NUMERIC",
  BIGNUMERIC: "BIGNUMERIC",
  BIGDECIMAL: "BIGNUMERIC",
  BOOLEAN: "BOOLEAN",
  BOOL: "BOOLEAN",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  TIME: "TIME",
  DATETIME: "DATETIME",
  JSON: "JSON",
  RECORD: "RECORD",
  STRUCT: "RECORD",
  GEOGRAPHY: "GEOGRAPHY",
  INTERVAL: "INTERVAL",
  RANGE: "RANGE",
};

/** The canonical type, or undefined when BigQuery has no such type. */
export function canonicalColumnType(type: string): CanonicalColumnType | undefined {
  // Types are mostly written in capitals already: looked up as they are first, without a new string.
  return CANONICAL_TYPES.get(type) ?? CANONICAL_TYPES.get(type.toUpperCase());
}

/** ALIASES as a map: a lookup that finds no inherited property of an object (`constructor`). */
const CANONICAL_TYPES: ReadonlyMap<string, CanonicalColumnType> = new Map(Object.entries(ALIASES));

/** The kinds of topic field the table distinguishes. */
export type ProtoFieldKind =
  | "double"
  | "float"
  | "int32"
  | "uint32"
  | "fixed32"
  | "sfixed32"
  | "sint32"
  | "int64"
  | "sint64"
  | "sfixed64"
  | "uint64"
  | "fixed64"
  | "bool"
  | "string"
  | "bytes"
  | "enum"
  | "message"
  | "map";

const FLOATS: readonly CanonicalColumnType[] = ["FLOAT", "NUMERIC", "BIGNUMERIC"];
const INT32S: readonly CanonicalColumnType[] = ["INTEGER", "NUMERIC", "BIGNUMERIC", "DATE"];
const SINT32: readonly CanonicalColumnType[] = ["INTEGER", "NUMERIC", "BIGNUMERIC"];
const INT64S: readonly CanonicalColumnType[] = ["INTEGER", "NUMERIC", "BIGNUMERIC", "DATE", "DATETIME", "TIMESTAMP"];
/** Unsigned 64-bit values may exceed INT64, so INTEGER is refused. */
const UINT64S: readonly CanonicalColumnType[] = ["NUMERIC", "BIGNUMERIC"];
const STRINGS: readonly CanonicalColumnType[] = ["STRING", "JSON", "TIMESTAMP", "DATETIME", "DATE", "TIME", "NUMERIC", "BIGNUMERIC"];

/** Column types the subscription can write a field of each kind into. */
export const ALLOWED_COLUMN_TYPES: Readonly<Record<ProtoFieldKind, readonly CanonicalColumnType[]>> = {
  double: FLOATS,
  float: FLOATS,
  int32: INT32S,
  uint32: INT32S,
  fixed32: INT32S,
  sfixed32: INT32S,
  sint32: SINT32,
  int64: INT64S,
  sint64: INT64S,
  sfixed64: INT64S,
  uint64: UINT64S,
  fixed64: UINT64S,
  bool: ["BOOLEAN"],
  string: STRINGS,
  bytes: ["BYTES", "NUMERIC", "BIGNUMERIC"],
  // Only the number: the subscription does not write enum names.
  enum: ["INTEGER"],
  message: ["RECORD"],
  map: ["RECORD"],
};

const SCALAR_KINDS: Partial<Record<FieldDescriptorProto_Type, ProtoFieldKind>> = {
  [FieldDescriptorProto_Type.DOUBLE]: "double",
  [FieldDescriptorProto_Type.FLOAT]: "float",
  [FieldDescriptorProto_Type.INT32]: "int32",
  [FieldDescriptorProto_Type.UINT32]: "uint32",
  [FieldDescriptorProto_Type.FIXED32]: "fixed32",
  [FieldDescriptorProto_Type.SFIXED32]: "sfixed32",
  [FieldDescriptorProto_Type.SINT32]: "sint32",
  [FieldDescriptorProto_Type.INT64]: "int64",
  [FieldDescriptorProto_Type.SINT64]: "sint64",
  [FieldDescriptorProto_Type.SFIXED64]: "sfixed64",
  [FieldDescriptorProto_Type.UINT64]: "uint64",
  [FieldDescriptorProto_Type.FIXED64]: "fixed64",
  [FieldDescriptorProto_Type.BOOL]: "bool",
  [FieldDescriptorProto_Type.STRING]: "string",
  [FieldDescriptorProto_Type.BYTES]: "bytes",
  [FieldDescriptorProto_Type.ENUM]: "enum",
  // A proto2 group is a message with another wire encoding; it maps the same way.
  [FieldDescriptorProto_Type.MESSAGE]: "message",
  [FieldDescriptorProto_Type.GROUP]: "message",
};

/** The kind of a field's declared type; maps are told apart by the caller (they need the entry type). */
export function protoFieldKind(type: FieldDescriptorProto_Type): ProtoFieldKind | undefined {
  return SCALAR_KINDS[type];
}
