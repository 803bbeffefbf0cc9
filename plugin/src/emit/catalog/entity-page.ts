/**
 * Everything an entity's catalog page shows, gathered from the model and from the names the other
 * emitters give their outputs: the catalog never names a topic, table, view, explore or file itself.
 */
import { ScalarType } from "@bufbuild/protobuf";
import type { ChangeSet, Evolution } from "../../evolution/evolution.js";
import type { Entity, FreshnessPeriod } from "../../model/types.js";
import type { PhysicalLayer } from "../../physical/entity-physical.js";
import type { PluginOptions } from "../../options/plugin-options.js";
import { ACTIVITY_VIEW, bigQueryNames, FRESHNESS_VIEW, readRelations } from "../../physical/bigquery-names.js";
import { identifier, integer, joined, lineComment, sql, qualifiedName, type Sql } from "../../printers/sql.js";
import { freshnessLookmlName, type EntityLookmlNames } from "../../semantic/lookml-names.js";
import { entityKey, LOOKML_DIR, migrationStem, sourceName, sourcesFileName } from "../../physical/artifact-names.js";
import { subscriptionName, topicMessageTypeName, topicSchemaFileName } from "../../physical/topic-schema.js";
import { esNames } from "../../physical/typescript-names.js";
import { columnRows, type ColumnRow, type RepeatedHtml } from "./columns.js";
import { entityPagePath, FROM_ENTITY_PAGE_TO_OUTPUT } from "./names.js";

/** A generated file, as the page links it (relative to the page) and names it. */
export interface FileLink {
  readonly path: string;
  readonly href: string;
}

export interface LineageStep {
  readonly stage: string;
  readonly name: string;
  readonly detail: string;
  readonly files: readonly FileLink[];
}

export interface HistoryEntry {
  readonly title: string;
  readonly status: "released" | "pending";
  readonly changes: readonly string[];
  readonly file: FileLink | undefined;
}

export interface Snippet {
  readonly title: string;
  readonly language: "sql" | "ts";
  readonly code: string;
}

export interface EntityPage {
  readonly entity: Entity;
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly owner: string;
  readonly dataset: string;
  readonly facts: readonly { readonly label: string; readonly value: string; readonly code: boolean }[];
  readonly freshness: FreshnessSummary;
  readonly piiColumns: number;
  readonly columns: readonly ColumnRow[];
  readonly lineage: readonly LineageStep[];
  readonly snippets: readonly Snippet[];
  readonly history: History;
}

export interface FreshnessSummary {
  /** `warn 30m · error 6h`, or empty without an expectation. */
  readonly text: string;
  /** For the index filter: the tightest threshold's bucket. */
  readonly bucket: "hour" | "day" | "longer" | "none";
}

export interface History {
  /** One sentence on where the entity stands against the released state. */
  readonly summary: string;
  readonly entries: readonly HistoryEntry[];
}

/** What every entity page of a run shares: the names of other emitters, computed once per run. */
export interface RunContext {
  readonly options: PluginOptions;
  readonly evolution: Evolution | undefined;
  readonly physical: PhysicalLayer;
  readonly lookmlNames: ReadonlyMap<Entity, EntityLookmlNames>;
  readonly topicKeys: ReadonlyMap<Entity, string>;
  readonly esNames: ReturnType<typeof esNames>;
  /** The breakable HTML of the texts that repeat across the pages' rows. */
  readonly repeatedHtml: RepeatedHtml;
  /** The link from the entity's page to the page of the entity `typeName` names; empty when it has none. */
  referenceHref(from: Entity, typeName: string): string;
}

