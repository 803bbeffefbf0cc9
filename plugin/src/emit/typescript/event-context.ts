/**
 * What the writers of one event file share: its imports, the TypeScript types of the topic
 * messages it declares, and the conversion functions it accumulates.
 */
import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { Column, Entity, WireScalar } from "../../model/types.js";
import type { EsNames } from "../../physical/typescript-names.js";
import type { RuntimeType, RuntimeValue } from "./runtime-module.js";
import { ImportList } from "./source-text.js";
import { doc, id, indentedLines, joined, key, str, ts, type TsCode } from "./ts-printer.js";
import { topicField, topicStruct, type TopicLayout, type TopicMessageDesc } from "./topic-layout.js";

/** Name of the generated constant holding the entity's type name, passed to every check. */
export const ENTITY_CONST = "ENTITY";
const ENTITY = id(ENTITY_CONST);
/** Name of the namespace import of runtime.ts. */
export const RUNTIME_NS = "rt";

/**
 * The property of the envelope argument `e` (runtime Envelope / ReadEnvelope) that holds an
 * envelope column: what the direct writers read and the direct readers set, binary and JSON alike.
 */
export function envelopeProperty(column: Column): TsCode {
  const property = ENVELOPE_PROPERTIES[column.name];
  if (property === undefined) throw new Error(`envelope column ${column.name} has no property of the envelope`);
  return property;
}

const ENVELOPE_PROPERTIES: Readonly<Record<string, TsCode>> = {
  event_id: ts`e.eventId`,
  operation: ts`e.operation`,
  occurred_at: ts`e.occurredAt`,
};

const NUMBER = ts`number`;
const BIGINT = ts`bigint`;
const TS_SCALARS: Record<WireScalar, TsCode> = {
  double: NUMBER,
  float: NUMBER,
  int32: NUMBER,
  uint32: NUMBER,
  sint32: NUMBER,
  fixed32: NUMBER,
  sfixed32: NUMBER,
  int64: BIGINT,
  uint64: BIGINT,
  sint64: BIGINT,
  fixed64: BIGINT,
  sfixed64: BIGINT,
  bool: ts`boolean`,
  string: ts`string`,
  bytes: ts`Uint8Array`,
};

/** `rt.dateDays`: an export of runtime.ts, by a name the compiler checks against the module. */
export function runtime(name: RuntimeValue | RuntimeType): TsCode {
  // Made once per name: every column of every file names a few of them.
  let member = RUNTIME_MEMBERS.get(name);
  if (member === undefined) {
    member = ts`${id(RUNTIME_NS)}.${id(name)}`;
    RUNTIME_MEMBERS.set(name, member);
  }
  return member;
}

const RUNTIME_MEMBERS = new Map<string, TsCode>();

/**
 * `rt.own(v, "name")`: the entity's own value of a field (a proto2 default lives on the
 * prototype). Made once per name in a run: three writers ask for it per field, in every entity.
 */
export function ownValue(localName: string): TsCode {
  let own = OWN_VALUES.get(localName);
  if (own === undefined) {
    own = ts`${runtime("own")}(v, ${str(localName)})`;
    OWN_VALUES.set(localName, own);
  }
  return own;
}

const OWN_VALUES = new Map<string, TsCode>();

export class EventContext {
  readonly imports: ImportList;
  /** Topic message types, in declaration order. */
  readonly wireTypeDeclarations: TsCode[] = [];
  /** Conversion functions, in the order they were finished. */
  readonly functions: TsCode[] = [];
  private readonly wireTypes = new Map<string, TsCode>();
  private readonly functionNames = new Set<string>();
  /**
   * The local name of each import already made: every column asks for a few, and the import
   * list's lookup by module and name cost more than the rest of the column's code.
   */
  private readonly libValues = new Map<string, Map<string, TsCode>>();
  private readonly libTypes = new Map<string, Map<string, TsCode>>();
  private readonly schemas = new Map<DescMessage | DescEnum, TsCode>();
  private readonly shapes = new Map<DescMessage, TsCode>();
  private readonly wireOrders = new Map<readonly Column[], readonly Column[]>();
  private readonly functionSuffixes = new Map<Column, string>();

  constructor(
    readonly entity: Entity,
    readonly names: EsNames,
    /** Path of the event file relative to ts/src. */
    readonly file: string,
    readonly layout: TopicLayout,
  ) {
    this.imports = new ImportList(file);
    this.imports.reserve(ENTITY_CONST, RUNTIME_NS, "codec", "encodeEntity", "decodeEntity", "writeEntity", "readEntity", "writeJsonEntity", "readJsonEntity", entity.eventName, `${this.wireTypeName(layout.message)}`, `${entity.eventName}TopicSchema`, `${entity.eventName}TopicFile`);
  }

