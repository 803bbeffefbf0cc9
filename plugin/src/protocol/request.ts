/**
 * Reads the CodeGeneratorRequest that buf writes on stdin, one file descriptor at a time.
 *
 * Source info is most of a decoded request: every name, type, number and option of a declaration
 * has a location of its own, each an object with two arrays. The model reads only where a
 * declaration starts and its comments (`model/location.ts`), so each file keeps only those
 * locations as soon as it is decoded. On the 1,000-entity benchmark this keeps 54,000 of 201,000
 * locations, and the decoded request takes 51 MB of heap instead of 136 MB.
 */
import { create, fromBinary, mergeFromBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  DescriptorProtoSchema,
  FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema,
  SourceCodeInfo_LocationSchema,
  SourceCodeInfoSchema,
  type CodeGeneratorRequest,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FileDescriptorProto,
  type SourceCodeInfo,
  type SourceCodeInfo_Location,
} from "@bufbuild/protobuf/wkt";
import { BinaryReader, BinaryWriter, getTextEncoding, WireType } from "@bufbuild/protobuf/wire";
import { entity as entityOption, field as fieldOption } from "../gen/entity/v1/options_pb.js";
import { rememberDeclarationIndex, sourcePathKey } from "../model/location.js";

const PROTO_FILE = CodeGeneratorRequestSchema.field.protoFile.number;
const SOURCE_FILE_DESCRIPTORS = CodeGeneratorRequestSchema.field.sourceFileDescriptors.number;

export function readRequest(input: Uint8Array): CodeGeneratorRequest {
  // A plain view: each field read is a view of the bytes, and a Buffer's (stdin is read into
  // one) is a Buffer, several times slower to make than a Uint8Array.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const request = create(CodeGeneratorRequestSchema);
  // Everything but the file descriptors is small; it is decoded as usual, from a copy.
  const rest = new BinaryWriter();
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === PROTO_FILE) {
      request.protoFile.push(readFile(reader.bytes()));
    } else if (number === SOURCE_FILE_DESCRIPTORS) {
      request.sourceFileDescriptors.push(readFile(reader.bytes()));
    } else {
      rest.tag(number, wireType).raw(reader.skip(wireType, number));
    }
  }
  return mergeFromBinary(CodeGeneratorRequestSchema, request, rest.finish());
}

function readFile(bytes: Uint8Array): FileDescriptorProto {
  const file = readFileDeclarations(bytes) ?? declarationSourceOnly(fromBinary(FileDescriptorProtoSchema, bytes));
  ownUnknownFields(file);
  return file;
}

const SOURCE_CODE_INFO = FileDescriptorProtoSchema.field.sourceCodeInfo.number;

/**
 * The file with only the declaration locations of its source info, decoded without decoding the
 * others: the locations dropped are three in four, and decoding each into an object with two
 * arrays only to drop it was most of the time spent reading the request (and of its garbage).
 * The rest of the file is decoded as usual, from the parts before and after the source info
 * (decoding parts one after the other is decoding their concatenation). Undefined for a file
 * whose source info comes in several pieces (no compiler writes one): the caller decodes it whole.
 */
function readFileDeclarations(bytes: Uint8Array): FileDescriptorProto | undefined {
  const reader = new BinaryReader(bytes);
  let sourceInfo: Uint8Array | undefined;
  let sourceInfoStart = 0;
  let sourceInfoEnd = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [number, wireType] = reader.tag();
    if (number === SOURCE_CODE_INFO && wireType === WireType.LengthDelimited) {
      if (sourceInfo !== undefined) return undefined;
      sourceInfo = reader.bytes();
      sourceInfoStart = start;
      sourceInfoEnd = reader.pos;
    } else {
      reader.skip(wireType, number);
    }
  }
  if (sourceInfo === undefined) return fromBinary(FileDescriptorProtoSchema, bytes);
  const file = fromBinary(FileDescriptorProtoSchema, bytes.subarray(0, sourceInfoStart));
  if (sourceInfoEnd < bytes.length) mergeFromBinary(FileDescriptorProtoSchema, file, bytes.subarray(sourceInfoEnd));
  const declarations = readDeclarationLocations(sourceInfo);
  if (declarations === undefined) return undefined;
  file.sourceCodeInfo = declarations;
  return file;
}

const LOCATION = SourceCodeInfoSchema.field.location.number;
const LOCATION_PATH = SourceCodeInfo_LocationSchema.field.path.number;

/**
 * The locations `declarationSourceOnly` keeps, in their order: each location's path is read
 * straight from its bytes, and only a kept location is decoded; anything else (an extension) is
 * decoded as usual. Undefined for a field of a wire type no compiler writes there (a group):
 * the caller then decodes the file as usual.
 */