export function entityPage(entity: Entity, run: RunContext, lookmlFieldOf: ReadonlyMap<string, string>): EntityPage {
  const { names: tables, tableSchema, topicSchema } = run.physical.of(entity);
  const lookml = run.lookmlNames.get(entity)!;
  const columns = columnRows(entity, tableSchema, topicSchema.schema, lookmlFieldOf, (typeName) => run.referenceHref(entity, typeName), run.repeatedHtml);
  const partitioning = entity.partitioning;
  const fq = (name: string) => `${entity.project}.${entity.dataset}.${name}`;
  const freshness = freshnessSummary(entity);
  const reads = readRelations(entity);
  return {
    entity,
    path: entityPagePath(entity),
    title: entity.messageName,
    description: entity.description,
    owner: entity.owner ?? "",
    dataset: entity.dataset,
    facts: [
      { label: "Contract", value: `${entity.protoFile}${entity.location.line > 0 ? `:${entity.location.line}` : ""}`, code: true },
      { label: "Entity id", value: entity.idColumn.path.join("."), code: true },
      { label: "Topic", value: entity.topic, code: true },
      { label: "Subscription", value: subscriptionName(entity), code: true },
      { label: "Table", value: fq(tables.table), code: true },
      ...(reads.eventsView ? [{ label: "Event log view", value: fq(tables.eventsView), code: true }] : []),
      { label: "Event log of a time range", value: `${fq(tables.eventsFunction)}(from_ts, to_ts)`, code: true },
      ...(reads.latestView ? [{ label: "Latest state view", value: fq(tables.latestView), code: true }] : []),
      ...(reads.latest === "table" ? [{ label: "Latest state table", value: `${fq(tables.latestStateTable)} (scheduled MERGE)`, code: true }] : []),
      ...(reads.latest === "none" ? [{ label: "Latest state", value: "none: append-only", code: false }] : []),
      {
        label: "Partitioning",
        value: `${partitioning.granularity} of ${partitioning.column}${partitioning.requirePartitionFilter ? ", partition filter required" : ""}${partitioning.expirationDays !== undefined ? `, partitions kept ${partitioning.expirationDays} days` : ", kept forever"}`,
        code: false,
      },
      { label: "Clustering", value: entity.clustering.join(", "), code: true },
      { label: "Freshness", value: freshness.text === "" ? "no expectation" : freshness.text, code: false },
    ],
    freshness,
    piiColumns: columns.filter((c) => c.pii).length,
    columns,
    lineage: lineage(entity, lookml),
    snippets: snippets(entity, run),
    history: history(entity, run.evolution, run.options.release),
  };
}

function freshnessSummary(entity: Entity): FreshnessSummary {
  const { warnAfter, errorAfter } = entity.freshness;
  const parts = [warnAfter && `warn after ${warnAfter.text}`, errorAfter && `error after ${errorAfter.text}`].filter((p): p is string => Boolean(p));
  const tightest = [warnAfter, errorAfter].filter((p): p is FreshnessPeriod => p !== undefined).sort((a, b) => a.seconds - b.seconds)[0];
  const bucket = tightest === undefined ? "none" : tightest.seconds <= 3_600 ? "hour" : tightest.seconds <= 86_400 ? "day" : "longer";
  return { text: parts.join(" · "), bucket };
}

function fileLink(path: string): FileLink {
  return { path, href: FROM_ENTITY_PAGE_TO_OUTPUT + path.split("/").map(encodeURIComponent).join("/") };
}

