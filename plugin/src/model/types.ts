/**
 * The normalized model of the entities: the one place where a Protobuf contract is turned into
 * columns, wire types and warehouse types. Every emitter reads only these types; none of them looks
 * at a descriptor to decide how a field is stored.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { DescriptorLease } from "./descriptor-lease.js";

/** Where a declaration is written, for error messages and for tracing a column to its field. */
export interface SourceLocation {
  /** Path of the .proto file, as buf names it (`energy/customer/v1/user.proto`). */
  readonly file: string;
  /** 1-based line, 0 when the compiler gave no source info. */
  readonly line: number;
  /** 1-based column, 0 when the compiler gave no source info. */
  readonly column: number;
}

/** GoogleSQL types a column can have. STRUCT columns have `fields`. */
export type BigQueryType =
  | "STRING"
  | "BYTES"
  | "INT64"
  | "FLOAT64"
  | "NUMERIC"
  | "BIGNUMERIC"
  | "BOOL"
  | "TIMESTAMP"
  | "DATE"
  | "TIME"
  | "DATETIME"
  | "JSON"
  | "STRUCT";

export type BigQueryMode = "NULLABLE" | "REQUIRED" | "REPEATED";

/** Protobuf scalar types, named as in a .proto file. */
export type WireScalar =
  | "double"
  | "float"
  | "int32"
  | "int64"
  | "uint32"
  | "uint64"
  | "sint32"
  | "sint64"
  | "fixed32"
  | "fixed64"
  | "sfixed32"
  | "sfixed64"
  | "bool"
  | "string"
  | "bytes";

/** How a column is declared in the self-contained Pub/Sub topic schema. */
export interface WireField {
  /** A scalar, or "message" for a nested message whose fields are the column's `fields`. */
  readonly type: WireScalar | "message";
  /** Field number in the topic schema. Entity fields keep their .proto numbers. */
  readonly number: number;
  /** `repeated` in the topic schema; otherwise the field is `optional`. */
  readonly repeated: boolean;
}

/**
 * How a producer turns the entity's value into the column's wire value. The TypeScript emitter
 * generates the conversion; the other emitters use it for documentation only.
 */
export type Conversion =
  /** Envelope column: set by the event class, not read from the entity. */
  | { readonly kind: "envelope" }
  /** The proto scalar as it is (uint64 and fixed64 land in NUMERIC as the subscription demands). */
  | { readonly kind: "scalar" }
  /** A google.protobuf wrapper (Int32Value, ...): its value, or NULL when the wrapper is unset. */
  | { readonly kind: "wrapper" }
  /** An enum, sent as the value's name; an unknown number is sent as its decimal text. */
  | { readonly kind: "enum_name"; readonly enumTypeName: string }
  /** google.protobuf.Timestamp, sent as int64 microseconds since the Unix epoch. */
  | { readonly kind: "timestamp_micros" }
  /** google.protobuf.Duration, sent as decimal seconds text (`"90.5"`), exact to the nanosecond. */
  | { readonly kind: "duration_seconds" }
  /** google.protobuf.FieldMask, sent as its canonical JSON text (`"a.b,c"`). */
  | { readonly kind: "field_mask" }
  /** google.protobuf.Empty: TRUE when the field is set. */
  | { readonly kind: "empty_presence" }
  /** Struct, Value, ListValue, Any, or a message cut at a recursion: sent as JSON text. */
  | { readonly kind: "json"; readonly messageTypeName: string; readonly reason: JsonReason }
  /** google.type.Date, sent as int32 days since 1970-01-01. */
  | { readonly kind: "date_days" }
  /** google.type.TimeOfDay, sent as `HH:MM:SS.ffffff`. */
  | { readonly kind: "time_of_day" }
  /** google.type.DateTime, sent as civil time `YYYY-MM-DDTHH:MM:SS.ffffff`. */
  | { readonly kind: "civil_datetime" }
  /** google.type.Decimal, sent as its decimal text. */
  | { readonly kind: "decimal" }
  /** google.type.Money, sent as a STRUCT of currency_code and a decimal amount. */
  | { readonly kind: "money" }
  /** A nested message (google.type.LatLng included): a STRUCT of its own columns. */
  | { readonly kind: "message"; readonly messageTypeName: string }
  /** A map: a repeated STRUCT of `key` and `value`. */
  | { readonly kind: "map" }
  /** The key or value of a map entry. */
  | { readonly kind: "map_key" }
  | { readonly kind: "map_value"; readonly value: Conversion }
  /** A part of a value that has no field of its own (Money's `amount`, Money's `currency_code`). */
  | { readonly kind: "derived" };

/** Why a message is stored as JSON instead of a STRUCT. */
export type JsonReason = "dynamic" | "recursion" | "depth";

/** Where a column's value comes from. */
export type ColumnSource =
  | { readonly kind: "envelope" }
  /** A field of the entity (or of a message nested in it). */
  | {
      readonly kind: "field";
      readonly field: DescField;
      /** `pkg.Message.field`, for messages and errors. */
      readonly fieldName: string;
      readonly location: SourceLocation;
    }
  /** A column that exists only in the warehouse shape (map entry key and value, Money amount). */
  | { readonly kind: "synthetic"; readonly location: SourceLocation }
  /** The column holding all entity fields when the entity is nested under one STRUCT. */
  | { readonly kind: "nest"; readonly location: SourceLocation };

