/**
 * Compares one entity with its released state, level by level: topic fields by number (the
 * Pub/Sub revision rule and protobuf's numbering), table columns by name (BigQuery's ALTER rules).
 * Allowed changes become table changes; forbidden ones become problems naming the field, its
 * released and new definitions, the rule and the way out.
 */
import { sqlType, tableSchema, type BigQueryField, type RetiredColumn } from "../physical/table-schema.js";
import { fitDescription } from "../model/descriptions.js";
import type { Problems } from "../model/errors.js";
import type { Column, Entity, SourceLocation } from "../model/types.js";
import type { TableChange } from "./evolution.js";
import type { LockedEntity, LockedRetiredField, LockedScope, LockedTopicField } from "./lock.js";
import { isWidening, majorVersionWayOut, RULES } from "./rules.js";
import { topicDefinition, topicField } from "./topic-tree.js";
import type { EnvelopePresence } from "../physical/topic-schema.js";

export interface EntityDiff {
  /** Top-level DDL changes, in the order to apply them. */
  readonly statements: readonly TableChange[];
  /** Some change needs the JSON schema patch (fields inside a STRUCT, nested descriptions, policy tags). */
  readonly patchNeeded: boolean;
  readonly summary: readonly string[];
  readonly topicChanged: boolean;
  /** The table after the change set, in production's column order (BigQuery appends new columns). */
  readonly columns: readonly BigQueryField[];
  /** The topic schema after the change set, with the numbers of removed fields. */
  readonly topicSchema: LockedScope;
  /** Columns the table keeps for removed fields. */
  readonly retired: readonly RetiredColumn[];
}

interface DiffContext {
  readonly entity: Entity;
  /** How this run's topic schema declares the envelope (envelope-presence.ts). */
  readonly envelope: EnvelopePresence;
  readonly problems: Problems;
  /** Top-level columns the team widens by migration before `tofu apply` (plugin option widen=). */
  readonly widen: ReadonlySet<string>;
  readonly additions: TableChange[];
  readonly alterations: TableChange[];
  readonly summary: string[];
  patchNeeded: boolean;
  topicChanged: boolean;
}

/** One level of the tree: the top-level columns, or the fields of one STRUCT. */
interface Level {
  readonly path: readonly string[];
  /** The model's columns at this level (the topic's fields). */
  readonly live: readonly Column[];
  /** The freshly generated table fields at this level (at the top, the metadata columns too). */
  readonly fresh: readonly BigQueryField[];
  readonly released: readonly BigQueryField[];
  readonly scope: LockedScope;
}

interface LevelResult {
  readonly columns: BigQueryField[];
  readonly scope: LockedScope;
}

/** Field numbers from here up belong to the envelope and the nest column, never to entity fields. */
const RESERVED_NUMBERS_START = 100_000;

export function diffEntity(entity: Entity, released: LockedEntity, problems: Problems, widen: ReadonlySet<string>, envelope: EnvelopePresence): EntityDiff {
  const ctx: DiffContext = { entity, envelope, problems, widen, additions: [], alterations: [], summary: [], patchNeeded: false, topicChanged: false };
  checkPlacement(ctx, released);
  const result = diffLevel(ctx, { path: [], live: entity.columns, fresh: tableSchema(entity), released: released.columns, scope: released.topicSchema });
  return {
    statements: [...ctx.additions, ...ctx.alterations],
    patchNeeded: ctx.patchNeeded,
    summary: ctx.summary,
    topicChanged: ctx.topicChanged,
    columns: result.columns,
    topicSchema: result.scope,
    retired: retiredColumns(result.columns, tableSchema(entity), []),
  };
}

