/**
 * Generates the conversion entity → topic message: one statement per column, one expression per
 * value (the `encode` side of conversions.ts), one function per STRUCT column. Values are
 * validated on the way (ranges, formats), so an event that exists can be published.
 */
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import { convertValue, mapKeyToWire, type ConversionWalk } from "./conversions.js";
import { ownValue, runtime, type EventContext, type ValueConversion } from "./event-context.js";
import { id, indentedLines, joined, key, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicMessageDesc } from "./topic-layout.js";

/** Writes `function encodeEntity(v: Entity): EventTopicMessage` and the functions it calls. */
export function writeEncoder(ctx: EventContext): TsCode {
  return new Encoder(ctx).struct(id("encodeEntity"), ctx.entity.columns, ctx.layout.message, ctx.entity.descriptor, []);
}

/**
 * Whether a field with implicit presence holds a value its own encoding carries: what
 * protobuf-es's toBinary tests, so -0 is a value and 0 is not.
 */
export function isNonZero(field: DescField, read: TsCode): TsCode {
  if (field.fieldKind === "enum") return ts`${read} !== 0`;
  if (field.fieldKind !== "scalar") throw new Error(`${field.toString()}: implicit presence on a ${field.fieldKind} field`);
  switch (field.scalar) {
    case ScalarType.BOOL:
      return read;
    case ScalarType.STRING:
      return ts`${read} !== ""`;
    case ScalarType.BYTES:
      return ts`${read}.byteLength !== 0`;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return ts`${read} !== 0 || 1 / ${read} < 0`;
    default:
      // protobuf-es compares loosely with 0, so "00" and "-0" are zero too.
      if (field.longAsString) return ts`Number(${read}) !== 0`;
      return is64Bit(field.scalar) ? ts`${read} !== 0n` : ts`${read} !== 0`;
  }
}

function is64Bit(scalar: ScalarType): boolean {
  return [ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64].includes(scalar);
}

/** The value's name in the arrow functions and blocks the encoder writes. */
const X = ts`x`;

class Encoder implements ConversionWalk {
  readonly direction = "encode";

  constructor(readonly ctx: EventContext) {}

  create(): TsCode {
    return this.ctx.lib("create", "@bufbuild/protobuf");
  }

  /** A function from a message of the entity to a topic message; returns its name. */
  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, source: DescMessage, label: readonly string[]): TsCode {
    const wireType = this.ctx.wireType(columns, topic);
    const sourceType = this.ctx.shapeOf(source);
    const literal = [ts`$typeName: ${str(topic.typeName)}`];
    const statements: TsCode[] = [];
    // Field-number order, as the direct binary writer converts (and validates) them: of several
    // invalid values, both paths report the same one.
    const ordered = this.ctx.inWireOrder(columns);
    for (const column of ordered) this.column(column, topic, label, literal, statements);
    this.ctx.functions.push(
      joined([
        ts`function ${name}(v: ${sourceType}): ${wireType} {`,
        ts`  const m: ${wireType} = {`,
        ...indentedLines(literal, ts`    `, ts`,`),
        ts`  };`,
        ...indentedLines(statements, ts`  `),
        ts`  return m;`,
        ts`}`,
      ]),
    );
    return name;
  }

  /**
   * Values that are always sent go into the object literal; the others are set when present.
   * The presence rule (docs/typescript.md): a topic field is absent exactly when the entity's own
   * encoding would not carry the field (a zero value of implicit presence, an unset field).
   */
  private column(column: Column, topic: TopicMessageDesc, label: readonly string[], literal: TsCode[], statements: TsCode[]): void {
    const source = column.source;
    if (source.kind === "envelope") {
      // A required envelope field is a property the type demands; the event sets its value (runtime newEvent).
      const field = topicField(topic, column);
      if (field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) literal.push(ts`${key(field.localName)}: ${column.wire.type === "int64" ? ts`0n` : str("")}`);
      return;
    }
    const name = key(topicField(topic, column).localName);
    const target = ts`m${prop(topicField(topic, column).localName)}`;
    if (source.kind === "nest") {
      const fn = this.struct(this.ctx.functionName("encode", column), column.fields, topicStruct(topic, column), this.ctx.entity.descriptor, label);
      literal.push(ts`${name}: ${fn}(v)`);
      return;
    }
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column outside a map or Money`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const read = ts`v${prop(field.localName)}`;
    // Lists and maps are required properties of the topic message type: empty in the literal,
    // converted in order with the other fields.
    if (field.fieldKind === "map") {
      literal.push(ts`${name}: []`);
      statements.push(ts`${target} = ${this.mapEntries(column, topic, field, read, fieldLabel)};`);
      return;
    }
    const value = this.value(column, column.conversion, field, fieldLabel, topic);
    if (field.fieldKind === "list") {
      literal.push(ts`${name}: []`);
      statements.push(ts`${target} = ${value.identity ? ts`${read}.slice()` : ts`${read}.map((x) => ${value.of(X)})`};`);
      return;
    }
    if (field.oneof !== undefined) {
      const oneof = ts`v${prop(field.oneof.localName)}`;
      statements.push(ts`if (${oneof}.case === ${str(field.localName)}) ${target} = ${value.of(ts`${oneof}.value`)};`);
      return;
    }
    if (field.fieldKind === "message") {
      statements.push(ts`if (${read} !== undefined) ${target} = ${value.of(read)};`);
      return;
    }
    switch (field.presence) {
      case FeatureSet_FieldPresence.IMPLICIT:
        // The presence rule: the entity's own encoding leaves a zero value out, so does the topic.
        statements.push(ts`if (${isNonZero(field, read)}) ${target} = ${value.of(read)};`);
        return;
      case FeatureSet_FieldPresence.LEGACY_REQUIRED:
        statements.push(ts`${target} = ${value.of(ts`${runtime("required")}(${ownValue(field.localName)}, ${this.ctx.where(fieldLabel)})`)};`);
        return;
      default:
        // Explicit presence: sent when set, even at zero or at a declared proto2 default (which
        // lives on the message's prototype: only own properties are set).
        statements.push(ts`{ const x = ${ownValue(field.localName)}; if (x !== undefined) ${target} = ${value.of(X)}; }`);
    }
  }

  private mapEntries(column: Column, topic: TopicMessageDesc, field: DescField, read: TsCode, label: readonly string[]): TsCode {
    const entry = topicStruct(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    this.ctx.wireType(column.fields, entry);
    const keyToWire = mapKeyToWire(keyColumn.wire.type as WireScalar);
    const value = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry);
    const keyName = key(topicField(entry, keyColumn).localName);
    const valueName = key(topicField(entry, valueColumn).localName);
    return ts`${runtime("mapEntries")}(${read}, (k, x) => ({ $typeName: ${str(entry.typeName)} as const, ${keyName}: ${keyToWire(ts`k`)}, ${valueName}: ${value.of(X)} }))`;
  }

  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: TopicMessageDesc): ValueConversion {
    return convertValue(this, column, conv, field, label, topic);
  }
}
