import type { Evolution } from "../evolution/evolution.js";
import type { Model } from "../model/types.js";
import type { PluginOptions } from "../options/plugin-options.js";
import type { PhysicalLayer } from "../physical/entity-physical.js";

/** A file to write, relative to the plugin's output directory. */
export interface OutputFile {
  readonly name: string;
  readonly content: string;
}

export interface EmitContext {
  readonly model: Model;
  readonly options: PluginOptions;
  /** The contracts compared with the released state (plugin option `lock=`); undefined without it. */
  readonly evolution: Evolution | undefined;
  /** Tables, views, topic schemas and their names, per entity, computed once for every emitter. */
  readonly physical: PhysicalLayer;
}

/**
 * One output format: a function of the model. The files are taken one at a time and written out,
 * so an emitter that yields them as it goes never holds more than the file at hand.
 */
export interface Emitter {
  readonly name: string;
  /**
   * Rejects, by throwing, a contract this format cannot express. Every emitter's check runs before
   * any emitter writes a file, so that a rejected contract leaves no partial response.
   */
  check?(context: EmitContext): void;
  emit(context: EmitContext): Iterable<OutputFile>;
}
