/**
 * The outputs made per BigQuery dataset (freshness view, dbt sources, LookML freshness explore)
 * group the entities the same way and name the same sources in their headers.
 */
import type { Entity } from "../model/types.js";

/** Entities by dataset: datasets in the order of their first entity, entities in the order given. */
export function entitiesByDataset(entities: readonly Entity[]): Map<string, Entity[]> {
  const groups = new Map<string, Entity[]>();
  for (const entity of entities) {
    const group = groups.get(entity.dataset);
    if (group === undefined) groups.set(entity.dataset, [entity]);
    else group.push(entity);
  }
  return groups;
}

/** The .proto files the entities come from, sorted and comma-separated, for a generated header. */
export function protoFilesOf(entities: readonly Entity[]): string {
  return [...new Set(entities.map((e) => e.protoFile))].sort().join(", ");
}