/** Contract → topic → subscription → table → views → explores → dbt source, each with its files. */
function lineage(entity: Entity, lookml: EntityLookmlNames): LineageStep[] {
  const tables = bigQueryNames(entity);
  const bq = (name: string, ext = ".sql") => fileLink(`bigquery/${entity.dataset}/${name}${ext}`);
  const freshnessExplore = freshnessLookmlName(entity.dataset);
  const reads = readRelations(entity);
  const readNames = [
    ...(reads.eventsView ? [tables.eventsView] : []),
    tables.eventsFunction,
    ...(reads.latest === "table" ? [tables.latestStateTable, `${tables.latestStateTable}.merge`] : []),
    ...(reads.latestView ? [tables.latestView, tables.latestFunction] : []),
  ];
  return [
    { stage: "Contract", name: entity.typeName, detail: `${entity.protoFile}, in the proto sources`, files: [] },
    { stage: "Topic", name: entity.topic, detail: `schema ${topicMessageTypeName(entity)}`, files: [fileLink(`pubsub/${topicSchemaFileName(entity)}`)] },
    {
      stage: "Subscription",
      name: subscriptionName(entity),
      detail: "BigQuery subscription with a dead-letter topic, deployed by the Terraform module",
      files: [fileLink(`terraform/${entityKey(entity)}.tf.json`)],
    },
    { stage: "Table", name: `${entity.dataset}.${tables.table}`, detail: entity.project, files: [bq(tables.table), bq(tables.table, ".schema.json")] },
    {
      stage: "Views",
      name: readNames.join(", "),
      detail: `and the dataset's ${FRESHNESS_VIEW} and ${ACTIVITY_VIEW}`,
      files: [...readNames.map((n) => bq(n)), bq(FRESHNESS_VIEW), bq(ACTIVITY_VIEW)],
    },
    {
      stage: "Explores and dashboards",
      name: reads.latestView ? `${lookml.eventsView}, ${lookml.latestView}` : lookml.eventsView,
      detail: `its activity dashboard, and ${freshnessExplore} with the dataset's freshness dashboard`,
      files: [
        `${lookml.file}.view.lkml`,
        `${lookml.file}.explore.lkml`,
        `${lookml.file}.dashboard.lookml`,
        `${freshnessExplore}.explore.lkml`,
        `${freshnessExplore}.dashboard.lookml`,
      ].map((f) => fileLink(`${LOOKML_DIR}/${f}`)),
    },
    { stage: "dbt source", name: `source('${sourceName(entity.dataset)}', '${tables.table}')`, detail: "tests and freshness", files: [fileLink(sourcesFileName(entity.dataset))] },
  ];
}

/** Queries to paste into the BigQuery console, and the code to publish an event. */
function snippets(entity: Entity, run: RunContext): Snippet[] {
  const tables = bigQueryNames(entity);
  const partition = entity.partitioning;
  const partitionColumn = identifier(partition.column);
  const reads = readRelations(entity);
  const latest = [
    sql`SELECT *`,
    sql`FROM ${qualifiedName(entity.project, entity.dataset, tables.latestView)}`,
    sql`LIMIT 100;`,
  ];
  const events = reads.eventsView
    ? [
        sql`SELECT *`,
        sql`FROM ${qualifiedName(entity.project, entity.dataset, tables.eventsView)}`,
        sql`WHERE ${partitionColumn} >= ${lastDaysOf(partition.columnType, 1)}`,
        sql`ORDER BY ${identifier("occurred_at")} DESC`,
        sql`LIMIT 1000;`,
      ]
    : [
        // No events view (BigQuery would reject it): the table with its partition filter.
        lineComment(`The table requires a partition filter. ${tables.eventsFunction}(from_ts, to_ts) also leaves out Pub/Sub's redeliveries.`),
        sql`SELECT *`,
        sql`FROM ${qualifiedName(entity.project, entity.dataset, tables.table)}`,
        sql`WHERE ${partitionColumn} >= ${lastDaysOf(partition.columnType, 1)}`,
        sql`ORDER BY ${identifier("occurred_at")} DESC`,
        sql`LIMIT 1000;`,
      ];
  return [
    ...(reads.latestView ? [{ title: "Latest state of each entity", language: "sql" as const, code: joined(latest).text }] : []),
    { title: `Events of the last day (by ${partition.column})`, language: "sql", code: joined(events).text },
    { title: "Publish an event (TypeScript)", language: "ts", code: publishSnippet(entity, run) },
  ];
}

function lastDaysOf(type: "TIMESTAMP" | "DATE" | "DATETIME", days: number): Sql {
  const count = integer(days);
  switch (type) {
    case "TIMESTAMP":
      return sql`TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${count} DAY)`;
    case "DATE":
      return sql`DATE_SUB(CURRENT_DATE(), INTERVAL ${count} DAY)`;
    case "DATETIME":
      return sql`DATETIME_SUB(CURRENT_DATETIME(), INTERVAL ${count} DAY)`;
  }
}

