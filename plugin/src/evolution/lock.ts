/**
 * The lock file: what production runs, per entity — its released topic schema (field names,
 * numbers and types, and the numbers of removed fields, which are never given out again) and its
 * BigQuery table (the schema `bq show --schema` would print) — plus every released migration, so
 * that generation keeps emitting them. `protoc-gen-entity release` writes it; generation only
 * reads it. It is committed next to generated/ and reviewed like code, so it is printed
 * deterministically, one short object per line.
 */
import type { BigQueryField } from "../physical/table-schema.js";
import type { PartitionGranularity, WireScalar } from "../model/types.js";

export const LOCK_VERSION = 1;

export interface LockFile {
  readonly lockVersion: typeof LOCK_VERSION;
  /** By fully qualified message name. */
  readonly entities: Readonly<Record<string, LockedEntity>>;
  /** Released migrations, by dataset and number. */
  readonly migrations: readonly LockedMigration[];
  /** The generated TypeScript package as last released; absent before its first release. */
  readonly package?: LockedPackage;
}

/**
 * The released TypeScript package: its version, which generation writes into its package.json,
 * and a digest of its files, by which `release` tells a documentation-only change (a patch) from
 * no change at all (nothing to release).
 */
export interface LockedPackage {
  readonly version: string;
  /** `sha256:<hex>` of the package's generated files (package.json, the API report and the changelog aside). */
  readonly digest: string;
}

export interface LockedEntity {
  /** The .proto file that declared it, for messages. */
  readonly source: string;
  readonly topic: string;
  readonly dataset: string;
  readonly table: string;
  readonly partitioning: LockedPartitioning;
  /** The topic schema's fields, by message scope. */
  readonly topicSchema: LockedScope;
  /** The table as production has it: column order as BigQuery keeps it, retired columns included. */
  readonly columns: readonly BigQueryField[];
  /**
   * The Pub/Sub schema as released: every changed definition is committed as a new revision, and
   * Pub/Sub keeps at most MAX_PUBSUB_SCHEMA_REVISIONS of them. Absent in locks written before it
   * was recorded; counting starts at their next release.
   */
  readonly pubsubSchema?: LockedPubSubSchema;
  /**
   * Retired on purpose (plugin option `retire=`): the contract is gone, the table and its history
   * stay, and generation documents it as retired instead of failing on the missing entity.
   */
  readonly retired?: true;
}

export interface LockedPubSubSchema {
  /**
   * How many revisions the schema holds. Each release with a changed definition adds one; after
   * deleting old revisions (`gcloud pubsub schemas delete-revision`), set it to what
   * `gcloud pubsub schemas list-revisions` lists.
   */
  readonly revisions: number;
  /** `sha256:<hex>` of the definition as the Terraform module commits it. */
  readonly digest: string;
}

/** Pub/Sub refuses to commit a revision beyond this many per schema. */
export const MAX_PUBSUB_SCHEMA_REVISIONS = 20;

export interface LockedPartitioning {
  readonly column: string;
  readonly type: string;
  readonly granularity: PartitionGranularity;
}

/** The fields of one message of the topic schema. */
export interface LockedScope {
  readonly fields: readonly LockedTopicField[];
  /** Fields removed since their release: their numbers stay taken. */
  readonly retired?: readonly LockedRetiredField[];
}

export interface LockedRetiredField {
  readonly name: string;
  readonly number: number;
  readonly type: WireScalar | "message";
  readonly repeated: boolean;
}

export interface LockedTopicField extends LockedRetiredField {
  /** The fields of a message-typed field. */
  readonly message?: LockedScope;
  /** proto2 `required` (the envelope fields of a topic schema released with a required envelope); absent means optional. */
  readonly required?: true;
}

export interface LockedMigration {
  readonly dataset: string;
  readonly number: number;
  /** The entity whose table it changes. */
  readonly entity: string;
  /**
   * The migration's SQL without its first line, the generated-file header, which generation adds
   * (`source` names the .proto it cites): the lock is not a generated file and must not say it is.
   */
  readonly sql: { readonly file: string; readonly source: string; readonly lines: readonly string[] };
  /** The table's full schema after the SQL, for `bq update` (changes DDL cannot make). */
  readonly schemaPatch?: { readonly file: string; readonly fields: readonly BigQueryField[] };
}

