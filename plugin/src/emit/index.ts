/** The output formats, in the order they run. Each reads only the model. */
import type { Emitter } from "./emitter.js";
import { pubsubEmitter } from "./pubsub/index.js";

export const EMITTERS: readonly Emitter[] = [pubsubEmitter];
