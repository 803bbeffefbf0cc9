/**
 * The edge between the core (plugin.ts) and the world: it reads what the plugin options point at
 * (the released lock, relative to the directory buf runs in) and hands it to `generate`.
 *
 * The plugin implements protoplugin's `Plugin` contract directly rather than through
 * createEcmaScriptPlugin: that framework is built to print ECMAScript through its GeneratedFile
 * and transpile it, and loads the TypeScript compiler for that (half a second and 60 MB before the
 * first byte is read). This plugin's emitters return their files' text as they are.
 */
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import type { OutputFile } from "../emit/emitter.js";
import { parsePluginOptions, splitParameter } from "../options/plugin-options.js";
import { generate, generateFromModel, modelOfRequest, type ModelOfRequest, type PluginInputs } from "../plugin.js";
import { responseOf } from "../protocol/response.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "../version.js";
import { readLockFile } from "./lock-file.js";

/** Reads the inputs the request's plugin options name. */
export function readPluginInputs(request: CodeGeneratorRequest): PluginInputs {
  const { lock } = parsePluginOptions(splitParameter(request.parameter));
  return lock === undefined ? {} : { lock: readLockFile(lock) };
}

/** Runs the core on a request, with the inputs read here. */
export function generateFromRequest(request: CodeGeneratorRequest): Iterable<OutputFile> {
  return generate(request, readPluginInputs(request));
}

/**
 * The same for a request the caller hands over: its source info, which only the model reads, is
 * let go as soon as the model is built, before the formats plan and check (27 MB of the
 * 1,000-entity benchmark's live heap, which were held through the checks).
 */
export function generateFromOwnedRequest(request: CodeGeneratorRequest): Iterable<OutputFile> {
  const { model, inputs } = modelOfOwnedRequest(request);
  return generateFromModel(model, inputs);
}

/** The first stages of generateFromOwnedRequest: the model, with the request's source info let go. */
export function modelOfOwnedRequest(request: CodeGeneratorRequest): { readonly model: ModelOfRequest; readonly inputs: PluginInputs } {
  const inputs = readPluginInputs(request);
  const model = modelOfRequest(request);
  for (const file of [...request.protoFile, ...request.sourceFileDescriptors]) file.sourceCodeInfo = undefined;
  return { model, inputs };
}

/** The plugin for callers in the same process: the whole response at once. */
export const protocGenEntity: Plugin = {
  name: PLUGIN_NAME,
  version: `v${PLUGIN_VERSION}`,
  run: (request) => responseOf(generateFromRequest(request)),
};