/** The topic, the table and its partitioning are fixed once released. */
function checkPlacement(ctx: DiffContext, released: LockedEntity): void {
  const { entity } = ctx;
  const was = `topic ${released.topic}, table ${released.dataset}.${released.table}`;
  const now = `topic ${entity.topic}, table ${entity.dataset}.${entity.table}`;
  if (was !== now) {
    ctx.problems.add(entity.location, entity.typeName, `moves from the released ${was} to ${now}: ${RULES.moved}.`,
      `keep topic "${released.topic}", dataset "${released.dataset}" and table "${released.table}" in (entity.v1.entity), ${majorVersionWayOut(entity)}`);
  }
  const p = entity.partitioning;
  const old = released.partitioning;
  if (p.column !== old.column || p.columnType !== old.type || p.granularity !== old.granularity) {
    ctx.problems.add(
      entity.location,
      entity.typeName,
      `changes the table's partitioning from the released ${old.column} (${old.type}, by ${old.granularity}) to ${p.column} (${p.columnType}, by ${p.granularity}): ${RULES.partitioning}.`,
      `restore partitioning {column: "${old.column}", granularity: ${old.granularity}} in (entity.v1.entity) (and the type of ${old.column}), ${majorVersionWayOut(entity)}`,
    );
  }
}

function diffLevel(ctx: DiffContext, level: Level): LevelResult {
  const topic = diffTopicFields(ctx, level);
  const freshByName = new Map(level.fresh.map((f) => [f.name, f]));
  const liveByName = new Map(level.live.map((c) => [c.name, c]));
  const releasedNames = new Set(level.released.map((c) => c.name));
  const nestedScopes = new Map<string, LockedScope>();
  const columns: BigQueryField[] = [];
  for (const old of level.released) {
    const now = freshByName.get(old.name);
    const column = liveByName.get(old.name);
    if (now === undefined) columns.push(keepRetired(ctx, level, old, topic.removed.get(old.name)));
    else if (column !== undefined && topic.broken.has(column)) columns.push(old);
    else columns.push(mergeColumn(ctx, level, old, now, column, nestedScopes));
  }
  for (const now of level.fresh) {
    const column = liveByName.get(now.name);
    if (releasedNames.has(now.name) || (column !== undefined && topic.broken.has(column))) continue;
    columns.push(addColumn(ctx, level, now));
  }
  const released = new Map(level.scope.fields.map((f) => [f.number, f]));
  const fields = level.live.map((c): LockedTopicField => {
    const nested = nestedScopes.get(c.name);
    const kept = released.get(c.wire.number);
    return nested !== undefined && kept?.name === c.name ? { ...topicField(c, ctx.envelope), message: nested } : topicField(c, ctx.envelope);
  });
  const retired = [...(level.scope.retired ?? []), ...[...topic.removed.values()].map(retiredTopicField)];
  return { columns, scope: retired.length > 0 ? { fields, retired } : { fields } };
}

interface TopicDiff {
  /** Columns whose topic field changed in a forbidden way: already reported, left out of the table diff. */
  readonly broken: Set<Column>;
  /** Released fields no longer in the contract, by name. */
  readonly removed: Map<string, LockedTopicField>;
}

function diffTopicFields(ctx: DiffContext, level: Level): TopicDiff {
  const { scope } = level;
  const byNumber = new Map(scope.fields.map((f) => [f.number, f]));
  const retiredByNumber = new Map((scope.retired ?? []).map((f) => [f.number, f]));
  const accounted = new Set<number>();
  const broken = new Set<Column>();
  const report = (column: Column, problem: string, fix: string) => {
    broken.add(column);
    const at = where(ctx.entity, column);
    ctx.problems.add(at.location, at.subject, problem, fix);
  };
  for (const column of level.live) {
    const number = column.wire.number;
    const released = byNumber.get(number);
    if (released !== undefined) {
      accounted.add(number);
      const edit = fieldEdit(ctx, level, released, column);
      if (edit !== undefined) report(column, edit.problem, edit.fix);
      continue;
    }
    const retired = retiredByNumber.get(number);
    if (retired !== undefined) {
      report(column, `${describeNew(ctx, column)} takes number ${number}, which the released field \`${topicDefinition(retired)}\` had until it was removed: ${RULES.fieldNumbers}.`,
        `give ${column.name} an unused number (${nextFreeNumber(level)}) and keep ${number} reserved (\`reserved ${number};\`), ${majorVersionWayOut(ctx.entity)}`);
      continue;
    }
    const sameName = scope.fields.find((f) => f.name === column.name);
    if (sameName !== undefined) {
      accounted.add(sameName.number);
      report(column, `${describeNew(ctx, column)} moves the released field \`${topicDefinition(sameName)}\` to number ${number}: to Pub/Sub and to every reader this removes field ${sameName.number} and adds field ${number}; ${RULES.fieldNumbers}.`,
        `keep number ${sameName.number} for ${column.name}, ${majorVersionWayOut(ctx.entity)}`);
      continue;
    }
    ctx.topicChanged = true;
  }
  const removed = new Map<string, LockedTopicField>();
  for (const field of scope.fields) {
    if (accounted.has(field.number)) continue;
    ctx.topicChanged = true;
    removed.set(field.name, field);
    if (field.repeated) {
      const column = level.released.find((c) => c.name === field.name);
      ctx.problems.add(ctx.entity.location, ctx.entity.typeName,
        `removes the released repeated field \`${topicDefinition(field)}\` (column ${pathText([...level.path, field.name])}${column ? ` ${columnType(column)}` : ""}): the table would keep a REPEATED column that the topic no longer fills; ${RULES.absentColumn}.`,
        `keep the field in the contract and stop filling it (mark it [deprecated = true]), ${majorVersionWayOut(ctx.entity)}`);
    }
  }
  return { broken, removed };
}

