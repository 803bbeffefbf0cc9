/**
 * BigQuery's column-name rules and the subscription's metadata columns (reference §2, §3), stated
 * independently of the model's naming code so that the check can catch its mistakes.
 */
import type { CanonicalColumnType } from "./column-types.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_NAME_LENGTH = 300;
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

/** Why BigQuery refuses the name as a column name, or undefined. */
export function invalidNameReason(name: string): string | undefined {
  if (!NAME.test(name)) return "only letters, digits and underscores are allowed, starting with a letter or underscore";
  if (name.length > MAX_NAME_LENGTH) return `it has ${name.length} characters, more than ${MAX_NAME_LENGTH}`;
  // Every reserved prefix starts with an underscore.
  if (!name.startsWith("_")) return undefined;
  const upper = name.toUpperCase();
  const prefix = RESERVED_PREFIXES.find((p) => upper.startsWith(p));
  return prefix === undefined ? undefined : `BigQuery reserves the prefix ${prefix}`;
}

export interface MetadataColumnRule {
  readonly name: string;
  readonly types: readonly CanonicalColumnType[];
  /** Written whenever write_metadata is on; `data` only when the subscription uses no schema. */
  readonly withTopicSchema: boolean;
}

export const METADATA_COLUMN_RULES: readonly MetadataColumnRule[] = [
  { name: "subscription_name", types: ["STRING"], withTopicSchema: true },
  { name: "message_id", types: ["STRING"], withTopicSchema: true },
  { name: "publish_time", types: ["TIMESTAMP"], withTopicSchema: true },
  { name: "attributes", types: ["STRING", "JSON"], withTopicSchema: true },
  { name: "data", types: ["BYTES", "STRING", "JSON"], withTopicSchema: false },
];

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Top-level topic field names that collide with a metadata column, lower-cased, to that column. */
const RESERVED_FIELD_NAMES = new Map<string, string>(
  METADATA_COLUMN_RULES.flatMap((m) => [
    [m.name.toLowerCase(), m.name],
    [camelCase(m.name).toLowerCase(), m.name],
  ]),
);

/** The metadata column a top-level topic field collides with, ignoring case as BigQuery does. */
export function metadataColumnNamed(fieldName: string): string | undefined {
  return RESERVED_FIELD_NAMES.get(fieldName.toLowerCase());
}
