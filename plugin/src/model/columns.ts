/**
 * Turns the fields of a message into columns: one small function per kind of field, all of them
 * reading the type mapping in type-mapping.ts.
 */
import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { field as fieldOption, type Field as FieldOption } from "../gen/entity/v1/options_pb.js";
import { commentFrom, commentOf, fitDescription } from "./descriptions.js";
import type { Problems } from "./errors.js";
import { fieldDeclaration, locationOf } from "./location.js";
import { LeasedFieldSource, type DescriptorLease } from "./descriptor-lease.js";
import { messageOption } from "./message-option.js";
import { columnNameProblem } from "./naming.js";
import { measuresOf } from "./quantity.js";
import { MAP_CONVERSION, MAP_KEY_CONVERSION, NO_AGGREGATES, NO_COLUMNS, SCALAR_CONVERSION } from "./shared.js";
import {
  CUT_TO_JSON,
  ENUM_MAPPING,
  MAX_NESTING_DEPTH,
  EMPTY_TYPE_NAME,
  MONEY_TYPE_NAME,
  scalarMapping,
  valueTypeMapping,
  type ValueTypeMapping,
} from "./type-mapping.js";
import type { BigQueryType, Column, ColumnSource, Conversion, SourceLocation, WireField, WireScalar } from "./types.js";

const POLICY_TAG = /^projects\/[^/]+\/locations\/[^/]+\/taxonomies\/[^/]+\/policyTags\/[^/]+$/;

export interface ColumnContext {
  readonly problems: Problems;
  /** Plugin option renames, by `pkg.Message.field`. */
  readonly columnRenames: ReadonlyMap<string, string>;
  /** Plugin option `ignore=`, by `pkg.Message.field`. */
  readonly ignoredFields: ReadonlySet<string>;
  readonly columnBudget: ColumnBudget;
  /** Where the columns' fields are held for the formats that read them. */
  readonly descriptors: DescriptorLease;
}

/**
 * Columns mapped so far for one entity. A message used many times at many levels multiplies its
 * columns; past BigQuery's limit the entity is an error anyway, and mapping on could take minutes
 * and gigabytes, so messages are no longer expanded.
 */
export interface ColumnBudget {
  readonly limit: number;
  used: number;
  /** A message was left unexpanded: the entity has more columns than `used` says. */
  exceeded: boolean;
}

/** Where we are in the tree while mapping. */
interface Position {
  /** Column names from the top level to the parent. */
  readonly path: readonly string[];
  /** Nesting level of the columns being built: 1 for top-level columns. */
  readonly depth: number;
  /** Messages on the way down, to detect recursion. */
  readonly ancestors: ReadonlySet<string>;
}

/** The type part of a column, before it gets a name and a description. */
interface ColumnShape {
  readonly wire: WireScalar | "message";
  readonly bigQueryType: BigQueryType;
  readonly conversion: Conversion;
  readonly fields: readonly Column[];
  readonly enumValues?: readonly string[];
  readonly note?: string;
}

/** The columns of a message's fields, in declaration order; ignored fields are left out. */
export function messageColumns(message: DescMessage, at: Position, ctx: ColumnContext): Column[] {
  const columns: Column[] = [];
  const fields = message.fields;
  for (let index = 0; index < fields.length; index++) {
    const column = fieldColumn(fields[index]!, index, at, ctx);
    if (column !== undefined) columns.push(column);
  }
  checkSiblingNames(columns, ctx.problems);
  return columns;
}

export function rootPosition(entityMessage: DescMessage, parentPath: readonly string[] = []): Position {
  return { path: parentPath, depth: parentPath.length + 1, ancestors: new Set([entityMessage.typeName]) };
}

/** What every column of a field has alike, wherever the field's message is used. */
interface FieldFacts {
  /** `(entity.v1.field)`, decoded. */
  readonly option: FieldOption | undefined;
  readonly source: ColumnSource & { kind: "field" };
  /** The option's description, else the field's (or its group's) comment; before any note of the column's type. */
  readonly description: string;
}

/**
 * Each field's facts, made on its first column: a message used by many entities, or twice in
 * one, is mapped once per use, and its fields' options, locations and comments are the same each
 * time. One entry per field, rather than a cache each for the option, the source and the comment.
 */
let fieldFacts = new Map<DescField, FieldFacts>();
/** One wire field per type, number and repetition, by type and then `number * 2 + repeated`. */
let wireFields = new Map<WireField["type"], Map<number, WireField>>();
/** Each enum's shape, built once however many columns use it. */
let enumShapes = new Map<DescEnum, ColumnShape>();

