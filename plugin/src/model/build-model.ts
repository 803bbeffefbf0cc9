/**
 * Reads the descriptors once into the normalized model (types.ts). All contract rules that are
 * not about a single field's type live here: names, the id, partitioning, clustering, limits and
 * the checks across entities.
 */
import type { DescField, DescFile, DescMessage } from "@bufbuild/protobuf";
import { EntitySchema, FieldSchema, FreshnessSchema, Granularity, OrderingKey, PartitioningSchema } from "../gen/entity/v1/options_pb.js";
import type { PluginOptions } from "../options/plugin-options.js";
import { countColumns, forgetFieldOptions, isIgnored, messageColumns, renameFix, rootPosition } from "./columns.js";
import { commentOf, fitDescription, forgetComments } from "./descriptions.js";
import { withPiiPolicyTags } from "./pii-policy-tags.js";
import { findEntityDeclarations, PLUGIN_OPTIONS_LOCATION, type EntityDeclaration } from "./entity-declarations.js";
import { ENVELOPE_FIELD_NUMBERS, envelopeColumns, METADATA_COLUMNS, NEST_FIELD_NUMBER } from "./envelope.js";
import { Problems } from "./errors.js";
import { NO_AGGREGATES } from "./shared.js";
import { forgetDeclarationSources, locationOf, settingLocationOf } from "./location.js";
import {
  columnNameProblem,
  envelopeCollision,
  metadataCollision,
  snakeCase,
  tableNameProblem,
  topicNameProblem,
} from "./naming.js";
import { didYouMean } from "../suggestions.js";
import { DescriptorLease } from "./descriptor-lease.js";
import type {
  Column,
  Entity,
  Freshness,
  FreshnessPeriod,
  Model,
  PartitionGranularity,
  Partitioning,
  SourceLocation,
} from "./types.js";

