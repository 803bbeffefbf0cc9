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

/**
 * The types of runtime.ts the plugin names, each mapped to the type itself: renaming one in
 * runtime.ts fails to compile here. (A type's name, unlike a value's, cannot be read off the
 * module with `keyof typeof`.) test/typescript/runtime-module.test.ts checks that each key is
 * the name of the type it maps to.
 */
interface RuntimeTypes {
  Encoding: Runtime.Encoding;
  Envelope: Runtime.Envelope;
  ReadEnvelope: Runtime.ReadEnvelope;
  EntityEvent: Runtime.EntityEvent<never, never, never>;
  EventCodec: Runtime.EventCodec<never, never, never>;
  EventOptions: Runtime.EventOptions;
  EventState: Runtime.EventState<never, never, never>;
  FromPubSubMessageOptions: Runtime.FromPubSubMessageOptions;
  Operation: Runtime.Operation;
  PublishingTopic: Runtime.PublishingTopic;
  PubSubMessage: Runtime.PubSubMessage;
  ReceivedPubSubMessage: Runtime.ReceivedPubSubMessage;
  ToPubSubMessageOptions: Runtime.ToPubSubMessageOptions;
}

/** A type runtime.ts exports. */
export type RuntimeType = keyof RuntimeTypes;
