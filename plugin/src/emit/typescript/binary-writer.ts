/**
 * Generates the direct binary encoder of an event: the topic message's wire format written from
 * the entity by a rt.ProtoWriter, field by field in field-number order (as toBinary writes them),
 * tags precomputed, with no topic message object and no reflection. Values are converted and
 * validated by the `encode` side of conversions.ts, and fields are left out by the same presence
 * rule as encode.ts, so the bytes equal the reference path's (toBinary of encodeEntity's message).
 */
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import { convertValue, mapKeyToWire, type ConversionWalk } from "./conversions.js";
import { isNonZero } from "./encode.js";
import { envelopeProperty, ownValue, runtime, type EventContext } from "./event-context.js";
import { id, indentedLines, joined, num, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicFieldDesc, type TopicMessageDesc } from "./topic-layout.js";

/** Writes `function writeEntity(w: rt.ProtoWriter, v: Entity, e: rt.Envelope): void` and the functions it calls. */
export function writeBinaryWriter(ctx: EventContext): TsCode {
  return new BinaryWriter(ctx).struct(id("writeEntity"), ctx.entity.columns, ctx.layout.message, ctx.entity.descriptor, [], true);
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** ProtoWriter's (and JsonWriter's) method and the wire type of each scalar type. */
export const SCALAR_WRITE: Record<ScalarType, readonly [method: string, wireType: number]> = {
  [ScalarType.DOUBLE]: ["double", WIRE_FIXED64],
  [ScalarType.FLOAT]: ["float", WIRE_FIXED32],
  [ScalarType.INT64]: ["int64", WIRE_VARINT],
  [ScalarType.UINT64]: ["uint64", WIRE_VARINT],
  [ScalarType.INT32]: ["int32", WIRE_VARINT],
  [ScalarType.FIXED64]: ["fixed64", WIRE_FIXED64],
  [ScalarType.FIXED32]: ["fixed32", WIRE_FIXED32],
  [ScalarType.BOOL]: ["bool", WIRE_VARINT],
  [ScalarType.STRING]: ["string", WIRE_LEN],
  [ScalarType.BYTES]: ["bytes", WIRE_LEN],
  [ScalarType.UINT32]: ["uint32", WIRE_VARINT],
  [ScalarType.SFIXED32]: ["sfixed32", WIRE_FIXED32],
  [ScalarType.SFIXED64]: ["sfixed64", WIRE_FIXED64],
  [ScalarType.SINT32]: ["sint32", WIRE_VARINT],
  [ScalarType.SINT64]: ["sint64", WIRE_VARINT],
};

/** `w.string(`: the start of each scalar type's write call (ProtoWriter and JsonWriter alike), made once. */
export const WRITE_CALLS = (() => {
  const starts = {} as Record<ScalarType, TsCode>;
  for (const [scalar, [method]] of Object.entries(SCALAR_WRITE)) starts[Number(scalar) as ScalarType] = ts`w.${id(method)}(`;
  return starts;
})();

/** The tag's varint bytes, written by t1/t2/t3 (or tag() beyond three bytes); made once per tag. */
function tagCall(fieldNo: number, wireType: number): TsCode {
  const tag = ((fieldNo << 3) | wireType) >>> 0;
  let call = TAG_CALLS.get(tag);
  if (call === undefined) {
    call = newTagCall(fieldNo, wireType);
    TAG_CALLS.set(tag, call);
  }
  return call;
}

const TAG_CALLS = new Map<number, TsCode>();

function newTagCall(fieldNo: number, wireType: number): TsCode {
  const bytes: number[] = [];
  let v = ((fieldNo << 3) | wireType) >>> 0;
  while (v > 127) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  if (bytes.length > 3) return ts`w.tag(${num(fieldNo)}, ${num(wireType)});`;
  return ts`w.${id(`t${bytes.length}`)}(${joined(bytes.map((b) => num(b, true)), ts`, `)});`;
}

class BinaryWriter implements ConversionWalk {
  readonly direction = "encode";
  private counter = 0;

  constructor(readonly ctx: EventContext) {}

  create(): TsCode {
    return this.ctx.lib("create", "@bufbuild/protobuf");
  }

