/**
 * Generates the direct JSON decoder of an event, the JSON sibling of binary-reader.ts: the topic
 * message's protobuf JSON, as JSON.parse gives it (rt.parseJsonText), read straight into the
 * entity, switching on each key (the field's .proto name or its JSON name, as fromJson accepts
 * both), each value checked as fromJson checks it (rt.jsonInt64, rt.jsonString, ...) and converted
 * and checked by the `decode` side of conversions.ts. A null or absent field leaves the entity's
 * field unset (the presence rule); an unknown key is skipped, as the reference path's
 * ignoreUnknownFields skips it.
 */
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import { convertValue, type ConversionWalk } from "./conversions.js";
import { envelopeProperty, runtime, valueMessage, type EventContext } from "./event-context.js";
import type { RuntimeValue } from "./runtime-module.js";
import { id, indentedLines, joined, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicFieldDesc, type TopicMessageDesc } from "./topic-layout.js";

/** Writes `function readJsonEntity(j: JsonValue, e: rt.ReadEnvelope): Entity` and the functions it calls. */
export function writeJsonReader(ctx: EventContext): TsCode {
  return new JsonReaderWriter(ctx).struct(id("readJsonEntity"), ctx.entity.columns, ctx.layout.message, ctx.entity.descriptor, [], true);
}

/** The runtime check of each scalar type's JSON value. */
const SCALAR_READ: Record<ScalarType, RuntimeValue> = {
  [ScalarType.DOUBLE]: "jsonDouble",
  [ScalarType.FLOAT]: "jsonFloat",
  [ScalarType.INT64]: "jsonInt64",
  [ScalarType.UINT64]: "jsonUint64",
  [ScalarType.INT32]: "jsonInt32",
  [ScalarType.FIXED64]: "jsonUint64",
  [ScalarType.FIXED32]: "jsonUint32",
  [ScalarType.BOOL]: "jsonBool",
  [ScalarType.STRING]: "jsonString",
  [ScalarType.BYTES]: "jsonBytes",
  [ScalarType.UINT32]: "jsonUint32",
  [ScalarType.SFIXED32]: "jsonInt32",
  [ScalarType.SFIXED64]: "jsonInt64",
  [ScalarType.SINT32]: "jsonInt32",
  [ScalarType.SINT64]: "jsonInt64",
};

/** The topic value of a map key back to Protobuf-ES's string key. */
const KEY_TO_ENTITY: Partial<Record<WireScalar, (key: TsCode) => TsCode>> = { string: (k) => k };

/** One `case` of a message's switch: the labels (names) and the statements for value `x`. */
interface KeyCase {
  readonly field: TopicFieldDesc;
  readonly body: TsCode;
}

class JsonReaderWriter implements ConversionWalk {
  readonly direction = "decode";
  private readonly createName: TsCode;
  private readonly jsonValue: TsCode;
  /** The topic message of the function being written, whose full name is its local `t$`. */
  private home: TopicMessageDesc | undefined;

  constructor(readonly ctx: EventContext) {
    this.createName = ctx.lib("create", "@bufbuild/protobuf");
    this.jsonValue = ctx.lib("JsonValue", "@bufbuild/protobuf", true);
  }

