/**
 * The buf plugin: parse options, read the descriptors once into the model, run every emitter.
 *
 * It implements protoplugin's `Plugin` contract directly rather than through
 * createEcmaScriptPlugin: that framework is built to print ECMAScript through its GeneratedFile
 * and transpile it, and loads the TypeScript compiler for that (half a second and 60 MB before the
 * first byte is read). This plugin's emitters return their files' text as they are.
 */
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { EMITTERS } from "./emit/index.js";
import type { EmitContext, OutputFile } from "./emit/emitter.js";
import { readLockFile } from "./evolution/lock.js";
import { buildModel } from "./model/build-model.js";
import { parsePluginOptions, splitParameter } from "./options/plugin-options.js";
import { requestDescriptors } from "./protocol/descriptors.js";
import { responseOf } from "./protocol/response.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "./version.js";

/**
 * Everything that can reject a contract (options, descriptors, the model's rules, each format's
 * checks) runs before this returns; the files are then generated one emitter after the other as
 * they are iterated.
 */
export function generate(request: CodeGeneratorRequest): Iterable<OutputFile> {
  const options = parsePluginOptions(splitParameter(request.parameter));
  const { files, allFiles } = requestDescriptors(request);
  const lock = options.lock === undefined ? undefined : readLockFile(options.lock);
  const context: EmitContext = { model: buildModel({ files, allFiles, options, lock }), options };
  for (const emitter of EMITTERS) emitter.check?.(context);
  return emitAll(context);
}

function* emitAll(context: EmitContext): Iterable<OutputFile> {
  for (const emitter of EMITTERS) yield* emitter.emit(context);
}

/** The plugin for callers in the same process: the whole response at once. */
export const protocGenEntity: Plugin = {
  name: PLUGIN_NAME,
  version: `v${PLUGIN_VERSION}`,
  run: (request) => responseOf(generate(request)),
};
