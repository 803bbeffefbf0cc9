/**
 * Every value conversion of the generated event classes in one table: for each Conversion kind,
 * how a value is written to the topic message (encode) and read back from it (decode), side by
 * side. The runtime functions they call are named in the same entry (`dateDays` / `dateFromTopic`),
 * typed from plugin/src/runtime/runtime.ts, so the table is also the index of the runtime's
 * per-conversion functions. encode.ts and decode.ts walk the columns and messages around it.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import {
  conversion,
  IDENTITY,
  isBoxed,
  isLongAsString,
  runtime,
  valueEnum,
  valueMessage,
  type EventContext,
  type ValueConversion,
} from "./event-context.js";
import type { RuntimeValue } from "./runtime-module.js";
import { key, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicMessageDesc } from "./topic-layout.js";

/** encode.ts or decode.ts: the walk over columns and messages, in one direction. */
export interface ConversionWalk {
  readonly direction: "encode" | "decode";
  readonly ctx: EventContext;
  /** `create` from @bufbuild/protobuf, as the file imports it (only decoding builds messages). */
  create(): TsCode;
  /** Writes the function converting `source`'s columns in this direction; returns `name`. */
  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, source: DescMessage, label: readonly string[]): TsCode;
}

/** Where one value is converted. */
export interface ConversionSite {
  readonly ctx: EventContext;
  readonly column: Column;
  readonly field: DescField;
  /** The topic message holding the column. */
  readonly topic: TopicMessageDesc;
  /** `ENTITY, "address.city"`: the arguments that name the value in a runtime error. */
  readonly where: TsCode;
  create(): TsCode;
  /** Writes the function converting a nested message in this direction; returns its name. */
  messageFunction(): TsCode;
  /** The conversion of a map's value, in this direction. */
  valueOf(conv: Conversion): ValueConversion;
}

type Convert<C extends Conversion> = (site: ConversionSite, conv: C) => ValueConversion;

interface ConversionPair<C extends Conversion> {
  /** Entity value → topic value. */
  readonly encode: Convert<C>;
  /** Topic value → entity value. */
  readonly decode: Convert<C>;
}

/** The kinds that convert a value; the others describe columns with no value of their own. */
export type ValueConversionKind = Exclude<Conversion["kind"], "envelope" | "map" | "map_key" | "derived">;

/** `rt.fn(x, ENTITY, "field")`: a runtime function that checks the value on the way. */
function checked(fn: RuntimeValue): Convert<Conversion> {
  return ({ where }) => conversion((x) => ts`${runtime(fn)}(${x}, ${where})`);
}

/** `create(Schema, rt.fn(x, ENTITY, "field"))`: a runtime function giving a message's fields. */
function built(fn: RuntimeValue): Convert<Conversion> {
  return (site) => {
    const schema = site.ctx.schemaOf(valueMessage(site.field));
    return conversion((x) => ts`${site.create()}(${schema}, ${runtime(fn)}(${x}, ${site.where}))`);
  };
}

/** `create(Schema, { value: x })`: a message whose one field is the topic value. */
const valueMessageOf: Convert<Conversion> = (site) => {
  const schema = site.ctx.schemaOf(valueMessage(site.field));
  return conversion((x) => ts`${site.create()}(${schema}, { value: ${x} })`);
};

export const CONVERSIONS: { readonly [K in ValueConversionKind]: ConversionPair<Extract<Conversion, { kind: K }>> } = {
  scalar: {
    encode: ({ column, field }) => {
      if (column.wire.type === "bytes") return conversion((x) => ts`${runtime("copyBytes")}(${x})`);
      return isLongAsString(field) ? conversion((x) => ts`BigInt(${x})`) : IDENTITY;
    },
    decode: ({ field }) => (isLongAsString(field) ? conversion((x) => ts`String(${x})`) : IDENTITY),
  },
  wrapper: {
    encode: ({ column, field }) => {
      const unboxed = isBoxed(field) ? (x: TsCode) => ts`${x}.value` : (x: TsCode) => x;
      if (column.wire.type === "bytes") return conversion((x) => ts`${runtime("copyBytes")}(${unboxed(x)})`);
      return isBoxed(field) ? conversion(unboxed) : IDENTITY;
    },
    decode: (site, conv) => (isBoxed(site.field) ? valueMessageOf(site, conv) : IDENTITY),
  },
  enum_name: {
    encode: ({ ctx, field }) => {
      const schema = ctx.schemaOf(valueEnum(field));
      return conversion((x) => ts`${runtime("enumName")}(${schema}, ${x})`);
    },
    decode: ({ ctx, field, where }) => {
      const schema = ctx.schemaOf(valueEnum(field));
      return conversion((x) => ts`${runtime("enumNumber")}(${schema}, ${x}, ${where})`);
    },
  },
  timestamp_micros: { encode: checked("timestampMicros"), decode: checked("timestampFromTopic") },
  duration_seconds: { encode: checked("durationSeconds"), decode: checked("durationFromTopic") },
  field_mask: { encode: checked("fieldMaskText"), decode: checked("fieldMaskFromTopic") },
  empty_presence: {
    encode: () => conversion(() => ts`true`),
    // google.protobuf.Empty or a marker message of the contract: set, with no fields.
    decode: (site) => {
      const schema = site.ctx.schemaOf(valueMessage(site.field));
      return conversion(() => ts`${site.create()}(${schema})`);
    },
  },
  json: {
    encode: (site, conv) => jsonConversion(site, conv.messageTypeName).encode(site, conv),
    decode: (site, conv) => jsonConversion(site, conv.messageTypeName).decode(site, conv),
  },
  date_days: { encode: checked("dateDays"), decode: built("dateFromTopic") },
  time_of_day: { encode: checked("timeOfDayText"), decode: built("timeOfDayFromTopic") },
  civil_datetime: { encode: checked("dateTimeText"), decode: built("dateTimeFromTopic") },
  decimal: {
    encode: ({ where }) => conversion((x) => ts`${runtime("decimalText")}(${x}.value, ${where})`),
    decode: valueMessageOf,
  },
  money: {
    // google.type.Money: the currency as it is, units and nanos as one exact decimal.
    encode: ({ ctx, column, topic, where }) => {
      const struct = topicStruct(topic, column);
      ctx.wireType(column.fields, struct);
      const [currency, amount] = column.fields.map((c) => key(topicField(struct, c).localName)) as [TsCode, TsCode];
      return conversion(
        (x) => ts`({ $typeName: ${str(struct.typeName)} as const, ${currency}: ${x}.currencyCode, ${amount}: ${runtime("moneyAmount")}(${x}, ${where}) })`,
      );
    },
    decode: built("moneyFromTopic"),
  },
  message: {
    encode: (site) => called(site.messageFunction()),
    decode: (site) => called(site.messageFunction()),
  },
  map_value: {
    encode: (site, conv) => site.valueOf(conv.value),
    decode: (site, conv) => site.valueOf(conv.value),
  },
};

