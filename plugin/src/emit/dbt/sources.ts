/**
 * The dbt source of one BigQuery dataset: per entity, the table the subscription writes, its
 * deduplicated event log view and its latest-state view, plus the dataset's freshness view.
 *
 * Layout: what dbt 1.10 and dbt Fusion accept without deprecation warnings, and what both JSON
 * schemas of dbt-jsonschema (dbt-core's and Fusion's) validate. The two schemas share no place
 * for a column's meta or tags (dbt-core's has no column `config`, Fusion's no column `meta`), so
 * what is said about single columns (proto field, PII, references) goes into the table's
 * `config.meta`, keyed by column name, and a table with PII columns is tagged `pii`.
 */
import type { RetiredEntity } from "../../evolution/evolution.js";
import type { Entity } from "../../model/types.js";
import { bigQueryNames, FRESHNESS_VIEW, readRelations } from "../../physical/bigquery-names.js";
import { sourceName } from "../../physical/artifact-names.js";
import { PLUGIN_NAME } from "../../version.js";
import { documentedColumns, type DocumentedColumn } from "./columns.js";
import { entityColumnTests, idColumnName, viewsAreTestable, type EntityIndex } from "./data-tests.js";
import { freshnessConfig, freshnessExpectation, LOADED_AT_FIELD } from "./freshness.js";
import { jinjaLiteral, jinjaVar } from "./jinja.js";
import { flattened, YamlItems, YamlPrinted, yamlEntryText, yamlItemEntriesText, yamlItemText, type YamlMapping, type YamlValue } from "../../printers/yaml-text.js";

export const LOADER = "Pub/Sub BigQuery subscription";

/** Tags that select the generated sources by what they are (`dbt test --select tag:entity_table`). */
export const TAGS = {
  source: "protoc_gen_entity",
  table: "entity_table",
  eventsView: "entity_events_view",
  latestView: "entity_latest_view",
  freshnessView: "entity_freshness_view",
  retired: "entity_retired",
  pii: "pii",
} as const;

/**
 * The dbt vars that point the sources at another environment, named like the LookML constants
 * (entities_gcp_project, entities_dataset_<dataset>); the plugin options are the defaults.
 */
export const PROJECT_VAR = "entities_gcp_project";
export function datasetVar(dataset: string): string {
  return `entities_dataset_${dataset}`;
}

type ObjectKind = "table" | "events_view" | "latest_view";
type ColumnTests = (column: DocumentedColumn) => readonly YamlValue[];

/** The whole sources file of a dataset, as YAML values. */
export function datasetDocument(
  dataset: string,
  project: string,
  entities: readonly Entity[],
  retired: readonly RetiredEntity[],
  index: EntityIndex,
): YamlMapping {
  return { version: 2, sources: [datasetSource(dataset, project, entities, retired, index)] };
}

function datasetSource(dataset: string, project: string, entities: readonly Entity[], retired: readonly RetiredEntity[], index: EntityIndex): YamlMapping {
  const retiredNote = retired.length === 0 ? "" : ` Retired entities keep their tables, which receive no new events: ${retired.map((r) => r.typeName).join(", ")}.`;
  return {
    name: sourceName(dataset),
    description: jinjaLiteral(
      `BigQuery dataset ${dataset}: one table per entity (${entities.map((e) => e.messageName).join(", ")}), written by ` +
      `a Pub/Sub BigQuery subscription from the entity's topic; each with a deduplicated event log view (<table>_events) ` +
      `and a latest-state view (<table>_latest).${retiredNote}`,
    ),
    database: jinjaVar(PROJECT_VAR, project),
    schema: jinjaVar(datasetVar(dataset), dataset),
    loader: LOADER,
    config: {
      loaded_at_field: LOADED_AT_FIELD,
      meta: {
        generated_by: PLUGIN_NAME,
        owners: distinct(entities.map((e) => e.owner)),
        proto_packages: distinct(entities.map((e) => e.protoPackage)),
      },
      tags: [TAGS.source],
    },
    tables: new YamlItems(() => datasetTables(entities, retired, index)),
  };
}

