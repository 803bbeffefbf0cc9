/**
 * Applies the released state to a freshly built model: every released entity is compared with its
 * contract; forbidden changes throw (so nothing is generated), allowed ones become numbered change
 * sets, and the columns of removed fields stay in the table.
 */
import { tableSchema } from "../emit/bigquery/table-schema.js";
import { Problems } from "../model/errors.js";
import type { Entity, Model } from "../model/types.js";
import { diffEntity, type EntityDiff } from "./diff.js";
import type { ChangeSet, Evolution } from "./evolution.js";
import type { LockedEntity, LockFile } from "./lock.js";
import { topicScope } from "./topic-tree.js";

/** The model with the lock applied; throws ContractErrors listing every forbidden change. */
export function evolveModel(model: Model, lock: LockFile): Model {
  const problems = new Problems();
  const diffs = new Map<string, EntityDiff>();
  for (const entity of model.entities) {
    const released = lock.entities[entity.typeName];
    if (released !== undefined) diffs.set(entity.typeName, diffEntity(entity, released, problems));
  }
  problems.throwIfAny();

  const entities = model.entities.map((entity): Entity => {
    const retired = diffs.get(entity.typeName)?.retired ?? [];
    return retired.length > 0 ? { ...entity, retiredColumns: retired } : entity;
  });
  const evolution: Evolution = {
    released: lock,
    changeSets: numberChangeSets(entities, diffs, lock),
    nextEntities: nextEntities(entities, diffs, lock),
  };
  return { ...model, entities, evolution };
}

/** One change set per changed entity, numbered per dataset after the released migrations. */
function numberChangeSets(entities: readonly Entity[], diffs: ReadonlyMap<string, EntityDiff>, lock: LockFile): ChangeSet[] {
  const lastNumber = new Map<string, number>();
  for (const m of lock.migrations) lastNumber.set(m.dataset, Math.max(lastNumber.get(m.dataset) ?? 0, m.number));
  const changeSets: ChangeSet[] = [];
  for (const entity of [...entities].sort((a, b) => a.typeName.localeCompare(b.typeName))) {
    const diff = diffs.get(entity.typeName);
    if (diff === undefined || (diff.statements.length === 0 && !diff.patchNeeded)) continue;
    const number = (lastNumber.get(entity.dataset) ?? 0) + 1;
    lastNumber.set(entity.dataset, number);
    changeSets.push({
      entity,
      number,
      statements: diff.statements,
      schemaPatch: diff.patchNeeded ? diff.columns : undefined,
      summary: diff.summary,
      newTopicRevision: diff.topicChanged,
    });
  }
  return changeSets;
}

/** What the lock records after this release; released entities no longer declared stay as they were. */
function nextEntities(entities: readonly Entity[], diffs: ReadonlyMap<string, EntityDiff>, lock: LockFile): Record<string, LockedEntity> {
  const next: Record<string, LockedEntity> = { ...lock.entities };
  for (const entity of entities) {
    const diff = diffs.get(entity.typeName);
    next[entity.typeName] = {
      source: entity.protoFile,
      topic: entity.topic,
      dataset: entity.dataset,
      table: entity.table,
      partitioning: { column: entity.partitioning.column, type: entity.partitioning.columnType, granularity: entity.partitioning.granularity },
      topicSchema: diff?.topicSchema ?? topicScope(entity.columns),
      columns: diff?.columns ?? tableSchema(entity),
    };
  }
  return next;
}