function readDeclarationLocations(bytes: Uint8Array): SourceCodeInfo | undefined {
  const info = create(SourceCodeInfoSchema);
  // The kept locations by path key: which paths were seen, and the model's index of them.
  const byPath = new Map<string, SourceCodeInfo_Location>();
  // Each location's path is read into the same array, its length counted apart: most are
  // dropped, and setting an array's length to 0 for each of 201,000 locations was a runtime call.
  const path: number[] = [];
  const others: Uint8Array[] = [];
  const scan = new WireScan(bytes, 0, bytes.length);
  const pathScan = new WireScan(bytes, 0, 0);
  while (scan.pos < scan.end) {
    const fieldStart = scan.pos;
    const tag = scan.varint();
    if (tag !== ((LOCATION << 3) | WireType.LengthDelimited)) {
      // An extension of the source info (buf writes one), decoded as usual below.
      if (!scan.skip(tag & 7)) return undefined;
      others.push(bytes.subarray(fieldStart, scan.pos));
      continue;
    }
    const length = scan.varint();
    const start = scan.pos;
    scan.pos += length;
    pathScan.pos = start;
    pathScan.end = scan.pos;
    const pathLength = readPath(pathScan, path);
    if (pathLength < 0) return undefined;
    if (pathLength % 2 !== 0 && !isEntityOptionSetting(path, pathLength)) continue;
    const key = sourcePathKey(path, pathLength);
    if (byPath.has(key)) continue;
    pathScan.pos = start;
    const location = readLocation(pathScan, path.slice(0, pathLength)) ?? fromBinary(SourceCodeInfo_LocationSchema, bytes.subarray(start, scan.pos));
    byPath.set(key, location);
    info.location.push(location);
  }
  for (const other of others) mergeFromBinary(SourceCodeInfoSchema, info, other);
  rememberDeclarationIndex(info.location, byPath);
  return info;
}

const LOCATION_SPAN = SourceCodeInfo_LocationSchema.field.span.number;
const LEADING_COMMENTS = SourceCodeInfo_LocationSchema.field.leadingComments.number;
const TRAILING_COMMENTS = SourceCodeInfo_LocationSchema.field.trailingComments.number;
const DETACHED_COMMENTS = SourceCodeInfo_LocationSchema.field.leadingDetachedComments.number;
const decodeUtf8 = getTextEncoding().decodeUtf8;

/**
 * A kept location, decoded here rather than by fromBinary (which makes a reader per call: 54,000
 * of them); `path` is its path, read already, which the location keeps. Undefined when it holds a field no compiler writes
 * there (fromBinary then decodes it, unknown fields included).
 */
function readLocation(scan: WireScan, path: number[]): SourceCodeInfo_Location | undefined {
  const location = create(SourceCodeInfo_LocationSchema);
  location.path = path;
  while (scan.pos < scan.end) {
    const tag = scan.varint();
    const number = tag >>> 3;
    if ((tag & 7) !== WireType.LengthDelimited) return undefined;
    const length = scan.varint();
    const start = scan.pos;
    scan.pos += length;
    if (number === LOCATION_PATH) continue;
    if (number === LOCATION_SPAN) {
      const span = new WireScan(scan.bytes, start, scan.pos);
      while (span.pos < span.end) location.span.push(span.varint() | 0);
    } else if (number === LEADING_COMMENTS) {
      location.leadingComments = decodeUtf8(scan.bytes.subarray(start, scan.pos));
    } else if (number === TRAILING_COMMENTS) {
      location.trailingComments = decodeUtf8(scan.bytes.subarray(start, scan.pos));
    } else if (number === DETACHED_COMMENTS) {
      location.leadingDetachedComments.push(decodeUtf8(scan.bytes.subarray(start, scan.pos)));
    } else {
      return undefined;
    }
  }
  return location;
}

/**
 * A location's path (packed, or one number per field as an old writer may put it), written from
 * the start of `path`; its length, or -1 for a field it cannot skip. What `path` holds past that
 * length is left over from a longer path.
 */
function readPath(scan: WireScan, path: number[]): number {
  let length = 0;
  while (scan.pos < scan.end) {
    const tag = scan.varint();
    const wireType = tag & 7;
    if (tag >>> 3 === LOCATION_PATH && wireType === WireType.LengthDelimited) {
      const size = scan.varint();
      const end = scan.pos + size;
      while (scan.pos < end) path[length++] = scan.varint() | 0;
    } else if (tag >>> 3 === LOCATION_PATH && wireType === WireType.Varint) {
      path[length++] = scan.varint() | 0;
    } else if (!scan.skip(wireType)) {
      return -1;
    }
  }
  return scan.pos === scan.end ? length : -1;
}

