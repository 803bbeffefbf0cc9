/**
 * A vector's values while they are put together (vectors.ts) and written (vector-entity.ts,
 * vector-event.ts): the values of the tables as they are (JSON), and the messages put together
 * along an entity's columns as Maps.
 *
 * Why Maps: every entity adds its own field names in its own order, so a plain object per message
 * got hidden classes of its own, made for one entity and dropped (the largest self time of the
 * vectors' render); a Map takes any keys in any order alike.
 */
import type { JsonValue } from "@bufbuild/protobuf";

/** A message put together along the columns: field name → value, in the order the columns give. */
export type VectorMessage = Map<string, VectorValue>;

/** An object of the tables, or a map field's entry, whose values may be messages put together. */
export interface VectorObject {
  readonly [key: string]: VectorValue;
}

export type VectorValue = JsonValue | VectorMessage | VectorObject | readonly VectorValue[];

/** A field's value in a message, either form; undefined when it is not set. */
export function fieldValue(message: VectorMessage | VectorObject, name: string): VectorValue | undefined {
  return message instanceof Map ? message.get(name) : message[name];
}

/** Whether a value is a message, either form (not a list, not a scalar). */
export function isMessageValue(value: VectorValue): value is VectorMessage | VectorObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
