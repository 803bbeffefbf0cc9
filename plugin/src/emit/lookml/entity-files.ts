/**
 * The LookML of one entity: `<table>.view.lkml` with the views over its table and its latest-state
 * view, and `<table>.explore.lkml` with an explore for each.
 */
import type { Entity } from "../../model/types.js";
import { bigQueryNames, qualifiedName } from "../bigquery/names.js";
import { exploreBlock, type ReferenceJoin } from "./explores.js";
import { count, countDistinct, freeName, fromMetadataColumn, relationViews, type RelationViews, type SourceColumn } from "./fields.js";
import { str, type LookmlBlock, type LookmlNode } from "./lookml-text.js";
import { lookmlName, titleCase, type EntityLookmlNames } from "./names.js";

export interface EntityLookml {
  readonly entity: Entity;
  readonly names: EntityLookmlNames;
  readonly events: RelationViews;
  readonly latest: RelationViews;
}

/**
 * What the explores of an entity need of its views: names, joins and references, without the
 * views' own blocks. Explores are written once every view name is known, and keeping every
 * entity's view blocks until then would hold most of the LookML output in memory.
 */
export interface EntityExploreSource {
  readonly entity: Entity;
  readonly names: EntityLookmlNames;
  readonly events: Omit<RelationViews, "views">;
  readonly latest: Omit<RelationViews, "views">;
}

export function exploreSourceOf({ entity, names, events, latest }: EntityLookml): EntityExploreSource {
  const withoutViews = ({ views: _, ...relation }: RelationViews): Omit<RelationViews, "views"> => relation;
  return { entity, names, events: withoutViews(events), latest: withoutViews(latest) };
}

/** How long a query on a table that requires a partition filter looks back by default. */
const DEFAULT_PARTITION_FILTER = "7 days";

export function entityViews(entity: Entity, names: EntityLookmlNames): EntityLookml {
  const tableNames = bigQueryNames(entity);
  const columns: SourceColumn[] = [...entity.columns, ...entity.metadataColumns.map(fromMetadataColumn)];
  const where = `${entity.protoFile}: ${entity.typeName}`;
  const title = titleCase(entity.messageName);
  const idPath = entity.idColumn.path.join(".");
  const events = relationViews({
    view: names.eventsView,
    label: `${title} Events`,
    sqlTableName: qualifiedName(entity.project, entity.dataset, tableNames.table),
    columns,
    primaryKey: "event_id",
    measures: (eventId, taken) => {
      const idDimension = lookmlName(entity.idColumn.path.join("__"));
      return [
        // Pub/Sub delivers at least once: a plain COUNT(*) would count redelivered events twice.
        countDistinct(freeName("count", taken), eventId, `Number of ${entity.messageName} events; an event delivered more than once counts once.`),
        countDistinct(freeName(`count_distinct_${idDimension}`, taken), idDimension, `Number of distinct ${entity.messageName} ids (${idPath}) among the events.`),
      ];
    },
    where,
  });
  const latest = relationViews({
    view: names.latestView,
    label: title,
    sqlTableName: qualifiedName(entity.project, entity.dataset, tableNames.latestView),
    columns,
    primaryKey: idPath,
    measures: (_, taken) => [count(freeName("count", taken), `Number of ${entity.messageName} entities, each in its latest state; deleted ones are left out.`)],
    where,
  });
  return { entity, names, events, latest };
}

export function viewFile(lookml: EntityLookml): LookmlNode[] {
  return [...lookml.events.views, ...lookml.latest.views];
}

/** Both explores of an entity, joined to the entities its fields reference. */
export function exploreFile(
  lookml: EntityExploreSource,
  all: ReadonlyMap<string, EntityExploreSource>,
  modelViews: ReadonlySet<string>,
): { includes: string[]; explores: LookmlBlock[] } {
  const { entity, names } = lookml;
  const targets = new Set<EntityExploreSource>();
  const referenceJoins = (relation: Omit<RelationViews, "views">, baseView: string): ReferenceJoin[] =>
    relation.references.map((ref) => {
      const target = all.get(ref.target);
      if (target === undefined) throw new Error(`internal error: ${entity.typeName} references ${ref.target}, which has no LookML`);
      targets.add(target);
      return {
        view: ref.view,
        dimension: ref.dimension,
        path: ref.view === baseView ? ref.dimension : `${ref.view.slice(baseView.length + 2)}__${ref.dimension}`,
        targetView: target.names.latestView,
        targetKey: lookmlName(target.entity.idColumn.path.join("__")),
      };
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
    }),
    exploreBlock({
      name: names.latestView,
      label: `${title} (latest state)`,
      description: entity.description,
      tags,
      unnestJoins: lookml.latest.joins,
      referenceJoins: referenceJoins(lookml.latest, names.latestView),
      reservedNames: [modelViews, new Set(lookml.latest.sqlAliases)],
      alwaysFilter: [],
    }),
  ];
  const includes = [names.file, ...[...targets].filter((t) => t !== lookml).map((t) => t.names.file)].map((f) => `${f}.view.lkml`);
  return { includes: [...new Set(includes)], explores };
}

export function includeParams(files: readonly string[]): LookmlNode[] {
  return files.map((f) => str("include", f));
}
