import type { DescEnum, DescField, DescFile, DescMessage } from "@bufbuild/protobuf";
import { DescriptorProtoSchema, FieldDescriptorProtoSchema, FileDescriptorProtoSchema, type SourceCodeInfo_Location } from "@bufbuild/protobuf/wkt";
import { entity as entityOption, field as fieldOption } from "../gen/entity/v1/options_pb.js";
import type { SourceLocation } from "./types.js";

type Located = DescMessage | DescField | DescEnum;

/**
 * What the model reads of a declaration's source info: its location (the span's line and column,
 * 0-based, and its comments), the first of its path.
 */
type DeclarationSource = SourceCodeInfo_Location;

/**
 * A source path (`[4, 0, 2, 3]`: message 0, its field 3) as a Map key: each number one UTF-16
 * unit, so that a key is a short flat string made without number-to-text conversions (joining
 * with dots made ~350,000 of them for the 1,000-entity benchmark's locations, and the model's keys
 * again). A number below 0xD800 (path numbers nearly always are) is its own unit; any other is
 * written as 0xFFFF and its two 16-bit halves, so no two paths share a key.
 */
export function sourcePathKey(path: readonly number[], length = path.length): string {
  let key = "";
  for (let i = 0; i < length; i++) key += pathKeyPart(path[i]!);
  return key;
}

/** One number of a source path key (see sourcePathKey). */
function pathKeyPart(number: number): string {
  if (number >= 0 && number < 0xd800) return String.fromCharCode(number);
  const bits = number >>> 0;
  return String.fromCharCode(0xffff, bits >>> 16, bits & 0xffff);
}

/**
 * A file's locations by path key (see sourcePathKey), the first location of each path, as the request
 * reader finds them while it reads the file (`protocol/request.ts`): it keys every location it
 * keeps anyway, and keying them again here was a join and a Map entry per location. Keyed by
 * the source info's location list: a list replaced after reading is indexed anew.
 */
const indexesFromReader = new WeakMap<readonly SourceCodeInfo_Location[], ReadonlyMap<string, DeclarationSource>>();

/** Hands over a file's locations keyed by path, the first of each path, in the list `locations`. */
export function rememberDeclarationIndex(locations: readonly SourceCodeInfo_Location[], index: ReadonlyMap<string, DeclarationSource>): void {
  indexesFromReader.set(locations, index);
}

/**
 * The source info of each file, by declaration path key, found once per file (the
 * reader's index, or made here). Only the model reads it, while it is built:
 * `forgetDeclarationSources` then lets it go, so that a caller done with the model can let the
 * descriptors' own source info go (see edge/run-node.ts); keyed by the descriptors, which the emitters keep
 * until the end of the run, it would otherwise stay: 59,000 entries, ~12 MB on the 1,000-entity
 * benchmark). These indexes, and the model's other build-time caches (columns.ts,
 * descriptions.ts), are Maps rather than WeakMaps: they are dropped whole after the build anyway,
 * and a large WeakMap is slower to read and costs every collection extra marking work.
 */
let sourceByFile = new Map<DescFile, ReadonlyMap<string, DeclarationSource>>();
let pathKeys = new Map<Located, string>();
/** Each declaration's location, one object for every column and error that points at it. */
let locations = new Map<Located, SourceLocation>();

/** Lets the index go once the model is built; a later lookup builds it again from the descriptors. */
export function forgetDeclarationSources(): void {
  sourceByFile = new Map();
  pathKeys = new Map();
  locations = new Map();
}

/** Where a declaration starts, from the source info that buf passes to plugins. */
export function locationOf(desc: Located): SourceLocation {
  let location = locations.get(desc);
  if (location === undefined) {
    location = Object.freeze(declarationLocation(desc));
    locations.set(desc, location);
  }
  return location;
}

function declarationLocation(desc: Located): SourceLocation {
  const file = fileOf(desc);
  const source = sourceOf(desc);
  if (source === undefined) return { file: file.proto.name, line: 0, column: 0 };
  return { file: file.proto.name, line: source.span[0]! + 1, column: source.span[1]! + 1 };
}

/**
 * A field's location and comments ("" when none), found with one lookup and not remembered: for
 * columns.ts, which reads them once per field and keeps what it made of them.
 */
export function fieldDeclaration(field: DescField, index: number): { readonly location: SourceLocation; readonly leading: string; readonly trailing: string } {
  const source = spanned(sourceIndexOf(field.parent.file).get(fieldPathKey(field, index)));
  const file = field.parent.file.proto.name;
  if (source === undefined) return { location: Object.freeze({ file, line: 0, column: 0 }), leading: "", trailing: "" };
  return {
    location: Object.freeze({ file, line: source.span[0]! + 1, column: source.span[1]! + 1 }),
    leading: source.leadingComments ?? "",
    trailing: source.trailingComments ?? "",
  };
}

/**
 * Where a setting of the declaration's own option is written: `settingPath` are field numbers
 * inside `(entity.v1.entity)` of a message or `(entity.v1.field)` of a field (with an index after
 * a repeated one), e.g. `[EntitySchema.field.idField.number]`. Falls back to the option statement,
 * then to the declaration, for compilers that record less.
 */
export function settingLocationOf(desc: DescMessage | DescField, settingPath: readonly number[]): SourceLocation {
  const optionKey = desc.kind === "message"
    ? pathKey(desc) + sourcePathKey([DescriptorProtoSchema.field.options.number, entityOption.number])
    : pathKey(desc) + sourcePathKey([FieldDescriptorProtoSchema.field.options.number, fieldOption.number]);
  const file = fileOf(desc);
  const source = sourceIndexOf(file);
  for (const key of [optionKey + sourcePathKey(settingPath), optionKey]) {
    const found = spanned(source.get(key));
    if (found !== undefined) return { file: file.proto.name, line: found.span[0]! + 1, column: found.span[1]! + 1 };
  }
  return locationOf(desc);
}