function publishSnippet(entity: Entity, run: RunContext): string {
  const key = run.topicKeys.get(entity)!;
  const topicRef = /^[A-Za-z_$][\w$]*$/.test(key) ? `TOPICS.${key}` : `TOPICS[${JSON.stringify(key)}]`;
  const schema = run.esNames.schema(entity.descriptor).name;
  const variable = entity.messageName[0].toLowerCase() + entity.messageName.slice(1);
  const idField = entity.idFieldPath.map((f) => f.localName);
  const init = idField.reduceRight<string>((inner, name) => `{ ${name}: ${inner} }`, exampleId(entity));
  return [
    `import { PubSub } from "@google-cloud/pubsub";`,
    `import { create } from "@bufbuild/protobuf";`,
    `import { ${entity.eventName}, ${schema}, TOPICS } from ${JSON.stringify(run.options.packageName)};`,
    ``,
    `const ${variable} = create(${schema}, ${init});`,
    `const topic = new PubSub().topic(${topicRef}, { messageOrdering: true });`,
    `await topic.publishMessage(${entity.eventName}.created(${variable}).toPubSubMessage({ encoding: "binary" }));`,
  ].join("\n");
}

/** An id value of the id field's TypeScript type: protobuf-es gives 64-bit integers as bigint. */
function exampleId(entity: Entity): string {
  const field = entity.idFieldPath[entity.idFieldPath.length - 1];
  if (field.fieldKind !== "scalar" || field.scalar === ScalarType.STRING) return JSON.stringify(`${entity.table}-1`);
  return BIGINT_SCALARS.has(field.scalar) ? "1n" : "1";
}

const BIGINT_SCALARS = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

/**
 * Released migrations of the entity (from the lock) and the one the current contract needs. A
 * release run (`protoc-gen-entity release`) shows the state it records, so that its pages are
 * the ones the next generation writes.
 */
/** `releasing`: this run is `protoc-gen-entity release` (plugin option `release`), so the pending changes are what it releases. */
function history(entity: Entity, evolution: Evolution | undefined, releasing: boolean): History {
  if (evolution === undefined) {
    return { summary: "Releases are not tracked for this run: generate with the plugin option lock=<path> to see them.", entries: [] };
  }
  const released = releasing ? evolution.nextEntities[entity.typeName] : evolution.released.entities[entity.typeName];
  const entries: HistoryEntry[] = evolution.released.migrations
    .filter((m) => m.entity === entity.typeName)
    .map((m) => ({
      title: `Migration ${String(m.number).padStart(4, "0")}`,
      status: "released",
      changes: m.sql.lines.filter((l) => l.startsWith("--   - ")).map((l) => l.slice("--   - ".length)),
      file: fileLink(`bigquery/${m.dataset}/migrations/${m.sql.file}`),
    }));
  const changes = evolution.changeSets.filter((c) => c.entity === entity);
  entries.push(...changes.map((c) => changeEntry(c, releasing)));
  const pending = releasing ? [] : changes;
  const summary =
    released === undefined
      ? "Not released yet: the next release records this contract, and its table is created from the DDL."
      : pending.length > 0
        ? `Released; the contract has changed since the release, and migration ${pending.map((c) => String(c.number).padStart(4, "0")).join(", ")} applies the change.`
        : entries.length > 0
          ? "Released; the table in production matches this contract after the migrations below."
          : "Released as first created; unchanged since.";
  return { summary, entries };
}

function changeEntry(changeSet: ChangeSet, releasing: boolean): HistoryEntry {
  const stem = migrationStem(changeSet.number, changeSet.entity);
  return {
    title: `Migration ${String(changeSet.number).padStart(4, "0")}${releasing ? "" : " (not released yet)"}`,
    status: releasing ? "released" : "pending",
    changes: changeSet.summary,
    file: fileLink(`bigquery/${changeSet.entity.dataset}/migrations/${stem}.sql`),
  };
}
