/**
 * Generates the direct JSON encoder of an event, the JSON sibling of binary-writer.ts: the topic
 * message's protobuf JSON (.proto field names) written from the entity by a rt.JsonWriter, field by
 * field in field-number order (as toJsonString writes them), keys precomputed, with no topic
 * message object and no reflection. Values are converted by the `encode` side of conversions.ts and
 * fields are left out by the same presence rule as binary-writer.ts (a field the bytes carry is a
 * key of the JSON), so the text equals the reference path's: toJsonString of the topic message
 * read back from its bytes. The writer's methods are named as ProtoWriter's (`w.int64(x)`), so both
 * writers share the table of scalar methods.
 */
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import { convertValue, mapKeyToWire, type ConversionWalk } from "./conversions.js";
import { WRITE_CALLS } from "./binary-writer.js";
import { isNonZero } from "./encode.js";
import { envelopeProperty, ownValue, runtime, type EventContext } from "./event-context.js";
import { id, indentedLines, joined, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicFieldDesc, type TopicMessageDesc } from "./topic-layout.js";

/** Writes `function writeJsonEntity(w: rt.JsonWriter, v: Entity, e: rt.Envelope): void` and the functions it calls. */
export function writeJsonWriter(ctx: EventContext): TsCode {
  return new JsonWriterWriter(ctx).struct(id("writeJsonEntity"), ctx.entity.columns, ctx.layout.message, ctx.entity.descriptor, [], true);
}

/** `w.key("\"name\":");`: the key of a topic field, with the proto name toJsonString uses here. */
function keyCall(target: TopicFieldDesc): TsCode {
  // Made once per name in a run: the same names come back in every entity, and the key's quotes
  // make each one a JSON.stringify.
  let call = KEY_CALLS.get(target.name);
  if (call === undefined) {
    call = ts`w.key(${str(`"${target.name}":`)});`;
    KEY_CALLS.set(target.name, call);
  }
  return call;
}

const KEY_CALLS = new Map<string, TsCode>();

class JsonWriterWriter implements ConversionWalk {
  readonly direction = "encode";

  constructor(readonly ctx: EventContext) {}

  create(): TsCode {
    return this.ctx.lib("create", "@bufbuild/protobuf");
  }

  /** A function writing one topic message as a JSON object, `{` to `}`; returns its name. */
  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, source: DescMessage, label: readonly string[], top = false): TsCode {
    const statements: TsCode[] = [];
    const ordered = this.ctx.inWireOrder(columns);
    for (const column of ordered) this.column(column, topic, label, statements);
    const envelope = top ? ts`, e: ${runtime("Envelope")}` : ts``;
    this.ctx.functions.push(
      joined([
        ts`function ${name}(w: ${runtime("JsonWriter")}, v: ${this.ctx.shapeOf(source)}${envelope}): void {`,
        ts`  w.open();`,
        ...indentedLines(statements, ts`  `),
        ts`  w.close();`,
        ts`}`,
      ]),
    );
    return name;
  }

  private column(column: Column, topic: TopicMessageDesc, label: readonly string[], out: TsCode[]): void {
    const source = column.source;
    const target = topicField(topic, column);
    if (source.kind === "envelope") {
      const value = envelopeProperty(column);
      out.push(ts`${keyCall(target)} ${this.scalar(target, value)}`);
      return;
    }
    if (source.kind === "nest") {
      const fn = this.struct(this.ctx.functionName("writeJson", column), column.fields, topicStruct(topic, column), this.ctx.entity.descriptor, label);
      out.push(ts`${keyCall(target)} ${fn}(w, v);`);
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
    const write = (x: TsCode) => ts`${keyCall(target)} ${this.value(column, column.conversion, field, fieldLabel, topic, x)}`;
    if (field.fieldKind === "list") {
      const item = this.value(column, column.conversion, field, fieldLabel, topic, ts`x`);
      out.push(ts`if (${read}.length !== 0) { ${keyCall(target)} w.openList(); for (const x of ${read}) { w.item(); ${item} } w.closeList(); }`);
      return;
    }
    if (field.oneof !== undefined) {
      const oneof = ts`v${prop(field.oneof.localName)}`;
      out.push(ts`if (${oneof}.case === ${str(field.localName)}) { ${write(ts`${oneof}.value`)} }`);
      return;
    }
    if (field.fieldKind === "message") {
      out.push(ts`if (${read} !== undefined) { ${write(read)} }`);
      return;
    }
    switch (field.presence) {
      case FeatureSet_FieldPresence.IMPLICIT:
        out.push(ts`if (${isNonZero(field, read)}) { ${write(read)} }`);
        return;
      case FeatureSet_FieldPresence.LEGACY_REQUIRED:
        out.push(ts`{ const x = ${runtime("required")}(${ownValue(field.localName)}, ${this.ctx.where(fieldLabel)}); ${write(ts`x`)} }`);
        return;
      default:
        out.push(ts`{ const x = ${ownValue(field.localName)}; if (x !== undefined) { ${write(ts`x`)} } }`);
    }
  }

  /** Statements writing one value (of a singular field, a list element or a map value), after its key. */
  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: TopicMessageDesc, x: TsCode): TsCode {
    const target = topicField(topic, column);
    if (conv.kind === "map_value") return this.value(column, conv.value, field, label, topic, x);
    if (conv.kind === "message") {
      const fn = this.struct(this.ctx.functionName("writeJson", column), column.fields, topicStruct(topic, column), field.message!, label);
      return ts`${fn}(w, ${x});`;
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
      return ts`w.open(); ${joined(parts.map(([f, value]) => ts`${keyCall(f)} ${this.scalar(f, value)}`), ts` `)} w.close();`;
    }
    const value = convertValue(this, column, conv, field, label, topic);
    return this.scalar(target, value.of(x));
  }

  private scalar(target: TopicFieldDesc, value: TsCode): TsCode {
    const scalar = target.fieldKind === "scalar" || (target.fieldKind === "list" && target.listKind === "scalar") ? target.scalar : undefined;
    if (scalar === undefined) throw new Error(`topic field ${target.toString()} is not a scalar`);
    return ts`${WRITE_CALLS[scalar]}${value});`;
  }

  private mapEntries(column: Column, topic: TopicMessageDesc, field: DescField, read: TsCode, label: readonly string[]): TsCode {
    const entry = topicStruct(topic, column);
    const target = topicField(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    const keyToWire = mapKeyToWire(keyColumn.wire.type as WireScalar);
    const keyField = topicField(entry, keyColumn);
    const valueField = topicField(entry, valueColumn);
    const keyWrite = ts`${keyCall(keyField)} ${this.scalar(keyField, keyToWire(ts`k`))}`;
    const valueWrite = ts`${keyCall(valueField)} ${this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry, ts`x`)}`;
    const parts = keyField.number < valueField.number ? [keyWrite, valueWrite] : [valueWrite, keyWrite];
    // Protobuf-ES keys maps by strings at runtime, whatever the key type; entries in key order.
    return ts`{ const es = Object.entries(${read}); if (es.length !== 0) { ${keyCall(target)} w.openList(); for (const [k, x] of es) { w.item(); w.open(); ${joined(parts, ts` `)} w.close(); } w.closeList(); } }`;
  }
}
