/**
 * Generates the conversion topic message → entity, the reverse of encode.ts (the `decode` side of
 * conversions.ts): what a consumer needs to get a typed entity back from a received message.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Column, Conversion } from "../../model/types.js";
import { convertValue, type ConversionWalk } from "./conversions.js";
import { runtime, type EventContext, type ValueConversion } from "./event-context.js";
import { id, indentedLines, joined, prop, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicMessageDesc } from "./topic-layout.js";

/** Writes `function decodeEntity(w: EventTopicMessage): Entity` and the functions it calls. */
export function writeDecoder(ctx: EventContext): TsCode {
  const { entity, layout } = ctx;
  const decoder = new Decoder(ctx);
  const decodeEntity = id("decodeEntity");
  const nest = entity.columns.find((c) => c.source.kind === "nest");
  if (nest === undefined) return decoder.struct(decodeEntity, entity.columns, layout.message, entity.descriptor, []);
  // Nested mode: the entity is the one STRUCT column next to the envelope.
  const inner = decoder.struct(ctx.functionName("decode", nest), nest.fields, topicStruct(layout.message, nest), entity.descriptor, []);
  const wireType = ctx.wireType(entity.columns, layout.message);
  const create = ctx.lib("create", "@bufbuild/protobuf");
  const local = str(topicField(layout.message, nest).localName);
  ctx.functions.push(
    joined([
      ts`function ${decodeEntity}(w: ${wireType}): ${ctx.shapeOf(entity.descriptor)} {`,
      ts`  const x = ${runtime("own")}(w, ${local});`,
      ts`  return x === undefined ? ${create}(${ctx.schemaOf(entity.descriptor)}) : ${inner}(x);`,
      ts`}`,
    ]),
  );
  return decodeEntity;
}

/** The value's name in the arrow functions and blocks the decoder writes. */
const X = ts`x`;

class Decoder implements ConversionWalk {
  readonly direction = "decode";
  private readonly createName: TsCode;

  constructor(readonly ctx: EventContext) {
    this.createName = ctx.lib("create", "@bufbuild/protobuf");
  }

  create(): TsCode {
    return this.createName;
  }

  struct(name: TsCode, columns: readonly Column[], topic: TopicMessageDesc, target: DescMessage, label: readonly string[]): TsCode {
    const wireType = this.ctx.wireType(columns, topic);
    const statements: TsCode[] = [];
    for (const column of columns) this.column(column, topic, label, statements);
    this.ctx.functions.push(
      joined([
        ts`function ${name}(w: ${wireType}): ${this.ctx.shapeOf(target)} {`,
        ts`  const v = ${this.createName}(${this.ctx.schemaOf(target)});`,
        ...indentedLines(statements, ts`  `),
        ts`  return v;`,
        ts`}`,
      ]),
    );
    return name;
  }

  private column(column: Column, topic: TopicMessageDesc, label: readonly string[], statements: TsCode[]): void {
    const source = column.source;
    if (source.kind === "envelope") return;
    if (source.kind !== "field") throw new Error(`column ${column.path.join(".")}: a ${source.kind} column inside the entity`);
    const field = source.field;
    const fieldLabel = [...label, field.name];
    const local = topicField(topic, column).localName;
    const read = ts`w${prop(local)}`;
    const target = ts`v${prop(field.localName)}`;
    if (field.fieldKind === "map") {
      statements.push(ts`${target} = ${this.mapFromEntries(column, topic, field, read, fieldLabel)};`);
      return;
    }
    const value = this.value(column, column.conversion, field, fieldLabel, topic);
    if (field.fieldKind === "list") {
      statements.push(ts`${target} = ${value.identity ? ts`${read}.slice()` : ts`${read}.map((x) => ${value.of(X)})`};`);
      return;
    }
    // Empty travels as TRUE when set; FALSE or nothing leaves the field unset.
    const present = column.conversion.kind === "empty_presence" ? ts`x === true` : ts`x !== undefined`;
    const get = ts`const x = ${runtime("own")}(w, ${str(local)});`;
    if (field.oneof !== undefined) {
      const oneof = ts`v${prop(field.oneof.localName)}`;
      const free = ts`${runtime("oneofFree")}(${oneof}.case, ${this.ctx.where([...label, field.oneof.name])});`;
      statements.push(ts`{ ${get} if (${present}) { ${free} ${oneof} = { case: ${str(field.localName)}, value: ${value.of(X)} }; } }`);
      return;
    }
    statements.push(ts`{ ${get} if (${present}) ${target} = ${value.of(X)}; }`);
  }

  private mapFromEntries(column: Column, topic: TopicMessageDesc, field: DescField, read: TsCode, label: readonly string[]): TsCode {
    const entry = topicStruct(topic, column);
    const [keyColumn, valueColumn] = column.fields as [Column, Column];
    this.ctx.wireType(column.fields, entry);
    const where = this.ctx.where(label);
    const part = (c: Column) => ts`${runtime("entryPart")}(${runtime("own")}(x, ${str(topicField(entry, c).localName)}), ${where})`;
    // Protobuf-ES keys maps by strings at runtime, whatever the key type.
    const key = keyColumn.wire.type === "string" ? part(keyColumn) : ts`String(${part(keyColumn)})`;
    const value = this.value(valueColumn, valueColumn.conversion, field, [...label, "value"], entry);
    return ts`${runtime("entriesMap")}(${read}, (x) => [${key}, ${value.of(part(valueColumn))}])`;
  }

  private value(column: Column, conv: Conversion, field: DescField, label: readonly string[], topic: TopicMessageDesc): ValueConversion {
    return convertValue(this, column, conv, field, label, topic);
  }
}