/** A forbidden edit of a released topic field, or undefined when the field is unchanged. */
function fieldEdit(ctx: DiffContext, level: Level, released: LockedTopicField, column: Column): { problem: string; fix: string } | undefined {
  const now = topicField(column, ctx.envelope);
  const oldColumn = level.released.find((c) => c.name === released.name);
  const newColumn = level.fresh.find((c) => c.name === column.name);
  const was = `\`${topicDefinition(released)}\`${oldColumn ? ` (column ${oldColumn.name} ${columnType(oldColumn)})` : ""}`;
  const becomes = `\`${topicDefinition(now)}\`${newColumn ? ` (column ${newColumn.name} ${columnType(newColumn)})` : ""}`;
  const newField = `keep field ${released.number} as released and add the new definition as a new field with an unused number (${nextFreeNumber(level)}); remove field ${released.number} later by deleting it and reserving its number and name`;
  const wayOut = `${newField}, ${majorVersionWayOut(ctx.entity)}`;
  if (now.name !== released.name) {
    const renameOnly = now.type === released.type && now.repeated === released.repeated;
    const problem = renameOnly
      ? `renames the released field ${was} to ${becomes}: ${RULES.pubsubRevision}; the subscription writes by name, so the released column would stop receiving values.`
      : `gives number ${released.number} of the released field ${was} to ${becomes}: ${RULES.pubsubRevision}; ${RULES.fieldNumbers}.`;
    return { problem, fix: `keep the name ${released.name}, or ${wayOut}` };
  }
  if (now.repeated !== released.repeated) {
    return { problem: `changes the released field ${was} to ${becomes}: ${RULES.pubsubRevision}; and the ${RULES.mode}.`, fix: wayOut };
  }
  if ((now.required === true) !== (released.required === true)) {
    return {
      problem: `changes the released field ${was} to ${becomes}: ${RULES.pubsubRevision}; a released optional field cannot become required, nor a required one optional.`,
      fix: `keep the field as released, ${majorVersionWayOut(ctx.entity)}`,
    };
  }
  if (now.type !== released.type) {
    const widening = oldColumn !== undefined && newColumn !== undefined && isWidening(oldColumn.type, newColumn.type);
    const bigQuery = widening
      ? ` BigQuery alone could widen the column (ALTER COLUMN SET DATA TYPE ${sqlType(newColumn.type)}), but the topic schema would edit field ${released.number} from ${released.type} to ${now.type}, which no revision may do.`
      : oldColumn !== undefined && newColumn !== undefined && oldColumn.type !== newColumn.type
        ? ` And the ${RULES.setDataType}.`
        : "";
    return { problem: `changes the type of the released field ${was} to ${becomes}: ${RULES.pubsubRevision}.${bigQuery}`, fix: wayOut };
  }
  return undefined;
}

/** A released column whose field is gone: the table keeps it, NULLABLE, saying so in its description. */
function keepRetired(ctx: DiffContext, level: Level, old: BigQueryField, removed: LockedTopicField | undefined): BigQueryField {
  if (removed === undefined) return old;
  const description = fitDescription(
    `Retired: field ${removed.number} was removed from the contract; the column keeps the values written before.${old.description ? ` ${old.description}` : ""}`,
  );
  const path = [...level.path, old.name];
  ctx.summary.push(`retire column ${pathText(path)}: field ${removed.number} left the topic schema; the column stays for the rows written before`);
  changeDescription(ctx, level, old.name, description);
  return { ...old, description };
}

