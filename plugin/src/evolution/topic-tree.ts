/** The topic schema of an entity as the lock records it: names, numbers and wire types, by message. */
import type { Column } from "../model/types.js";
import type { EnvelopePresence } from "../physical/topic-schema.js";
import type { LockedScope, LockedTopicField } from "./lock.js";

/** The fields of the message whose columns are `columns`, nested messages included. */
export function topicScope(columns: readonly Column[], envelope: EnvelopePresence): LockedScope {
  return { fields: columns.map((c) => topicField(c, envelope)) };
}

/** The field as the topic schema declares it; `envelope` says whether envelope fields are required. */
export function topicField(column: Column, envelope: EnvelopePresence): LockedTopicField {
  const field = { name: column.name, number: column.wire.number, type: column.wire.type, repeated: column.wire.repeated };
  const labelled: LockedTopicField = column.source.kind === "envelope" && envelope === "required" ? { ...field, required: true } : field;
  return column.wire.type === "message" ? { ...labelled, message: topicScope(column.fields, envelope) } : labelled;
}

/** `optional int64 reading = 5`, as the field reads in the topic schema (message names left out). */
export function topicDefinition(field: { name: string; number: number; type: string; repeated: boolean; required?: true }): string {
  return `${field.repeated ? "repeated" : field.required === true ? "required" : "optional"} ${field.type} ${field.name} = ${field.number}`;
}
