/** The request's descriptors: checked as protoplugin checks them, source-retention copies preferred. */
import { create, maximumEdition } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, Edition, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { generate } from "../../plugin/src/plugin.js";
import { requestDescriptors } from "../../plugin/src/protocol/descriptors.js";
import { proto3 } from "../model/support.js";
import { compileProtos } from "../harness/buf/protos.js";

const PATH = "test/v1/thing.proto";
const compiled = () => compileProtos({ [PATH]: proto3("message Thing {\n  option (entity.v1.entity) = {};\n  string id = 1;\n}\n\nmessage Plain {\n  string id = 1;\n}\n") });

function requestOf(files: readonly FileDescriptorProto[], fileToGenerate = [PATH], sourceFileDescriptors: FileDescriptorProto[] = []) {
  return create(CodeGeneratorRequestSchema, { protoFile: [...files], fileToGenerate, sourceFileDescriptors, parameter: "project=test-project" });
}

describe("requestDescriptors", () => {
  it("gives the files to generate and every file of the request", () => {
    const { files } = compiled();
    const descriptors = requestDescriptors(requestOf(files));
    expect(descriptors.files.map((f) => f.proto.name)).toEqual([PATH]);
    expect(descriptors.allFiles.map((f) => f.proto.name)).toEqual(files.map((f) => f.name));
  });

  it("refuses a request that lacks a file it asks to generate", () => {
    expect(() => requestDescriptors(requestOf(compiled().files, [PATH, "test/v1/gone.proto"]))).toThrow(
      "files to generate are missing from the request: test/v1/gone.proto",
    );
  });

  it("refuses a file in an edition newer than @bufbuild/protobuf reads", () => {
    const files = compiled().files.map((f) => (f.name === PATH ? { ...f, syntax: "editions", edition: Edition.EDITION_99999_TEST_ONLY } : f));
    expect(maximumEdition).toBeLessThan(Edition.EDITION_99999_TEST_ONLY);
    expect(() => requestDescriptors(requestOf(files))).toThrow(/^test\/v1\/thing\.proto: edition 99999_TEST_ONLY is not supported; protoc-gen-entity reads editions PROTO2 to \w+\.$/);
  });

  it("reads a file to generate from source_file_descriptors, which keep options with source retention", () => {
    const { files } = compiled();
    // As if (entity.v1.entity) had source retention: proto_file lacks it on Plain, the source copy has it.
    const thing = files.find((f) => f.name === PATH)!;
    const source = { ...thing, messageType: thing.messageType.map((m) => (m.name === "Plain" ? { ...m, options: thing.messageType[0]!.options } : m)) };
    const topics = (request: ReturnType<typeof requestOf>) => [...generate(request)].map((f) => f.name).filter((n) => n.startsWith("pubsub/") && n.endsWith(".proto"));
    expect(topics(requestOf(files))).toEqual(["pubsub/thing.proto"]);
    expect(topics(requestOf(files, [PATH], [source]))).toEqual(["pubsub/thing.proto", "pubsub/plain.proto"]);
  });
});