function* datasetTables(entities: readonly Entity[], retired: readonly RetiredEntity[], index: EntityIndex): Iterable<YamlMapping> {
  for (const entity of entities) yield* entityTables(entity, index);
  for (const entity of retired) yield retiredTable(entity);
  if (entities.length > 0) yield freshnessViewTable(entities);
}

/**
 * A retired entity's table, as the lock last recorded it: documented so that models reading its
 * history keep working and say what they read, with no freshness check or tests, since no new
 * events arrive.
 */
function retiredTable({ typeName, released }: RetiredEntity): YamlMapping {
  return {
    name: released.table,
    identifier: released.table,
    description: jinjaLiteral(`Retired: ${typeName} is no longer published (plugin option retire=). The table keeps its events; none arrive any more.`),
    config: {
      freshness: null,
      meta: { entity: typeName, proto_file: jinjaLiteral(released.source), topic: released.topic, object: "retired_table", retired: true },
      tags: [TAGS.retired],
    },
    columns: released.columns.map((column) => ({
      name: column.name,
      description: column.description === undefined || column.description === "" ? undefined : jinjaLiteral(column.description),
    })),
  };
}

function entityTables(entity: Entity, index: EntityIndex): YamlMapping[] {
  const names = bigQueryNames(entity);
  const columns = documentedColumns(entity);
  // The table and its views list the same columns: each column's lines are printed once.
  const heads = new ColumnHeads(columns);
  const tests = entityColumnTests(entity, index);
  const described = (purpose: string) => (entity.description === "" ? purpose : `${purpose}\n\n${entity.description}`);
  // Only the relations the entity has (readRelations): no events view on a table that requires a
  // partition filter, no latest state for an append-only entity.
  const reads = readRelations(entity);
  return [
    sourceTable(entity, "table", names.table, entity.description, columns, heads, tests.table),
    ...(!reads.eventsView ? [] : [sourceTable(
      entity,
      "events_view",
      names.eventsView,
      described(`Event log of ${entity.messageName} without the duplicates of at-least-once delivery: one row per event_id.`),
      columns,
      heads,
      tests.eventsView,
    )]),
    ...(!reads.latestView ? [] : [sourceTable(
      entity,
      "latest_view",
      names.latestView,
      described(`Latest state of each ${entity.messageName}, one row per ${idColumnName(entity)}; deleted entities are left out.`),
      columns,
      heads,
      tests.latestView,
    )]),
  ];
}

/**
 * Each column's entry up to its tests (name, description, type, policy tags), printed for the
 * indentation of the columns list when the first of the entity's tables is written and kept for
 * the others. Each is flattened once when printed: the table and both views then copy one flat
 * string each instead of walking the head's rope of short pieces three times. The subscription's
 * metadata columns are the same for every entity: their heads are printed once per run.
 */
class ColumnHeads {
  private indent: string | undefined;
  private texts: string[] = [];

  constructor(private readonly columns: readonly DocumentedColumn[]) {}

  at(indent: string): readonly string[] {
    if (indent !== this.indent) {
      this.indent = indent;
      this.texts = this.columns.map((column) =>
        column.origin.kind === "subscription" ? sharedHead(column, indent) : flattened(yamlItemText(columnHead(column), indent)),
      );
    }
    return this.texts;
  }
}

/** Heads printed once per run, for columns every entity shares (`documentedColumns` keeps one object each). */
const sharedHeads = new WeakMap<DocumentedColumn, { readonly indent: string; readonly text: string }>();

function sharedHead(column: DocumentedColumn, indent: string): string {
  const known = sharedHeads.get(column);
  if (known !== undefined && known.indent === indent) return known.text;
  const text = flattened(yamlItemText(columnHead(column), indent));
  sharedHeads.set(column, { indent, text });
  return text;
}

