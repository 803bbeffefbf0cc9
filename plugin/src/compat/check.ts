/**
 * Checks a Pub/Sub topic schema against the BigQuery table a subscription with "use topic schema"
 * writes into (reference pubsub-bigquery.md §1–§3), and reports every incompatibility, not only
 * the first. It reads only the two schemas, never the model, so it checks what was generated
 * rather than restating how it was generated. The schema comes as a compiled descriptor or as the
 * topic schema the plugin prints; a reader (schema-reader.ts) gives the walk below either one.
 */
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { BigQueryField } from "../physical/table-schema.js";
import type { TopicSchema } from "../physical/topic-schema.js";
import { ALLOWED_COLUMN_TYPES, canonicalColumnType, type ProtoFieldKind } from "./column-types.js";
import { descriptorReader } from "./descriptor-index.js";
import type { CompatFinding } from "./findings.js";
import { invalidNameReason, METADATA_COLUMN_RULES, metadataColumnNamed } from "./names.js";
import type { TopicSchemaReader } from "./schema-reader.js";
import { checkTable } from "./table-rules.js";
import { topicSchemaReader } from "./topic-schema-reader.js";

/** The BigQuery subscription's settings that change what is compatible. */
export interface SubscriptionSettings {
  /** `write_metadata`: the subscription fills subscription_name, message_id, publish_time, attributes. */
  readonly writeMetadata: boolean;
  /** `drop_unknown_fields`: fields without a column are dropped rather than blocking the message. */
  readonly dropUnknownFields: boolean;
}

interface Walk<M, F> {
  readonly schema: TopicSchemaReader<M, F>;
  readonly settings: SubscriptionSettings;
  readonly findings: CompatFinding[];
}

/**
 * Every incompatibility between the topic schema `schema` (publishing its top-level message
 * `messageName`, simple or qualified) and the table's columns. Empty when the subscription can
 * write every message into the table.
 */
export function checkTopicSchemaAgainstTable(
  schema: FileDescriptorProto,
  messageName: string,
  table: readonly BigQueryField[],
  settings: SubscriptionSettings,
): CompatFinding[] {
  return checkSchemaAgainstTable(descriptorReader(schema), messageName, table, settings);
}

/**
 * The same check over the plugin's own topic schema, read as the tree it prints: the same
 * findings as checkTopicSchemaAgainstTable on its descriptor (test/pubsub/compat-generated.test.ts compares
 * them), without making a descriptor of every entity's schema in each generation run.
 */
export function checkGeneratedTopicSchemaAgainstTable(
  schema: TopicSchema,
  messageName: string,
  table: readonly BigQueryField[],
  settings: SubscriptionSettings,
): CompatFinding[] {
  return checkSchemaAgainstTable(topicSchemaReader(schema), messageName, table, settings);
}

function checkSchemaAgainstTable<M, F>(
  schema: TopicSchemaReader<M, F>,
  messageName: string,
  table: readonly BigQueryField[],
  settings: SubscriptionSettings,
): CompatFinding[] {
  const findings: CompatFinding[] = [];
  const fileName = schema.fileName || "(topic schema)";
  checkSelfContained(schema, fileName, findings);
  findings.push(...checkTable(table));
  const message = schema.topLevelMessage(messageName);
  if (message === undefined) {
    findings.push({ path: fileName, rule: "message-not-found", message: `the schema has no top-level message "${messageName}".` });
    return findings;
  }
  const walk: Walk<M, F> = { schema, settings, findings };
  if (settings.writeMetadata) checkMetadata(message, table, walk);
  checkMessage(message, table, "", true, walk);
  return findings;
}

