/**
 * The rows of an entity's column table: every column of its BigQuery table in the table's order
 * (tableSchema: the topic's columns, retired ones, the subscription's metadata), each with what
 * every layer calls and types it. Types come from the table schema and the topic schema as the
 * other emitters write them; the proto type is read from the field's declaration, as written there.
 */
import { ScalarType, type DescField } from "@bufbuild/protobuf";
import type { Column, Entity } from "../../model/types.js";
import { sqlType, type BigQueryField } from "../../physical/table-schema.js";
import { topicFieldLabelText, topicFieldTypeText, type TopicMessage, type TopicSchema } from "../../physical/topic-schema.js";
import { columnAnchor } from "./names.js";
import { breakableHtml, type Html } from "./templates.js";

/** Where a column comes from, as the catalog labels it. */
export type ColumnKind = "envelope" | "field" | "nest" | "synthetic" | "metadata" | "retired";

export interface ColumnRow {
  /** Dotted path from the top-level column (`address.city`). */
  readonly path: string;
  readonly name: string;
  /** The name, protoType, lookmlField, policyTag and enumValues as the row's cells show them (breakableHtml). */
  readonly nameHtml: Html;
  readonly anchor: string;
  /** 0 for a top-level column. */
  readonly depth: number;
  /** Path of the enclosing STRUCT column, empty at the top level. */
  readonly parent: string;
  readonly childCount: number;
  readonly kind: ColumnKind;
  /** The kind's badge, empty for an entity's own fields. */
  readonly kindLabel: string;
  /** Why the column has no proto field, when it has none. */
  readonly protoNote: string;
  /** The field as declared in the .proto (`repeated energy.customer.v1.Installation`), empty when none. */
  readonly protoType: string;
  /** As the Pub/Sub topic schema declares it (`required string`, `repeated Item`), empty for columns the topic does not carry. */
  readonly topicType: string;
  readonly bigQueryType: string;
  readonly mode: string;
  /** `view.dimension` in Looker, empty when Looker has no field for it. */
  readonly lookmlField: string;
  readonly description: string;
  readonly pii: boolean;
  readonly policyTag: string;
  /** Fully qualified name of the entity whose id the column holds. */
  readonly references: string;
  /** The link to the referenced entity's page, empty when it has none. */
  readonly referenceHref: string;
  readonly enumValues: string;
  /** `pkg.Message.field` of the declaration, when the column is a field. */
  readonly protoField: string;
  readonly protoTypeHtml: Html;
  readonly lookmlFieldHtml: Html;
  readonly policyTagHtml: Html;
  readonly enumValuesHtml: Html;
}

/**
 * The cells' HTML of texts that repeat across rows and pages (column names, proto types, policy
 * tags, enum values): each text is made breakable HTML once per run.
 */
export class RepeatedHtml {
  private readonly byText = new Map<string, Html>();

  of(text: string): Html {
    let html = this.byText.get(text);
    if (html === undefined) {
      html = breakableHtml(text);
      this.byText.set(text, html);
    }
    return html;
  }
}

/**
 * `lookmlFieldOf` gives the Looker field of a column path (LookML emitter's names). A column is
 * PII when it or a STRUCT above it is, as Looker and dbt restrict it.
 */
