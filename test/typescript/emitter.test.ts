/**
 * The TypeScript emitter on its own: it must give the same files when run on a model alone (no
 * plugin schema, as other tools may run emitters), and nothing without entities.
 */
import { describe, expect, it } from "vitest";
import { typescriptEmitter } from "../../plugin/src/emit/typescript/index.js";
import { parsePluginOptions } from "../../plugin/src/options/plugin-options.js";
import { modelOf, modelOfCompiled, proto3 } from "../model/support.js";
import { compileExample, exampleParameter, runPlugin } from "../support/protos.js";

describe("the TypeScript emitter", () => {
  it("names protoc-gen-es's symbols the same with or without the plugin schema", () => {
    const compiled = compileExample();
    const parameter = exampleParameter();
    const fromPlugin = runPlugin(compiled, parameter);
    const options = parsePluginOptions(parameter.split(",").map((p) => ({ key: p.slice(0, p.indexOf("=")), value: p.slice(p.indexOf("=") + 1) })));
    const alone = typescriptEmitter.emit({ model: modelOfCompiled(compiled, parameter), options, schema: undefined });
    expect(alone.length).toBeGreaterThan(10);
    for (const file of alone) expect(file.content, file.name).toBe(fromPlugin.get(file.name));
    expect(alone.map((f) => f.name).sort()).toEqual([...fromPlugin.keys()].filter((n) => n.startsWith("ts/")).sort());
  });

  it("writes nothing when there is no entity", () => {
    const model = modelOf({ "test/v1/plain.proto": proto3("message Plain { string id = 1; }") });
    expect(typescriptEmitter.emit({ model, options: parsePluginOptions([]), schema: undefined })).toEqual([]);
  });
});
