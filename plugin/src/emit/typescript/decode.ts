/**
 * Generates the conversion topic message → entity, the reverse of encode.ts (the `decode` side of
 * conversions.ts): what a consumer
 * needs to get a typed entity back from a received message.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion } from "../../model/types.js";
import { convertValue, type ConversionWalk } from "./conversions.js";
import { runtime, type EventContext, type ValueConversion } from "./event-context.js";
import { property, stringLiteral } from "./source-text.js";
import { topicField, topicStruct } from "./topic-layout.js";

/** Writes `function decodeEntity(w: EventTopicMessage): Entity` and the functions it calls. */
export function writeDecoder(ctx: EventContext): string {
  const { entity, layout } = ctx;
  const decoder = new Decoder(ctx);
  const nest = entity.columns.find((c) => c.source.kind === "nest");
  if (nest === undefined) return decoder.struct("decodeEntity", entity.columns, layout.message, entity.descriptor, []);
  // Nested mode: the entity is the one STRUCT column next to the envelope.
  const inner = decoder.struct(ctx.functionName("decode", nest), nest.fields, topicStruct(layout.message, nest), entity.descriptor, []);
  const wireType = ctx.wireType(entity.columns, layout.message);
  const create = ctx.lib("create", "@bufbuild/protobuf");
  const local = stringLiteral(topicField(layout.message, nest).localName);
  ctx.functions.push(
    [
      `function decodeEntity(w: ${wireType}): ${ctx.shapeOf(entity.descriptor)} {`,
      `  const x = ${runtime("own")}(w, ${local});`,
      `  return x === undefined ? ${create}(${ctx.schemaOf(entity.descriptor)}) : ${inner}(x);`,
      "}",
    ].join("\n"),
  );
  return "decodeEntity";
}

class Decoder implements ConversionWalk {
  readonly direction = "decode";
  private readonly createName: string;

  constructor(readonly ctx: EventContext) {
    this.createName = ctx.lib("create", "@bufbuild/protobuf");
  }

  create(): string {
    return this.createName;
  }

  struct(name: string, columns: readonly Column[], topic: DescMessage, target: DescMessage, label: readonly string[]): string {
    const wireType = this.ctx.wireType(columns, topic);
    const statements: string[] = [];
    for (const column of columns) this.column(column, topic, label, statements);
    this.ctx.functions.push(
      [
        `function ${name}(w: ${wireType}): ${this.ctx.shapeOf(target)} {`,
        `  const v = ${this.createName}(${this.ctx.schemaOf(target)});`,
        ...statements.map((s) => `  ${s}`),
        "  return v;",
        "}",
      ].join("\n"),
    );
    return name;
  }

  private column(column: Column, topic: DescMessage, label: readonly string[], statements: string[]): void {
    const source = column.source;
    if (source.kind === "envelope") return;
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column inside the entity`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const local = topicField(topic, column).localName;
    const read = `w${property(local)}`;
    const target = `v${property(field.localName)}`;
    if (field.fieldKind === "map") {
      statements.push(`${target} = ${this.mapFromEntries(column, topic, field, read, fieldLabel)};`);
      return;
    }
    const value = this.value(column, column.conversion, field, fieldLabel, topic);
    if (field.fieldKind === "list") {
      statements.push(`${target} = ${value.identity ? `${read}.slice()` : `${read}.map((x) => ${value.of("x")})`};`);
      return;
    }
    // Empty travels as TRUE when set; FALSE or nothing leaves the field unset.
    const present = column.conversion.kind === "empty_presence" ? "x === true" : "x !== undefined";
    const get = `const x = ${runtime("own")}(w, ${stringLiteral(local)});`;
    if (field.oneof !== undefined) {
      const oneof = `v${property(field.oneof.localName)}`;
      statements.push(
        `{ ${get} if (${present}) { ${runtime("oneofFree")}(${oneof}.case, ${this.ctx.where([...label, field.oneof.name])}); ` +
          `${oneof} = { case: ${stringLiteral(field.localName)}, value: ${value.of("x")} }; } }`,
      );
      return;
    }
    statements.push(`{ ${get} if (${present}) ${target} = ${value.of("x")}; }`);
  }

  private mapFromEntries(column: Column, topic: DescMessage, field: DescField, read: string, label: readonly string[]): string {
    const entry = topicStruct(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    this.ctx.wireType(column.fields, entry);
    const where = this.ctx.where(label);
    const part = (c: Column) => `${runtime("entryPart")}(${runtime("own")}(x, ${stringLiteral(topicField(entry, c).localName)}), ${where})`;
    // Protobuf-ES keys maps by strings at runtime, whatever the key type.
    const key = keyColumn.wire.type === "string" ? part(keyColumn) : `String(${part(keyColumn)})`;
    const value = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry);
    return `${runtime("entriesMap")}(${read}, (x) => [${key}, ${value.of(part(valueColumn))}])`;
  }

  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: DescMessage): ValueConversion {
    return convertValue(this, column, conv, field, label, topic);
  }
}
