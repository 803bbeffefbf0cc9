/**
 * The TypeScript emitter on its own: it names protoc-gen-es's symbols exactly as protoc-gen-es
 * does (clashing names included), gives the plugin's files when run on a model alone, and writes
 * nothing without entities.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { embedFileDesc } from "@bufbuild/protobuf/codegenv2";
import { entityTopicSchema, topicSchemaDescriptor, type TopicField, type TopicSchema } from "../../plugin/src/physical/topic-schema.js";
import { esNames } from "../../plugin/src/physical/typescript-names.js";
import { topicLayout } from "../../plugin/src/emit/typescript/topic-layout.js";
import { embeddedDescriptorBase64 } from "../../plugin/src/emit/typescript/embedded-descriptor.js";
import { typescriptEmitter } from "../../plugin/src/emit/typescript/index.js";
import { readLockFile } from "../../plugin/src/edge/lock-file.js";
import { evolve } from "../../plugin/src/evolution/evolve.js";
import { emitContext, emitterFiles } from "../../plugin/src/plugin.js";
import { parsePluginOptions, splitParameter } from "../../plugin/src/options/plugin-options.js";
import { entityNamed, modelOf, modelOfCompiled, proto3 } from "../model/support.js";
import { compileExample, compileProtos, exampleParameter, REPO_ROOT, runPlugin } from "../harness/buf/protos.js";

/** Messages whose protoc-gen-es names clash: `Foo.Bar` and `Foo_Bar`, `User` and `UserSchema`. */
const CLASHING = proto3(`message Order {
  option (entity.v1.entity) = {};
  string id = 1;
  Foo.Bar nested = 2;
  Foo_Bar flat = 3;
  User user = 4;
  UserSchema user_schema = 5;
  Foo.Kind kind = 6;
}

message Foo {
  message Bar { string x = 1; }
  enum Kind {
    KIND_UNSPECIFIED = 0;
  }
}

message Foo_Bar { string y = 1; }
message User { string name = 1; }
message UserSchema { string z = 1; }
`);

/** protoc-gen-es's own output for the file, by running its executable as buf would. */
function protocGenEsOutput(compiled: ReturnType<typeof compileProtos>): string {
  const request = create(CodeGeneratorRequestSchema, { protoFile: [...compiled.files], fileToGenerate: [...compiled.toGenerate], parameter: "target=ts" });
  const bin = join(REPO_ROOT, "node_modules/@bufbuild/protoc-gen-es/bin/protoc-gen-es");
  const response = fromBinary(CodeGeneratorResponseSchema, execFileSync(process.execPath, [bin], { input: toBinary(CodeGeneratorRequestSchema, request) }));
  expect(response.error ?? "").toBe("");
  return response.file.map((f) => f.content).join("\n");
}

describe("the TypeScript emitter", () => {
  it("names every message and enum schema and type as protoc-gen-es does, suffixes of clashes included", () => {
    const compiled = compileProtos({ "test/v1/clash.proto": CLASHING });
    const generated = protocGenEsOutput(compiled);
    // protoc-gen-es documents each declaration with the type it describes.
    const declared = new Map<string, string[]>();
    const declarations = /(?:@generated from (?:message|enum)|Describes the (?:message|enum)) ([\w.]+?)\.?\n(?: \*.*\n)* \*\/\nexport (?:const|type|enum) ([\w$]+)/g;
    for (const match of generated.matchAll(declarations)) {
      declared.set(match[1], [...(declared.get(match[1]) ?? []), match[2]]);
    }
    const order = entityNamed(modelOfCompiled(compiled), "Order").descriptor;
    const names = esNames();
    const types = [order, ...order.file.messages, ...order.file.messages.flatMap((m) => [...m.nestedMessages, ...m.nestedEnums])];
    expect(types.length).toBeGreaterThanOrEqual(7);
    for (const desc of types) {
      const ours = [names.shape(desc).name, names.schema(desc).name];
      for (const name of ours) expect(declared.get(desc.typeName), desc.typeName).toContain(name);
    }
    // The clash really happened: some name carries protoc-gen-es's suffix.
    expect([...declared.values()].flat().some((n) => n.includes("$"))).toBe(true);
  });

  it("gives the plugin's files when run on a model alone", () => {
    const compiled = compileExample();
    const parameter = exampleParameter();
    const fromPlugin = runPlugin(compiled, parameter);
    const options = parsePluginOptions(splitParameter(parameter));
    // The plugin reads the released lock (lock= of buf.gen.yaml), which sets the package version; so does the model here.
    const lock = readLockFile(join(REPO_ROOT, options.lock!));
    const model = modelOfCompiled(compiled, parameter);
    const alone = emitterFiles(typescriptEmitter, emitContext(model, options, evolve(model, lock, options.retire, options.widen)));
    expect(alone.length).toBeGreaterThan(10);
    for (const file of alone) expect(file.content, file.name).toBe(fromPlugin.get(file.name));
    expect(alone.map((f) => f.name).sort()).toEqual([...fromPlugin.keys()].filter((n) => n.startsWith("ts/")).sort());
  });

  it("embeds each topic schema exactly as protoc-gen-es's embedFileDesc serializes it", () => {
    const model = modelOfCompiled(compileExample(), exampleParameter());
    expect(model.entities.length).toBeGreaterThan(5);
    for (const entity of model.entities) {
      for (const envelope of ["required", "optional"] as const) {
        const { schema, descriptor } = entityTopicSchema(entity, envelope);
        expect(topicLayout(entity, schema).base64, entity.typeName).toBe(embedFileDesc(descriptor).base64());
      }
    }
  });

  it("embeds non-ASCII names, large numbers, packed lists, required and nested fields like embedFileDesc", () => {
    const field = (name: string, number: number, type: TopicField["type"], more: Partial<TopicField> = {}): TopicField => ({ name, number, type, repeated: false, required: false, description: "", ...more });
    const schema: TopicSchema = {
      fileName: "t/größe.proto",
      package: "t.pubsub",
      envelope: "required",
      sourceFile: "t/größe.proto",
      message: {
        name: "Größe",
        description: "",
        fields: [
          field("some_name", 1, "string", { required: true }),
          field("other_name", 536870911, "sfixed64"),
          field("list", 3, "int32", { repeated: true }),
          field("names", 5, "string", { repeated: true }),
          field("nested", 4, { message: "Inner" }),
          field("nested_list", 6, { message: "Inner" }, { repeated: true }),
        ],
        nested: [{ name: "Inner", description: "", fields: [field("x", 1, "bytes")], nested: [] }],
      },
    };
    expect(embeddedDescriptorBase64(schema)).toBe(embedFileDesc(topicSchemaDescriptor(schema)).base64());
  });

  it("writes nothing when there is no entity", () => {
    const model = modelOf({ "test/v1/plain.proto": proto3("message Plain { string id = 1; }") });
    expect(emitterFiles(typescriptEmitter, emitContext(model, parsePluginOptions([])))).toEqual([]);
  });
});