function checkSelfContained<M, F>(schema: TopicSchemaReader<M, F>, fileName: string, findings: CompatFinding[]): void {
  if (schema.imports.length > 0) {
    findings.push({
      path: fileName,
      rule: "no-imports",
      message: `the schema imports ${schema.imports.map((d) => `"${d}"`).join(", ")}; Pub/Sub accepts no import, so every type must be declared inside the schema.`,
    });
  }
  const topLevel = schema.topLevelTypes;
  if (topLevel.length !== 1) {
    findings.push({
      path: fileName,
      rule: "single-top-level-type",
      message: `the schema declares ${topLevel.length} top-level types (${topLevel.join(", ") || "none"}); Pub/Sub accepts exactly one, any others nested inside it.`,
    });
  }
}

/** The subscription writes its metadata columns itself; the topic must leave their names alone. */
function checkMetadata<M, F>(message: M, table: readonly BigQueryField[], walk: Walk<M, F>): void {
  for (const rule of METADATA_COLUMN_RULES.filter((r) => r.withTopicSchema)) {
    const column = table.find((c) => c.name.toLowerCase() === rule.name);
    const expected = rule.types.join(" or ");
    if (column === undefined) {
      walk.findings.push({ path: rule.name, rule: "metadata-column-missing", message: `write_metadata needs a ${expected} column "${rule.name}" in the table.` });
      continue;
    }
    const type = canonicalColumnType(column.type);
    if (type !== undefined && !rule.types.includes(type)) {
      walk.findings.push({ path: column.name, rule: "metadata-column-type", message: `metadata column "${column.name}" is ${column.type}; the subscription writes ${expected}.` });
    }
    if (modeOf(column) === "REPEATED") {
      walk.findings.push({ path: column.name, rule: "metadata-column-type", message: `metadata column "${column.name}" is REPEATED; the subscription writes a single ${expected}.` });
    }
  }
  for (const field of walk.schema.fields(message)) {
    const name = walk.schema.fieldName(field);
    const metadata = metadataColumnNamed(name);
    if (metadata === undefined) continue;
    walk.findings.push({
      path: name,
      rule: "metadata-name-collision",
      message: `topic field "${name}" has the name of the metadata column "${metadata}"; with write_metadata the topic schema must not use it (nor its camelCase form).`,
    });
  }
}

/** The fields of `message` against the columns at the same level. */
/** `parent` is the dotted path of these fields ("" at the top). */
function checkMessage<M, F>(message: M, columns: readonly BigQueryField[], parent: string, topLevel: boolean, walk: Walk<M, F>): void {
  const byName = new Map<string, BigQueryField>();
  for (const column of columns) byName.set(column.name, column);
  const matched = new Set<BigQueryField>();
  const fieldNames = new Map<string, string>();
  for (const field of walk.schema.fields(message)) {
    const name = walk.schema.fieldName(field);
    const path = parent === "" ? name : `${parent}.${name}`;
    checkFieldName(name, path, fieldNames, walk);
    const oneof = walk.schema.realOneof(field, message);
    if (oneof !== undefined) {
      walk.findings.push({ path, rule: "oneof", message: `field "${name}" is in oneof ${oneof}; the subscription cannot map a oneof to BigQuery.` });
    }
    const column = byName.get(name);
    if (column === undefined) {
      if (!walk.settings.dropUnknownFields) walk.findings.push(missingColumn(name, path, columns));
      continue;
    }
    matched.add(column);
    checkField(field, name, message, column, path, walk);
  }
  for (const column of columns) {
    if (matched.has(column) || (topLevel && walk.settings.writeMetadata && writtenAsMetadata(column.name))) continue;
    const mode = modeOf(column);
    if (mode !== "NULLABLE") {
      walk.findings.push({
        path: parent === "" ? column.name : `${parent}.${column.name}`,
        rule: "absent-column-not-nullable",
        message: `column "${column.name}" is ${mode} but the topic schema has no field "${column.name}"; a column the topic does not fill must be NULLABLE.`,
      });
    }
  }
}

