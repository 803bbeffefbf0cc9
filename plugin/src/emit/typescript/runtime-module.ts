/**
 * The generated package's runtime (ts/src/runtime.ts): the text the emitter writes out, and the
 * names of what it exports, typed from the module itself so that the emitter cannot refer to a
 * function the runtime does not have.
 */
import RUNTIME_TEXT from "../../runtime/runtime.ts?raw";
import type * as Runtime from "../../runtime/runtime.js";

/** The text of plugin/src/runtime/runtime.ts, held by the bundle (see plugin/scripts/raw-text.mjs). */
export const RUNTIME_SOURCE: string = RUNTIME_TEXT;

/** A value (function, class, constant) runtime.ts exports. */
export type RuntimeValue = keyof typeof Runtime;
