/**
 * The LookML of one entity: `<table>.view.lkml` with the views over its table and its latest-state
 * view, and `<table>.explore.lkml` with an explore for each. An append-only entity has no latest
 * state (`readRelations`), so no latest view, explore or join to it.
 */
import type { Entity } from "../model/types.js";
import { bigQueryNames, readRelations } from "../physical/bigquery-names.js";
import { exploreBlock, type ReferenceJoin } from "./explores.js";
import { checkRelationFields, count, countDistinct, freeName, fromMetadataColumn, relationFieldOf, relationViews, type RelationViews, emptySharedFields, type SharedFields, type SourceColumn, writeExtensionViews } from "./fields.js";
import { str, type LookmlBlock, type LookmlNode, type LookmlWriter } from "../printers/lookml-text.js";
import { lookmlName, lookmlTableName, titleCase, type EntityLookmlNames } from "./lookml-names.js";

export interface EntityLookml {
  readonly entity: Entity;
  readonly names: EntityLookmlNames;
  readonly events: RelationViews;
  /** Undefined for an entity without latest state (append-only). */
  readonly latest: RelationViews | undefined;
  /** The fields both relations have, which their views extend; undefined without a latest state. */
  readonly sharedFields: SharedFields | undefined;
}

/**
 * What the explores of an entity need of its views: names, joins and references, without the
 * views' own blocks. Explores are written once every view name is known, and keeping every
 * entity's view blocks until then would hold most of the LookML output in memory.
 */
export interface EntityExploreSource {
  readonly entity: Entity;
  readonly names: EntityLookmlNames;
  readonly events: RelationSource;
  readonly latest: RelationSource | undefined;
}

/** A relation's views as the explores see them: without the blocks. */
export type RelationSource = Omit<RelationViews, "writeViews">;

export function exploreSourceOf({ entity, names, events, latest }: EntityLookml): EntityExploreSource {
  const source = ({ writeViews: _, ...relation }: RelationViews): RelationSource => relation;
  return { entity, names, events: source(events), latest: latest === undefined ? undefined : source(latest) };
}

/**
 * The events' key: the producer's event_id, or the Pub/Sub message for a row without one. Never
 * NULL (the subscription always writes message_id), and the same for every delivery of an event,
 * so measures that count each key once count each event once.
 */
const EVENT_KEY_SQL = "COALESCE(CONCAT('event:', ${TABLE}.event_id), CONCAT('message:', ${TABLE}.message_id))";
const EVENT_KEY_DESCRIPTION =
  "Key of the event: its event_id, or its Pub/Sub message_id when the producer set none. Every delivery of an event has the same key, so sums and counts take each event once.";

/** Entities expected at least hourly get hourly timeframes (see docs/lookml.md). */
export const HIGH_FREQUENCY_SECONDS = 3600;

export function isHighFrequency(entity: Entity): boolean {
  const { warnAfter, errorAfter } = entity.freshness;
  return (
    entity.partitioning.granularity === "HOUR" ||
    (warnAfter !== undefined && warnAfter.seconds <= HIGH_FREQUENCY_SECONDS) ||
    (errorAfter !== undefined && errorAfter.seconds <= HIGH_FREQUENCY_SECONDS)
  );
}

/** How long a query on a table that requires a partition filter looks back by default. */
const DEFAULT_PARTITION_FILTER = "7 days";

export function entityViews(entity: Entity, names: EntityLookmlNames): EntityLookml {
  // Both relations have the entity's columns, so the same fields: they are declared once, in views
  // that both relations' views extend. An append-only entity has one relation: nothing to share.
  if (!readRelations(entity).latestView) return { entity, names, events: eventsViews(entity, names), latest: undefined, sharedFields: undefined };
  const sharedFields = emptySharedFields(names.fieldsView, isHighFrequency(entity));
  return { entity, names, events: eventsViews(entity, names, sharedFields), latest: latestViews(entity, names, sharedFields), sharedFields };
}

/**
 * The names of the entity's views, events' first, once every field name is checked (a clash is
 * refused here, as when the views are made). The latest-state views have the columns, and so the
 * fields and child views, of the events' views: only the events' are named, the latest state's
 * names and those of the views of their shared fields (which both extend) follow from them.
 */
export function entityViewNames(entity: Entity, names: EntityLookmlNames): string[] {
  const events = checkRelationFields({ view: names.eventsView, columns: sourceColumns(entity), highFrequency: isHighFrequency(entity), where: whereOf(entity) });
  if (!readRelations(entity).latestView) return events;
  const named = (view: string) => events.map((eventsView) => view + eventsView.slice(names.eventsView.length));
  return [...named(names.fieldsView), ...events, ...named(names.latestView)];
}

/**
 * The LookML field of each column of the entity's table (its events views), by dotted column path:
 * `view.dimension` for a value, the child view's name for a repeated STRUCT. For the catalog,
 * which points every column at Looker; only the field names are made, not the views.
 */
export function eventsFieldOf(entity: Entity, names: EntityLookmlNames): Map<string, string> {
  return relationFieldOf({ view: names.eventsView, columns: sourceColumns(entity), highFrequency: isHighFrequency(entity), where: whereOf(entity) });
}

/** The columns of both relations: the entity's, then the subscription's metadata. */
function sourceColumns(entity: Entity): SourceColumn[] {
  return [...entity.columns, ...entity.metadataColumns.map(fromMetadataColumn)];
}

/** Where an error about the entity's LookML points. */
function whereOf(entity: Entity): string {
  return `${entity.protoFile}: ${entity.typeName}`;
}

