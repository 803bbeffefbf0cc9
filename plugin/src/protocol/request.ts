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
  type CodeGeneratorRequest,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { entity as entityOption, field as fieldOption } from "../gen/entity/v1/options_pb.js";

const PROTO_FILE = CodeGeneratorRequestSchema.field.protoFile.number;
const SOURCE_FILE_DESCRIPTORS = CodeGeneratorRequestSchema.field.sourceFileDescriptors.number;

export function readRequest(bytes: Uint8Array): CodeGeneratorRequest {
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
  const file = declarationSourceOnly(fromBinary(FileDescriptorProtoSchema, bytes));
  ownUnknownFields(file);
  return file;
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
function isEntityOptionSetting(path: readonly number[]): boolean {
  for (let i = 2; i + 1 < path.length; i += 2) {
    if (path[i] === MESSAGE_OPTIONS && path[i + 1] === entityOption.number) return true;
    if (path[i] === FIELD_OPTIONS && path[i + 1] === fieldOption.number) return true;
  }
  return false;
}
