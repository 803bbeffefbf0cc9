/**
 * Whether an entity's topic schema declares its envelope fields `required` or `optional`.
 *
 * `required` makes Pub/Sub refuse a message without the envelope, which is what the entity's own
 * message is when a producer publishes it instead of the event (docs/wire-contract.md). But a
 * Pub/Sub revision "may only add or remove optional fields ... existing fields cannot be edited":
 * a topic schema released with optional envelope fields cannot make them required in a revision.
 * So the lock decides: an entity not released yet gets `required`; a released one keeps what it
 * was released with (locks written before the envelope could be required record no `required`,
 * so their entities keep `optional`). A team that wants the loud envelope for a released entity
 * moves it to a new topic and schema (a new major version, rules.ts `majorVersionWayOut`).
 */
import { ENVELOPE_FIELD_NUMBERS } from "../model/envelope.js";
import type { EnvelopePresence } from "../physical/topic-schema.js";
import type { LockedEntity } from "./lock.js";

export function envelopePresence(released: LockedEntity | undefined): EnvelopePresence {
  if (released === undefined) return "required";
  const eventId = released.topicSchema.fields.find((f) => f.number === ENVELOPE_FIELD_NUMBERS.event_id);
  return eventId?.required === true ? "required" : "optional";
}