/** What both relations of an entity are made from. */
function relationInputs(entity: Entity) {
  return {
    tableNames: bigQueryNames(entity),
    columns: sourceColumns(entity),
    where: whereOf(entity),
    title: titleCase(entity.messageName),
    idPath: entity.idColumn.path.join("."),
    highFrequency: isHighFrequency(entity),
    drill: [entity.idColumn.path.join("."), "operation", "occurred_at", "publish_time"],
  };
}

/** The views over the entity's table (one row per delivered event); they name no field of the latest-state views, nor these theirs. */
export function eventsViews(entity: Entity, names: EntityLookmlNames, sharedFields?: SharedFields): RelationViews {
  const { tableNames, columns, where, title, idPath, highFrequency, drill } = relationInputs(entity);
  return relationViews({
    view: names.eventsView,
    label: `${title} Events`,
    sqlTableName: lookmlTableName(entity.dataset, tableNames.table),
    columns,
    primaryKey: { sql: EVENT_KEY_SQL, description: EVENT_KEY_DESCRIPTION },
    rowsRepeat: true,
    highFrequency,
    drillColumns: drill,
    measures: (eventKey, taken) => {
      const idDimension = lookmlName(entity.idColumn.path.join("__"));
      const countName = freeName("count", taken);
      taken.add(countName);
      const distinctIds = freeName(`count_distinct_${idDimension}`, taken);
      taken.add(distinctIds);
      return [
        // Pub/Sub delivers at least once: a plain COUNT(*) would count redelivered events twice.
        countDistinct(countName, eventKey, `Number of ${entity.messageName} events; an event delivered more than once counts once.`),
        countDistinct(distinctIds, idDimension, `Number of distinct ${entity.messageName} ids (${idPath}) among the events.`),
      ];
    },
    where,
    sharedFields,
  });
}

/** The views over the entity's latest state (one row per entity), for an entity that has one (see readRelations). */
function latestViews(entity: Entity, names: EntityLookmlNames, sharedFields: SharedFields): RelationViews {
  // The latest-state view, or the latest-state table behind it, holds one row per id: the view prunes
  // nothing away but reads no history either.
  const { tableNames, columns, where, title, idPath, highFrequency, drill } = relationInputs(entity);
  return relationViews({
    view: names.latestView,
    label: title,
    sqlTableName: lookmlTableName(entity.dataset, tableNames.latestView),
    columns,
    primaryKey: { column: idPath },
    rowsRepeat: false,
    highFrequency,
    drillColumns: drill,
    measures: (_, taken) => {
      const countName = freeName("count", taken);
      taken.add(countName);
      return [count(countName, `Number of ${entity.messageName} entities, each in its latest state; deleted ones are left out.`)];
    },
    where,
    sharedFields,
  });
}

/** Writes the view file's views: the shared fields' first, then the events', then the latest state's. */
export function writeViewFile(writer: LookmlWriter, lookml: EntityLookml): void {
  if (lookml.sharedFields !== undefined) writeExtensionViews(writer, lookml.sharedFields);
  lookml.events.writeViews(writer);
  lookml.latest?.writeViews(writer);
}

/** Both explores of an entity, joined to the entities its fields reference. */
export function exploreFile(
  lookml: EntityExploreSource,
  sourceOf: (typeName: string) => EntityExploreSource | undefined,
  modelViews: ReadonlySet<string>,
): { includes: string[]; explores: LookmlBlock[] } {
  const { entity, names } = lookml;
  const targets = new Set<EntityExploreSource>();
  const referenceJoins = (relation: RelationSource, baseView: string): ReferenceJoin[] =>
    relation.references.flatMap((ref) => {
      const target = sourceOf(ref.target);
      if (target === undefined) throw new Error(`internal error: ${entity.typeName} references ${ref.target}, which has no LookML`);
      // An append-only target has no latest state to join.
      if (target.latest === undefined) return [];
      targets.add(target);
      return [{
        view: ref.view,
        dimension: ref.dimension,
        path: ref.view === baseView ? ref.dimension : `${ref.view.slice(baseView.length + 2)}__${ref.dimension}`,
        targetView: target.names.latestView,
        targetKey: lookmlName(target.entity.idColumn.path.join("__")),
      }];
    });
  const tags = entity.owner !== undefined ? [`owner:${entity.owner}`] : [];
  const partition = entity.partitioning;
  const partitionGroup = lookml.events.timeGroups.get(partition.column);
  const alwaysFilter: [string, string][] =
    partition.requirePartitionFilter && partitionGroup !== undefined ? [[`${names.eventsView}.${partitionGroup}_date`, DEFAULT_PARTITION_FILTER]] : [];
  const title = titleCase(entity.messageName);
  const explores = [
    exploreBlock({
      name: names.eventsView,
      label: `${title} Events`,
      description: entity.description,
      tags,
      unnestJoins: lookml.events.joins,
      referenceJoins: referenceJoins(lookml.events, names.eventsView),
      reservedNames: [modelViews, new Set(lookml.events.sqlAliases)],
      alwaysFilter,
      persistFor: undefined,
    }),
    ...(lookml.latest === undefined ? [] : [exploreBlock({
      name: names.latestView,
      label: `${title} (latest state)`,
      description: entity.description,
      tags,
      unnestJoins: lookml.latest.joins,
      referenceJoins: referenceJoins(lookml.latest, names.latestView),
      reservedNames: [modelViews, new Set(lookml.latest.sqlAliases)],
      alwaysFilter: [],
      persistFor: undefined,
    })]),
  ];
  const includes = [names.file, ...[...targets].filter((t) => t !== lookml).map((t) => t.names.file)].map((f) => `${f}.view.lkml`);
  return { includes: [...new Set(includes)], explores };
}

export function includeParams(files: readonly string[]): LookmlNode[] {
  return files.map((f) => str("include", f));
}
