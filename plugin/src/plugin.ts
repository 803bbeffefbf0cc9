/**
 * The plugin's core, one stage after the other: options → model → evolution → emitters (check,
 * then the files). It is a function of the request and of the inputs the edge read for it (the
 * released lock): no environment variable, no file. `edge/` runs it for buf and for callers in the
 * same process.
 */
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { EMITTERS } from "./emit/index.js";
import type { EmitContext, Emitter, OutputFile, PlannedFile } from "./emit/emitter.js";
import type { Evolution } from "./evolution/evolution.js";
import { evolve } from "./evolution/evolve.js";
import { releasedLayout } from "./evolution/live-table.js";
import type { LockFile } from "./evolution/lock.js";
import { buildModel } from "./model/build-model.js";
import type { DescriptorLease } from "./model/descriptor-lease.js";
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
  return generateFromModel(modelOfRequest(request), inputs);
}

/** The first stages: the options and the model, with the model's contract errors. */
export function modelOfRequest(request: CodeGeneratorRequest): ModelOfRequest {
  const options = parsePluginOptions(splitParameter(request.parameter));
  const { files, allFiles } = requestDescriptors(request);
  return { options, model: buildModel({ files, allFiles, options }) };
}

export interface ModelOfRequest {
  readonly options: PluginOptions;
  readonly model: Model;
}

/**
 * The stages after the model: evolution, every format's plan and checks, then the files as they
 * are iterated. The request's source info is not read any more: the model kept what it needs
 * (model/location.ts), so a caller that owns the request may let it go before this runs.
 */
export function generateFromModel({ options, model }: ModelOfRequest, inputs: PluginInputs = {}): Iterable<OutputFile> {
  const evolution = inputs.lock === undefined ? undefined : evolve(model, inputs.lock, options.retire, options.widen);
  const context = emitContext(model, options, evolution);
  const plans = EMITTERS.map((emitter) => ({ emitter, files: emitter.plan(context) }));
  for (const { emitter, files } of plans) emitter.check?.(context, files);
  assertDistinctNames(plans.flatMap((p) => p.files.map((file) => ({ file, emitter: p.emitter }))));
  // The formats that read descriptors render first; the rest render with the descriptors gone.
  const fromDescriptors = plans.filter((p) => p.emitter.readsDescriptors).flatMap((p) => p.files);
  const fromModel = plans.filter((p) => !p.emitter.readsDescriptors).flatMap((p) => p.files);
  return renderAll(fromDescriptors, model.descriptors, fromModel);
}

/** The emitters' view of one run: the model, the options, the evolution and the physical layer over them. */
export function emitContext(model: Model, options: PluginOptions, evolution?: Evolution): EmitContext {
  return { model, options, evolution, physical: physicalLayer(evolution === undefined ? undefined : releasedLayout(evolution)) };
}

/**
 * Every planned file's text, those of the formats that read descriptors first; then the
 * descriptors are let go, and the files of the formats that render from the model alone follow.
 */
function* renderAll(fromDescriptors: (PlannedFile | undefined)[], descriptors: DescriptorLease, fromModel: (PlannedFile | undefined)[]): Iterable<OutputFile> {
  yield* rendered(fromDescriptors);
  descriptors.end();
  yield* rendered(fromModel);
}

/**
 * Each planned file's text, made as the file is taken, so that the response streams file by file.
 * A file's plan is let go once it is written: what its render closure holds (a format's
 * per-run tables, such as the LookML explores' sources) is then free before the run ends.
 */
function* rendered(pending: (PlannedFile | undefined)[]): Iterable<OutputFile> {
  for (let i = 0; i < pending.length; i++) {
    const file = pending[i]!;
    pending[i] = undefined;
    yield { name: file.name, content: file.render() };
  }
}

/** Two files of one name would overwrite each other in the output: a bug of the emitters, caught before anything is written. */
function assertDistinctNames(files: readonly { file: PlannedFile; emitter: Emitter }[]): void {
  const owners = new Map<string, Emitter>();
  for (const { file, emitter } of files) {
    const other = owners.get(file.name);
    if (other !== undefined) throw new Error(`the ${emitter.name} and ${other.name} formats would both write ${file.name}; this is a bug in protoc-gen-entity.`);
    owners.set(file.name, emitter);
  }
}

/** One emitter's checks, as the run makes them on its plan before any file is written (for tests of a single format). */
export function checkEmitter(emitter: Emitter, context: EmitContext): readonly PlannedFile[] {
  const files = emitter.plan(context);
  emitter.check?.(context, files);
  return files;
}

/** One emitter's files after its checks (for tests of a single format). */
export function emitterFiles(emitter: Emitter, context: EmitContext): OutputFile[] {
  return [...rendered([...checkEmitter(emitter, context)])];
}
