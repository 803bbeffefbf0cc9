/**
 * The LookML names and views of a model's entities, worked out once per model for the two
 * formats that need them: the LookML project writes the views, the catalog points every column
 * at its LookML field. Only the names are kept here; the views are made on each call, never held,
 * so that the run does not hold most of the LookML output in memory. The sources are not kept
 * either: the LookML project keeps each from the view file that makes its views while it writes
 * its files, the catalog makes each page's anew, and nothing holds a thousand entities' fields to
 * the end of the run.
 */
import type { Entity, Model } from "../model/types.js";
import { entityViewNames, entityViews, eventsFieldOf, exploreSourceOf, type EntityExploreSource, type EntityLookml } from "./entity-views.js";
import { entityLookmlNames, type EntityLookmlNames } from "./lookml-names.js";

export interface LookmlSemantics {
  readonly names: ReadonlyMap<Entity, EntityLookmlNames>;
  /** The names of the entity's views, once its field names are checked (a clash is refused): made on every call, far cheaper than source. */
  viewNames(entity: Entity): string[];
  /** The entity's views without their blocks: view names, joins, references, the field of each column (made on every call). */
  source(entity: Entity): EntityExploreSource;
  /** The entity's views with their blocks, built anew on every call (to be printed, then dropped). */
  views(entity: Entity): EntityLookml;
  /** The LookML field of each column of the entity's table (its events views), made on every call from the field names alone (no view is made). */
  eventsFieldOf(entity: Entity): ReadonlyMap<string, string>;
}

const byModel = new WeakMap<Model, LookmlSemantics>();

export function lookmlSemantics(model: Model): LookmlSemantics {
  let semantics = byModel.get(model);
  if (semantics === undefined) {
    const names = entityLookmlNames(model.entities);
    const views = (entity: Entity) => entityViews(entity, names.get(entity)!);
    semantics = {
      names,
      views,
      viewNames(entity) {
        return entityViewNames(entity, names.get(entity)!);
      },
      source(entity) {
        return exploreSourceOf(views(entity));
      },
      eventsFieldOf(entity) {
        return eventsFieldOf(entity, names.get(entity)!);
      },
    };
    byModel.set(model, semantics);
  }
  return semantics;
}
