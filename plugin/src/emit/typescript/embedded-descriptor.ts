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
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import type { DescriptorProto, FieldDescriptorProto, FieldOptions, FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/** Standard base64 without padding, as protoc-gen-es embeds a file descriptor. */
export function embeddedDescriptorBase64(file: FileDescriptorProto): string {
  const out = new ByteWriter();
  writeFile(out, file);
  const base64 = out.toBuffer().toString("base64");
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 61 /* = */) end--;
  return base64.slice(0, end);
}

// Wire types.
const VARINT = 0;
const LENGTH_DELIMITED = 2;

function writeFile(out: ByteWriter, file: FileDescriptorProto): void {
  // embedFileDesc drops the dependencies and the source info; a topic schema has neither anyway.
  assertOnly(file, FILE_FIELDS, "FileDescriptorProto");
  if (has(file, "name")) out.string(1, file.name);
  if (has(file, "package")) out.string(2, file.package);
  for (const message of file.messageType) out.message(4, () => writeMessage(out, message));
  if (has(file, "syntax")) out.string(12, file.syntax);
}

function writeMessage(out: ByteWriter, message: DescriptorProto): void {
  assertOnly(message, MESSAGE_FIELDS, "DescriptorProto");
  if (has(message, "name")) out.string(1, message.name);
  for (const field of message.field) out.message(2, () => writeField(out, field));
  for (const nested of message.nestedType) out.message(3, () => writeMessage(out, nested));
}

function writeField(out: ByteWriter, field: FieldDescriptorProto): void {
  assertOnly(field, FIELD_FIELDS, "FieldDescriptorProto");
  if (has(field, "name")) out.string(1, field.name);
  if (has(field, "number")) out.int32(3, field.number);
  if (has(field, "label")) out.int32(4, field.label);
  if (has(field, "type")) out.int32(5, field.type);
  if (has(field, "typeName")) out.string(6, field.typeName);
  const options = field.options;
  if (options !== undefined) out.message(8, () => writeFieldOptions(out, options));
  // embedFileDesc keeps a json_name only where it is not the one protoc derives from the name.
  if (has(field, "jsonName") && field.jsonName !== protoCamelCase(field.name)) out.string(10, field.jsonName);
}

function writeFieldOptions(out: ByteWriter, options: FieldOptions): void {
  assertOnly(options, FIELD_OPTIONS_FIELDS, "FieldOptions");
  if (has(options, "packed")) out.bool(2, options.packed);
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

/** Protobuf wire format into a growing byte array; a nested message is written, then its length put before it. */
class ByteWriter {
  private bytes = Buffer.allocUnsafe(4096);
  private length = 0;

  string(fieldNumber: number, text: string): void {
    this.tag(fieldNumber, LENGTH_DELIMITED);
    const size = Buffer.byteLength(text, "utf8");
    this.varint(size);
    this.reserve(size);
    this.length += this.bytes.write(text, this.length, size, "utf8");
  }

  int32(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, VARINT);
    // A negative int32 is sign-extended to ten bytes.
    if (value < 0) this.varint64Negative(value);
    else this.varint(value);
  }

  bool(fieldNumber: number, value: boolean): void {
    this.tag(fieldNumber, VARINT);
    this.varint(value ? 1 : 0);
  }

  message(fieldNumber: number, writeBody: () => void): void {
    this.tag(fieldNumber, LENGTH_DELIMITED);
    const start = this.length;
    writeBody();
    const body = this.length - start;
    // Move the body to make room for its length's varint.
    const prefix = varintSize(body);
    this.reserve(prefix);
    this.bytes.copyWithin(start + prefix, start, start + body);
    this.length = start;
    this.varint(body);
    this.length += body;
  }

  toBuffer(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  private tag(fieldNumber: number, wireType: number): void {
    this.varint((fieldNumber << 3) | wireType);
  }

  private varint(value: number): void {
    this.reserve(5);
    while (value > 0x7f) {
      this.bytes[this.length++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.bytes[this.length++] = value;
  }

  private varint64Negative(value: number): void {
    this.reserve(10);
    let big = BigInt.asUintN(64, BigInt(value));
    for (let i = 0; i < 9; i++) {
      this.bytes[this.length++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.bytes[this.length++] = Number(big);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + extra));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value >>>= 7;
    size++;
  }
  return size;
}
