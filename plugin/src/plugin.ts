/**
 * The plugin's core, one stage after the other: options → model → evolution → emitters (check,
 * then the files). It is a function of the request and of the inputs the edge read for it (the
 * released lock): no environment variable, no file. `edge/` runs it for buf and for callers in the
 * same process.
 */
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { EMITTERS } from "./emit/index.js";
import type { EmitContext, Emitter, OutputFile } from "./emit/emitter.js";
import type { Evolution } from "./evolution/evolution.js";
import { evolve } from "./evolution/evolve.js";
import { releasedLayout } from "./evolution/live-table.js";
import type { LockFile } from "./evolution/lock.js";
import { buildModel } from "./model/build-model.js";
import type { Model } from "./model/types.js";
import { parsePluginOptions, splitParameter, type PluginOptions } from "./options/plugin-options.js";
import { physicalLayer } from "./physical/entity-physical.js";
import { requestDescriptors } from "./protocol/descriptors.js";

/** What the edge reads for the core, from where the plugin options point. */
export interface PluginInputs {
  /** The released lock named by the plugin option `lock=` (empty when nothing was released yet); undefined without `lock=`. */
  readonly lock?: LockFile;
}

/**
 * Everything that can reject a contract (options, descriptors, the model's rules, the evolution's
 * rules, each format's checks) runs before this returns; the files are then generated one
 * emitter after the other as they are iterated.
 */
export function generate(request: CodeGeneratorRequest, inputs: PluginInputs = {}): Iterable<OutputFile> {
  const options = parsePluginOptions(splitParameter(request.parameter));
  const { files, allFiles } = requestDescriptors(request);
  const model = buildModel({ files, allFiles, options });
  const evolution = inputs.lock === undefined ? undefined : evolve(model, inputs.lock, options.retire);
  const context = emitContext(model, options, evolution);
  for (const emitter of EMITTERS) emitter.check?.(context);
  return emitAll(context);
}

/** The emitters' view of one run: the model, the options, the evolution and the physical layer over them. */
export function emitContext(model: Model, options: PluginOptions, evolution?: Evolution): EmitContext {
  return { model, options, evolution, physical: physicalLayer(evolution === undefined ? undefined : releasedLayout(evolution)) };
}

function* emitAll(context: EmitContext): Iterable<OutputFile> {
  for (const emitter of EMITTERS) yield* emitter.emit(context);
}

/** One emitter's checks, as the run makes them before any file is written (for tests of a single format). */
export function checkEmitter(emitter: Emitter, context: EmitContext): void {
  emitter.check?.(context);
}

/** One emitter's files after its checks (for tests of a single format). */
export function emitterFiles(emitter: Emitter, context: EmitContext): OutputFile[] {
  checkEmitter(emitter, context);
  return [...emitter.emit(context)];
}
