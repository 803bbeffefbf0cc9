/**
 * The shared protobuf wire writer (printers/protobuf-wire.ts) against @bufbuild/protobuf's
 * BinaryWriter as the reference: random sequences of fields, nested messages among them, must give
 * the same bytes. Each value kind is also given its edge values (the ten-byte negative int32, 64-bit
 * limits, a varint above 2^32, non-ASCII and long strings, a nested message whose length needs two
 * bytes while the buffer has to grow).
 */
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtobufWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from "../../plugin/src/printers/protobuf-wire.js";

type Field =
  | { kind: "varint"; number: number; value: number }
  | { kind: "int32"; number: number; value: number }
  | { kind: "varint64"; number: number; value: bigint }
  | { kind: "double"; number: number; value: number }
  | { kind: "float"; number: number; value: number }
  | { kind: "fixed32"; number: number; value: number }
  | { kind: "fixed64"; number: number; value: bigint }
  | { kind: "string"; number: number; value: string }
  | { kind: "bytes"; number: number; value: Uint8Array }
  | { kind: "message"; number: number; fields: Field[] };

function writeOurs(writer: ProtobufWriter, fields: readonly Field[]): void {
  for (const field of fields) {
    switch (field.kind) {
      case "varint":
        writer.tag(field.number, WIRE_VARINT);
        writer.varint(field.value);
        break;
      case "int32":
        writer.tag(field.number, WIRE_VARINT);
        writer.int32(field.value);
        break;
      case "varint64":
        writer.tag(field.number, WIRE_VARINT);
        writer.varint64(field.value);
        break;
      case "double":
        writer.tag(field.number, WIRE_FIXED64);
        writer.double(field.value);
        break;
      case "float":
        writer.tag(field.number, WIRE_FIXED32);
        writer.float(field.value);
        break;
      case "fixed32":
        writer.tag(field.number, WIRE_FIXED32);
        writer.fixed32(field.value);
        break;
      case "fixed64":
        writer.tag(field.number, WIRE_FIXED64);
        writer.fixed64(field.value);
        break;
      case "string":
        writer.tag(field.number, WIRE_LENGTH_DELIMITED);
        writer.string(field.value);
        break;
      case "bytes":
        writer.tag(field.number, WIRE_LENGTH_DELIMITED);
        writer.bytesField(field.value);
        break;
      case "message": {
        writer.tag(field.number, WIRE_LENGTH_DELIMITED);
        const start = writer.fork();
        writeOurs(writer, field.fields);
        writer.join(start);
        break;
      }
    }
  }
}

function writeReference(writer: BinaryWriter, fields: readonly Field[]): void {
  for (const field of fields) {
    switch (field.kind) {
      case "varint":
        writer.tag(field.number, WireType.Varint).uint64(BigInt(field.value));
        break;
      case "int32":
        writer.tag(field.number, WireType.Varint).int32(field.value);
        break;
      case "varint64":
        writer.tag(field.number, WireType.Varint).uint64(field.value);
        break;
      case "double":
        writer.tag(field.number, WireType.Bit64).double(field.value);
        break;
      case "float":
        writer.tag(field.number, WireType.Bit32).float(field.value);
        break;
      case "fixed32":
        writer.tag(field.number, WireType.Bit32).fixed32(field.value);
        break;
      case "fixed64":
        writer.tag(field.number, WireType.Bit64).fixed64(field.value);
        break;
      case "string":
        writer.tag(field.number, WireType.LengthDelimited).string(field.value);
        break;
      case "bytes":
        writer.tag(field.number, WireType.LengthDelimited).bytes(field.value);
        break;
      case "message":
        writer.tag(field.number, WireType.LengthDelimited).fork();
        writeReference(writer, field.fields);
        writer.join();
        break;
    }
  }
}

function ours(fields: readonly Field[], initialSize?: number): Buffer {
  const writer = new ProtobufWriter(initialSize);
  writeOurs(writer, fields);
  return Buffer.from(writer.written());
}

