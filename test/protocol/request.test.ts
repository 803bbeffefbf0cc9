/**
 * The lean request reader: it keeps everything of the request but the source locations the model
 * never reads, and generation from what it keeps is byte for byte what generation from the whole
 * request gives (comments, line numbers in errors, proto2 groups, hostile text included).
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, VersionSchema, type CodeGeneratorRequest, type FileDescriptorProto, type Version } from "@bufbuild/protobuf/wkt";
import { WireType } from "@bufbuild/protobuf/wire";
import { beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../plugin/src/plugin.js";
import { readRequest } from "../../plugin/src/protocol/request.js";
import { positionOf, proto3 } from "../model/support.js";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter, requestOf, type CompiledProtos } from "../harness/buf/protos.js";

function requestBytes(compiled: CompiledProtos, parameter: string, compilerVersion?: Version): Uint8Array {
  return toBinary(CodeGeneratorRequestSchema, { ...requestOf(compiled, parameter), compilerVersion });
}

function filesOf(request: CodeGeneratorRequest): Map<string, string> {
  return new Map([...generate(request)].map((f) => [f.name, f.content]));
}

function errorOf(request: CodeGeneratorRequest): string {
  try {
    [...generate(request)];
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("generation did not fail");
}

const withoutSourceInfo = (file: FileDescriptorProto): FileDescriptorProto => ({ ...file, sourceCodeInfo: undefined });

/** `(entity.v1.entity)` of a message (options 7) or `(entity.v1.field)` of a field (options 8), and what is inside. */
function isEntityOptionSetting(path: readonly number[]): boolean {
  for (let i = 2; i + 1 < path.length; i += 2) {
    if ((path[i] === 7 && path[i + 1] === 50701) || (path[i] === 8 && path[i + 1] === 50702)) return true;
  }
  return false;
}