/** Lets the decoded options and shared parts go once the model is built: the descriptors they are keyed by live on. */
export function forgetFieldOptions(): void {
  fieldFacts = new Map();
  wireFields = new Map();
  enumShapes = new Map();
}

function wireField(type: WireField["type"], number: number, repeated: boolean): WireField {
  let byNumber = wireFields.get(type);
  if (byNumber === undefined) wireFields.set(type, (byNumber = new Map()));
  const key = number * 2 + (repeated ? 1 : 0);
  let wire = byNumber.get(key);
  if (wire === undefined) byNumber.set(key, (wire = Object.freeze({ type, number, repeated })));
  return wire;
}

/** `index`: the field's place among its message's fields. */
function factsOf(field: DescField, index: number, descriptors: DescriptorLease): FieldFacts {
  let facts = fieldFacts.get(field);
  if (facts === undefined) {
    const option = decodedFieldOption(field);
    // The location and the comments with one lookup of the field's source info.
    const declared = fieldDeclaration(field, index);
    facts = {
      option,
      source: Object.freeze(new LeasedFieldSource(descriptors, field, declared.location)),
      description: option?.description || commentFrom(declared.leading, declared.trailing) || groupComment(field),
    };
    fieldFacts.set(field, facts);
  }
  return facts;
}

function decodedFieldOption(field: DescField): FieldOption | undefined {
  return messageOption(field.proto.options, fieldOption);
}

/** Two parts of a description, with a space between when both are there. */
function joinedText(first: string, second: string | undefined): string {
  if (!first) return second || "";
  return second ? `${first} ${second}` : first;
}

/**
 * A column's path: its parent's and its own name, in an array of exactly that size (a spread
 * leaves room for ~16 more). Most paths are one to three names long: an array literal of those is
 * made without `concat`'s generic copy.
 */
function childPath(parentPath: readonly string[], name: string): string[] {
  switch (parentPath.length) {
    case 0:
      return [name];
    case 1:
      return [parentPath[0]!, name];
    case 2:
      return [parentPath[0]!, parentPath[1]!, name];
    default:
      return parentPath.concat(name);
  }
}

export function readFieldOption(field: DescField): FieldOption | undefined {
  const facts = fieldFacts.get(field);
  return facts !== undefined ? facts.option : decodedFieldOption(field);
}

/** Ignored by its annotation or by the plugin option `ignore=`: it never leaves the producer. */
export function isIgnored(field: DescField, ignoredFields: ReadonlySet<string>): boolean {
  return ignoredBy(readFieldOption(field), field, ignoredFields);
}

function ignoredBy(option: FieldOption | undefined, field: DescField, ignoredFields: ReadonlySet<string>): boolean {
  return Boolean(option?.ignore) || (ignoredFields.size > 0 && ignoredFields.has(`${field.parent.typeName}.${field.name}`));
}

function fieldColumn(field: DescField, index: number, at: Position, ctx: ColumnContext): Column | undefined {
  const facts = factsOf(field, index, ctx.descriptors);
  const option = facts.option;
  if (ignoredBy(option, field, ctx.ignoredFields)) return undefined;
  const source = facts.source;
  const { location, fieldName } = source;
  const name = option?.column || (ctx.columnRenames.size > 0 ? ctx.columnRenames.get(fieldName) : undefined) || field.name;
  const nameProblem = columnNameProblem(name);
  if (nameProblem !== undefined) {
    ctx.problems.add(location, fieldName, `${nameProblem}.`, renameFix(fieldName));
  }
  if (option?.policyTag && !POLICY_TAG.test(option.policyTag)) {
    ctx.problems.add(
      location,
      fieldName,
      `policy tag "${option.policyTag}" is not a policy tag resource name.`,
      'use "projects/<project>/locations/<location>/taxonomies/<taxonomy>/policyTags/<tag>".',
    );
  }
  const path = childPath(at.path, name);
  ctx.columnBudget.used += 1;
  const shape = fieldShape(field, path, at, ctx, location);
  const description = joinedText(facts.description, shape.note);
  const references = option?.references || undefined;
  const measures = measuresOf({ field, fieldName, location, option, name, bigQueryType: shape.bigQueryType, conversion: shape.conversion, references }, ctx.problems);
  // Money is added up by its amount, per currency; the STRUCT itself is no number.
  const money = shape.conversion.kind === "money";
  const fields = money ? shape.fields.map((f) => (f.name === "amount" ? { ...f, measures } : f)) : shape.fields;
  return {
    name,
    path,
    bigQueryType: shape.bigQueryType,
    mode: field.fieldKind === "list" || field.fieldKind === "map" ? "REPEATED" : "NULLABLE",
    wire: wireField(shape.wire, field.number, field.fieldKind === "list" || field.fieldKind === "map"),
    conversion: shape.conversion,
    description: fitDescription(description),
    pii: Boolean(option?.pii || option?.policyTag),
    policyTag: option?.policyTag || undefined,
    required: field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED,
    defaultValue: field.proto.defaultValue !== undefined && field.proto.defaultValue !== "" ? field.proto.defaultValue : undefined,
    enumValues: shape.enumValues,
    references,
    measures: money ? NO_AGGREGATES : measures,
    fields,
    source,
  };
}

