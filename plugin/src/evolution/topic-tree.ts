/** The topic schema of an entity as the lock records it: names, numbers and wire types, by message. */
import type { Column } from "../model/types.js";
import type { LockedScope, LockedTopicField } from "./lock.js";

/** The fields of the message whose columns are `columns`, nested messages included. */
export function topicScope(columns: readonly Column[]): LockedScope {
  return { fields: columns.map(topicField) };
}

export function topicField(column: Column): LockedTopicField {
  const field = { name: column.name, number: column.wire.number, type: column.wire.type, repeated: column.wire.repeated };
  return column.wire.type === "message" ? { ...field, message: topicScope(column.fields) } : field;
}

/** `optional int64 reading = 5`, as the field reads in the topic schema (message names left out). */
export function topicDefinition(field: { name: string; number: number; type: string; repeated: boolean }): string {
  return `${field.repeated ? "repeated" : "optional"} ${field.type} ${field.name} = ${field.number}`;
}
