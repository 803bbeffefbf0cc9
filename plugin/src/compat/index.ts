/** Compatibility of a Pub/Sub topic schema with the BigQuery table its subscription writes into. */
export { checkGeneratedTopicSchemaAgainstTable, checkTopicSchemaAgainstTable, type SubscriptionSettings } from "./check.js";
export { ALLOWED_COLUMN_TYPES, canonicalColumnType, type CanonicalColumnType, type ProtoFieldKind } from "./column-types.js";
export { COMPAT_RULES, formatFindings, type CompatFinding, type CompatRule } from "./findings.js";