  /** convertValue calls this for a nested message: its writer function. */
  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, source: DescMessage, label: readonly string[], top = false): TsCode {
    const writerName = name;
    const statements: TsCode[] = [];
    const ordered = this.ctx.inWireOrder(columns);
    for (const column of ordered) this.column(column, topic, label, statements);
    const envelope = top ? ts`, e: ${runtime("Envelope")}` : ts``;
    this.ctx.functions.push(
      joined([
        ts`function ${writerName}(w: ${runtime("ProtoWriter")}, v: ${this.ctx.shapeOf(source)}${envelope}): void {`,
        ...indentedLines(statements, ts`  `),
        ts`}`,
      ]),
    );
    return writerName;
  }

  private column(column: Column, topic: TopicMessageDesc, label: readonly string[], out: TsCode[]): void {
    const source = column.source;
    const target = topicField(topic, column);
    if (source.kind === "envelope") {
      const value = envelopeProperty(column);
      out.push(...this.scalar(target, value));
      return;
    }
    if (source.kind === "nest") {
      const fn = this.struct(this.ctx.functionName("write", column), column.fields, topicStruct(topic, column), this.ctx.entity.descriptor, label);
      out.push(ts`{ ${tagCall(target.number, WIRE_LEN)} const s = w.begin(); ${fn}(w, v); w.end(s); }`);
      return;
    }
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column outside a map or Money`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const read = ts`v${prop(field.localName)}`;
    if (field.fieldKind === "map") {
      out.push(this.mapEntries(column, topic, field, read, fieldLabel));
      return;
    }
    const write = (x: TsCode) => this.value(column, column.conversion, field, fieldLabel, topic, x);
    if (field.fieldKind === "list") {
      if (target.fieldKind === "list" && target.packed && target.listKind !== "message") {
        const [method] = SCALAR_WRITE[target.scalar ?? ScalarType.INT32];
        const value = convertValue(this, column, column.conversion, field, fieldLabel, topic);
        out.push(ts`if (${read}.length !== 0) { ${tagCall(target.number, WIRE_LEN)} const s = w.begin(); for (const x of ${read}) w.${id(method)}(${value.of(ts`x`)}); w.end(s); }`);
        return;
      }
      out.push(ts`for (const x of ${read}) { ${joined(write(ts`x`), ts` `)} }`);
      return;
    }
    if (field.oneof !== undefined) {
      const oneof = ts`v${prop(field.oneof.localName)}`;
      out.push(ts`if (${oneof}.case === ${str(field.localName)}) { ${joined(write(ts`${oneof}.value`), ts` `)} }`);
      return;
    }
    if (field.fieldKind === "message") {
      out.push(ts`if (${read} !== undefined) { ${joined(write(read), ts` `)} }`);
      return;
    }
    switch (field.presence) {
      case FeatureSet_FieldPresence.IMPLICIT:
        out.push(ts`if (${isNonZero(field, read)}) { ${joined(write(read), ts` `)} }`);
        return;
      case FeatureSet_FieldPresence.LEGACY_REQUIRED:
        out.push(ts`{ const x = ${runtime("required")}(${ownValue(field.localName)}, ${this.ctx.where(fieldLabel)}); ${joined(write(ts`x`), ts` `)} }`);
        return;
      default:
        out.push(ts`{ const x = ${ownValue(field.localName)}; if (x !== undefined) { ${joined(write(ts`x`), ts` `)} } }`);
    }
  }

  /** Statements writing one value (of a singular field, a list element or a map value) with its tag. */
  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: TopicMessageDesc, x: TsCode): TsCode[] {
    const target = topicField(topic, column);
    if (conv.kind === "map_value") return this.value(column, conv.value, field, label, topic, x);
    if (conv.kind === "message") {
      const fn = this.struct(this.ctx.functionName("write", column), column.fields, topicStruct(topic, column), field.message!, label);
      return [tagCall(target.number, WIRE_LEN), ts`{ const s = w.begin(); ${fn}(w, ${x}); w.end(s); }`];
    }
    if (conv.kind === "money") {
      // google.type.Money: the currency as it is, units and nanos as one exact decimal; both always set.
      const struct = topicStruct(topic, column);
      const [currency, amount] = [...column.fields].map((c) => topicField(struct, c)) as [TopicFieldDesc, TopicFieldDesc];
      const parts: [TopicFieldDesc, TsCode][] = [
        [currency, ts`${x}.currencyCode`],
        [amount, ts`${runtime("moneyAmount")}(${x}, ${this.ctx.where(label)})`],
      ];
      parts.sort((a, b) => a[0].number - b[0].number);
      const n = this.fresh();
      return [
        tagCall(target.number, WIRE_LEN),
        ts`{ const ${n} = w.begin(); ${joined(parts.flatMap(([f, value]) => this.scalar(f, value)), ts` `)} w.end(${n}); }`,
      ];
    }
    const value = convertValue(this, column, conv, field, label, topic);
    return this.scalar(target, value.of(x));
  }

  private scalar(target: TopicFieldDesc, value: TsCode): TsCode[] {
    const scalar = target.fieldKind === "scalar" || (target.fieldKind === "list" && target.listKind === "scalar") ? target.scalar : undefined;
    if (scalar === undefined) throw new Error(`topic field ${target.toString()} is not a scalar`);
    return [tagCall(target.number, SCALAR_WRITE[scalar][1]), ts`${WRITE_CALLS[scalar]}${value});`];
  }

  private mapEntries(column: Column, topic: TopicMessageDesc, field: DescField, read: TsCode, label: readonly string[]): TsCode {
    const entry = topicStruct(topic, column);
    const target = topicField(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    const keyToWire = mapKeyToWire(keyColumn.wire.type as WireScalar);
    const keyField = topicField(entry, keyColumn);
    const valueField = topicField(entry, valueColumn);
    const keyWrite = this.scalar(keyField, keyToWire(ts`k`));
    const valueWrite = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry, ts`x`);
    const parts = keyField.number < valueField.number ? [...keyWrite, ...valueWrite] : [...valueWrite, ...keyWrite];
    // Protobuf-ES keys maps by strings at runtime, whatever the key type; entries in key order.
    return ts`for (const [k, x] of Object.entries(${read})) { ${tagCall(target.number, WIRE_LEN)} const s = w.begin(); ${joined(parts, ts` `)} w.end(s); }`;
  }

  private fresh(): TsCode {
    return id(`s${this.counter++}`);
  }
}