/** The conversion of one value (of a singular field, a list element or a map value). */
export function convertValue(
  walk: ConversionWalk,
  column: Column,
  conv: Conversion,
  field: DescField,
  label: readonly string[],
  topic: TopicMessageDesc,
): ValueConversion {
  const site = new Site(walk, column, field, label, topic);
  switch (conv.kind) {
    case "envelope":
    case "map":
    case "map_key":
    case "derived":
      throw new Error(`column ${column.path.join(".")}: conversion ${conv.kind} is not a value conversion`);
    default: {
      const pair = CONVERSIONS[conv.kind] as ConversionPair<typeof conv>;
      return pair[walk.direction](site, conv);
    }
  }
}

/**
 * One object per converted value, its functions on the prototype and `where` made on first read:
 * most values (plain scalars) never name themselves in a runtime check.
 */
class Site implements ConversionSite {
  private whereArguments: TsCode | undefined;

  constructor(
    private readonly walk: ConversionWalk,
    readonly column: Column,
    readonly field: DescField,
    private readonly label: readonly string[],
    readonly topic: TopicMessageDesc,
  ) {}

  get ctx(): EventContext {
    return this.walk.ctx;
  }

  get where(): TsCode {
    return (this.whereArguments ??= this.walk.ctx.where(this.label));
  }

  create(): TsCode {
    return this.walk.create();
  }

  messageFunction(): TsCode {
    const { walk, column, label, topic } = this;
    return walk.struct(walk.ctx.functionName(walk.direction, column), column.fields, topicStruct(topic, column), valueMessage(this.field), label);
  }

  valueOf(value: Conversion): ValueConversion {
    return convertValue(this.walk, this.column, value, this.field, this.label, this.topic);
  }
}

function called(fn: TsCode): ValueConversion {
  return conversion((x) => ts`${fn}(${x})`);
}

/** The runtime pair of a JSON column; Protobuf-ES represents Struct fields as plain JSON objects. */
const JSON_WKT: ReadonlyMap<string, readonly [encode: RuntimeValue, decode: RuntimeValue]> = new Map([
  ["google.protobuf.Struct", ["structText", "structFromTopic"]],
  ["google.protobuf.Value", ["valueText", "valueFromTopic"]],
  ["google.protobuf.ListValue", ["listValueText", "listValueFromTopic"]],
]);

/** A JSON column: a well-known JSON type, an Any (through the type registry), or any other message. */
function jsonConversion(site: ConversionSite, messageTypeName: string): ConversionPair<Conversion> {
  const wkt = JSON_WKT.get(messageTypeName);
  if (wkt !== undefined) return { encode: checked(wkt[0]), decode: checked(wkt[1]) };
  const registry = () => site.ctx.lib("typeRegistry", "./registry.js");
  if (messageTypeName === "google.protobuf.Any") {
    const any = (fn: RuntimeValue): Convert<Conversion> => ({ where }) => {
      const types = registry();
      return conversion((x) => ts`${runtime(fn)}(${x}, ${types}, ${where})`);
    };
    return { encode: any("anyText"), decode: any("anyFromTopic") };
  }
  const message = (fn: RuntimeValue): Convert<Conversion> => ({ ctx, field, where }) => {
    const schema = ctx.schemaOf(valueMessage(field));
    const types = registry();
    return conversion((x) => ts`${runtime(fn)}(${schema}, ${x}, ${types}, ${where})`);
  };
  return { encode: message("messageText"), decode: message("messageFromTopic") };
}

/** Protobuf-ES keys maps by strings at runtime; the topic's `key` column has the key's own type. */
const bigInt = (k: TsCode) => ts`BigInt(${k})`;
const MAP_KEY_TO_WIRE: Partial<Record<WireScalar, (key: TsCode) => TsCode>> = {
  string: (k) => k,
  bool: (k) => ts`${k} === "true"`,
  int64: bigInt,
  uint64: bigInt,
  sint64: bigInt,
  fixed64: bigInt,
  sfixed64: bigInt,
};

/** The expression that turns a map's runtime (string) key into the topic's key column value. */
export function mapKeyToWire(wire: WireScalar): (key: TsCode) => TsCode {
  return MAP_KEY_TO_WIRE[wire] ?? ((k) => ts`Number(${k})`);
}