/** BigQuery's limit, nested columns included. */
export const MAX_COLUMNS = 10_000;
const CLUSTERABLE = new Set(["BIGNUMERIC", "BOOL", "DATE", "DATETIME", "INT64", "NUMERIC", "STRING", "TIMESTAMP"]);
const ID_SCALARS = new Set(["string", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"]);
const LABEL_VALUE = /^[a-z0-9_-]{1,63}$/;
const ENVELOPE_NUMBERS: ReadonlySet<number> = new Set(Object.values(ENVELOPE_FIELD_NUMBERS));

export interface ModelInput {
  /** Files buf asked us to generate: annotations are looked for here. */
  readonly files: readonly DescFile[];
  /** Every file of the request, imports included: `entity=` may select from any of them. */
  readonly allFiles: readonly DescFile[];
  readonly options: PluginOptions;
}

/**
 * Builds the model, or throws ContractErrors listing every problem found. What it reads of the
 * descriptors on the way (the source info index, the decoded field options) is let go when it
 * returns: the model holds all the emitters need.
 */
export function buildModel(input: ModelInput): Model {
  try {
    return modelOf(input);
  } finally {
    forgetDeclarationSources();
    forgetFieldOptions();
    forgetComments();
  }
}

function modelOf(input: ModelInput): Model {
  const problems = new Problems();
  const { options } = input;
  const project = options.project;
  const declarations = findEntityDeclarations(input.files, input.allFiles, options, problems);
  if (project === undefined && declarations.length > 0) {
    problems.add(PLUGIN_OPTIONS_LOCATION, "project", "no GCP project is set; BigQuery names are fully qualified.", "add the plugin option project=<gcp-project-id> to buf.gen.yaml.");
  }
  if (options.retire.size > 0 && options.lock === undefined) {
    problems.add(PLUGIN_OPTIONS_LOCATION, `retire=${[...options.retire][0]}`, "retires a released entity, but there is no released state to retire it from.",
      "add the plugin option lock=<path of the lock file> that `protoc-gen-entity release` wrote, or remove retire=.");
  }
  const descriptors = new DescriptorLease();
  const entities = declarations.map((d) => buildEntity(d, options, project ?? "", problems, descriptors));
  checkAcrossEntities(entities, problems);
  problems.throwIfAny();
  return { entities, project: project ?? "", descriptors };
}

function buildEntity(declaration: EntityDeclaration, options: PluginOptions, project: string, problems: Problems, descriptors: DescriptorLease): Entity {
  const { message, option } = declaration;
  const location = locationOf(message);
  const at = (setting: number, ...rest: number[]) => settingLocationOf(message, [setting, ...rest]);
  const subject = message.typeName;
  const annotate = (setting: string) =>
    declaration.declaredBy === "annotation"
      ? `set ${setting} in the (entity.v1.entity) option of ${message.name}.`
      : `annotate ${message.name} with (entity.v1.entity) and set ${setting}, or select another message with entity=.`;

  const topic = option.topic || snakeCase(message.name);
  const topicProblem = topicNameProblem(topic);
  if (topicProblem) problems.add(at(EntitySchema.field.topic.number), subject, `${topicProblem}.`, annotate("topic"));
  const table = option.table || topic;
  const tableProblem = tableNameProblem("table", table);
  if (tableProblem) problems.add(at(EntitySchema.field.table.number), subject, `${tableProblem}.`, annotate("table"));
  const dataset = option.dataset || options.dataset || message.file.proto.package.replace(/\./g, "_");
  const datasetProblem = tableNameProblem("dataset", dataset);
  if (datasetProblem) problems.add(at(EntitySchema.field.dataset.number), subject, `${datasetProblem}.`, `${annotate("dataset")} Or set the plugin option dataset=.`);
  if (option.owner && !LABEL_VALUE.test(option.owner)) {
    problems.add(at(EntitySchema.field.owner.number), subject, `owner "${option.owner}" is not a valid BigQuery label value.`, "use at most 63 lowercase letters, digits, _ and -.");
  }

  const nestUnder = option.nestUnder || options.nestUnder.get(message.typeName) || undefined;
  const ctx = { problems, columnRenames: options.columnRenames, ignoredFields: options.ignoredFields, columnBudget: { limit: MAX_COLUMNS, used: 0, exceeded: false }, descriptors };
  const mappedColumns = nestUnder === undefined
    ? messageColumns(message, rootPosition(message), ctx)
    : [nestColumn(message, nestUnder, location, messageColumns(message, rootPosition(message, [nestUnder]), ctx))];
  const entityColumns = withPiiPolicyTags(mappedColumns, { defaultTag: options.piiPolicyTag, problems, entityLocation: location, entityName: message.typeName });
  checkTopLevel(entityColumns, message, nestUnder !== undefined, problems);
  // Names among the entity's own columns were checked while mapping; checkTopLevel did the envelope.
  const allColumns = [...envelopeColumns(), ...entityColumns];

  const columnCount = countColumns(allColumns) + METADATA_COLUMNS.length;
  if (columnCount > MAX_COLUMNS) {
    const count = ctx.columnBudget.exceeded ? `more than ${MAX_COLUMNS}` : `${columnCount}`;
    problems.add(location, subject, `maps to ${count} columns; BigQuery allows ${MAX_COLUMNS}, nested columns included.`,
      "ignore fields the warehouse does not need with [(entity.v1.field).ignore = true], or split the entity.");
  }

  const idFix = declaration.declaredBy === "annotation"
    ? `set id_field in the (entity.v1.entity) option of ${message.name} to the path of a singular string or integer field (the default is \`id\`).`
    : `give the path of a singular string or integer field in the plugin option entity=${message.typeName}:<field.path> (the default is \`id\`).`;
  const resolvedId = resolveId(declaration, nestUnder === undefined ? entityColumns : entityColumns[0].fields, options.ignoredFields, problems, idFix);
  // An id names an entity: adding ids up means nothing, whatever the id is called.
  const { id, columns } = resolvedId !== undefined && resolvedId.column.measures.length > 0
    ? withoutIdMeasures(allColumns, resolvedId)
    : { id: resolvedId, columns: allColumns };
  const partitioning = resolvePartitioning(declaration, columns, problems, annotate);
  const clustering = resolveClustering(declaration, columns, id?.column, problems, annotate);
  return withLeasedDescriptors(descriptors, message, id?.fields ?? [], {
    messageName: message.name,
    typeName: message.typeName,
    protoPackage: message.file.proto.package,
    protoFile: message.file.proto.name,
    location,
    eventName: `${message.name}Event`,
    topic,
    table,
    dataset,
    project,
    description: fitDescription(option.description || commentOf(message)),
    owner: option.owner || undefined,
    columns,
    metadataColumns: METADATA_COLUMNS,
    idColumn: id?.column ?? columns[0],
    nestUnder,
    freshness: resolveFreshness(declaration, problems, annotate),
    partitioning,
    clustering,
    // An append-only entity publishes each id once: a key per message would only defeat batching.
    orderingKey: option.orderingKey === OrderingKey.NONE || option.appendOnly ? "none" : "entity_id",
    appendOnly: option.appendOnly,
  });
}

/**
 * The entity with its `descriptor` and `idFieldPath` read through the lease. The getters are
 * made here and not in buildEntity: closures made there would share its scope, which holds the
 * message, and so keep every descriptor alive after the lease ended.
 */
function withLeasedDescriptors(descriptors: DescriptorLease, message: DescMessage, idFieldPath: readonly DescField[], entity: Omit<Entity, "descriptor" | "idFieldPath">): Entity {
  const heldMessage = descriptors.holdMessage(message);
  const heldIdPath = idFieldPath.map((field) => descriptors.holdField(field));
  return Object.defineProperties(entity, {
    descriptor: { get: () => descriptors.message(heldMessage), enumerable: true },
    idFieldPath: { get: () => heldIdPath.map((held) => descriptors.field(held)), enumerable: true },
  }) as Entity;
}

function withoutIdMeasures(columns: readonly Column[], id: { fields: DescField[]; column: Column }): { id: { fields: DescField[]; column: Column }; columns: Column[] } {
  const plain: Column = { ...id.column, measures: NO_AGGREGATES };
  const onPath = (c: Column) => id.column.path.length > c.path.length && c.path.every((name, i) => id.column.path[i] === name);
  const replace = (cs: readonly Column[]): Column[] => cs.map((c) => (c === id.column ? plain : onPath(c) ? { ...c, fields: replace(c.fields) } : c));
  return { id: { ...id, column: plain }, columns: replace(columns) };
}

function nestColumn(message: DescMessage, name: string, location: SourceLocation, fields: Column[]): Column {
  return {
    name,
    path: [name],
    bigQueryType: "STRUCT",
    mode: "NULLABLE",
    wire: { type: "message", number: NEST_FIELD_NUMBER, repeated: false },
    conversion: { kind: "message", messageTypeName: message.typeName },
    description: fitDescription(commentOf(message)),
    pii: false,
    policyTag: undefined,
    required: true,
    defaultValue: undefined,
    enumValues: undefined,
    references: undefined,
    measures: NO_AGGREGATES,
    fields,
    source: { kind: "nest", location },
  };
}

/** Top-level names and numbers must leave room for the envelope and the subscription's metadata. */
function checkTopLevel(columns: readonly Column[], message: DescMessage, nested: boolean, problems: Problems): void {
  const nestFix = `or put all fields under one STRUCT column with [(entity.v1.entity).nest_under = "<column>"] (plugin option nest=${message.typeName}:<column>).`;
  for (const column of columns) {
    const metadata = metadataCollision(column.name);
    const envelope = envelopeCollision(column.name);
    const envelopeNumber = !nested && ENVELOPE_NUMBERS.has(column.wire.number);
    // Nearly every column is fine: the place and the fix are spelled out only for a problem.
    if (metadata === undefined && envelope === undefined && !envelopeNumber) continue;
    const source = column.source;
    const at = source.kind === "field" ? source.location : locationOf(message);
    const subject = source.kind === "field" ? source.fieldName : message.typeName;
    const fix = source.kind === "field" ? `${renameFix(source.fieldName).replace(/\.$/, ",")} ${nestFix}` : `choose another nest_under column name.`;
    if (metadata !== undefined) {
      problems.add(at, subject, `column "${column.name}" collides with the Pub/Sub metadata column "${metadata}" that the BigQuery subscription writes (write_metadata).`, fix);
    }
    if (envelope !== undefined) {
      problems.add(at, subject, `column "${column.name}" collides with the envelope column "${envelope}" of every entity event.`, fix);
    }
    if (envelopeNumber) {
      problems.add(at, subject, `field number ${column.wire.number} is used by the event envelope in the topic schema.`, `use another field number, ${nestFix}`);
    }
  }
  if (nested) {
    const problem = columnNameProblem(columns[0].name);
    if (problem) problems.add(settingLocationOf(message, [EntitySchema.field.nestUnder.number]), message.typeName, `nest_under: ${problem}.`, "choose a valid column name.");
  }
}

function resolveId(
  { message, option }: EntityDeclaration,
  entityColumns: readonly Column[],
  ignoredFields: ReadonlySet<string>,
  problems: Problems,
  fix: string,
): { fields: DescField[]; column: Column } | undefined {
  const path = option.idField || "id";
  const fields: DescField[] = [];
  let current: DescMessage = message;
  let columns: readonly Column[] = entityColumns;
  let column: Column | undefined;
  const fail = (problem: string) => {
    // A given id_field is fixed where it is written; the default id, at the field it found (or the message).
    const where = option.idField !== ""
      ? settingLocationOf(message, [EntitySchema.field.idField.number])
      : locationOf(fields.length > 0 ? fields[fields.length - 1] : message);
    problems.add(where, message.typeName, problem, fix);
    return undefined;
  };
  const segments = path.split(".");
  for (const [i, segment] of segments.entries()) {
    const field = current.fields.find((f) => f.name === segment);
    if (field === undefined) {
      return fail(`id field "${path}": ${current.name} has no field "${segment}".${didYouMean(segment, current.fields.map((f) => f.name))}`);
    }
    fields.push(field);
    if (isIgnored(field, ignoredFields)) return fail(`id field "${path}" is ignored ((entity.v1.field).ignore or the plugin option ignore=), so it never leaves the producer.`);
    if (field.oneof !== undefined) return fail(`id field "${path}" is a member of oneof ${field.oneof.name}, so it may be unset.`);
    column = columns.find((c) => c.source.kind === "field" && c.source.field === field);
    const last = i === segments.length - 1;
    if (!last) {
      if (field.fieldKind !== "message" || column === undefined || column.bigQueryType !== "STRUCT") {
        return fail(`id field "${path}": ${field.name} is not a singular message field to look into.`);
      }
      current = field.message;
      columns = column.fields;
      continue;
    }
    if (field.fieldKind !== "scalar" || !ID_SCALARS.has(column?.wire.type ?? "")) {
      return fail(`id field "${path}" must be a singular string or integer field, not ${describeKind(field)}.`);
    }
  }
  return column === undefined ? undefined : { fields, column };
}

function describeKind(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return `a ${field.proto.type === 12 ? "bytes" : "float, double or bool"} field`;
    case "enum":
      return "an enum";
    case "message":
      return `a message (${field.message.typeName})`;
    case "list":
      return "a repeated field";
    case "map":
      return "a map";
  }
}

const GRANULARITIES: Record<Granularity, PartitionGranularity> = {
  [Granularity.UNSPECIFIED]: "DAY",
  [Granularity.HOUR]: "HOUR",
  [Granularity.DAY]: "DAY",
  [Granularity.MONTH]: "MONTH",
  [Granularity.YEAR]: "YEAR",
};

function resolvePartitioning(
  { message, option }: EntityDeclaration,
  columns: readonly Column[],
  problems: Problems,
  annotate: (setting: string) => string,
): Partitioning {
  const name = option.partitioning?.column || "publish_time";
  const granularity = GRANULARITIES[option.partitioning?.granularity ?? Granularity.UNSPECIFIED];
  const found = METADATA_COLUMNS.find((c) => c.name === name) ?? columns.find((c) => c.name === name);
  let columnType: Partitioning["columnType"] = "TIMESTAMP";
  const fail = (problem: string) => problems.add(settingLocationOf(message, [EntitySchema.field.partitioning.number, PartitioningSchema.field.column.number]), message.typeName, problem, annotate("partitioning"));
  if (found === undefined || found.mode === "REPEATED" || !["TIMESTAMP", "DATE", "DATETIME"].includes(found.bigQueryType)) {
    const candidates = found === undefined ? [...METADATA_COLUMNS, ...columns].filter((c) => c.mode !== "REPEATED" && ["TIMESTAMP", "DATE", "DATETIME"].includes(c.bigQueryType)).map((c) => c.name) : [];
    fail(`partitioning column "${name}" must be a top-level, non-repeated TIMESTAMP, DATE or DATETIME column (publish_time, occurred_at, or one of the entity's).${didYouMean(name, candidates)}`);
  } else {
    columnType = found.bigQueryType as Partitioning["columnType"];
    if (columnType === "DATE" && granularity === "HOUR") fail(`partitioning column "${name}" is a DATE and cannot be partitioned by HOUR.`);
  }
  return {
    column: name,
    columnType,
    granularity,
    requirePartitionFilter: option.partitioning?.requirePartitionFilter ?? false,
    expirationDays: option.retentionDays > 0 ? option.retentionDays : undefined,
  };
}

function resolveClustering(
  { message, option }: EntityDeclaration,
  columns: readonly Column[],
  idColumn: Column | undefined,
  problems: Problems,
  annotate: (setting: string) => string,
): string[] {
  if (option.clusterBy.length === 0) {
    // The id is the natural default, when BigQuery can cluster on it.
    const id = idColumn !== undefined && idColumn.path.length === 1 && CLUSTERABLE.has(idColumn.bigQueryType);
    return id ? [idColumn.name] : [];
  }
  const fail = (problem: string, index?: number) =>
    // A problem of the whole list points at its first entry, the one a compiler always records.
    problems.add(settingLocationOf(message, [EntitySchema.field.clusterBy.number, index ?? 0]), message.typeName, problem, annotate("cluster_by"));
  if (option.clusterBy.length > 4) fail(`cluster_by names ${option.clusterBy.length} columns; BigQuery clusters by at most 4.`);
  if (new Set(option.clusterBy).size !== option.clusterBy.length) fail("cluster_by names a column twice.");
  for (const [index, name] of option.clusterBy.entries()) {
    const column = METADATA_COLUMNS.find((c) => c.name === name) ?? columns.find((c) => c.name === name);
    if (column === undefined) fail(`cluster_by column "${name}" is not a top-level column.${didYouMean(name, [...METADATA_COLUMNS, ...columns].map((c) => c.name))}`, index);
    else if (column.mode === "REPEATED" || !CLUSTERABLE.has(column.bigQueryType)) {
      fail(`cluster_by column "${name}" is ${column.mode === "REPEATED" ? "repeated" : column.bigQueryType}; BigQuery clusters only by non-repeated ${[...CLUSTERABLE].join(", ")} columns.`, index);
    }
  }
  return [...option.clusterBy];
}

const PERIODS = { m: ["minute", 60], h: ["hour", 3600], d: ["day", 86400] } as const;

function resolveFreshness({ message, option }: EntityDeclaration, problems: Problems, annotate: (setting: string) => string): Freshness {
  const parse = (setting: "warn_after" | "error_after", text: string): FreshnessPeriod | undefined => {
    if (text === "") return undefined;
    const match = /^([1-9][0-9]{0,5})([mhd])$/.exec(text);
    if (match === null) {
      const number = setting === "warn_after" ? FreshnessSchema.field.warnAfter.number : FreshnessSchema.field.errorAfter.number;
      problems.add(settingLocationOf(message, [EntitySchema.field.freshness.number, number]), message.typeName, `freshness ${setting} "${text}" is not a duration like 30m, 6h or 2d.`, annotate(`freshness.${setting}`));
      return undefined;
    }
    const [period, unitSeconds] = PERIODS[match[2] as keyof typeof PERIODS];
    const count = Number(match[1]);
    return { count, period, seconds: count * unitSeconds, text };
  };
  const warnAfter = parse("warn_after", option.freshness?.warnAfter ?? "");
  const errorAfter = parse("error_after", option.freshness?.errorAfter ?? "");
  if (warnAfter && errorAfter && warnAfter.seconds >= errorAfter.seconds) {
    problems.add(settingLocationOf(message, [EntitySchema.field.freshness.number, FreshnessSchema.field.warnAfter.number]), message.typeName, `freshness warn_after (${warnAfter.text}) must be shorter than error_after (${errorAfter.text}).`, annotate("freshness"));
  }
  return { warnAfter, errorAfter };
}

function checkAcrossEntities(entities: readonly Entity[], problems: Problems): void {
  const topics = new Map<string, Entity>();
  const tables = new Map<string, Entity>();
  for (const entity of entities) {
    const sameTopic = topics.get(entity.topic);
    if (sameTopic) {
      problems.add(entity.location, entity.typeName, `topic "${entity.topic}" is already the topic of ${sameTopic.typeName}.`, "give one of them its own topic with (entity.v1.entity).topic.");
    }
    topics.set(entity.topic, entity);
    const tableKey = `${entity.dataset}.${entity.table}`.toLowerCase();
    const sameTable = tables.get(tableKey);
    if (sameTable) {
      problems.add(entity.location, entity.typeName, `table ${entity.dataset}.${entity.table} is already the table of ${sameTable.typeName}.`, "give one of them its own table or dataset with (entity.v1.entity).table or .dataset.");
    }
    tables.set(tableKey, entity);
  }
  const byType = new Map(entities.map((e) => [e.typeName, e]));
  for (const entity of entities) {
    for (const column of referencingColumns(entity.columns, [])) {
      if (column.references === undefined || column.source.kind !== "field") continue;
      const target = byType.get(column.references);
      const { field, fieldName } = column.source;
      if (target === undefined) {
        problems.add(settingLocationOf(field, [FieldSchema.field.references.number]), fieldName, `references "${column.references}", which is not an entity of this run.${didYouMean(column.references, byType.keys())}`,
          "name a message annotated with (entity.v1.entity), by its fully qualified name.");
      } else if (target.idColumn.bigQueryType !== column.bigQueryType) {
        problems.add(column.source.location, fieldName, `is ${column.bigQueryType} but references the id of ${target.typeName}, which is ${target.idColumn.bigQueryType}.`, "give the field the same type as the referenced id.");
      }
    }
  }
}

/**
 * The columns of a tree that reference an entity, depth first, added to `found`: a plain walk,
 * since a generator per column with fields (66,000 columns on the 1,000-entity benchmark) cost
 * more than the check.
 */
function referencingColumns(columns: readonly Column[], found: Column[]): Column[] {
  for (const column of columns) {
    if (column.references !== undefined) found.push(column);
    if (column.fields.length > 0) referencingColumns(column.fields, found);
  }
  return found;
}