function checkFieldName<M, F>(name: string, path: string, seen: Map<string, string>, walk: Walk<M, F>): void {
  const invalid = invalidNameReason(name);
  if (invalid !== undefined) walk.findings.push({ path, rule: "invalid-name", message: `field name "${name}" cannot be a BigQuery column name: ${invalid}.` });
  const lower = name.toLowerCase();
  const earlier = seen.get(lower);
  if (earlier !== undefined) {
    walk.findings.push({ path, rule: "name-collision", message: `field "${name}" and field "${earlier}" would be the same BigQuery column (names are compared ignoring case).` });
  }
  seen.set(lower, name);
}

function missingColumn(name: string, path: string, columns: readonly BigQueryField[]): CompatFinding {
  const caseOnly = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const hint = caseOnly === undefined ? "" : ` (column "${caseOnly.name}" differs only in case)`;
  return {
    path,
    rule: "field-without-column",
    message: `topic field "${name}" has no column in the table${hint}; without drop_unknown_fields the subscription does not write such messages.`,
  };
}

/** `name` is the field's name (the walk reads it once per field). */
function checkField<M, F>(field: F, name: string, owner: M, column: BigQueryField, path: string, walk: Walk<M, F>): void {
  const resolved = walk.schema.resolveType(field, owner);
  if (resolved.unresolved !== undefined) {
    walk.findings.push({ path, rule: "unresolved-type", message: `field "${name}" has ${resolved.unresolved}, which the schema does not declare.` });
    return;
  }
  const { kind, message } = resolved;
  const type = canonicalColumnType(column.type);
  const mode = modeOf(column);
  if (kind === "map") {
    if (type !== "RECORD" || mode !== "REPEATED") {
      walk.findings.push({ path, rule: "map-entry", message: `map field "${name}" needs a REPEATED RECORD column of key and value, not ${mode} ${column.type}.` });
      return;
    }
  } else {
    checkMode(field, name, owner, column, path, walk);
    // An unknown column type is reported once, by the table rules.
    if (type === undefined) return;
    const allowed = ALLOWED_COLUMN_TYPES[kind];
    if (!allowed.includes(type)) {
      walk.findings.push({
        path,
        rule: "column-type",
        message: `${describeKind(kind)} field "${name}" cannot be written into a column of type ${column.type}; allowed: ${allowed.join(", ")}.`,
      });
      return;
    }
  }
  if (message !== undefined) checkMessage(message, column.fields ?? [], path, false, walk);
}

function checkMode<M, F>(field: F, name: string, owner: M, column: BigQueryField, path: string, walk: Walk<M, F>): void {
  const mode = modeOf(column);
  const repeated = walk.schema.isRepeated(field);
  if (repeated !== (mode === "REPEATED")) {
    walk.findings.push({
      path,
      rule: "repeated-mode",
      message: repeated
        ? `field "${name}" is repeated, so its column must be REPEATED, not ${mode}.`
        : `field "${name}" is singular, so its column must not be REPEATED.`,
    });
  } else if (mode === "REQUIRED" && !walk.schema.isRequired(field, owner)) {
    walk.findings.push({
      path,
      rule: "optional-field-required-column",
      message: `field "${name}" is optional but its column is REQUIRED; an optional topic field needs a NULLABLE column.`,
    });
  }
}

function describeKind(kind: ProtoFieldKind): string {
  switch (kind) {
    case "enum":
      return "enum (the subscription writes its number, into INTEGER only)";
    case "uint64":
    case "fixed64":
      return `${kind} (unsigned 64-bit, too large for INTEGER)`;
    default:
      return kind;
  }
}

/** The column's mode in capitals, as the checks compare it; BigQuery reads it in any case. */
function modeOf(column: BigQueryField): string {
  // Typed as the generator writes it; a hand-made table (as the tests give) may spell it otherwise.
  const mode: string = column.mode ?? "NULLABLE";
  // Every column is checked several times, and a generated schema spells its modes in capitals already.
  return mode === "NULLABLE" || mode === "REQUIRED" || mode === "REPEATED" ? mode : mode.toUpperCase();
}

function writtenAsMetadata(name: string): boolean {
  return METADATA_COLUMN_RULES.some((r) => r.withTopicSchema && r.name === name.toLowerCase());
}