export function emptyLock(): LockFile {
  return { lockVersion: LOCK_VERSION, entities: {}, migrations: [] };
}

export class LockFileError extends Error {
  constructor(
    path: string,
    where: string,
    problem: string,
    fix = "the lock is written by `protoc-gen-entity release`; restore it from version control (git checkout -- <lock>) rather than editing it.",
  ) {
    super(`${path}: ${where ? `${where}: ` : ""}${problem}\n  fix: ${fix}`);
    this.name = "LockFileError";
  }
}

/** Parses and checks a lock file's text; throws LockFileError naming the first bad spot. */
export function parseLock(text: string, path: string): LockFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LockFileError(path, "", `is not JSON (${(error as Error).message}).`);
  }
  const read = new Reader(path);
  const root = read.object(json, "");
  const version = root.lockVersion;
  if (version !== LOCK_VERSION) {
    throw new LockFileError(path, "lockVersion", `is ${JSON.stringify(version)}; this protoc-gen-entity reads version ${LOCK_VERSION}. Upgrade protoc-gen-entity.`);
  }
  const entities: Record<string, LockedEntity> = {};
  for (const [name, value] of Object.entries(read.object(root.entities, "entities"))) {
    entities[name] = read.entity(value, `entities["${name}"]`);
  }
  const migrations = read.array(root.migrations, "migrations").map((m, i) => read.migration(m, `migrations[${i}]`));
  if (root.package === undefined) return { lockVersion: LOCK_VERSION, entities, migrations };
  return { lockVersion: LOCK_VERSION, entities, migrations, package: read.package(root.package, "package") };
}

type Json = Record<string, unknown>;

const WIRE_TYPES = new Set(["double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes", "message"]);
const GRANULARITIES = new Set(["HOUR", "DAY", "MONTH", "YEAR"]);
const MODES = new Set(["NULLABLE", "REQUIRED", "REPEATED"]);
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Checks one shape at a time, naming the path of anything that does not fit. */
class Reader {
  constructor(private readonly path: string) {}

  fail(where: string, problem: string): never {
    throw new LockFileError(this.path, where, problem);
  }

  object(value: unknown, where: string): Json {
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.fail(where, "must be an object.");
    return value as Json;
  }