function mergeColumn(
  ctx: DiffContext,
  level: Level,
  old: BigQueryField,
  now: BigQueryField,
  column: Column | undefined,
  nestedScopes: Map<string, LockedScope>,
): BigQueryField {
  const path = [...level.path, old.name];
  const revived = column !== undefined && !level.scope.fields.some((f) => f.name === old.name);
  if (revived && (old.type !== now.type || old.mode !== now.mode)) {
    const at = where(ctx.entity, column);
    ctx.problems.add(at.location, at.subject,
      `adds ${describeNew(ctx, column)} as column ${pathText(path)} ${columnType(now)}, but the table keeps the retired column ${pathText(path)} ${columnType(old)} of a removed field: ADD COLUMN IF NOT EXISTS would leave it ${columnType(old)}, and the ${RULES.setDataType}.`,
      `give the new field another column name (rename it, or set [(entity.v1.field).column = "<new_name>"]), ${majorVersionWayOut(ctx.entity)}`);
    return old;
  }
  if (revived) ctx.summary.push(`take back the retired column ${pathText(path)} for the new field ${column.wire.number}`);
  let type = old.type;
  if (old.type !== now.type) {
    if (isWidening(old.type, now.type) && level.path.length === 0) {
      if (ctx.widen.has(`${ctx.entity.typeName}.${old.name}`)) {
        type = now.type;
        ctx.alterations.push({ kind: "setDataType", name: old.name, from: old.type, to: now.type });
        ctx.summary.push(`widen column ${pathText(path)} from ${sqlType(old.type)} to ${sqlType(now.type)}`);
      } else {
        reportColumn(ctx, level, column, path,
          `widens column ${pathText(path)} from ${sqlType(old.type)} to ${sqlType(now.type)}. BigQuery can (ALTER COLUMN SET DATA TYPE), but the Terraform module ` +
            `declares the table with the new type, and the google provider replaces a table whose column changes type ("forces replacement"): ` +
            `applied before the migration, the plan would drop the table and its history (deletion_protection makes that apply fail instead).`,
          `run the migration before \`tofu apply\` (docs/deployment.md, "A release") and say so with the plugin option widen=${ctx.entity.typeName}.${old.name} in buf.gen.yaml; ` +
            `or keep the released type and add the wider value as a new field.`);
      }
    } else {
      reportColumn(ctx, level, column, path,
        `changes column ${pathText(path)} from ${columnType(old)} to ${columnType(now)}${column ? ` while its topic field stays \`${topicDefinition(topicField(column, ctx.envelope))}\`` : ""}: ${RULES.setDataType}.`);
    }
  }
  if (old.mode !== now.mode) {
    reportColumn(ctx, level, column, path, `changes column ${pathText(path)} from ${old.mode} to ${now.mode}: ${RULES.mode}.`);
  }
  let fields = now.fields;
  if (old.type === "RECORD" && now.type === "RECORD") {
    const releasedField = level.scope.fields.find((f) => f.name === old.name);
    const nested = diffLevel(ctx, {
      path,
      live: column?.fields ?? [],
      fresh: now.fields ?? [],
      released: old.fields ?? [],
      scope: releasedField?.message ?? { fields: [] },
    });
    fields = nested.columns;
    nestedScopes.set(old.name, nested.scope);
  }
  if ((old.description ?? "") !== (now.description ?? "")) {
    ctx.summary.push(`update the description of column ${pathText(path)}`);
    changeDescription(ctx, level, old.name, now.description ?? "");
  }
  if (JSON.stringify(old.policyTags?.names ?? []) !== JSON.stringify(now.policyTags?.names ?? [])) {
    ctx.summary.push(`set the policy tags of column ${pathText(path)} (schema patch: DDL cannot set policy tags)`);
    ctx.patchNeeded = true;
  }
  return {
    name: old.name,
    type,
    mode: old.mode,
    ...(now.description !== undefined ? { description: now.description } : {}),
    ...(fields !== undefined ? { fields } : {}),
    ...(now.policyTags !== undefined ? { policyTags: now.policyTags } : {}),
  };
}

function addColumn(ctx: DiffContext, level: Level, now: BigQueryField): BigQueryField {
  const path = [...level.path, now.name];
  if (level.path.length === 0) {
    ctx.additions.push({ kind: "addColumn", column: now });
    ctx.summary.push(`add column ${pathText(path)} ${columnType(now)}`);
  } else {
    ctx.patchNeeded = true;
    ctx.summary.push(`add field ${pathText(path)} ${columnType(now)} (schema patch: DDL cannot add a field inside a STRUCT)`);
  }
  if (hasPolicyTags(now)) {
    ctx.patchNeeded = true;
    ctx.summary.push(`set the policy tags under column ${pathText(path)} (schema patch: DDL cannot set policy tags)`);
  }
  return now;
}

function changeDescription(ctx: DiffContext, level: Level, name: string, description: string): void {
  if (level.path.length === 0) ctx.alterations.push({ kind: "setDescription", name, description });
  else ctx.patchNeeded = true;
}

/** A forbidden change of a released column, at its field's declaration; the fix defaults to the way out of any type change. */
function reportColumn(ctx: DiffContext, level: Level, column: Column | undefined, path: readonly string[], problem: string, fix?: string): void {
  const at = column !== undefined ? where(ctx.entity, column) : { location: ctx.entity.location, subject: `${ctx.entity.typeName} column ${pathText(path)}` };
  ctx.problems.add(at.location, at.subject, problem,
    fix ?? `keep the column's released type and add a new field with an unused number (${nextFreeNumber(level)}) for the new type, ${majorVersionWayOut(ctx.entity)}`);
}

function hasPolicyTags(field: BigQueryField): boolean {
  return field.policyTags !== undefined || (field.fields ?? []).some(hasPolicyTags);
}

/** The columns of `merged` that the freshly generated table does not have: the retired ones. */
function retiredColumns(merged: readonly BigQueryField[], fresh: readonly BigQueryField[], parent: readonly string[]): RetiredColumn[] {
  const freshByName = new Map(fresh.map((f) => [f.name, f]));
  return merged.flatMap((field) => {
    const now = freshByName.get(field.name);
    if (now === undefined) return [retiredColumn(field, parent)];
    return field.fields !== undefined && now.fields !== undefined ? retiredColumns(field.fields, now.fields, [...parent, field.name]) : [];
  });
}

function retiredColumn(field: BigQueryField, parent: readonly string[]): RetiredColumn {
  const path = [...parent, field.name];
  return {
    name: field.name,
    path,
    bigQueryType: sqlType(field.type),
    mode: field.mode,
    description: field.description ?? "",
    policyTag: field.policyTags?.names[0],
    fields: (field.fields ?? []).map((f) => retiredColumn(f, path)),
  };
}

function retiredTopicField(field: LockedTopicField): LockedRetiredField {
  return { name: field.name, number: field.number, type: field.type, repeated: field.repeated };
}

/** The number a new field at this level can take: above every number used or retired here. */
function nextFreeNumber(level: Level): number {
  const numbers = [...level.scope.fields, ...(level.scope.retired ?? [])].map((f) => f.number)
    .concat(level.live.map((c) => c.wire.number))
    .filter((n) => n < RESERVED_NUMBERS_START);
  return Math.max(0, ...numbers) + 1;
}

function where(entity: Entity, column: Column): { location: SourceLocation; subject: string } {
  const source = column.source;
  if (source.kind === "field") return { location: source.location, subject: source.fieldName };
  const location = source.kind === "envelope" ? entity.location : source.location;
  return { location, subject: `${entity.typeName} column ${pathText(column.path)}` };
}

function describeNew(ctx: DiffContext, column: Column): string {
  return `\`${topicDefinition(topicField(column, ctx.envelope))}\``;
}

function pathText(path: readonly string[]): string {
  return path.join(".");
}

/** `INT64`, `ARRAY<STRUCT>`: the column's type as DDL names it, without its fields. */
export function columnType(field: BigQueryField): string {
  const type = sqlType(field.type);
  return field.mode === "REPEATED" ? `ARRAY<${type}>` : type;
}
