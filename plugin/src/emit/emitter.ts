import type { Model } from "../model/types.js";
import type { PluginOptions } from "../options/plugin-options.js";

/** A file to write, relative to the plugin's output directory. */
export interface OutputFile {
  readonly name: string;
  readonly content: string;
}

export interface EmitContext {
  readonly model: Model;
  readonly options: PluginOptions;
}

/**
 * One output format: a function of the model. It throws to fail the whole run. The files are
 * taken one at a time and written out, so an emitter that yields them as it goes never holds
 * more than the file at hand.
 */
export interface Emitter {
  readonly name: string;
  emit(context: EmitContext): Iterable<OutputFile>;
}