  array(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) this.fail(where, "must be an array.");
    return value;
  }

  string(value: unknown, where: string): string {
    if (typeof value !== "string" || value === "") this.fail(where, "must be a non-empty string.");
    return value;
  }

  number(value: unknown, where: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) this.fail(where, "must be a positive integer.");
    return value;
  }

  boolean(value: unknown, where: string): boolean {
    if (typeof value !== "boolean") this.fail(where, "must be true or false.");
    return value;
  }

  oneOf<T extends string>(value: unknown, allowed: ReadonlySet<string>, where: string): T {
    if (typeof value !== "string" || !allowed.has(value)) this.fail(where, `must be one of ${[...allowed].join(", ")}.`);
    return value as T;
  }

  entity(value: unknown, where: string): LockedEntity {
    const o = this.object(value, where);
    const p = this.object(o.partitioning, `${where}.partitioning`);
    return {
      source: this.string(o.source, `${where}.source`),
      topic: this.string(o.topic, `${where}.topic`),
      dataset: this.string(o.dataset, `${where}.dataset`),
      table: this.string(o.table, `${where}.table`),
      partitioning: {
        column: this.string(p.column, `${where}.partitioning.column`),
        type: this.string(p.type, `${where}.partitioning.type`),
        granularity: this.oneOf(p.granularity, GRANULARITIES, `${where}.partitioning.granularity`),
      },
      topicSchema: this.scope(o.topicSchema, `${where}.topicSchema`),
      columns: this.columns(o.columns, `${where}.columns`),
      ...(o.pubsubSchema === undefined ? {} : { pubsubSchema: this.pubsubSchema(o.pubsubSchema, `${where}.pubsubSchema`) }),
      ...(o.retired === undefined ? {} : { retired: this.literalTrue(o.retired, `${where}.retired`) }),
    };
  }

  literalTrue(value: unknown, where: string): true {
    if (value !== true) this.fail(where, "must be true when present.");
    return true;
  }

  scope(value: unknown, where: string): LockedScope {
    const o = this.object(value, where);
    const fields = this.array(o.fields, `${where}.fields`).map((f, i) => this.topicField(f, `${where}.fields[${i}]`));
    if (o.retired === undefined) return { fields };
    const retired = this.array(o.retired, `${where}.retired`).map((f, i) => this.retiredField(f, `${where}.retired[${i}]`));
    return { fields, retired };
  }

  retiredField(value: unknown, where: string): LockedRetiredField {
    const o = this.object(value, where);
    return {
      name: this.string(o.name, `${where}.name`),
      number: this.number(o.number, `${where}.number`),
      type: this.oneOf(o.type, WIRE_TYPES, `${where}.type`),
      repeated: this.boolean(o.repeated, `${where}.repeated`),
    };
  }

  topicField(value: unknown, where: string): LockedTopicField {
    const retired = this.retiredField(value, where);
    const { message, required } = value as Json;
    if ((retired.type === "message") !== (message !== undefined)) {
      this.fail(where, "a field of type message, and only such a field, has `message`.");
    }
    if (required !== undefined && required !== true) this.fail(`${where}.required`, "must be true, or absent for an optional field.");
    const field: LockedTopicField = required === true ? { ...retired, required: true } : retired;
    return message === undefined ? field : { ...field, message: this.scope(message, `${where}.message`) };
  }

  columns(value: unknown, where: string): BigQueryField[] {
    return this.array(value, where).map((c, i) => this.column(c, `${where}[${i}]`));
  }

  column(value: unknown, where: string): BigQueryField {
    const o = this.object(value, where);
    const field: { -readonly [K in keyof BigQueryField]: BigQueryField[K] } = {
      name: this.string(o.name, `${where}.name`),
      type: this.string(o.type, `${where}.type`) as BigQueryField["type"],
      mode: this.oneOf(o.mode, MODES, `${where}.mode`),
    };
    if (o.description !== undefined) {
      if (typeof o.description !== "string") this.fail(`${where}.description`, "must be a string.");
      field.description = o.description;
    }
    if (o.fields !== undefined) field.fields = this.columns(o.fields, `${where}.fields`);
    if (o.policyTags !== undefined) {
      const names = this.array(this.object(o.policyTags, `${where}.policyTags`).names, `${where}.policyTags.names`);
      field.policyTags = { names: names.map((n, i) => this.string(n, `${where}.policyTags.names[${i}]`)) };
    }
    return field;
  }

  package(value: unknown, where: string): LockedPackage {
    const o = this.object(value, where);
    const version = this.string(o.version, `${where}.version`);
    if (!SEMVER.test(version)) this.fail(`${where}.version`, "must be a semantic version (1.2.3).");
    return { version, digest: this.digest(o.digest, `${where}.digest`) };
  }

  pubsubSchema(value: unknown, where: string): LockedPubSubSchema {
    const o = this.object(value, where);
    return { revisions: this.number(o.revisions, `${where}.revisions`), digest: this.digest(o.digest, `${where}.digest`) };
  }

  digest(value: unknown, where: string): string {
    const digest = this.string(value, where);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) this.fail(where, "must be sha256:<64 hex digits>.");
    return digest;
  }

  migration(value: unknown, where: string): LockedMigration {
    const o = this.object(value, where);
    const sql = this.object(o.sql, `${where}.sql`);
    const migration: LockedMigration = {
      dataset: this.string(o.dataset, `${where}.dataset`),
      number: this.number(o.number, `${where}.number`),
      entity: this.string(o.entity, `${where}.entity`),
      sql: {
        file: this.string(sql.file, `${where}.sql.file`),
        source: this.string(sql.source, `${where}.sql.source`),
        lines: this.array(sql.lines, `${where}.sql.lines`).map((l, i) => {
          if (typeof l !== "string") this.fail(`${where}.sql.lines[${i}]`, "must be a string.");
          return l;
        }),
      },
    };
    if (o.schemaPatch === undefined) return migration;
    const patch = this.object(o.schemaPatch, `${where}.schemaPatch`);
    return {
      ...migration,
      schemaPatch: { file: this.string(patch.file, `${where}.schemaPatch.file`), fields: this.columns(patch.fields, `${where}.schemaPatch.fields`) },
    };
  }
}

