/**
 * The CodeGeneratorResponse, whole (for callers in the same process) or in pieces (for stdout).
 *
 * A protobuf message may arrive as several encoded parts, one after another: a reader merges them,
 * appending repeated fields in order. So the executable can write one part per generated file as
 * soon as it is generated and forget it, instead of holding every file's text (117 MB for the
 * 1,000-entity benchmark) and then its encoding as well until the end.
 */
import { create, maximumEdition, minimumEdition, protoInt64, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponse_Feature, CodeGeneratorResponse_FileSchema, CodeGeneratorResponseSchema, type CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import type { OutputFile } from "../emit/emitter.js";

/** proto3 `optional` and editions are supported, for every edition @bufbuild/protobuf reads. */
const CAPABILITIES = {
  supportedFeatures: protoInt64.parse(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS),
  minimumEdition,
  maximumEdition,
};

export function responseOf(files: Iterable<OutputFile>): CodeGeneratorResponse {
  return create(CodeGeneratorResponseSchema, { ...CAPABILITIES, file: [...files].map(({ name, content }) => ({ name, content })) });
}

/** The first part of a streamed response: what the plugin supports. */
export function capabilitiesPart(): Uint8Array {
  return toBinary(CodeGeneratorResponseSchema, create(CodeGeneratorResponseSchema, CAPABILITIES));
}

const FILE = CodeGeneratorResponseSchema.field.file.number;
const FILE_NAME = CodeGeneratorResponse_FileSchema.field.name.number;
const FILE_CONTENT = CodeGeneratorResponse_FileSchema.field.content.number;
const LENGTH_DELIMITED = 2;

/**
 * One generated file as a part of the response: `file { name, content }`, the bytes toBinary
 * writes for it (both fields set, in field order). Encoded by hand into one buffer of the exact
 * size: the generic writer encodes a string into a chunk of its own and copies the chunks into
 * the result again, which for 230 MB of output was a tenth of the run (the 1,000-entity benchmark).
 */
export function filePart(file: OutputFile): Buffer {
  return filePartInto(file, undefined);
}

/**
 * The same part, written into `scratch` when it fits (the result is then a view of it, valid
 * until the next call), else into a new buffer. The executable writes each part at once and
 * reuses one buffer: a part is as large as its file (several MB for a dbt or catalog file),
 * and a new one per file is memory outside the heap that only a collection gives back.
 *
 * The content is encoded once, straight into the buffer after room for the longest head, and
 * the head is written just before it once the content's length is known: measuring the UTF-8
 * length first was a second pass over every byte of the output (297 MB for the 1,000-entity
 * benchmark, as long as the encoding itself).
 */
export function filePartInto({ name, content }: OutputFile, scratch: Buffer | undefined): Buffer {
  const nameBytes = Buffer.byteLength(name, "utf8");
  const contentStart = LONGEST_HEAD + nameBytes;
  if (scratch !== undefined && scratch.length - contentStart >= content.length) {
    const contentBytes = writeWhole(scratch, contentStart, content);
    if (contentBytes !== undefined) return withHead(scratch, contentStart, name, nameBytes, contentBytes);
  }
  const contentBytes = Buffer.byteLength(content, "utf8");
  const part = Buffer.allocUnsafe(contentStart + contentBytes);
  part.write(content, contentStart, "utf8");
  return withHead(part, contentStart, name, nameBytes, contentBytes);
}

/**
 * A file part's head before its name: the file's tag and length, the name's tag and length;
 * after the name, the content's tag and length. Each length is a varint of at most 5 bytes.
 */
const LONGEST_HEAD = 3 * (1 + 5);

/**
 * Writes `content` at `at` and returns its byte length, or undefined when the buffer was too short.
 * A write that runs out of room stops before the first character that does not fit, which
 * takes at most 4 bytes; a write that leaves more room than that wrote everything.
 */
function writeWhole(buffer: Buffer, at: number, content: string): number | undefined {
  const room = buffer.length - at;
  const written = buffer.write(content, at, "utf8");
  if (written <= room - 4 || written === Buffer.byteLength(content, "utf8")) return written;
  return undefined;
}

/** Writes the head ending where the content starts; the part is the head and the content. */
function withHead(buffer: Buffer, contentStart: number, name: string, nameBytes: number, contentBytes: number): Buffer {
  const fileBytes = fieldSize(FILE_NAME, nameBytes) + fieldSize(FILE_CONTENT, contentBytes);
  const start = contentStart - headSize(FILE_CONTENT, contentBytes) - fieldSize(FILE_NAME, nameBytes) - headSize(FILE, fileBytes);
  let at = writeHead(buffer, start, FILE, fileBytes);
  at = writeHead(buffer, at, FILE_NAME, nameBytes);
  at += buffer.write(name, at, "utf8");
  at = writeHead(buffer, at, FILE_CONTENT, contentBytes);
  if (at !== contentStart) throw new Error(`internal error: the head of ${name} ends at ${at}, not ${contentStart}`);
  return buffer.subarray(start, contentStart + contentBytes);
}

/** Size of a length-delimited field: its tag, its length and its bytes. */
function fieldSize(number: number, bytes: number): number {
  return headSize(number, bytes) + bytes;
}

/** Size of a length-delimited field's tag and length. */
function headSize(number: number, bytes: number): number {
  return varintSize((number << 3) | LENGTH_DELIMITED) + varintSize(bytes);
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) size++;
  return size;
}

/** Writes a length-delimited field's tag and length at `at`; returns where its bytes start. */
function writeHead(buffer: Buffer, at: number, number: number, bytes: number): number {
  at = writeVarint(buffer, at, (number << 3) | LENGTH_DELIMITED);
  return writeVarint(buffer, at, bytes);
}

function writeVarint(buffer: Buffer, at: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    buffer[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buffer[at++] = v;
  return at;
}