/** A proto2 group's comment is attached to its message, not to the field it declares. */
function groupComment(field: DescField): string {
  return field.fieldKind === "message" && field.delimitedEncoding && field.message.parent === field.parent ? commentOf(field.message) : "";
}

export function renameFix(fieldName: string): string {
  const [message, field] = splitFieldName(fieldName);
  return (
    `rename the column with [(entity.v1.field).column = "<new_name>"] on ${field}, ` +
    `or, for a proto you cannot change, the plugin option column=${message}.${field}:<new_name>.`
  );
}

function splitFieldName(fieldName: string): [string, string] {
  const dot = fieldName.lastIndexOf(".");
  return [fieldName.slice(0, dot), fieldName.slice(dot + 1)];
}

function fieldShape(field: DescField, path: readonly string[], at: Position, ctx: ColumnContext, location: SourceLocation): ColumnShape {
  if (field.fieldKind === "map") return mapShape(field, path, at, ctx, location);
  // A repeated field has the shape of one element; REPEATED is its mode.
  const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
  switch (kind) {
    case "scalar":
      return scalarShape(field.scalar!);
    case "enum":
      return enumShape(field.enum!);
    case "message":
      return messageShape(field.message!, path, at, ctx);
  }
}

/** The shape of each scalar type and of each value type, made once: most columns are of these. */
const scalarShapes = new Map<Parameters<typeof scalarMapping>[0], ColumnShape>();
const valueShapes = new Map<ValueTypeMapping, ColumnShape>();

function scalarShape(scalar: Parameters<typeof scalarMapping>[0]): ColumnShape {
  let shape = scalarShapes.get(scalar);
  if (shape === undefined) {
    const mapping = scalarMapping(scalar);
    shape = Object.freeze({ wire: mapping.wire, bigQueryType: mapping.bigQueryType, conversion: SCALAR_CONVERSION, fields: NO_COLUMNS });
    scalarShapes.set(scalar, shape);
  }
  return shape;
}

function enumShape(desc: DescEnum): ColumnShape {
  let shape = enumShapes.get(desc);
  if (shape === undefined) {
    shape = {
      wire: ENUM_MAPPING.wire,
      bigQueryType: ENUM_MAPPING.bigQueryType,
      conversion: Object.freeze({ kind: "enum_name", enumTypeName: desc.typeName }),
      fields: NO_COLUMNS,
      enumValues: Object.freeze(desc.values.map((v) => v.name)),
    };
    enumShapes.set(desc, shape);
  }
  return shape;
}

function messageShape(message: DescMessage, path: readonly string[], at: Position, ctx: ColumnContext): ColumnShape {
  const valueType = valueTypeMapping(message.typeName);
  if (valueType !== undefined) return valueShape(valueType);
  if (at.ancestors.has(message.typeName)) {
    return cutToJson(message, "recursion", `${message.name} contains itself, so this level is stored as JSON text.`);
  }
  if (at.depth > MAX_NESTING_DEPTH) {
    return cutToJson(message, "depth", `BigQuery nests at most ${MAX_NESTING_DEPTH} levels, so this level is stored as JSON text.`);
  }
  // A marker message (like google.protobuf.Empty) says something by being set; BigQuery has no
  // empty STRUCT, so it is stored the way Empty is.
  if (message.fields.length === 0) return valueShape(valueTypeMapping(EMPTY_TYPE_NAME)!);
  const location = locationOf(message);
  if (message.typeName === MONEY_TYPE_NAME) {
    return { wire: "message", bigQueryType: "STRUCT", conversion: { kind: "money" }, fields: moneyFields(path, location) };
  }
  if (ctx.columnBudget.used > ctx.columnBudget.limit) {
    ctx.columnBudget.exceeded = true;
    return { wire: "message", bigQueryType: "STRUCT", conversion: { kind: "message", messageTypeName: message.typeName }, fields: NO_COLUMNS };
  }
  const below: Position = { path, depth: at.depth + 1, ancestors: new Set([...at.ancestors, message.typeName]) };
  const fields = messageColumns(message, below, ctx);
  if (fields.length === 0) {
    ctx.problems.add(
      location,
      message.typeName,
      `has no fields to store (BigQuery has no empty STRUCT), used at column "${path.join(".")}".`,
      "add a field to the message, or ignore the field that uses it with [(entity.v1.field).ignore = true].",
    );
  }
  return { wire: "message", bigQueryType: "STRUCT", conversion: { kind: "message", messageTypeName: message.typeName }, fields };
}