/** One column of an entity's topic schema and table, with its nested columns. */
export interface Column {
  /** Column name in BigQuery and field name in the topic schema. */
  readonly name: string;
  /** Names from the top-level column down to this one (`["address", "city"]`). */
  readonly path: readonly string[];
  readonly bigQueryType: BigQueryType;
  /** Always NULLABLE or REPEATED: a topic field is optional, or a required envelope field, which may write a NULLABLE column (reference §2). */
  readonly mode: BigQueryMode;
  readonly wire: WireField;
  readonly conversion: Conversion;
  /** Description, at most 1,024 characters (longer ones are cut with a visible marker). */
  readonly description: string;
  /** Personal data: restricted in Looker, tagged in dbt and BigQuery. */
  readonly pii: boolean;
  /** BigQuery policy tag resource name, for the JSON schema (DDL cannot set it). */
  readonly policyTag: string | undefined;
  /** proto2 `required` (or editions LEGACY_REQUIRED): the producer always sets it. */
  readonly required: boolean;
  /** The proto2 default as text, sent when the field is unset. */
  readonly defaultValue: string | undefined;
  /** Enum columns: the enum's value names, in declaration order. */
  readonly enumValues: readonly string[] | undefined;
  /** The field holds the id of this entity (fully qualified message name). */
  readonly references: string | undefined;
  /**
   * Aggregates analysts get over the column (Looker measures): picked with
   * `(entity.v1.field).measures`, or all four for a quantity (see quantity.ts). Empty for anything
   * that is not a number to add up: ids, enums, references, coordinates, codes, years.
   */
  readonly measures: readonly Aggregate[];
  /** STRUCT columns: their fields, in order. Empty otherwise. */
  readonly fields: readonly Column[];
  readonly source: ColumnSource;
}

/** An aggregate over a numeric column. */
export type Aggregate = "sum" | "average" | "min" | "max";

/** A column that the Pub/Sub BigQuery subscription writes (`write_metadata`), not the producer. */
export interface MetadataColumn {
  readonly name: string;
  readonly bigQueryType: BigQueryType;
  readonly mode: BigQueryMode;
  readonly description: string;
}

/** A duration of silence, as written in the contract (`6h`). */
export interface FreshnessPeriod {
  readonly count: number;
  readonly period: "minute" | "hour" | "day";
  /** The same, in seconds, for comparisons and SQL. */
  readonly seconds: number;
  /** As written: `6h`. */
  readonly text: string;
}

export interface Freshness {
  readonly warnAfter: FreshnessPeriod | undefined;
  readonly errorAfter: FreshnessPeriod | undefined;
}

export type PartitionGranularity = "HOUR" | "DAY" | "MONTH" | "YEAR";

export interface Partitioning {
  /** A top-level TIMESTAMP, DATE or DATETIME column (default `publish_time`). */
  readonly column: string;
  readonly columnType: "TIMESTAMP" | "DATE" | "DATETIME";
  readonly granularity: PartitionGranularity;
  readonly requirePartitionFilter: boolean;
  /** `partition_expiration_days`, from the entity's `retention_days`; undefined keeps data forever. */
  readonly expirationDays: number | undefined;
}

/** One domain entity: one topic, one table, one event class. */
export interface Entity {
  /** The message's simple name (`MeterReading`). */
  readonly messageName: string;
  /** Fully qualified message name (`energy.metering.v1.MeterReading`). */
  readonly typeName: string;
  readonly protoPackage: string;
  readonly protoFile: string;
  readonly location: SourceLocation;
  /**
   * The entity's message, for emitters that reference generated code (imports); read through the
   * model's descriptor lease, so only formats that declare `readsDescriptors` may read it.
   */
  readonly descriptor: DescMessage;
  /** Name of the event message in the topic schema and of the TypeScript class (`MeterReadingEvent`). */
  readonly eventName: string;
  readonly topic: string;
  readonly table: string;
  readonly dataset: string;
  readonly project: string;
  readonly description: string;
  readonly owner: string | undefined;
  /** Envelope columns, then the entity's columns (flattened, or under `nestUnder`). */
  readonly columns: readonly Column[];
  /** What the subscription adds to the table. */
  readonly metadataColumns: readonly MetadataColumn[];
  /** The column holding the entity id; `idColumn.path` locates it. */
  readonly idColumn: Column;
  /** Proto fields from the entity message down to the id field. */
  readonly idFieldPath: readonly DescField[];
  /** Column holding all entity fields, when they are not flattened. */
  readonly nestUnder: string | undefined;
  readonly freshness: Freshness;
  readonly partitioning: Partitioning;
  /** Top-level columns, at most four. */
  readonly clustering: readonly string[];
  /**
   * What producers send as the Pub/Sub ordering key: the entity id, or none (append-only entities
   * whose id is unique per message, where a key would defeat batching).
   */
  readonly orderingKey: "entity_id" | "none";
  /**
   * Immutable facts (`append_only`): no latest state is generated, and no ordering key is used.
   */
  readonly appendOnly: boolean;
}

/** Everything the emitters get. */
export interface Model {
  readonly entities: readonly Entity[];
  /** The GCP project of the BigQuery tables. */
  readonly project: string;
  /**
   * What the entities' `descriptor` and `idFieldPath` and the columns' `source.field` are read
   * through: the run ends it once the formats that read descriptors have rendered.
   */
  readonly descriptors: DescriptorLease;
}
