/**
 * The topic schema's FileDescriptorProto serialized the way protoc-gen-es embeds its own
 * (`embedFileDesc(proto).base64()`: no dependencies, no source info, json_name only where it
 * differs from the default), written directly. protobuf-es clones the whole descriptor and runs its
 * generic reflective writer, which cost a quarter of the emitter's time on a large run.
 *
 * A topic schema uses a handful of descriptor fields (see physical/topic-schema.ts); this writer
 * knows exactly those, in field-number order as protobuf-es writes them, and throws on any other
 * set field rather than leave it out. test/typescript/emitter.test.ts compares it with
 * embedFileDesc for every example entity.
 */
import type { DescriptorProto, FieldDescriptorProto, FieldOptions, FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { defaultJsonName } from "../../physical/topic-schema.js";
import { ProtobufWriter, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from "../../printers/protobuf-wire.js";

/** Standard base64 without padding, as protoc-gen-es embeds a file descriptor. */
export function embeddedDescriptorBase64(file: FileDescriptorProto): string {
  const out = new ProtobufWriter(4096);
  writeFile(out, file);
  const base64 = out.base64();
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 61 /* = */) end--;
  return base64.slice(0, end);
}

function writeFile(out: ProtobufWriter, file: FileDescriptorProto): void {
  // embedFileDesc drops the dependencies and the source info; a topic schema has neither anyway.
  assertOnly(file, FILE_FIELDS, "FileDescriptorProto");
  if (has(file, "name")) writeString(out, 1, file.name);
  if (has(file, "package")) writeString(out, 2, file.package);
  for (const message of file.messageType) {
    const start = beginMessage(out, 4);
    writeMessage(out, message);
    out.join(start);
  }
  if (has(file, "syntax")) writeString(out, 12, file.syntax);
}

function writeMessage(out: ProtobufWriter, message: DescriptorProto): void {
  assertOnly(message, MESSAGE_FIELDS, "DescriptorProto");
  if (has(message, "name")) writeString(out, 1, message.name);
  for (const field of message.field) {
    const start = beginMessage(out, 2);
    writeField(out, field);
    out.join(start);
  }
  for (const nested of message.nestedType) {
    const start = beginMessage(out, 3);
    writeMessage(out, nested);
    out.join(start);
  }
}

function writeField(out: ProtobufWriter, field: FieldDescriptorProto): void {
  assertOnly(field, FIELD_FIELDS, "FieldDescriptorProto");
  if (has(field, "name")) writeString(out, 1, field.name);
  if (has(field, "number")) writeInt32(out, 3, field.number);
  if (has(field, "label")) writeInt32(out, 4, field.label);
  if (has(field, "type")) writeInt32(out, 5, field.type);
  if (has(field, "typeName")) writeString(out, 6, field.typeName);
  const options = field.options;
  if (options !== undefined) {
    const start = beginMessage(out, 8);
    writeFieldOptions(out, options);
    out.join(start);
  }
  // embedFileDesc keeps a json_name only where it is not the one protoc derives from the name.
  if (has(field, "jsonName") && field.jsonName !== defaultJsonName(field.name)) writeString(out, 10, field.jsonName);
}

function writeFieldOptions(out: ProtobufWriter, options: FieldOptions): void {
  assertOnly(options, FIELD_OPTIONS_FIELDS, "FieldOptions");
  if (has(options, "packed")) {
    out.tag(2, WIRE_VARINT);
    out.varint(options.packed ? 1 : 0);
  }
}

function writeString(out: ProtobufWriter, fieldNumber: number, text: string): void {
  out.tag(fieldNumber, WIRE_LENGTH_DELIMITED);
  out.string(text);
}

function writeInt32(out: ProtobufWriter, fieldNumber: number, value: number): void {
  out.tag(fieldNumber, WIRE_VARINT);
  out.int32(value);
}

/** The tag of a nested message field; its content follows, then `out.join(start)` puts its length in front. */
function beginMessage(out: ProtobufWriter, fieldNumber: number): number {
  out.tag(fieldNumber, WIRE_LENGTH_DELIMITED);
  return out.fork();
}

/**
 * What each message may hold: its set fields are its own properties (protobuf-es keeps unset
 * proto2 fields on the prototype), and repeated ones are always there, so an empty list is fine.
 */
const FILE_FIELDS = new Set(["$typeName", "name", "package", "messageType", "syntax"]);
const MESSAGE_FIELDS = new Set(["$typeName", "name", "field", "nestedType"]);
const FIELD_FIELDS = new Set(["$typeName", "name", "number", "label", "type", "typeName", "options", "jsonName"]);
const FIELD_OPTIONS_FIELDS = new Set(["$typeName", "packed"]);

function assertOnly(message: object, allowed: ReadonlySet<string>, what: string): void {
  for (const name of Object.keys(message)) {
    if (allowed.has(name)) continue;
    const value = (message as Record<string, unknown>)[name];
    if (Array.isArray(value) && value.length === 0) continue;
    throw new Error(`a topic schema's ${what} sets ${name}, which the embedded descriptor's writer does not write`);
  }
}

function has(message: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, name);
}