export function columnRows(
  entity: Entity,
  table: readonly BigQueryField[],
  topic: TopicSchema,
  lookmlFieldOf: ReadonlyMap<string, string>,
  referenceHref: (typeName: string) => string,
  repeated: RepeatedHtml,
): ColumnRow[] {
  const modelColumns = new Map<string, Column>();
  addByPath(modelColumns, entity.columns, "");
  const metadata = new Set(entity.metadataColumns.map((c) => c.name));
  const topicDeclarations = topicDeclarationsByPath(topic);
  const rows: ColumnRow[] = [];
  const visit = (field: BigQueryField, parent: string, depth: number, parentPii: boolean) => {
    const path = parent === "" ? field.name : `${parent}.${field.name}`;
    const column = modelColumns.get(path);
    const kind: ColumnKind = column !== undefined ? column.source.kind : depth === 0 && metadata.has(field.name) ? "metadata" : "retired";
    const pii = parentPii || (column?.pii ?? false);
    const references = column?.references ?? "";
    const declared = column?.source.kind === "field" ? protoType(column.source.field) : "";
    const lookmlField = lookmlFieldOf.get(path) ?? "";
    const policyTag = field.policyTags === undefined ? "" : listText(field.policyTags.names);
    const enumValues = column?.enumValues === undefined ? "" : listText(column.enumValues);
    rows.push({
      path,
      name: field.name,
      nameHtml: repeated.of(field.name),
      anchor: columnAnchor(path),
      depth,
      parent,
      childCount: field.fields?.length ?? 0,
      kind,
      kindLabel: KIND_LABELS[kind],
      protoNote: PROTO_NOTES[kind],
      protoType: declared,
      topicType: topicDeclarations.get(path) ?? "",
      bigQueryType: sqlType(field.type),
      mode: field.mode,
      lookmlField,
      description: field.description ?? "",
      pii,
      policyTag,
      references,
      referenceHref: references === "" ? "" : referenceHref(references),
      enumValues,
      protoField: column?.source.kind === "field" ? column.source.fieldName : "",
      protoTypeHtml: repeated.of(declared),
      lookmlFieldHtml: breakableHtml(lookmlField),
      policyTagHtml: repeated.of(policyTag),
      enumValuesHtml: repeated.of(enumValues),
    });
    for (const child of field.fields ?? []) visit(child, path, depth + 1, pii);
  };
  for (const field of table) visit(field, "", 0, false);
  return rows;
}

/** Every column below `columns` by its dotted path (a column's path is its parent's and its name). */
function addByPath(into: Map<string, Column>, columns: readonly Column[], parentPath: string): void {
  for (const column of columns) {
    const path = parentPath === "" ? column.name : `${parentPath}.${column.name}`;
    into.set(path, column);
    if (column.fields.length > 0) addByPath(into, column.fields, path);
  }
}

/**
 * A list as a cell shows it. The model shares an enum's value names among its uses, and the
 * table schema a policy tag list among a column's rows: each list is joined once.
 */
const listTexts = new WeakMap<readonly string[], string>();
function listText(items: readonly string[]): string {
  // One item (a column's policy tag, in a list made per table schema) is its own text.
  if (items.length === 1) return items[0];
  let text = listTexts.get(items);
  if (text === undefined) {
    text = items.join(", ");
    listTexts.set(items, text);
  }
  return text;
}

/**
 * Each field of the topic schema by its dotted path, declared as the schema's .proto text declares
 * it. Read from the schema itself rather than from the columns: the envelope's fields are
 * `required` there (or `optional`, as released), and a nested message has its own name.
 */
function topicDeclarationsByPath(topic: TopicSchema): Map<string, string> {
  const nested = new Map(topic.message.nested.map((message) => [message.name, message]));
  const byPath = new Map<string, string>();
  const visit = (message: TopicMessage, parent: string) => {
    for (const field of message.fields) {
      const path = parent === "" ? field.name : `${parent}.${field.name}`;
      byPath.set(path, `${topicFieldLabelText(field)} ${topicFieldTypeText(field)}`);
      if (typeof field.type !== "string") visit(nested.get(field.type.message)!, path);
    }
  };
  visit(topic.message, "");
  return byPath;
}

const KIND_LABELS: Record<ColumnKind, string> = {
  envelope: "event",
  field: "",
  nest: "",
  synthetic: "",
  metadata: "Pub/Sub",
  retired: "retired",
};

/** Says why a column has no proto field. */
const PROTO_NOTES: Record<ColumnKind, string> = {
  envelope: "set by the event class",
  field: "",
  nest: "all fields of the entity",
  synthetic: "part of the field's value",
  metadata: "written by the subscription",
  retired: "removed from the contract",
};

/** The field's type as the .proto declares it. */
function protoType(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return scalarName(field.scalar);
    case "enum":
      return field.enum.typeName;
    case "message":
      return field.message.typeName;
    case "list":
      return `repeated ${field.listKind === "scalar" ? scalarName(field.scalar) : field.listKind === "enum" ? field.enum.typeName : field.message.typeName}`;
    case "map":
      return `map<${scalarName(field.mapKey)}, ${field.mapKind === "scalar" ? scalarName(field.scalar) : field.mapKind === "enum" ? field.enum.typeName : field.message.typeName}>`;
  }
}

function scalarName(scalar: ScalarType): string {
  return (SCALAR_NAMES[scalar] ??= ScalarType[scalar].toLowerCase());
}

const SCALAR_NAMES: string[] = [];
