/**
 * Generates the conversion entity → topic message: one statement per column, one expression per
 * value (the `encode` side of conversions.ts), one function per STRUCT column. Values are validated on the way (ranges,
 * formats), so an event that exists can be published.
 */
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion, WireScalar } from "../../model/types.js";
import { convertValue, type ConversionWalk } from "./conversions.js";
import { objectKey, runtime, type EventContext, type ValueConversion } from "./event-context.js";
import { property, stringLiteral } from "./source-text.js";
import { topicField, topicStruct } from "./topic-layout.js";

/** Writes `function encodeEntity(v: Entity): EventTopicMessage` and the functions it calls. */
export function writeEncoder(ctx: EventContext): string {
  return new Encoder(ctx).struct("encodeEntity", ctx.entity.columns, ctx.layout.message, ctx.entity.descriptor, []);
}

/** Protobuf-ES keys maps by strings at runtime; the topic's `key` column has the key's own type. */
const MAP_KEY_TO_WIRE: Partial<Record<WireScalar, (key: string) => string>> = {
  string: (k) => k,
  bool: (k) => `${k} === "true"`,
  int64: (k) => `BigInt(${k})`,
  uint64: (k) => `BigInt(${k})`,
  sint64: (k) => `BigInt(${k})`,
  fixed64: (k) => `BigInt(${k})`,
  sfixed64: (k) => `BigInt(${k})`,
};

class Encoder implements ConversionWalk {
  readonly direction = "encode";

  constructor(readonly ctx: EventContext) {}

  create(): string {
    return this.ctx.lib("create", "@bufbuild/protobuf");
  }

  /** A function from a message of the entity to a topic message; returns its name. */
  struct(name: string, columns: readonly Column[], topic: DescMessage, source: DescMessage, label: readonly string[]): string {
    const wireType = this.ctx.wireType(columns, topic);
    const sourceType = this.ctx.shapeOf(source);
    const literal = [`$typeName: ${stringLiteral(topic.typeName)}`];
    const statements: string[] = [];
    for (const column of columns) this.column(column, topic, label, literal, statements);
    this.ctx.functions.push(
      [
        `function ${name}(v: ${sourceType}): ${wireType} {`,
        `  const m: ${wireType} = {`,
        ...literal.map((l) => `    ${l},`),
        "  };",
        ...statements.map((s) => `  ${s}`),
        "  return m;",
        "}",
      ].join("\n"),
    );
    return name;
  }

  /**
   * Values that are always sent go into the object literal; the others are set when present.
   * Presence follows the entity's field: implicit presence is always sent, explicit presence only
   * when set, except that a declared proto2 default is sent for an unset field.
   */
  private column(column: Column, topic: DescMessage, label: readonly string[], literal: string[], statements: string[]): void {
    const source = column.source;
    if (source.kind === "envelope") return;
    const key = objectKey(topicField(topic, column).localName);
    const target = `m${property(topicField(topic, column).localName)}`;
    if (source.kind === "nest") {
      const name = this.struct(this.ctx.functionName("encode", column), column.fields, topicStruct(topic, column), this.ctx.entity.descriptor, label);
      literal.push(`${key}: ${name}(v)`);
      return;
    }
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column outside a map or Money`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const read = `v${property(field.localName)}`;
    if (field.fieldKind === "map") {
      literal.push(`${key}: ${this.mapEntries(column, topic, field, read, fieldLabel)}`);
      return;
    }
    const value = this.value(column, column.conversion, field, fieldLabel, topic);
    if (field.fieldKind === "list") {
      literal.push(`${key}: ${value.identity ? `${read}.slice()` : `${read}.map((x) => ${value.of("x")})`}`);
      return;
    }
    if (field.oneof !== undefined) {
      const oneof = `v${property(field.oneof.localName)}`;
      statements.push(`if (${oneof}.case === ${stringLiteral(field.localName)}) ${target} = ${value.of(`${oneof}.value`)};`);
      return;
    }
    if (field.fieldKind === "message") {
      statements.push(`if (${read} !== undefined) ${target} = ${value.of(read)};`);
      return;
    }
    switch (field.presence) {
      case FeatureSet_FieldPresence.IMPLICIT:
        literal.push(`${key}: ${value.of(read)}`);
        return;
      case FeatureSet_FieldPresence.LEGACY_REQUIRED:
        statements.push(`${target} = ${value.of(`${runtime("required")}(${runtime("own")}(v, ${stringLiteral(field.localName)}), ${this.ctx.where(fieldLabel)})`)};`);
        return;
      default:
        if (column.defaultValue !== undefined) {
          // The default lives on the message's prototype, so reading the field yields it.
          statements.push(`if (${read} !== undefined) ${target} = ${value.of(read)};`);
        } else {
          statements.push(`{ const x = ${runtime("own")}(v, ${stringLiteral(field.localName)}); if (x !== undefined) ${target} = ${value.of("x")}; }`);
        }
    }
  }

  private mapEntries(column: Column, topic: DescMessage, field: DescField, read: string, label: readonly string[]): string {
    const entry = topicStruct(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    this.ctx.wireType(column.fields, entry);
    const keyToWire = MAP_KEY_TO_WIRE[keyColumn.wire.type as WireScalar] ?? ((k: string) => `Number(${k})`);
    const value = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry);
    const keyName = objectKey(topicField(entry, keyColumn).localName);
    const valueName = objectKey(topicField(entry, valueColumn).localName);
    return `${runtime("mapEntries")}(${read}, (k, x) => ({ $typeName: ${stringLiteral(entry.typeName)} as const, ${keyName}: ${keyToWire("k")}, ${valueName}: ${value.of("x")} }))`;
  }

  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: DescMessage): ValueConversion {
    return convertValue(this, column, conv, field, label, topic);
  }
}
