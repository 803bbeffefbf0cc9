/**
 * The buf plugin: parse options, read the descriptors once into the model, run every emitter.
 * Any problem throws before a file is handed back, so buf writes nothing on error.
 */
import { clone } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema } from "@bufbuild/protobuf/wkt";
import { createEcmaScriptPlugin, type Plugin } from "@bufbuild/protoplugin";
import { resolve } from "node:path";
import { EMITTERS } from "./emit/index.js";
import { readLockFile } from "./evolution/lock.js";
import type { OutputFile } from "./emit/emitter.js";
import { buildModel } from "./model/build-model.js";
import { parsePluginOptions } from "./options/plugin-options.js";
import { PLUGIN_VERSION } from "./version.js";

const generator = createEcmaScriptPlugin({
  name: "protoc-gen-entity",
  version: `v${PLUGIN_VERSION}`,
  parseOptions: parsePluginOptions,
  generateTs(schema) {
    const lock = schema.options.lock === undefined ? undefined : readLockFile(resolve(schema.options.lock));
    const model = buildModel({ files: schema.files, allFiles: schema.allFiles, options: schema.options, lock });
    const files: OutputFile[] = [];
    for (const emitter of EMITTERS) files.push(...emitter.emit({ model, options: schema.options, schema }));
    for (const file of files) {
      // print() ends every call with a line break; the content already has its own.
      schema.generateFile(file.name).print(file.content.replace(/\n$/, ""));
    }
  },
});

/**
 * The framework would transpile TypeScript to JavaScript by default and drop every other file;
 * this plugin always emits its files as they are, so it pins `target=ts`.
 */
export const protocGenEntity: Plugin = {
  name: generator.name,
  version: generator.version,
  run(request) {
    const parameter = request.parameter;
    if (/(^|,)target=/.test(parameter)) {
      throw new Error("plugin option target is not supported: protoc-gen-entity writes TypeScript sources and other files as they are");
    }
    const pinned = clone(CodeGeneratorRequestSchema, request);
    pinned.parameter = parameter === "" ? "target=ts" : `${parameter},target=ts`;
    return generator.run(pinned);
  },
};
