/**
 * What the writers of one event file share: its imports, the TypeScript types of the topic
 * messages it declares, and the conversion functions it accumulates.
 */
import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import type { Column, Entity, WireScalar } from "../../model/types.js";
import type { EsNames } from "./names.js";
import type { RuntimeType, RuntimeValue } from "./runtime-module.js";
import { docComment, ImportList, property, stringLiteral } from "./source-text.js";
import { topicField, topicStruct, type TopicLayout } from "./topic-layout.js";

/** Name of the generated constant holding the entity's type name, passed to every check. */
export const ENTITY_CONST = "ENTITY";
/** Name of the namespace import of runtime.ts. */
export const RUNTIME_NS = "rt";

const TS_SCALARS: Record<WireScalar, string> = {
  double: "number",
  float: "number",
  int32: "number",
  uint32: "number",
  sint32: "number",
  fixed32: "number",
  sfixed32: "number",
  int64: "bigint",
  uint64: "bigint",
  sint64: "bigint",
  fixed64: "bigint",
  sfixed64: "bigint",
  bool: "boolean",
  string: "string",
  bytes: "Uint8Array",
};

/** `rt.dateDays`: an export of runtime.ts, by a name the compiler checks against the module. */
export function runtime(name: RuntimeValue | RuntimeType): string {
  return `${RUNTIME_NS}.${name}`;
}

export class EventContext {
  readonly imports: ImportList;
  /** Topic message types, in declaration order. */
  readonly wireTypeDeclarations: string[] = [];
  /** Conversion functions, in the order they were finished. */
  readonly functions: string[] = [];
  private readonly wireTypes = new Map<string, string>();
  private readonly functionNames = new Set<string>();

  constructor(
    readonly entity: Entity,
    readonly names: EsNames,
    /** Path of the event file relative to ts/src. */
    readonly file: string,
    readonly layout: TopicLayout,
  ) {
    this.imports = new ImportList(file);
    this.imports.reserve(ENTITY_CONST, RUNTIME_NS, "codec", "encodeEntity", "decodeEntity", entity.eventName, this.wireTypeName(layout.message), `${entity.eventName}TopicSchema`, `${entity.eventName}TopicFile`);
  }

  /** A value from a package or from ts/src (`./registry.js`). */
  lib(name: string, from: string, typeOnly = false): string {
    return this.imports.use({ name, from }, typeOnly);
  }

  schemaOf(desc: DescMessage | DescEnum): string {
    return this.imports.use(this.names.schema(desc));
  }

  shapeOf(desc: DescMessage): string {
    return this.imports.use(this.names.shape(desc), true);
  }

  /** `(entity, field)` arguments of a runtime check. */
  where(label: readonly string[]): string {
    return `${ENTITY_CONST}, ${stringLiteral(label.join("."))}`;
  }

  /** A function name for a column's conversion, unique in the file (`$` cannot occur in column names). */
  functionName(prefix: string, column: Column): string {
    const name = `${prefix}$${column.path.join("$")}`;
    if (this.functionNames.has(name)) throw new Error(`two conversions named ${name}`);
    this.functionNames.add(name);
    this.imports.reserve(name);
    return name;
  }

  wireTypeName(message: DescMessage): string {
    const top = this.layout.message;
    const base = `${this.entity.eventName}TopicMessage`;
    return message === top ? base : `${base}_${message.name}`;
  }

  /** The TypeScript type of a topic message, declared on first use. */
  wireType(columns: readonly Column[], message: DescMessage): string {
    const known = this.wireTypes.get(message.typeName);
    if (known !== undefined) return known;
    const name = this.wireTypeName(message);
    this.wireTypes.set(message.typeName, name);
    this.imports.reserve(name);
    const messageType = this.lib("Message", "@bufbuild/protobuf", true);
    const fields = columns.map((column) => `  ${this.wireFieldDeclaration(column, message)}`);
    this.wireTypeDeclarations.push(
      [
        docComment(`The topic message ${message.typeName}.`),
        `export type ${name} = ${messageType}<${stringLiteral(message.typeName)}> & {`,
        ...fields,
        "};",
      ].join("\n"),
    );
    return name;
  }

  private wireFieldDeclaration(column: Column, message: DescMessage): string {
    const field = topicField(message, column);
    const type = column.wire.type === "message" ? this.wireType(column.fields, topicStruct(message, column)) : TS_SCALARS[column.wire.type];
    const key = property(field.localName).replace(/^\./, "");
    return column.wire.repeated ? `${key}: ${type}[];` : `${key}?: ${type};`;
  }
}

/** The message of a message, list-of-message or map-of-message field. */
export function valueMessage(field: DescField): DescMessage {
  const message = field.message;
  if (message === undefined) throw new Error(`${field.toString()} holds no message`);
  return message;
}

/** The enum of an enum, list-of-enum or map-of-enum field. */
export function valueEnum(field: DescField): DescEnum {
  const desc = field.enum;
  if (desc === undefined) throw new Error(`${field.toString()} holds no enum`);
  return desc;
}

/**
 * Protobuf-ES unboxes wrapper messages only in singular fields outside a oneof; in lists, maps and
 * oneofs they stay messages.
 */
export function isBoxed(field: DescField): boolean {
  return field.fieldKind !== "message" || field.oneof !== undefined;
}

/** 64-bit integers declared with `jstype = JS_STRING` are strings in protobuf-es. */
export function isLongAsString(field: DescField): boolean {
  return (field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar")) && field.longAsString;
}

/** How a value is converted in generated code: an expression around the value's expression. */
export interface ValueConversion {
  readonly identity: boolean;
  of(value: string): string;
}

export const IDENTITY: ValueConversion = { identity: true, of: (value) => value };

export function conversion(of: (value: string) => string): ValueConversion {
  return { identity: false, of };
}

export function objectKey(name: string): string {
  return property(name).replace(/^\./, "");
}
