/**
 * The evolution stage, between the model and the emitters: every released entity is compared with
 * its contract; forbidden changes throw (so nothing is generated), allowed ones become numbered
 * change sets, and the columns of removed fields stay in the table. The model is left as it is:
 * what the release changes is in the Evolution this returns.
 */
import { createHash } from "node:crypto";
import { PLUGIN_OPTIONS_LOCATION } from "../model/entity-declarations.js";
import { Problems } from "../model/errors.js";
import { tableSchema, type RetiredColumn } from "../physical/table-schema.js";
import { entityTopicSchema } from "../physical/topic-schema.js";
import { printTopicSchema } from "../physical/topic-schema-text.js";
import { didYouMean } from "../suggestions.js";
import type { Entity, Model } from "../model/types.js";
import { diffEntity, type EntityDiff } from "./diff.js";
import type { ChangeSet, Evolution, RetiredEntity } from "./evolution.js";
import { MAX_PUBSUB_SCHEMA_REVISIONS, type LockedEntity, type LockedPubSubSchema, type LockFile } from "./lock.js";
import { topicScope } from "./topic-tree.js";
import { envelopePresence } from "./envelope-presence.js";

/**
 * The model compared with the lock; throws ContractErrors listing every forbidden change.
 * `retire` names released entities removed on purpose (plugin option retire=); `widen` the
 * columns whose widening the team migrates before `tofu apply` (plugin option widen=).
 */
export function evolve(model: Model, lock: LockFile, retire: ReadonlySet<string>, widen: ReadonlySet<string>): Evolution {
  const problems = new Problems();
  const diffs = new Map<string, EntityDiff>();
  const pubsubSchemas = new Map<string, LockedPubSubSchema>();
  for (const entity of model.entities) {
    const released = lock.entities[entity.typeName];
    if (released?.retired === true) {
      problems.add(entity.location, entity.typeName,
        `was retired in an earlier release (its table ${released.dataset}.${released.table} keeps the old events), so the name cannot become an entity again.`,
        "give the new contract another message name or package version (for example .v2), with its own topic and table.");
    } else if (released !== undefined) {
      diffs.set(entity.typeName, diffEntity(entity, released, problems, widen, envelopePresence(released)));
    }
    const pubsubSchema = nextPubSubSchema(entity, released, diffs.get(entity.typeName));
    pubsubSchemas.set(entity.typeName, pubsubSchema);
    if (pubsubSchema.revisions > MAX_PUBSUB_SCHEMA_REVISIONS) revisionLimitProblem(problems, entity, pubsubSchema);
  }
  checkWidenOptions(model, widen, problems);
  const retired = retiredEntities(model, lock, retire, problems);
  problems.throwIfAny();

  const retiredColumns = new Map<Entity, readonly RetiredColumn[]>();
  for (const entity of model.entities) {
    const columns = diffs.get(entity.typeName)?.retired ?? [];
    if (columns.length > 0) retiredColumns.set(entity, columns);
  }
  return {
    released: lock,
    changeSets: numberChangeSets(model.entities, diffs, lock),
    nextEntities: nextEntities(model.entities, diffs, pubsubSchemas, lock, retired, retiredColumns),
    retired,
    retiredColumns,
  };
}

/**
 * Released entities that are no longer declared. Their producers' event class would vanish from
 * the package and their table stop receiving events, so this must be said, not inferred: each
 * needs `retire=` (or an earlier release that recorded it as retired).
 */
function retiredEntities(model: Model, lock: LockFile, retire: ReadonlySet<string>, problems: Problems): RetiredEntity[] {
  const declared = new Set(model.entities.map((e) => e.typeName));
  const retired: RetiredEntity[] = [];
  for (const typeName of Object.keys(lock.entities).sort()) {
    const released = lock.entities[typeName];
    if (declared.has(typeName)) continue;
    if (released.retired === true || retire.has(typeName)) {
      retired.push({ typeName, released });
      continue;
    }
    const renamed = model.entities.find((e) => e.dataset === released.dataset && e.table === released.table);
    problems.add({ file: released.source, line: 0, column: 0 }, typeName,
      `was released (topic ${released.topic}, table ${released.dataset}.${released.table}) and is no longer an entity: ` +
      `its event class would disappear from the TypeScript package, breaking every producer that imports it, and its table would stop receiving events.` +
      (renamed === undefined ? didYouMean(typeName, declared) : ` ${renamed.typeName} now writes its table: a rename is a new entity with its own table.`),
      `restore the message (and its annotation or entity= option); or, to retire it on purpose, add the plugin option retire=${typeName} to buf.gen.yaml: ` +
      "the next release records it as retired in the lock, and its table, topic and dbt source stay documented as retired.");
  }
  for (const typeName of [...retire].sort()) {
    if (declared.has(typeName)) {
      problems.add(PLUGIN_OPTIONS_LOCATION, `retire=${typeName}`, `${typeName} is still an entity of this run.`,
        "remove the message (or its annotation) to retire it, or remove retire= to keep it.");
    } else if (lock.entities[typeName] === undefined) {
      problems.add(PLUGIN_OPTIONS_LOCATION, `retire=${typeName}`, `${typeName} was never released.${didYouMean(typeName, Object.keys(lock.entities))}`,
        "an entity that was never released needs no retirement: remove retire=.");
    }
  }
  return retired;
}

