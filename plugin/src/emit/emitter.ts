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
  /** Tables, views, topic schemas and their names, per entity, defined once for every emitter. */
  readonly physical: PhysicalLayer;
}

/** A file an emitter will write: its name now, its text when it is written. */
export interface PlannedFile {
  readonly name: string;
  render(): string;
}

/**
 * One output format: a function of the model. It first plans its files (names, and whatever its
 * checks need); every emitter's checks run on the plans, and only then are the files rendered,
 * one at a time as they are written, so that the run never holds more than the file at hand.
 */
export interface Emitter {
  readonly name: string;
  plan(context: EmitContext): readonly PlannedFile[];
  /**
   * Rejects, by throwing, a contract this format cannot express, or a plan with a name or size
   * its consumer refuses. Every emitter's check runs before any file is rendered, so that a
   * rejected contract leaves no partial response.
   */
  check?(context: EmitContext, plan: readonly PlannedFile[]): void;
  /**
   * The format renders from proto descriptors (the entities' `descriptor` and `idFieldPath`, the
   * columns' `source.field`), not from the model alone. Such formats render first; the run then
   * lets the descriptors go (model/descriptor-lease.ts), and the other formats cannot read them.
   */
  readonly readsDescriptors?: true;
}

/** A planned file whose text is made when it is written. */
export function planned(name: string, render: () => string): PlannedFile {
  return { name, render };
}