/**
 * The declaration's leading and trailing comments ("" when none), as the source info holds them
 * (see descriptions.ts for the line breaks). Looked up in an index rather than with getComments,
 * which scans the file's whole source info for the declaration and each parent.
 */
export function sourceCommentsOf(desc: Located): { readonly leading: string; readonly trailing: string } {
  const source = sourceOf(desc);
  return source === undefined ? NO_COMMENTS : { leading: source.leadingComments ?? "", trailing: source.trailingComments ?? "" };
}

const NO_COMMENTS = Object.freeze({ leading: "", trailing: "" });

function fileOf(desc: Located): DescFile {
  return desc.kind === "field" ? desc.parent.file : desc.file;
}

function sourceOf(desc: Located): DeclarationSource | undefined {
  return spanned(sourceIndexOf(fileOf(desc)).get(pathKey(desc)));
}

/** The location, when it has a whole span (line, column, end); the reader's index may hold one that has not. */
function spanned(location: DeclarationSource | undefined): DeclarationSource | undefined {
  return location !== undefined && location.span.length >= 3 ? location : undefined;
}

function sourceIndexOf(file: DescFile): ReadonlyMap<string, DeclarationSource> {
  let source = sourceByFile.get(file);
  if (source === undefined) {
    const locations = file.proto.sourceCodeInfo?.location ?? [];
    source = indexesFromReader.get(locations) ?? indexLocations(locations);
    sourceByFile.set(file, source);
  }
  return source;
}

/** For source info the request reader did not index (a request decoded whole, as in tests). */
function indexLocations(locations: readonly SourceCodeInfo_Location[]): Map<string, DeclarationSource> {
  const source = new Map<string, DeclarationSource>();
  for (const location of locations) {
    const key = sourcePathKey(location.path);
    // The first location of a path is the whole declaration; later ones are its parts.
    if (!source.has(key) && location.span.length >= 3) source.set(key, location);
  }
  return source;
}

/** A message's fields, in a path key. */
const FIELDS_KEY = pathKeyPart(DescriptorProtoSchema.field.field.number);

/**
 * The path of the field at `index` of its message's fields: the index of its proto too, when the
 * lists agree (they do for fields read from a file). Made directly rather than through pathKey,
 * which keys all of a message's fields in a Map (~44,000 entries on the 1,000-entity benchmark)
 * for fields whose index the caller knows anyway.
 */
function fieldPathKey(field: DescField, index: number): string {
  if (field.parent.proto.field[index] !== field.proto) return pathKey(field);
  return pathKey(field.parent) + FIELDS_KEY + pathKeyPart(index);
}

/** The declaration's path in its FileDescriptorProto, as source info names it. */
function pathKey(desc: Located): string {
  let key = pathKeys.get(desc);
  if (key === undefined) {
    keySiblings(desc);
    key = pathKeys.get(desc);
    // Not among the siblings the descriptor lists (a map entry, for instance): found among the protos.
    if (key === undefined) {
      keyList(siblingPrefix(desc), [desc], siblingProtos(desc), true);
      key = pathKeys.get(desc)!;
    }
  }
  return key;
}

/**
 * Keys the declaration and all its siblings of the same kind at once: a field's index among its
 * message's fields was looked up with indexOf per field (quadratic in a message's fields), and
 * nearly every field of a message is asked for anyway.
 */
function keySiblings(desc: Located): void {
  const prefix = siblingPrefix(desc);
  const protos = siblingProtos(desc);
  switch (desc.kind) {
    case "field":
      return keyList(prefix, desc.parent.fields, protos, false);
    case "message":
      return keyList(prefix, desc.parent === undefined ? desc.file.messages : desc.parent.nestedMessages, protos, false);
    case "enum":
      return keyList(prefix, desc.parent === undefined ? desc.file.enums : desc.parent.nestedEnums, protos, false);
  }
}

/** The key of the path of the list the declaration is in (its index is added to it). */
function siblingPrefix(desc: Located): string {
  switch (desc.kind) {
    case "field":
      return pathKey(desc.parent) + FIELDS_KEY;
    case "message":
      return desc.parent === undefined
        ? pathKeyPart(FileDescriptorProtoSchema.field.messageType.number)
        : pathKey(desc.parent) + pathKeyPart(DescriptorProtoSchema.field.nestedType.number);
    case "enum":
      return desc.parent === undefined
        ? pathKeyPart(FileDescriptorProtoSchema.field.enumType.number)
        : pathKey(desc.parent) + pathKeyPart(DescriptorProtoSchema.field.enumType.number);
  }
}

/** The protos of that list, whose order is the source info's numbering. */
function siblingProtos(desc: Located): readonly object[] {
  switch (desc.kind) {
    case "field":
      return desc.parent.proto.field;
    case "message":
      return desc.parent === undefined ? desc.file.proto.messageType : desc.parent.proto.nestedType;
    case "enum":
      return desc.parent === undefined ? desc.file.proto.enumType : desc.parent.proto.enumType;
  }
}

/** `prefix + index` for each declaration, the index being its proto's place among `protos`. */
function keyList(prefix: string, descs: readonly Located[], protos: readonly object[], lookUp: boolean): void {
  for (let i = 0; i < descs.length; i++) {
    const desc = descs[i]!;
    // The descriptors are in their protos' order; should one not be, its index is looked up.
    const index = !lookUp && protos[i] === desc.proto ? i : protos.indexOf(desc.proto);
    pathKeys.set(desc, prefix + pathKeyPart(index));
  }
}