/**
 * The lock as text: entities by name, migrations by dataset and number, keys in a fixed order,
 * and every object that fits on a line printed on one, so that a release reads as a short diff.
 */
export function printLock(lock: LockFile): string {
  const entities: Record<string, unknown> = {};
  for (const name of Object.keys(lock.entities).sort()) entities[name] = orderedEntity(lock.entities[name]);
  const migrations = [...lock.migrations]
    .sort((a, b) => a.dataset.localeCompare(b.dataset) || a.number - b.number)
    .map(orderedMigration);
  const released = lock.package === undefined ? undefined : { version: lock.package.version, digest: lock.package.digest };
  return printJson({ lockVersion: lock.lockVersion, package: released, entities, migrations }, "") + "\n";
}

function orderedEntity(e: LockedEntity): Json {
  return {
    source: e.source,
    topic: e.topic,
    dataset: e.dataset,
    table: e.table,
    partitioning: { column: e.partitioning.column, type: e.partitioning.type, granularity: e.partitioning.granularity },
    topicSchema: orderedScope(e.topicSchema),
    columns: e.columns.map(orderedColumn),
    pubsubSchema: e.pubsubSchema === undefined ? undefined : { revisions: e.pubsubSchema.revisions, digest: e.pubsubSchema.digest },
    retired: e.retired,
  };
}

function orderedScope(scope: LockedScope): Json {
  return {
    fields: scope.fields.map((f) => ({
      name: f.name,
      number: f.number,
      type: f.type,
      repeated: f.repeated,
      ...(f.required === true ? { required: true } : {}),
      ...(f.message !== undefined ? { message: orderedScope(f.message) } : {}),
    })),
    ...(scope.retired !== undefined && scope.retired.length > 0
      ? { retired: [...scope.retired].sort((a, b) => a.number - b.number).map((f) => ({ name: f.name, number: f.number, type: f.type, repeated: f.repeated })) }
      : {}),
  };
}

export function orderedColumn(c: BigQueryField): Json {
  return {
    name: c.name,
    type: c.type,
    mode: c.mode,
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.fields !== undefined ? { fields: c.fields.map(orderedColumn) } : {}),
    ...(c.policyTags !== undefined ? { policyTags: { names: [...c.policyTags.names] } } : {}),
  };
}

function orderedMigration(m: LockedMigration): Json {
  return {
    dataset: m.dataset,
    number: m.number,
    entity: m.entity,
    sql: { file: m.sql.file, source: m.sql.source, lines: [...m.sql.lines] },
    ...(m.schemaPatch !== undefined ? { schemaPatch: { file: m.schemaPatch.file, fields: m.schemaPatch.fields.map(orderedColumn) } } : {}),
  };
}

const LINE_WIDTH = 120;

/** JSON with two-space indentation, except that arrays of strings and objects that fit stay on one line. */
function printJson(value: unknown, indent: string): string {
  const flat = inline(value);
  const expandAnyway = typeof value === "object" && value !== null && !Array.isArray(value) && hasNestedArrayOfObjects(value);
  if (typeof value !== "object" || value === null || (indent.length + flat.length <= LINE_WIDTH && !expandAnyway)) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + printJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Json).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${printJson(v, inner)}`).join(",\n")}\n${indent}}`;
}

/** JSON on one line, with a space after `:` and `,`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value as Json).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Columns with fields and scopes with fields read better expanded, even when short. */
function hasNestedArrayOfObjects(value: unknown): boolean {
  return Object.values(value as Json).some((v) => Array.isArray(v) && v.some((e) => typeof e === "object" && e !== null));
}
