/** What the compatibility check reports: one finding per broken rule, at one place. */

/** The rules, each a sentence of reference pubsub-bigquery.md §1–§3. */
export const COMPAT_RULES = {
  "single-top-level-type": "a Pub/Sub schema has exactly one top-level type",
  "no-imports": "a Pub/Sub schema has no import statements",
  "message-not-found": "the schema declares the message the topic publishes",
  "unresolved-type": "every field type is declared in the schema itself",
  "field-without-column": "every topic field has a column of the same name (or the subscription drops unknown fields)",
  "column-type": "the column's type is one the subscription can write the field's type into",
  "repeated-mode": "a repeated field has a REPEATED column, a singular field a non-REPEATED one",
  "optional-field-required-column": "an optional topic field has a NULLABLE column",
  "absent-column-not-nullable": "a column absent from the topic schema is NULLABLE",
  oneof: "a oneof cannot be mapped to BigQuery",
  "map-entry": "a map has a REPEATED RECORD column of key and value",
  "metadata-column-missing": "with write_metadata the table has every metadata column",
  "metadata-column-type": "a metadata column has the type the subscription writes",
  "metadata-name-collision": "with write_metadata no top-level topic field is named like a metadata column (camelCase included)",
  "nesting-depth": "BigQuery nests at most 15 levels of RECORD",
  "column-count": "a table has at most 10,000 columns, nested ones included",
  "invalid-name": "a column name is letters, digits and underscores, starts with a letter or underscore, has at most 300 characters and no reserved prefix",
  "name-collision": "names are unique ignoring case, among the columns of a table or RECORD and among the fields of a message",
  "empty-record": "a RECORD column has at least one field",
  "unknown-column-type": "the column's type is a BigQuery type",
} as const;

export type CompatRule = keyof typeof COMPAT_RULES;

export interface CompatFinding {
  /** Dotted path of the field or column (`address.city`); the file name for rules about the whole schema. */
  readonly path: string;
  readonly rule: CompatRule;
  readonly message: string;
}

/** One finding per line: `path [rule]: message`. */
export function formatFindings(findings: readonly CompatFinding[]): string {
  return findings.map((f) => `${f.path} [${f.rule}]: ${f.message}`).join("\n");
}