function sourceTable(
  entity: Entity,
  kind: ObjectKind,
  name: string,
  description: string,
  columns: readonly DocumentedColumn[],
  heads: ColumnHeads,
  testsOf: ColumnTests,
): YamlMapping {
  const table = bigQueryNames(entity).table;
  const hasPii = columns.some((c) => c.pii);
  return {
    name,
    identifier: name,
    description: description === "" ? undefined : jinjaLiteral(description),
    config: {
      // The partitioning column: dbt's sample mode and microbatch filter on it, so they prune
      // partitions. Not on the latest state, where it would select entities by their last change.
      event_time: kind === "latest_view" ? undefined : entity.partitioning.column,
      // Freshness is checked once, on the table; the views would only repeat it at a higher cost.
      freshness: kind === "table" ? freshnessConfig(entity) : null,
      meta: {
        entity: entity.typeName,
        proto_file: jinjaLiteral(entity.protoFile),
        proto_package: entity.protoPackage,
        owner: entity.owner,
        topic: entity.topic,
        object: kind,
        view_of: kind === "table" ? undefined : table,
        id_column: idColumnName(entity),
        freshness_expectation: kind === "table" ? freshnessExpectation(entity) : `checked on the table ${table}`,
        tests_note:
          kind === "table" || viewsAreTestable(entity)
            ? undefined
            : `no tests: ${table} requires a partition filter, which cannot reach it through this view; the tests of ${table} check its last day`,
        partitioning: {
          column: entity.partitioning.column,
          granularity: entity.partitioning.granularity,
          require_partition_filter: entity.partitioning.requirePartitionFilter,
        },
        pii_columns: columns.filter((c) => c.pii).map((c) => c.name),
        // Where each column comes from; the views have the same columns as the table.
        proto_fields: kind === "table" ? protoFields(columns) : undefined,
        references: kind === "table" ? references(columns) : undefined,
      },
      tags: [kindTag(kind), ...(hasPii ? [TAGS.pii] : [])],
    },
    columns: new YamlPrinted("sequence", (indent) => columnsText(columns, heads.at(indent), testsOf, indent)),
  };
}

function kindTag(kind: ObjectKind): string {
  switch (kind) {
    case "table":
      return TAGS.table;
    case "events_view":
      return TAGS.eventsView;
    case "latest_view":
      return TAGS.latestView;
  }
}

/** The columns list of one table: each column's printed head, then its tests if it has any. */
function columnsText(columns: readonly DocumentedColumn[], heads: readonly string[], testsOf: ColumnTests, indent: string): string {
  let text = "";
  for (let i = 0; i < columns.length; i++) {
    text += heads[i];
    const tests = testsOf(columns[i]);
    if (tests.length > 0) text += yamlItemEntriesText({ data_tests: tests }, indent);
  }
  return text;
}

/** A column's entry without its tests, which come last in it. */
function columnHead(column: DocumentedColumn): YamlMapping {
  return {
    name: column.name,
    description: column.description === "" ? undefined : jinjaLiteral(column.description),
    data_type: column.dataType,
    policy_tags: column.policyTag === undefined ? undefined : [column.policyTag],
  };
}

/**
 * Column → the proto field it holds (or, for a map entry or Money part, the field it is part of).
 * Printed line by line: an object keyed by column names would be a slow dictionary-mode object.
 */
function protoFields(columns: readonly DocumentedColumn[]): YamlPrinted {
  return new YamlPrinted("mapping", (indent) => {
    let text = "";
    for (const c of columns) if (c.origin.kind === "field") text += yamlEntryText(c.name, c.origin.protoField, indent);
    return text;
  });
}

/** Column → the entity whose id it holds; left out when no column references another entity. */
function references(columns: readonly DocumentedColumn[]): YamlPrinted | undefined {
  if (!columns.some((c) => c.references !== undefined)) return undefined;
  return new YamlPrinted("mapping", (indent) => {
    let text = "";
    for (const c of columns) if (c.references !== undefined) text += yamlEntryText(c.name, c.references, indent);
    return text;
  });
}

/** The dataset's view of the last event time, lag and thresholds of every entity in it. */
function freshnessViewTable(entities: readonly Entity[]): YamlMapping {
  return {
    name: FRESHNESS_VIEW,
    identifier: FRESHNESS_VIEW,
    description: "One row per entity of the dataset: when its last event arrived, how late that is, and its freshness thresholds.",
    config: {
      freshness: null,
      meta: { object: "freshness_view", entities: entities.map((e) => e.typeName) },
      tags: [TAGS.freshnessView],
    },
  };
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
}
