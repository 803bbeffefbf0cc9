/**
 * The buf plugin: parse options, read the descriptors once into the model, run every emitter.
 * Any problem throws before a file is handed back, so buf writes nothing on error.
 */
import { create } from "@bufbuild/protobuf";
import { CodeGeneratorResponse_FileSchema, type CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import { createEcmaScriptPlugin, type Plugin } from "@bufbuild/protoplugin";
import { resolve } from "node:path";
import { EMITTERS } from "./emit/index.js";
import { readLockFile } from "./evolution/lock.js";
import type { OutputFile } from "./emit/emitter.js";
import { buildModel } from "./model/build-model.js";
import { parsePluginOptions } from "./options/plugin-options.js";
import { PLUGIN_VERSION } from "./version.js";

/**
 * The framework parses the options and builds the descriptors; the emitters' files go straight
 * into the response (`sink`) rather than through protoplugin's GeneratedFile, which would copy
 * every file's text twice more and hold the copies until the response is encoded.
 */
function generatorInto(sink: OutputFile[]) {
  return createEcmaScriptPlugin({
    name: "protoc-gen-entity",
    version: `v${PLUGIN_VERSION}`,
    parseOptions: parsePluginOptions,
    generateTs(schema) {
      const lock = schema.options.lock === undefined ? undefined : readLockFile(resolve(schema.options.lock));
      const model = buildModel({ files: schema.files, allFiles: schema.allFiles, options: schema.options, lock });
      for (const emitter of EMITTERS) sink.push(...emitter.emit({ model, options: schema.options }));
    },
  });
}

/**
 * The framework would transpile TypeScript to JavaScript by default and drop every other file;
 * this plugin always emits its files as they are, so it pins `target=ts`.
 */
export const protocGenEntity: Plugin = {
  name: "protoc-gen-entity",
  version: `v${PLUGIN_VERSION}`,
  run(request) {
    const parameter = request.parameter;
    if (/(^|,)target=/.test(parameter)) {
      throw new Error("plugin option target is not supported: protoc-gen-entity writes TypeScript sources and other files as they are");
    }
    const files: OutputFile[] = [];
    // Set for the framework and put back, rather than cloning a request that can be tens of MB.
    request.parameter = parameter === "" ? "target=ts" : `${parameter},target=ts`;
    let response: CodeGeneratorResponse;
    try {
      response = generatorInto(files).run(request);
    } finally {
      request.parameter = parameter;
    }
    for (const file of files) response.file.push(create(CodeGeneratorResponse_FileSchema, { name: file.name, content: file.content }));
    return response;
  },
};