  /** A value from a package or from ts/src (`./registry.js`). */
  lib(name: string, from: string, typeOnly = false): TsCode {
    // Remembered per name, module and typeOnly: a second use() of the same three changes nothing.
    const byModule = typeOnly ? this.libTypes : this.libValues;
    let byName = byModule.get(from);
    if (byName === undefined) {
      byName = new Map();
      byModule.set(from, byName);
    }
    let local = byName.get(name);
    if (local === undefined) {
      local = id(this.imports.use({ name, from }, typeOnly));
      byName.set(name, local);
    }
    return local;
  }

  schemaOf(desc: DescMessage | DescEnum): TsCode {
    let local = this.schemas.get(desc);
    if (local === undefined) {
      local = id(this.imports.use(this.names.schema(desc)));
      this.schemas.set(desc, local);
    }
    return local;
  }

  shapeOf(desc: DescMessage): TsCode {
    let local = this.shapes.get(desc);
    if (local === undefined) {
      local = id(this.imports.use(this.names.shape(desc), true));
      this.shapes.set(desc, local);
    }
    return local;
  }

  /**
   * The columns in field-number order, as the writers convert them (toBinary's order); sorted once
   * per message for the three writers that ask.
   */
  inWireOrder(columns: readonly Column[]): readonly Column[] {
    let ordered = this.wireOrders.get(columns);
    if (ordered === undefined) {
      // Most messages declare their fields in number order: they are used as they are (no copy, no sort).
      ordered = isInWireOrder(columns) ? columns : [...columns].sort((a, b) => a.wire.number - b.wire.number);
      this.wireOrders.set(columns, ordered);
    }
    return ordered;
  }

  /** `(entity, field)` arguments of a runtime check. */
  where(label: readonly string[]): TsCode {
    return ts`${ENTITY}, ${str(label.join("."))}`;
  }

  /** A function name for a column's conversion, unique in the file (`$` cannot occur in column names). */
  functionName(prefix: "encode" | "decode" | "write" | "read" | "writeJson" | "readJson", column: Column): TsCode {
    const name = prefix + this.functionSuffix(column);
    if (this.functionNames.has(name)) throw new Error(`two conversions named ${name}`);
    this.functionNames.add(name);
    this.imports.reserve(name);
    return id(name);
  }

  /** `$address$city`: made once per column for the six writers that name a function after it. */
  private functionSuffix(column: Column): string {
    let suffix = this.functionSuffixes.get(column);
    if (suffix === undefined) {
      suffix = `$${column.path.join("$")}`;
      this.functionSuffixes.set(column, suffix);
    }
    return suffix;
  }

  wireTypeName(message: TopicMessageDesc): TsCode {
    const top = this.layout.message;
    const base = `${this.entity.eventName}TopicMessage`;
    return id(message === top ? base : `${base}_${message.name}`);
  }

  /** The TypeScript type of a topic message, declared on first use. */
  wireType(columns: readonly Column[], message: TopicMessageDesc): TsCode {
    const known = this.wireTypes.get(message.typeName);
    if (known !== undefined) return known;
    const name = this.wireTypeName(message);
    this.wireTypes.set(message.typeName, name);
    this.imports.reserve(`${name}`);
    const messageType = this.lib("Message", "@bufbuild/protobuf", true);
    const fields = columns.map((column) => this.wireFieldDeclaration(column, message));
    this.wireTypeDeclarations.push(
      joined([
        doc(`The topic message ${message.typeName}.`),
        ts`export type ${name} = ${messageType}<${str(message.typeName)}> & {`,
        ...indentedLines(fields, ts`  `),
        ts`};`,
      ]),
    );
    return name;
  }

  private wireFieldDeclaration(column: Column, message: TopicMessageDesc): TsCode {
    const field = topicField(message, column);
    const type = column.wire.type === "message" ? this.wireType(column.fields, topicStruct(message, column)) : TS_SCALARS[column.wire.type];
    const name = key(field.localName);
    if (column.wire.repeated) return ts`${name}: ${type}[];`;
    // A proto2 `required` topic field (the envelope) is a property protobuf-es always has.
    return field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED ? ts`${name}: ${type};` : ts`${name}?: ${type};`;
  }
}

function isInWireOrder(columns: readonly Column[]): boolean {
  for (let i = 1; i < columns.length; i++) if (columns[i - 1]!.wire.number > columns[i]!.wire.number) return false;
  return true;
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
  of(value: TsCode): TsCode;
}

export const IDENTITY: ValueConversion = { identity: true, of: (value) => value };

export function conversion(of: (value: TsCode) => TsCode): ValueConversion {
  return { identity: false, of };
}
