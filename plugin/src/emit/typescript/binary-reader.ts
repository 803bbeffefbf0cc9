/**
 * Generates the direct binary decoder of an event, the reverse of binary-writer.ts: the topic
 * message's wire format read straight into the entity with @bufbuild/protobuf's BinaryReader
 * (which has no reflection), switching on the precomputed tag, each value converted and checked by
 * the `decode` side of conversions.ts. An absent field leaves the entity's field unset (the
 * presence rule); a field of an unknown number or wire type is skipped, as fromBinary keeps it
 * aside as unknown.
 */
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import { convertValue, type ConversionWalk } from "./conversions.js";
import { envelopeProperty, runtime, valueMessage, type EventContext } from "./event-context.js";
import { id, indentedLines, joined, num, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicFieldDesc, type TopicMessageDesc } from "./topic-layout.js";

/** Writes `function readEntity(r: BinaryReader, end: number, e: rt.ReadEnvelope): Entity` and the functions it calls. */
export function writeBinaryReader(ctx: EventContext): TsCode {
  return new BinaryReaderWriter(ctx).struct(id("readEntity"), ctx.entity.columns, ctx.layout.message, ctx.entity.descriptor, [], true);
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const SCALAR_READ: Record<ScalarType, readonly [method: string, wireType: number, long: boolean]> = {
  [ScalarType.DOUBLE]: ["double", WIRE_FIXED64, false],
  [ScalarType.FLOAT]: ["float", WIRE_FIXED32, false],
  [ScalarType.INT64]: ["int64", WIRE_VARINT, true],
  [ScalarType.UINT64]: ["uint64", WIRE_VARINT, true],
  [ScalarType.INT32]: ["int32", WIRE_VARINT, false],
  [ScalarType.FIXED64]: ["fixed64", WIRE_FIXED64, true],
  [ScalarType.FIXED32]: ["fixed32", WIRE_FIXED32, false],
  [ScalarType.BOOL]: ["bool", WIRE_VARINT, false],
  [ScalarType.STRING]: ["string", WIRE_LEN, false],
  [ScalarType.BYTES]: ["bytes", WIRE_LEN, false],
  [ScalarType.UINT32]: ["uint32", WIRE_VARINT, false],
  [ScalarType.SFIXED32]: ["sfixed32", WIRE_FIXED32, false],
  [ScalarType.SFIXED64]: ["sfixed64", WIRE_FIXED64, true],
  [ScalarType.SINT32]: ["sint32", WIRE_VARINT, false],
  [ScalarType.SINT64]: ["sint64", WIRE_VARINT, true],
};

/** `r.string()`, `(r.int64() as bigint)`: each scalar type's read, made once. */
const READ_CALLS = (() => {
  const calls = {} as Record<ScalarType, TsCode>;
  for (const [scalar, [method, , long]] of Object.entries(SCALAR_READ)) calls[Number(scalar) as ScalarType] = long ? ts`(r.${id(method)}() as bigint)` : ts`r.${id(method)}()`;
  return calls;
})();

/** A tag as the reader's switch compares it; made once per tag in a run (every file has the same few). */
function tag(fieldNo: number, wireType: number): TsCode {
  const value = ((fieldNo << 3) | wireType) >>> 0;
  let literal = TAGS.get(value);
  if (literal === undefined) {
    literal = num(value);
    TAGS.set(value, literal);
  }
  return literal;
}

const TAGS = new Map<number, TsCode>();

/** The topic value of a map key back to Protobuf-ES's string key. */
const KEY_TO_ENTITY: Partial<Record<WireScalar, (key: TsCode) => TsCode>> = { string: (k) => k };

class BinaryReaderWriter implements ConversionWalk {
  readonly direction = "decode";
  private readonly createName: TsCode;
  private readonly reader: TsCode;

  constructor(readonly ctx: EventContext) {
    this.createName = ctx.lib("create", "@bufbuild/protobuf");
    this.reader = ctx.lib("BinaryReader", "@bufbuild/protobuf/wire", true);
  }

  create(): TsCode {
    return this.createName;
  }

  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, target: DescMessage, label: readonly string[], top = false): TsCode {
    const cases: TsCode[] = [];
    for (const column of columns) this.column(column, topic, label, cases);
    const envelope = top ? ts`, e: ${runtime("ReadEnvelope")}` : ts``;
    // `let`: in nested mode the entity is the one STRUCT column, read whole.
    const nested = top && columns.some((c) => c.source.kind === "nest");
    const init = nested ? ts`let v = ${this.createName}(${this.ctx.schemaOf(target)});` : ts`const v = ${this.createName}(${this.ctx.schemaOf(target)});`;
    this.ctx.functions.push(
      joined([
        ts`function ${name}(r: ${this.reader}, end: number${envelope}): ${this.ctx.shapeOf(target)} {`,
        ts`  ${init}`,
        ts`  while (r.pos < end) {`,
        ts`    const t = r.uint32();`,
        ts`    switch (t) {`,
        ...indentedLines(cases, ts`      `),
        ts`      default: r.skip(t & 7, t >>> 3);`,
        ts`    }`,
        ts`  }`,
        ts`  return v;`,
        ts`}`,
      ]),
    );
    return name;
  }

  private column(column: Column, topic: TopicMessageDesc, label: readonly string[], cases: TsCode[]): void {
    const source = column.source;
    const target = topicField(topic, column);
    if (source.kind === "envelope") {
      const into = envelopeProperty(column);
      cases.push(ts`case ${tag(target.number, SCALAR_READ[target.scalar!][1])}: ${into} = ${this.scalar(target)}; break;`);
      return;
    }
    if (source.kind === "nest") {
      const fn = this.struct(this.ctx.functionName("read", column), column.fields, topicStruct(topic, column), this.ctx.entity.descriptor, label);
      cases.push(ts`case ${tag(target.number, WIRE_LEN)}: v = ${fn}(r, r.uint32() + r.pos); break;`);
      return;
    }
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column inside the entity`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const into = ts`v${prop(field.localName)}`;
    if (field.fieldKind === "map") {
      cases.push(ts`case ${tag(target.number, WIRE_LEN)}: ${this.mapEntry(column, topic, field, into, fieldLabel)} break;`);
      return;
    }
    const [valueTag, read] = this.value(column, column.conversion, field, fieldLabel, topic);
    if (field.fieldKind === "list") {
      cases.push(ts`case ${valueTag}: ${into}.push(${read}); break;`);
      // A list of numbers may come packed or not, whatever the schema says.
      if (target.fieldKind === "list" && target.listKind === "scalar" && SCALAR_READ[target.scalar][1] !== WIRE_LEN) {
        cases.push(ts`case ${tag(target.number, WIRE_LEN)}: { const n = r.uint32() + r.pos; while (r.pos < n) ${into}.push(${read}); break; }`);
      }
      return;
    }
    if (column.conversion.kind === "empty_presence") {
      // Empty travels as TRUE when set; FALSE leaves the field unset.
      const set = field.oneof === undefined ? ts`${into} = ${read};` : this.oneofSet(field, label, read);
      cases.push(ts`case ${valueTag}: if (r.bool()) { ${set} } break;`);
      return;
    }
    if (field.oneof !== undefined) {
      cases.push(ts`case ${valueTag}: { ${this.oneofSet(field, label, read)} break; }`);
      return;
    }
    cases.push(ts`case ${valueTag}: ${into} = ${read}; break;`);
  }

  private oneofSet(field: DescField, label: readonly string[], read: TsCode): TsCode {
    const oneof = ts`v${prop(field.oneof!.localName)}`;
    return ts`${runtime("oneofFree")}(${oneof}.case, ${this.ctx.where([...label, field.oneof!.name])}); ${oneof} = { case: ${str(field.localName)}, value: ${read} };`;
  }

  /** The tag a value comes with, and the expression reading and converting it. */
  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: TopicMessageDesc): [TsCode, TsCode] {
    const target = topicField(topic, column);
    if (conv.kind === "map_value") return this.value(column, conv.value, field, label, topic);
    if (conv.kind === "message") {
      const fn = this.struct(this.ctx.functionName("read", column), column.fields, topicStruct(topic, column), valueMessage(field), label);
      return [tag(target.number, WIRE_LEN), ts`${fn}(r, r.uint32() + r.pos)`];
    }
    if (conv.kind === "money") {
      const struct = topicStruct(topic, column);
      const [currency, amount] = [...column.fields].map((c) => topicField(struct, c)) as [TopicFieldDesc, TopicFieldDesc];
      const fn = this.moneyReader(column, struct, currency, amount);
      const schema = this.ctx.schemaOf(valueMessage(field));
      return [tag(target.number, WIRE_LEN), ts`${this.createName}(${schema}, ${runtime("moneyFromTopic")}(${fn}(r, r.uint32() + r.pos), ${this.ctx.where(label)}))`];
    }
    if (conv.kind === "empty_presence") {
      const schema = this.ctx.schemaOf(valueMessage(field));
      return [tag(target.number, WIRE_VARINT), ts`${this.createName}(${schema})`];
    }
    const value = convertValue(this, column, conv, field, label, topic);
    return [tag(target.number, SCALAR_READ[target.scalar!][1]), value.of(this.scalar(target))];
  }

  /** `r.string()`, `r.int64() as bigint`: a topic scalar as it is read. */
  private scalar(target: TopicFieldDesc): TsCode {
    return READ_CALLS[target.scalar!];
  }

  /** A function reading Money's {currency_code, amount} entry, both optional, as moneyFromTopic takes it. */
  private moneyReader(column: Column, struct: TopicMessageDesc, currency: TopicFieldDesc, amount: TopicFieldDesc): TsCode {
    const name = this.ctx.functionName("read", column);
    this.ctx.functions.push(
      joined([
        ts`function ${name}(r: ${this.reader}, end: number): { currencyCode?: string; amount?: string } {`,
        ts`  const m: { currencyCode?: string; amount?: string } = {};`,
        ts`  while (r.pos < end) {`,
        ts`    const t = r.uint32();`,
        ts`    switch (t) {`,
        ts`      case ${tag(currency.number, WIRE_LEN)}: m.currencyCode = r.string(); break;`,
        ts`      case ${tag(amount.number, WIRE_LEN)}: m.amount = r.string(); break;`,
        ts`      default: r.skip(t & 7, t >>> 3);`,
        ts`    }`,
        ts`  }`,
        ts`  return m;`,
        ts`}`,
      ]),
    );
    void struct;
    return name;
  }

  private mapEntry(column: Column, topic: TopicMessageDesc, field: DescField, into: TsCode, label: readonly string[]): TsCode {
    const entry = topicStruct(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    const keyField = topicField(entry, keyColumn);
    const where = this.ctx.where(label);
    const [valueTag, readValue] = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry);
    const keyToEntity = KEY_TO_ENTITY[keyColumn.wire.type as WireScalar] ?? ((k: TsCode) => ts`String(${k})`);
    return joined(
      [
        ts`{ const n = r.uint32() + r.pos; let k; let x;`,
        ts`while (r.pos < n) { const u = r.uint32(); if (u === ${tag(keyField.number, SCALAR_READ[keyField.scalar!][1])}) k = ${this.scalar(keyField)}; else if (u === ${valueTag}) x = ${readValue}; else r.skip(u & 7, u >>> 3); }`,
        ts`${runtime("setEntry")}(${into}, ${keyToEntity(ts`${runtime("entryPart")}(k, ${where})`)}, ${runtime("entryPart")}(x, ${where})); }`,
      ],
      ts` `,
    );
  }
}