function reference(fields: readonly Field[]): Buffer {
  const writer = new BinaryWriter();
  writeReference(writer, fields);
  return Buffer.from(writer.finish());
}

const fieldNumber = fc.integer({ min: 1, max: 536_870_911 });
const scalarField: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ kind: fc.constant("varint" as const), number: fieldNumber, value: fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })) }),
  fc.record({ kind: fc.constant("int32" as const), number: fieldNumber, value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({ kind: fc.constant("varint64" as const), number: fieldNumber, value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ kind: fc.constant("double" as const), number: fieldNumber, value: fc.double() }),
  fc.record({ kind: fc.constant("float" as const), number: fieldNumber, value: fc.float() }),
  fc.record({ kind: fc.constant("fixed32" as const), number: fieldNumber, value: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
  fc.record({ kind: fc.constant("fixed64" as const), number: fieldNumber, value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ kind: fc.constant("string" as const), number: fieldNumber, value: fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 300 })) }),
  fc.record({ kind: fc.constant("bytes" as const), number: fieldNumber, value: fc.uint8Array({ maxLength: 300 }) }),
);
const { fields: fieldList } = fc.letrec<{ field: Field; fields: Field[] }>((tie) => ({
  field: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalarField, fc.record({ kind: fc.constant("message" as const), number: fieldNumber, fields: tie("fields") })),
  fields: fc.array(tie("field"), { maxLength: 8 }),
}));

describe("ProtobufWriter", () => {
  it("writes the bytes @bufbuild/protobuf's BinaryWriter writes, for random fields and nested messages", () => {
    fc.assert(
      fc.property(fieldList, fc.integer({ min: 1, max: 64 }), (fields, initialSize) => {
        expect(ours(fields, initialSize).toString("hex")).toBe(reference(fields).toString("hex"));
      }),
      { numRuns: 500, seed: 20261129 },
    );
  });

  it("writes the edge values alike", () => {
    const edges: Field[] = [
      { kind: "int32", number: 1, value: -1 },
      { kind: "int32", number: 1, value: -(2 ** 31) },
      { kind: "int32", number: 1, value: 2 ** 31 - 1 },
      { kind: "varint", number: 2, value: 2 ** 32 },
      { kind: "varint", number: 2, value: Number.MAX_SAFE_INTEGER },
      { kind: "varint64", number: 3, value: 2n ** 64n - 1n },
      { kind: "fixed64", number: 4, value: 2n ** 64n - 1n },
      { kind: "fixed32", number: 5, value: 2 ** 32 - 1 },
      { kind: "double", number: 6, value: NaN },
      { kind: "double", number: 6, value: -Infinity },
      { kind: "float", number: 7, value: -0 },
      { kind: "string", number: 8, value: "" },
      { kind: "string", number: 8, value: "é😀 over ASCII" },
      { kind: "string", number: 8, value: "x".repeat(127) },
      { kind: "string", number: 8, value: "x".repeat(128) },
      { kind: "bytes", number: 9, value: new Uint8Array(0) },
      { kind: "message", number: 536_870_911, fields: [] },
      // Its length takes two bytes, and the buffer (one byte at first) grows while it is written.
      { kind: "message", number: 10, fields: [{ kind: "message", number: 11, fields: [{ kind: "string", number: 12, value: "y".repeat(200) }] }] },
    ];
    expect(ours(edges, 1).toString("hex")).toBe(reference(edges).toString("hex"));
    for (const edge of edges) expect(ours([edge]).toString("hex")).toBe(reference([edge]).toString("hex"));
  });

  it("gives the bytes as padded base64", () => {
    const writer = new ProtobufWriter();
    writeOurs(writer, [{ kind: "string", number: 1, value: "ab" }]);
    expect(writer.base64()).toBe(Buffer.from([0x0a, 0x02, 0x61, 0x62]).toString("base64"));
    expect(writer.base64()).toBe("CgJhYg==");
  });
});