describe("readRequest", () => {
  let example: CompiledProtos;
  let bytes: Uint8Array;
  beforeAll(() => {
    example = compileExample();
    bytes = requestBytes(example, exampleParameter(), create(VersionSchema, { major: 29, minor: 3, patch: 0, suffix: "buf" }));
  });

  it("keeps every field of the request and every descriptor, apart from source locations", () => {
    const full = fromBinary(CodeGeneratorRequestSchema, bytes);
    const lean = readRequest(bytes);
    expect(lean.parameter).toBe(full.parameter);
    expect(lean.fileToGenerate).toEqual(full.fileToGenerate);
    expect(lean.compilerVersion).toEqual(full.compilerVersion);
    expect(lean.protoFile.map(withoutSourceInfo)).toEqual(full.protoFile.map(withoutSourceInfo));
  });

  it("keeps no view into the request's bytes: each undecoded option (an unknown field) owns a copy", () => {
    // Read from a Buffer, as stdin is read: a Buffer's subarray and slice are views.
    const input = Buffer.from(bytes);
    const lean = readRequest(input);
    let unknowns = 0;
    const views: string[] = [];
    const visit = (value: unknown, path: string): void => {
      if (typeof value !== "object" || value === null) return;
      if (value instanceof Uint8Array) {
        if (value.buffer === input.buffer) views.push(path);
        return;
      }
      if (path.endsWith(".$unknown")) unknowns += (value as unknown[]).length;
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    };
    visit(lean, "request");
    expect(unknowns).toBeGreaterThan(10);
    expect(views).toEqual([]);
    // The options still read as before.
    expect(lean.protoFile.map(withoutSourceInfo)).toEqual(fromBinary(CodeGeneratorRequestSchema, bytes).protoFile.map(withoutSourceInfo));
  });

  it("keeps the first location of each declaration and of each setting of our options, and drops the locations of other parts", () => {
    const full = fromBinary(CodeGeneratorRequestSchema, bytes);
    const lean = readRequest(bytes);
    let before = 0;
    let after = 0;
    for (const [i, file] of full.protoFile.entries()) {
      const all = file.sourceCodeInfo?.location ?? [];
      const kept = lean.protoFile[i]!.sourceCodeInfo?.location ?? [];
      before += all.length;
      after += kept.length;
      const wanted = (path: readonly number[]) => path.length % 2 === 0 || isEntityOptionSetting(path);
      const firstOfEachDeclaration = all.filter((l, j) => wanted(l.path) && all.findIndex((o) => o.path.join(".") === l.path.join(".")) === j);
      expect(kept, file.name).toEqual(firstOfEachDeclaration);
      // A field's declaration (message 4, field 2) and its comment are among them.
      const field = kept.find((l) => l.path.length === 4 && l.path[0] === 4 && l.path[2] === 2 && l.leadingComments !== "");
      if (file.name.startsWith("energy/")) expect(field, file.name).toBeDefined();
    }
    // The example's source info: 2,000-odd locations, about a third of them declarations.
    expect(after).toBeGreaterThan(0);
    // Among the settings: MeterReading's id_field (message 0, options 7, (entity.v1.entity) 50701, id_field 3).
    const meterReading = lean.protoFile.find((f) => f.name === "energy/metering/v1/meter_reading.proto")!;
    expect(meterReading.sourceCodeInfo?.location.some((l) => l.path.join(".") === "4.0.7.50701.3")).toBe(true);
    expect(after / before).toBeLessThan(0.4);
  });

  it("keeps what else the source info holds, such as the extension buf writes there, and reads the file around it", () => {
    const full = fromBinary(CodeGeneratorRequestSchema, bytes);
    const extension = { no: 536000000, wireType: WireType.LengthDelimited, data: new Uint8Array([3, 0x1a, 1, 0x0a]) };
    for (const file of full.protoFile) file.sourceCodeInfo!.$unknown = [extension];
    const lean = readRequest(toBinary(CodeGeneratorRequestSchema, full));
    for (const [i, file] of full.protoFile.entries()) {
      const info = lean.protoFile[i]!.sourceCodeInfo!;
      expect(info.$unknown, file.name).toEqual([extension]);
      expect(info.location.length, file.name).toBeGreaterThan(0);
      expect(withoutSourceInfo(lean.protoFile[i]!)).toEqual(withoutSourceInfo(file));
    }
  });

  it("gives the same files as the whole request, for the example domain", () => {
    const fromFull = filesOf(fromBinary(CodeGeneratorRequestSchema, bytes));
    const fromLean = filesOf(readRequest(bytes));
    expect(fromLean.size).toBeGreaterThan(50);
    expect([...fromLean.keys()]).toEqual([...fromFull.keys()]);
    for (const [name, content] of fromFull) expect(fromLean.get(name), name).toBe(content);
  });

  it("gives the same files for hostile comments and a proto2 group, whose field and message share a location path", () => {
    const compiled = compileProtos({
      [HOSTILE_PROTO_PATH]: HOSTILE_PROTO,
      "grouped/v1/grouped.proto": [
        'syntax = "proto2";',
        "package grouped.v1;",
        'import "entity/v1/options.proto";',
        "// A parcel, with its label as a group.",
        "message Parcel {",
        "  option (entity.v1.entity) = {};",
        "  // Stable id.",
        "  optional string id = 1;",
        "  // The printed label.",
        "  optional group Label = 2 {",
        "    // Text on the label.",
        "    optional string text = 3;",
        "  }",
        "}",
      ].join("\n"),
    });
    const request = requestBytes(compiled, "project=test-project");
    const fromFull = filesOf(fromBinary(CodeGeneratorRequestSchema, request));
    const fromLean = filesOf(readRequest(request));
    expect([...fromLean.keys()]).toEqual([...fromFull.keys()]);
    for (const [name, content] of fromFull) expect(fromLean.get(name), name).toBe(content);
    expect(fromLean.get("bigquery/grouped_v1/parcel.schema.json")).toContain("The printed label.");
  });

  it("reports a contract error at the same file and line", () => {
    const source = proto3("// A thing.\nmessage Thing {\n  option (entity.v1.entity) = {};\n  string id = 1;\n  // Collides.\n  string event_id = 2;\n}\n");
    const request = requestBytes(compileProtos({ "test/v1/broken.proto": source }), "project=test-project");
    const lean = errorOf(readRequest(request));
    expect(lean).toBe(errorOf(fromBinary(CodeGeneratorRequestSchema, request)));
    expect(lean).toContain(`test/v1/broken.proto:${positionOf(source, "string event_id")}`);
  });
});