/** A `widen=` that names no column would leave the widening it meant refused: say which names exist. */
function checkWidenOptions(model: Model, widen: ReadonlySet<string>, problems: Problems): void {
  for (const path of [...widen].sort()) {
    const entity = model.entities.find((e) => path.startsWith(`${e.typeName}.`));
    if (entity === undefined) {
      problems.add(PLUGIN_OPTIONS_LOCATION, `widen=${path}`, `names no entity of this run.${didYouMean(path, model.entities.map((e) => e.typeName))}`,
        "write widen=<package.Message>.<column>, naming a top-level column of an entity.");
      continue;
    }
    const column = path.slice(entity.typeName.length + 1);
    const names = tableSchema(entity).map((c) => c.name);
    if (!names.includes(column)) {
      problems.add(PLUGIN_OPTIONS_LOCATION, `widen=${path}`, `${entity.typeName} has no top-level column "${column}".${didYouMean(column, names)}`,
        "name a top-level column of the entity's table (BigQuery widens only those).");
    }
  }
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

/** What the lock records after this release; retired entities stay, marked as retired. */
function nextEntities(
  entities: readonly Entity[],
  diffs: ReadonlyMap<string, EntityDiff>,
  pubsubSchemas: ReadonlyMap<string, LockedPubSubSchema>,
  lock: LockFile,
  retired: readonly RetiredEntity[],
  retiredColumns: ReadonlyMap<Entity, readonly RetiredColumn[]>,
): Record<string, LockedEntity> {
  const next: Record<string, LockedEntity> = { ...lock.entities };
  for (const { typeName, released } of retired) next[typeName] = { ...released, retired: true };
  for (const entity of entities) {
    const diff = diffs.get(entity.typeName);
    next[entity.typeName] = {
      source: entity.protoFile,
      topic: entity.topic,
      dataset: entity.dataset,
      table: entity.table,
      partitioning: { column: entity.partitioning.column, type: entity.partitioning.columnType, granularity: entity.partitioning.granularity },
      topicSchema: diff?.topicSchema ?? topicScope(entity.columns, envelopePresence(lock.entities[entity.typeName])),
      columns: diff?.columns ?? tableSchema(entity, retiredColumns.get(entity)),
      pubsubSchema: pubsubSchemas.get(entity.typeName),
    };
  }
  return next;
}

/**
 * The Pub/Sub schema after releasing this contract: the Terraform module commits a changed
 * definition (a field, a comment, anything in its text) as a new revision of the released schema.
 */
function nextPubSubSchema(entity: Entity, released: LockedEntity | undefined, diff: EntityDiff | undefined): LockedPubSubSchema {
  const envelope = envelopePresence(released);
  const digest = `sha256:${createHash("sha256").update(printTopicSchema(entityTopicSchema(entity, envelope).schema)).digest("hex")}`;
  if (released === undefined) return { revisions: 1, digest };
  const was = released.pubsubSchema;
  // A lock written before revisions were counted: its release was at least revision 1, and only
  // a changed field tree, not a changed comment, can be told from it.
  if (was === undefined) return { revisions: diff?.topicChanged === true ? 2 : 1, digest };
  return { revisions: was.digest === digest ? was.revisions : was.revisions + 1, digest };
}

function revisionLimitProblem(problems: Problems, entity: Entity, next: LockedPubSubSchema): void {
  problems.add(entity.location, entity.typeName,
    `changes the topic schema, which the Terraform module would commit as revision ${next.revisions} of the Pub/Sub schema ${entity.topic}: ` +
      `Pub/Sub keeps at most ${MAX_PUBSUB_SCHEMA_REVISIONS} revisions of a schema and refuses the commit, so \`tofu apply\` would fail half-way.`,
    `delete revisions that no topic pins and no message still in retention was validated against ` +
      `(\`gcloud pubsub schemas list-revisions ${entity.topic}\`, then \`gcloud pubsub schemas delete-revision ${entity.topic}@<revision id>\`), ` +
      `and set "revisions" of ${entity.typeName}'s "pubsubSchema" in the lock to the number left; or keep the topic schema as released.`);
}
