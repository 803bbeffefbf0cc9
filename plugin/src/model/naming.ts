/**
 * Naming rules of Pub/Sub and BigQuery (reference: pubsub-bigquery.md §1–§3), and the default
 * names the contract derives from a message.
 */

export const ENVELOPE_COLUMN_NAMES = ["event_id", "operation", "occurred_at"] as const;

/** Columns the BigQuery subscription writes with `write_metadata`; the topic may not use them. */
export const METADATA_COLUMN_NAMES = [
  "subscription_name",
  "message_id",
  "publish_time",
  "attributes",
  "data",
] as const;

/** Names reserved at the top level of a topic schema, in both spellings Pub/Sub checks. */
const RESERVED_TOP_LEVEL = new Map<string, string>(
  [...METADATA_COLUMN_NAMES, "subscriptionName", "messageId", "publishTime"].map((name) => [
    name.toLowerCase(),
    name,
  ]),
);

/** BigQuery's reserved column name prefixes; each starts with "_" (columnNameProblem relies on it). */
const RESERVED_PREFIXES = [
  "_TABLE_",
  "_FILE_",
  "_PARTITION",
  "_ROW_TIMESTAMP",
  "__ROOT__",
  "_COLIDENTIFIER",
  "_CHANGE_SEQUENCE_NUMBER",
  "_CHANGE_TYPE",
  "_CHANGE_TIMESTAMP",
];

export const MAX_COLUMN_NAME_LENGTH = 300;

/** Why BigQuery would reject this column name, or undefined when it is fine. */
export function columnNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the column name is empty";
  if (name.length > MAX_COLUMN_NAME_LENGTH) {
    return `column name "${name.slice(0, 40)}…" has ${name.length} characters; BigQuery allows ${MAX_COLUMN_NAME_LENGTH}`;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return `column name "${name}" is not valid in BigQuery: only letters, digits and underscores, starting with a letter or underscore`;
  }
  // Every reserved prefix starts with an underscore: most names need no upper-case copy.
  if (name.charCodeAt(0) !== 0x5f) return undefined;
  const upper = name.toUpperCase();
  const prefix = RESERVED_PREFIXES.find((p) => upper.startsWith(p));
  if (prefix !== undefined) return `column name "${name}" starts with the prefix "${prefix}", which BigQuery reserves`;
  return undefined;
}

/** The Pub/Sub metadata column a top-level name collides with, in the spelling it collides with. */
export function metadataCollision(name: string): string | undefined {
  return RESERVED_TOP_LEVEL.get(name.toLowerCase());
}

/** The envelope column a top-level name collides with, ignoring case as BigQuery does. */
export function envelopeCollision(name: string): string | undefined {
  const lower = name.toLowerCase();
  return ENVELOPE_COLUMN_NAMES.find((e) => e === lower);
}

/** Why Pub/Sub would reject this topic name, or undefined. */
export function topicNameProblem(topic: string): string | undefined {
  if (topic.length < 3 || topic.length > 255) {
    return `topic name "${topic}" has ${topic.length} characters; Pub/Sub requires 3 to 255`;
  }
  if (!/^[A-Za-z]/.test(topic)) return `topic name "${topic}" must start with a letter`;
  if (!/^[A-Za-z0-9\-_.~+%]+$/.test(topic)) {
    return `topic name "${topic}" may only contain letters, digits and - _ . ~ + %`;
  }
  if (topic.toLowerCase().startsWith("goog")) return `topic name "${topic}" must not start with "goog"`;
  return undefined;
}

/** Why BigQuery would reject this table or dataset name, or undefined. */
export function tableNameProblem(kind: "table" | "dataset", name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > 1024) {
    return `${kind} name "${name}" is not valid in BigQuery: use letters, digits and underscores (at most 1,024), starting with a letter or underscore`;
  }
  return undefined;
}

/** `MeterReading` → `meter_reading`, `HTTPRequest` → `http_request`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