  create(): TsCode {
    return this.createName;
  }

  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, target: DescMessage, label: readonly string[], top = false): TsCode {
    const cases: KeyCase[] = [];
    const outer = this.home;
    this.home = topic;
    for (const column of columns) this.column(column, topic, label, cases);
    const switchCases = this.switchCases(topic, cases);
    this.home = outer;
    const envelope = top ? ts`, e: ${runtime("ReadEnvelope")}` : ts``;
    // `let`: in nested mode the entity is the one STRUCT column, read whole.
    const nested = top && columns.some((c) => c.source.kind === "nest");
    const init = nested ? ts`let v = ${this.createName}(${this.ctx.schemaOf(target)});` : ts`const v = ${this.createName}(${this.ctx.schemaOf(target)});`;
    this.ctx.functions.push(this.objectReader(ts`${name}(j: ${this.jsonValue}${envelope}): ${this.ctx.shapeOf(target)}`, topic, init, switchCases, ts`v`));
    return name;
  }

  /**
   * A function reading one JSON object of the topic message `message` key by key: the object
   * check, `init`, a switch over `cases` for each key, then `return result`.
   */
  private objectReader(signature: TsCode, message: TopicMessageDesc, init: TsCode, cases: readonly TsCode[], result: TsCode): TsCode {
    return joined([
      ts`function ${signature} {`,
      ts`  const t$ = ${str(message.typeName)};`,
      ts`  const o = ${runtime("jsonObject")}(j, t$);`,
      ts`  ${init}`,
      ts`  for (const k of Object.keys(o)) {`,
      ts`    const x = o[k] as ${this.jsonValue};`,
      ts`    switch (k) {`,
      ...indentedLines(cases, ts`      `),
      ts`    }`,
      ts`  }`,
      ts`  return ${result};`,
      ts`}`,
    ]);
  }

  /**
   * `case "name": case "jsonName": ...; break;`. A field may come by either name but not by both
   * (fromJson: "set multiple times"), checked only when the key is the JSON name; a JSON name that
   * is some field's .proto name is that field's, as fromJson looks keys up.
   */
  private switchCases(topic: TopicMessageDesc, cases: readonly KeyCase[]): TsCode[] {
    return cases.map(({ field, body }) => {
      // Most names are one word, their JSON name the same: the other fields are searched only
      // for the others (a Set of every message's names cost more than the few searches).
      if (field.jsonName === field.name || isProtoName(topic, field.jsonName)) return ts`${caseLabel(field.name)} ${body} break;`;
      const twice = ts`if (k !== ${str(field.name)} && ${runtime("own")}(o, ${str(field.name)}) !== undefined) throw ${runtime("jsonTwice")}(${this.named(field)});`;
      return ts`${caseLabel(field.name)} ${caseLabel(field.jsonName)} ${twice} ${body} break;`;
    });
  }

  private column(column: Column, topic: TopicMessageDesc, label: readonly string[], cases: KeyCase[]): void {
    const source = column.source;
    const target = topicField(topic, column);
    if (source.kind === "envelope") {
      const into = envelopeProperty(column);
      cases.push({ field: target, body: ts`if (x !== null) ${into} = ${this.scalar(target, ts`x`)};` });
      return;
    }
    if (source.kind === "nest") {
      const fn = this.struct(this.ctx.functionName("readJson", column), column.fields, topicStruct(topic, column), this.ctx.entity.descriptor, label);
      cases.push({ field: target, body: ts`if (x !== null) v = ${fn}(x);` });
      return;
    }
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column inside the entity`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const into = ts`v${prop(field.localName)}`;
    const full = this.named(target);
    if (field.fieldKind === "map") {
      cases.push({ field: target, body: ts`if (x !== null) for (const y of ${runtime("jsonList")}(x, ${full})) { ${this.mapEntry(column, topic, field, into, fieldLabel, ts`${runtime("jsonItem")}(y, ${full})`)} }` });
      return;
    }
    if (field.fieldKind === "list") {
      const read = this.value(column, column.conversion, field, fieldLabel, topic, ts`${runtime("jsonItem")}(y, ${full})`);
      cases.push({ field: target, body: ts`if (x !== null) for (const y of ${runtime("jsonList")}(x, ${full})) ${into}.push(${read});` });
      return;
    }
    const read = this.value(column, column.conversion, field, fieldLabel, topic, ts`x`);
    if (column.conversion.kind === "empty_presence") {
      // Empty travels as TRUE when set; FALSE leaves the field unset.
      const set = field.oneof === undefined ? ts`${into} = ${read};` : this.oneofSet(field, label, read);
      cases.push({ field: target, body: ts`if (x !== null && ${runtime("jsonBool")}(x, ${full})) { ${set} }` });
      return;
    }
    if (field.oneof !== undefined) {
      cases.push({ field: target, body: ts`if (x !== null) { ${this.oneofSet(field, label, read)} }` });
      return;
    }
    cases.push({ field: target, body: ts`if (x !== null) ${into} = ${read};` });
  }

  private oneofSet(field: DescField, label: readonly string[], read: TsCode): TsCode {
    const oneof = ts`v${prop(field.oneof!.localName)}`;
    return ts`${runtime("oneofFree")}(${oneof}.case, ${this.ctx.where([...label, field.oneof!.name])}); ${oneof} = { case: ${str(field.localName)}, value: ${read} };`;
  }

  /** The expression reading and converting one value from the JSON value `x`. */
  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: TopicMessageDesc, x: TsCode): TsCode {
    const target = topicField(topic, column);
    if (conv.kind === "map_value") return this.value(column, conv.value, field, label, topic, x);
    if (conv.kind === "message") {
      const fn = this.struct(this.ctx.functionName("readJson", column), column.fields, topicStruct(topic, column), valueMessage(field), label);
      return ts`${fn}(${x})`;
    }
    if (conv.kind === "money") {
      const struct = topicStruct(topic, column);
      const fn = this.moneyReader(column, struct);
      const schema = this.ctx.schemaOf(valueMessage(field));
      return ts`${this.createName}(${schema}, ${runtime("moneyFromTopic")}(${fn}(${x}), ${this.ctx.where(label)}))`;
    }
    if (conv.kind === "empty_presence") {
      const schema = this.ctx.schemaOf(valueMessage(field));
      return ts`${this.createName}(${schema})`;
    }
    const value = convertValue(this, column, conv, field, label, topic);
    return value.of(this.scalar(target, x));
  }

  /** `rt.jsonInt64(x, t$, "field")`: a topic scalar as fromJson accepts it. */
  private scalar(target: TopicFieldDesc, x: TsCode): TsCode {
    return ts`${runtime(SCALAR_READ[target.scalar!])}(${x}, ${this.named(target)})`;
  }

  /** `t$, "field"`: a topic field as the runtime's JSON checks name it in errors. */
  private named(field: TopicFieldDesc): TsCode {
    if (field.parent === this.home) return homeFieldName(field.name);
    return ts`${str(field.parent.typeName)}, ${str(field.name)}`;
  }

  /** A function reading Money's {currency_code, amount} object, both optional, as moneyFromTopic takes it. */
  private moneyReader(column: Column, struct: TopicMessageDesc): TsCode {
    const name = this.ctx.functionName("readJson", column);
    const outer = this.home;
    this.home = struct;
    const parts: KeyCase[] = column.fields.map((c) => {
      const f = topicField(struct, c);
      const into = f.number === topicField(struct, column.fields[0]!).number ? ts`m.currencyCode` : ts`m.amount`;
      return { field: f, body: ts`if (x !== null) ${into} = ${this.scalar(f, ts`x`)};` };
    });
    const switchCases = this.switchCases(struct, parts);
    this.home = outer;
    const moneyParts = ts`{ currencyCode?: string; amount?: string }`;
    this.ctx.functions.push(this.objectReader(ts`${name}(j: ${this.jsonValue}): ${moneyParts}`, struct, ts`const m: ${moneyParts} = {};`, switchCases, ts`m`));
    return name;
  }

  /** Statements reading one map entry object `entry` into the map `into`. */
  private mapEntry(column: Column, topic: TopicMessageDesc, field: DescField, into: TsCode, label: readonly string[], entry: TsCode): TsCode {
    const struct = topicStruct(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    const keyField = topicField(struct, keyColumn);
    const valueField = topicField(struct, valueColumn);
    const where = this.ctx.where(label);
    const readValue = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], struct, ts`z`);
    const keyToEntity = KEY_TO_ENTITY[keyColumn.wire.type as WireScalar] ?? ((k: TsCode) => ts`String(${k})`);
    return joined(
      [
        ts`const q = ${runtime("jsonObject")}(${entry}, ${str(struct.typeName)}); let a; let b;`,
        ts`for (const n of Object.keys(q)) { const z = q[n] as ${this.jsonValue}; if (z === null) continue; if (n === ${str(keyField.name)}) a = ${this.scalar(keyField, ts`z`)}; else if (n === ${str(valueField.name)}) b = ${readValue}; }`,
        ts`${runtime("setEntry")}(${into}, ${keyToEntity(ts`${runtime("entryPart")}(a, ${where})`)}, ${runtime("entryPart")}(b, ${where}));`,
      ],
      ts` `,
    );
  }
}

/** Whether `name` is the .proto name of a field of `message`. */
function isProtoName(message: TopicMessageDesc, name: string): boolean {
  for (const field of message.fields) if (field.name === name) return true;
  return false;
}

/**
 * `case "name":` and `t$, "name"` are made once per name in a run: every message's switch and
 * checks name each of its fields several times, and the same names come back in every entity.
 */
function caseLabel(name: string): TsCode {
  let label = CASE_LABELS.get(name);
  if (label === undefined) {
    label = ts`case ${str(name)}:`;
    CASE_LABELS.set(name, label);
  }
  return label;
}

const CASE_LABELS = new Map<string, TsCode>();

function homeFieldName(name: string): TsCode {
  let named = HOME_FIELD_NAMES.get(name);
  if (named === undefined) {
    named = ts`t$, ${str(name)}`;
    HOME_FIELD_NAMES.set(name, named);
  }
  return named;
}

const HOME_FIELD_NAMES = new Map<string, TsCode>();
