/**
 * The columns every entity event has besides the entity, and those the BigQuery subscription adds.
 */
import { ENVELOPE_CONVERSION, ENVELOPE_SOURCE, NO_AGGREGATES, NO_COLUMNS } from "./shared.js";
import type { Column, MetadataColumn } from "./types.js";

/**
 * Topic-schema numbers of the envelope fields. Entity fields keep their own .proto numbers, so the
 * envelope takes numbers that real messages rarely use; a clash is reported as an error.
 */
export const ENVELOPE_FIELD_NUMBERS = { event_id: 100001, operation: 100002, occurred_at: 100003 } as const;
/** Number of the STRUCT column that holds the entity when it is nested rather than flattened. */
export const NEST_FIELD_NUMBER = 100004;

/**
 * How every topic validates and carries its messages. Binary: smaller than JSON, and what the
 * event classes, the Pub/Sub schema settings and the conformance of other producers all assume.
 */
export const TOPIC_MESSAGE_ENCODING = "BINARY";

export const OPERATIONS = ["CREATED", "UPDATED", "DELETED"] as const;
export type Operation = (typeof OPERATIONS)[number];

export function envelopeColumns(): Column[] {
  return [
    envelope("event_id", "STRING", "string", "Unique id of the event, set by the producer. Pub/Sub delivers at least once, so the table may hold an event more than once."),
    {
      ...envelope("operation", "STRING", "string", `What happened to the entity: ${OPERATIONS.join(", ")}.`),
      enumValues: OPERATIONS,
    },
    envelope("occurred_at", "TIMESTAMP", "int64", "When the change happened, as seen by the producer."),
  ];
}

function envelope(
  name: keyof typeof ENVELOPE_FIELD_NUMBERS,
  bigQueryType: Column["bigQueryType"],
  wire: "string" | "int64",
  description: string,
): Column {
  return {
    name,
    path: [name],
    bigQueryType,
    mode: "NULLABLE",
    wire: { type: wire, number: ENVELOPE_FIELD_NUMBERS[name], repeated: false },
    conversion: ENVELOPE_CONVERSION,
    description,
    pii: false,
    policyTag: undefined,
    // The event classes always set the envelope; the topic schema declares it required (optional in
    // schemas released before, which a revision cannot change: evolution/envelope-presence.ts).
    required: true,
    defaultValue: undefined,
    enumValues: undefined,
    references: undefined,
    measures: NO_AGGREGATES,
    fields: NO_COLUMNS,
    source: ENVELOPE_SOURCE,
  };
}

/** Written by the BigQuery subscription with `write_metadata` (reference §2). */
export const METADATA_COLUMNS: readonly MetadataColumn[] = [
  { name: "subscription_name", bigQueryType: "STRING", mode: "NULLABLE", description: "Pub/Sub subscription that wrote the row." },
  { name: "message_id", bigQueryType: "STRING", mode: "NULLABLE", description: "Pub/Sub message id." },
  { name: "publish_time", bigQueryType: "TIMESTAMP", mode: "NULLABLE", description: "When Pub/Sub received the message." },
  { name: "attributes", bigQueryType: "JSON", mode: "NULLABLE", description: "Pub/Sub message attributes and ordering key, as JSON." },
];