/**
 * Reads varints and skips fields over a range of bytes, without a BinaryReader (an object with a
 * DataView) and a tag array per location: there are 201,000 locations on the 1,000-entity benchmark.
 */
class WireScan {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  /** A varint's low 32 bits, as an unsigned number (`| 0` makes an int32 of it). */
  varint(): number {
    const bytes = this.bytes;
    if (this.pos >= this.end) throw new Error("premature end of the source info in the request");
    let byte = bytes[this.pos++]!;
    // Most are one byte: a path's numbers and a location's length.
    if (byte < 0x80) return byte;
    let value = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      if (this.pos >= this.end) throw new Error("premature end of the source info in the request");
      byte = bytes[this.pos++]!;
      if (shift < 32) value += (byte & 0x7f) * 2 ** shift;
    }
    return value % 4294967296;
  }

  skip(wireType: number): boolean {
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return true;
      case WireType.Bit64:
        this.pos += 8;
        return true;
      case WireType.LengthDelimited: {
        const length = this.varint();
        this.pos += length;
        return true;
      }
      case WireType.Bit32:
        this.pos += 4;
        return true;
      default:
        return false;
    }
  }
}

/**
 * The options' extensions (ours and others') stay undecoded, as unknown fields whose bytes are
 * views into the request's buffer; one of them would keep the whole request (7.5 MB on the
 * 1,000-entity benchmark) until the end of the run. Each gets a copy of its own few bytes.
 */
function ownUnknownFields(file: FileDescriptorProto): void {
  copyUnknown(file);
  copyUnknown(file.sourceCodeInfo);
  copyUnknown(file.options);
  for (const message of file.messageType) ownMessageUnknowns(message);
  for (const e of file.enumType) ownEnumUnknowns(e);
  for (const extension of file.extension) copyUnknown(extension.options);
  for (const service of file.service) {
    copyUnknown(service.options);
    for (const method of service.method) copyUnknown(method.options);
  }
}

function ownMessageUnknowns(message: DescriptorProto): void {
  copyUnknown(message);
  copyUnknown(message.options);
  for (const field of message.field) {
    copyUnknown(field);
    copyUnknown(field.options);
  }
  for (const extension of message.extension) copyUnknown(extension.options);
  for (const oneof of message.oneofDecl) copyUnknown(oneof.options);
  for (const range of message.extensionRange) copyUnknown(range.options);
  for (const nested of message.nestedType) ownMessageUnknowns(nested);
  for (const e of message.enumType) ownEnumUnknowns(e);
}

function ownEnumUnknowns(e: EnumDescriptorProto): void {
  copyUnknown(e.options);
  for (const value of e.value) copyUnknown(value.options);
}

function copyUnknown(message: { $unknown?: { no: number; wireType: number; data: Uint8Array }[] } | undefined): void {
  if (message?.$unknown === undefined) return;
  // new Uint8Array(view) copies; a Buffer's slice (the request read from stdin is one) would not.
  message.$unknown = message.$unknown.map((field) => ({ ...field, data: new Uint8Array(field.data) }));
}

/**
 * Keeps the first location of each declaration path. A declaration's path alternates a field
 * number of its parent and an index (`4.0.2.3`: message 0, field 3), so it has an even length;
 * its parts (name, type, number, label) add one more number and have an odd one. The first
 * location of a path spans the whole declaration and carries its comments; protoc repeats a path
 * only for declarations split over several places, such as a group's field and its message.
 * The settings inside our own options (`id_field`, `references`, ...) are kept too: an error
 * about one points at its line, and there are few of them.
 */
function declarationSourceOnly(file: FileDescriptorProto): FileDescriptorProto {
  const info = file.sourceCodeInfo;
  if (info === undefined) return file;
  const seen = new Set<string>();
  info.location = info.location.filter((location) => {
    if (location.path.length % 2 !== 0 && !isEntityOptionSetting(location.path)) return false;
    const key = location.path.join(".");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return file;
}

const MESSAGE_OPTIONS = DescriptorProtoSchema.field.options.number;
const FIELD_OPTIONS = FieldDescriptorProtoSchema.field.options.number;

/** A path into `(entity.v1.entity)` of a message or `(entity.v1.field)` of a field: options, then our extension. */
function isEntityOptionSetting(path: readonly number[], length = path.length): boolean {
  for (let i = 2; i + 1 < length; i += 2) {
    if (path[i] === MESSAGE_OPTIONS && path[i + 1] === entityOption.number) return true;
    if (path[i] === FIELD_OPTIONS && path[i + 1] === fieldOption.number) return true;
  }
  return false;
}