function valueShape(mapping: ValueTypeMapping): ColumnShape {
  let shape = valueShapes.get(mapping);
  if (shape === undefined) {
    shape = Object.freeze({ wire: mapping.wire, bigQueryType: mapping.bigQueryType, conversion: mapping.conversion, fields: NO_COLUMNS, note: mapping.note });
    valueShapes.set(mapping, shape);
  }
  return shape;
}

function cutToJson(message: DescMessage, reason: "recursion" | "depth", note: string): ColumnShape {
  return {
    wire: CUT_TO_JSON.wire,
    bigQueryType: CUT_TO_JSON.bigQueryType,
    conversion: { kind: "json", messageTypeName: message.typeName, reason },
    fields: NO_COLUMNS,
    note,
  };
}

function mapShape(field: DescField & { fieldKind: "map" }, path: readonly string[], at: Position, ctx: ColumnContext, location: SourceLocation): ColumnShape {
  const key = syntheticColumn(path, "key", 1, scalarShape(field.mapKey), MAP_KEY_CONVERSION, "Map key.", location);
  let valueShape: ColumnShape;
  switch (field.mapKind) {
    case "scalar":
      valueShape = scalarShape(field.scalar);
      break;
    case "enum":
      valueShape = enumShape(field.enum);
      break;
    case "message":
      // The entry STRUCT is one level, its value the next.
      valueShape = messageShape(field.message, childPath(path, "value"), { ...at, depth: at.depth + 1 }, ctx);
      break;
  }
  const value = syntheticColumn(path, "value", 2, valueShape, { kind: "map_value", value: valueShape.conversion }, "Map value.", location);
  return { wire: "message", bigQueryType: "STRUCT", conversion: MAP_CONVERSION, fields: [key, value] };
}

function moneyFields(path: readonly string[], location: SourceLocation): Column[] {
  const derived: Conversion = { kind: "derived" };
  return [
    syntheticColumn(path, "currency_code", 1, { wire: "string", bigQueryType: "STRING", conversion: derived, fields: NO_COLUMNS }, derived, "ISO 4217 currency code.", location),
    syntheticColumn(path, "amount", 2, { wire: "string", bigQueryType: "NUMERIC", conversion: derived, fields: NO_COLUMNS }, derived, "Amount in the currency, exact to the nano (units + nanos).", location),
  ];
}

function syntheticColumn(
  parentPath: readonly string[],
  name: string,
  number: number,
  shape: ColumnShape,
  conversion: Conversion,
  description: string,
  location: SourceLocation,
): Column {
  const wire = wireField(shape.wire, number, false);
  const source: ColumnSource = { kind: "synthetic", location };
  return {
    name,
    path: childPath(parentPath, name),
    bigQueryType: shape.bigQueryType,
    mode: "NULLABLE",
    wire,
    conversion,
    description: joinedText(description, shape.note),
    pii: false,
    policyTag: undefined,
    required: false,
    defaultValue: undefined,
    enumValues: shape.enumValues,
    references: undefined,
    measures: NO_AGGREGATES,
    fields: shape.fields,
    source,
  };
}

/** BigQuery compares column names ignoring case, within each STRUCT and at the top level. */
export function checkSiblingNames(columns: readonly Column[], problems: Problems): void {
  const seen = new Map<string, Column>();
  for (const column of columns) {
    const key = column.name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, column);
      continue;
    }
    const source = column.source;
    if (source.kind !== "field") continue;
    problems.add(
      source.location,
      source.fieldName,
      `column "${column.path.join(".")}" collides with column "${earlier.name}"${describeOrigin(earlier)}; BigQuery column names are unique ignoring case.`,
      renameFix(source.fieldName),
    );
  }
}

function describeOrigin(column: Column): string {
  return column.source.kind === "field" ? ` of ${column.source.fieldName}` : "";
}

/** Counts columns the way BigQuery's 10,000-column limit does: nested ones included. */
export function countColumns(columns: readonly Column[]): number {
  let count = columns.length;
  for (const column of columns) if (column.fields.length > 0) count += countColumns(column.fields);
  return count;
}
