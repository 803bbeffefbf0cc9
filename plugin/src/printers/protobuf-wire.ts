/**
 * Protobuf binary wire format, written into one growing buffer: what the Pub/Sub conformance
 * vectors (emit/pubsub/vector-event.ts) and the TypeScript emitter's embedded file descriptor
 * (emit/typescript/embedded-descriptor.ts) both need, and nothing more.
 *
 * Why not @bufbuild/protobuf's BinaryWriter: it keeps a list of chunks and a stack of forks and
 * copies everything once more at the end, and its string writer goes through a TextEncoder even for
 * a few ASCII bytes; here a nested message is written in place and moved up by the size of its
 * length once it ends. The vectors are the reference the generated package's encoders are checked
 * against, so this module shares no code with them (plugin/src/runtime, emit/typescript's codecs).
 */

/** The wire types this writer writes. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

const TWO_TO_32 = 0x1_0000_0000;

export class ProtobufWriter {
  private bytes: Buffer;
  private length = 0;

  constructor(initialSize = 256) {
    this.bytes = Buffer.allocUnsafe(initialSize);
  }

  tag(fieldNumber: number, wireType: number): void {
    this.varint(fieldNumber * 8 + wireType);
  }

  /** A non-negative integer below 2^53 (a length, a tag, a uint32, a zigzagged sint32, a bool). */
  varint(value: number): void {
    this.reserve(8);
    let rest = value;
    // Above 2^32 the bit operators would cut the value: divide instead (never the case for a length or a 32-bit field).
    while (rest >= TWO_TO_32) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    while (rest > 0x7f) {
      this.bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.bytes[this.length++] = rest;
  }

  /** An int32 (or an enum value): a negative one is sign-extended to ten bytes, as an int64. */
  int32(value: number): void {
    if (value >= 0) this.varint(value);
    else this.varint64(BigInt.asUintN(64, BigInt(value)));
  }

  /** An unsigned 64-bit integer. */
  varint64(value: bigint): void {
    this.reserve(10);
    let rest = value;
    while (rest > 0x7fn) {
      this.bytes[this.length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.bytes[this.length++] = Number(rest);
  }

  double(value: number): void {
    this.reserve(8);
    this.length = this.bytes.writeDoubleLE(value, this.length);
  }

  float(value: number): void {
    this.reserve(4);
    this.length = this.bytes.writeFloatLE(value, this.length);
  }

  /** A fixed32 or sfixed32: the low 32 bits, little-endian. */
  fixed32(value: number): void {
    this.reserve(4);
    this.length = this.bytes.writeUInt32LE(value >>> 0, this.length);
  }

  /** A fixed64 or sfixed64: the low 64 bits, little-endian. */
  fixed64(value: bigint): void {
    this.reserve(8);
    this.length = this.bytes.writeBigUInt64LE(BigInt.asUintN(64, value), this.length);
  }

  /** A string's UTF-8 bytes after their length. */
  string(value: string): void {
    // Most values are short ASCII (names, numbers as text): copied code unit by code unit, which
    // costs less than Buffer's UTF-8 encoder for a few bytes.
    if (value.length < 128 && isAscii(value)) {
      this.reserve(1 + value.length);
      this.bytes[this.length++] = value.length;
      for (let i = 0; i < value.length; i++) this.bytes[this.length++] = value.charCodeAt(i);
      return;
    }
    const size = Buffer.byteLength(value, "utf8");
    this.varint(size);
    this.reserve(size);
    this.length += this.bytes.write(value, this.length, size, "utf8");
  }

  /** Bytes after their length. */
  bytesField(value: Uint8Array): void {
    this.varint(value.length);
    this.reserve(value.length);
    this.bytes.set(value, this.length);
    this.length += value.length;
  }

  /** Bytes as they are (a value encoded before, by another writer). */
  raw(value: Uint8Array): void {
    this.reserve(value.length);
    this.bytes.set(value, this.length);
    this.length += value.length;
  }

  /** Starts a length-delimited part (after its tag): what is written until `join` is its content. */
  fork(): number {
    return this.length;
  }

  /** Ends the part `fork` started: moves its content up and writes its length in front of it. */
  join(start: number): void {
    const size = this.length - start;
    const lengthBytes = varintSize(size);
    this.reserve(lengthBytes);
    this.bytes.copyWithin(start + lengthBytes, start, this.length);
    // Written in place, not by varint(): its reserve() could grow the buffer and copy only up to `start`.
    let at = start;
    let rest = size;
    while (rest > 0x7f) {
      this.bytes[at++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[at++] = rest;
    this.length = at + size;
  }

  /** The bytes written so far, sharing this writer's memory. */
  written(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  /** The bytes written, as standard padded base64. */
  base64(): string {
    return this.bytes.toString("base64", 0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + count));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
