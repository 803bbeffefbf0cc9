/**
 * From columns to LookML fields. A relation (table or view) becomes one view whose non-repeated
 * STRUCT leaves are flattened (`address__city`), plus one child view per REPEATED column, to be
 * joined with `LEFT JOIN UNNEST(...)`. Child views of child views follow the same rule.
 */
import type { BigQueryMode, BigQueryType, MetadataColumn } from "../../model/types.js";
import {
  atom,
  atomList,
  block,
  liquidLiteral,
  no,
  sql,
  str,
  stringList,
  yes,
  type LookmlBlock,
  type LookmlNode,
} from "./lookml-text.js";
import { lookmlName, PII_ACCESS_GRANT, PII_TAG, titleCase } from "./names.js";

/** A column as the LookML emitter sees it: entity columns (a Column is one) and subscription metadata alike. */
export interface SourceColumn {
  readonly name: string;
  readonly bigQueryType: BigQueryType;
  readonly mode: BigQueryMode;
  readonly description: string;
  readonly pii: boolean;
  readonly enumValues: readonly string[] | undefined;
  readonly references: string | undefined;
  readonly fields: readonly SourceColumn[];
}

export function fromMetadataColumn(column: MetadataColumn): SourceColumn {
  return { ...column, pii: false, enumValues: undefined, references: undefined, fields: [] };
}

/** A scalar value that becomes a dimension or a dimension group. */
interface Leaf {
  readonly dimension: string;
  readonly sql: string;
  readonly column: SourceColumn;
  /** Column names of the STRUCTs above it inside its view, for group labels. */
  readonly groupPath: readonly string[];
  readonly pii: boolean;
  /** Column path inside the view (`address.city`). */
  readonly path: string;
}

/** A REPEATED column: a hidden dimension holding the array, and a child view over its elements. */
interface Container {
  readonly dimension: string;
  readonly sql: string;
  readonly column: SourceColumn;
  readonly pii: boolean;
  /** Column path inside the view (`installations`, `address.phones`). */
  readonly path: string;
}

/** A child view and how its explore joins it. */
export interface UnnestJoin {
  readonly view: string;
  readonly parentView: string;
  /** The hidden array dimension of the parent. */
  readonly container: string;
  readonly offsetAlias: string;
  readonly pii: boolean;
}

/** A field that holds another entity's id. */
export interface ReferenceField {
  readonly view: string;
  readonly dimension: string;
  /** Fully qualified message name of the referenced entity. */
  readonly target: string;
}

export interface RelationViews {
  /** The base view first, then child views, parents before children. */
  readonly views: readonly LookmlBlock[];
  readonly joins: readonly UnnestJoin[];
  readonly references: readonly ReferenceField[];
  /** Dimension groups of the base view's top-level time columns, by column name. */
  readonly timeGroups: ReadonlyMap<string, string>;
  /** Name of every view. */
  readonly viewNames: readonly string[];
  /** Every name the explore's SQL uses (views and offsets), which a join alias must not take. */
  readonly sqlAliases: readonly string[];
  /**
   * The LookML field of each column, by its dotted path from the top-level column: `view.dimension`
   * for a value, the child view's name for a repeated STRUCT. For catalogs that point at Looker.
   */
  readonly fieldOf: ReadonlyMap<string, string>;
}

export interface RelationSpec {
  readonly view: string;
  readonly label: string;
  /** `project.dataset.name` in backticks. */
  readonly sqlTableName: string;
  readonly columns: readonly SourceColumn[];
  /** Column path of the primary key (`event_id`, `id`, `meta.id`). */
  readonly primaryKey: string;
  /** Measures of the base view, given its primary key dimension. */
  readonly measures: (primaryKey: string, taken: Set<string>) => LookmlBlock[];
  /** For error messages: the entity or view the LookML is for. */
  readonly where: string;
}

/** Builds the base view of a relation and every child view it needs. */
export function relationViews(spec: RelationSpec): RelationViews {
  const views: LookmlBlock[] = [];
  const joins: UnnestJoin[] = [];
  const references: ReferenceField[] = [];
  const { leaves, containers } = collect(spec.columns, [], "${TABLE}", [], false);
  const base = viewFields(spec.view, leaves, containers, spec.where);
  const primaryKey = base.dimensionOf.get(spec.primaryKey);
  if (primaryKey === undefined) throw new Error(`internal error: ${spec.where}: no dimension for primary key ${spec.primaryKey}`);
  base.markPrimaryKey(primaryKey);
  views.push(
    block("view", spec.view, [
      sql("sql_table_name", spec.sqlTableName),
      str("label", spec.label),
      ...base.fields(),
      ...spec.measures(primaryKey, base.names),
    ]),
  );
  references.push(...base.references);
  const fieldOf = new Map<string, string>();
  const record = (view: string, fields: ViewFields, viewLeaves: readonly Leaf[], viewContainers: readonly Container[], prefix: string) => {
    for (const leaf of viewLeaves) fieldOf.set(prefix + leaf.path, `${view}.${fields.dimensionOf.get(leaf.path)}`);
    for (const container of viewContainers) fieldOf.set(prefix + container.path, childViewName(view, container));
  };
  record(spec.view, base, leaves, containers, "");

  const pending = containers.map((c) => ({ container: c, parentView: spec.view, parentKey: `\${${spec.view}.${primaryKey}}`, parentLabel: spec.label, path: c.path }));
  const viewNames = [spec.view];
  const sqlAliases = new Set([spec.view, ...pending.map((p) => childViewName(p.parentView, p.container))]);
  while (pending.length > 0) {
    const { container, parentView, parentKey, parentLabel, path } = pending.shift()!;
    const name = childViewName(parentView, container);
    viewNames.push(name);
    const offsetAlias = freeName(`${name}_offset`, sqlAliases);
    sqlAliases.add(offsetAlias);
    const label = `${parentLabel}: ${titleCase(container.dimension.replace(/__/g, "_"))}`;
    const elements = elementsOf(container);
    const child = viewFields(name, elements.leaves, elements.containers, spec.where);
    const key = freeName("pk", child.names);
    child.names.add(key);
    views.push(
      block("view", name, [
        str("label", label),
        childKey(key, parentKey, offsetAlias),
        ...child.fields(),
        countDistinct(freeName("count", child.names), key, `Number of entries in ${label}; each entry counts once, however many rows the joins make of it.`),
      ]),
    );
    joins.push({ view: name, parentView, container: container.dimension, offsetAlias, pii: container.pii });
    // An array of scalars is one dimension of its child view; an array of STRUCTs, its fields.
    if (container.column.fields.length === 0) fieldOf.set(path, `${name}.${child.dimensionOf.get(container.column.name)}`);
    else record(name, child, elements.leaves, elements.containers, `${path}.`);
    references.push(...child.references);
    for (const grandchild of elements.containers) {
      sqlAliases.add(childViewName(name, grandchild));
      pending.push({ container: grandchild, parentView: name, parentKey: `\${${name}.${key}}`, parentLabel: label, path: `${path}.${grandchild.path}` });
    }
  }
  const timeGroups = new Map(leaves.filter((l) => l.groupPath.length === 0 && isTime(l.column)).map((l) => [l.column.name, base.groupOf.get(l.path)!]));
  return { views, joins, references, timeGroups, viewNames, sqlAliases: [...sqlAliases], fieldOf };
}

function childViewName(parentView: string, container: Container): string {
  return `${parentView}__${container.dimension}`;
}

/** The dimensions of an array's elements: a STRUCT's fields, or the scalar itself. */
function elementsOf(container: Container): { leaves: Leaf[]; containers: Container[] } {
  const { column } = container;
  if (column.fields.length > 0) return collect(column.fields, [], "${TABLE}", [], container.pii);
  // The element of an array of scalars is the UNNEST alias itself.
  const element: SourceColumn = { ...column, mode: "NULLABLE" };
  return { leaves: [{ dimension: lookmlName(column.name), sql: "${TABLE}", column: element, groupPath: [], pii: container.pii, path: column.name }], containers: [] };
}

/** Flattens non-repeated STRUCTs; stops at REPEATED columns, which get their own view. */
function collect(
  columns: readonly SourceColumn[],
  prefix: readonly string[],
  sqlBase: string,
  path: readonly string[],
  inheritedPii: boolean,
): { leaves: Leaf[]; containers: Container[] } {
  const leaves: Leaf[] = [];
  const containers: Container[] = [];
  for (const column of columns) {
    const pii = inheritedPii || column.pii;
    const names = [...prefix, lookmlName(column.name)];
    const columnSql = `${sqlBase}.${sqlName(column.name)}`;
    if (column.mode === "REPEATED") {
      containers.push({ dimension: names.join("__"), sql: columnSql, column, pii, path: [...path, column.name].join(".") });
    } else if (column.bigQueryType === "STRUCT") {
      const inner = collect(column.fields, names, columnSql, [...path, column.name], pii);
      leaves.push(...inner.leaves);
      containers.push(...inner.containers);
    } else {
      leaves.push({ dimension: names.join("__"), sql: columnSql, column, groupPath: path, pii, path: [...path, column.name].join(".") });
    }
  }
  return { leaves, containers };
}

/** `base`, or `base_2`, ... whichever is not taken. */
/** Anything that can tell whether a name is taken. */
export type NameLookup = Pick<ReadonlySet<string>, "has">;

export function freeName(base: string, taken: NameLookup): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

const TIMEFRAMES: Record<"TIMESTAMP" | "DATETIME" | "DATE", readonly string[]> = {
  TIMESTAMP: ["raw", "time", "date", "week", "month", "quarter", "year"],
  DATETIME: ["raw", "time", "date", "week", "month", "quarter", "year"],
  DATE: ["raw", "date", "week", "month", "quarter", "year"],
};

/** Looker appends the timeframe to the group name, so `created_at` is grouped as `created`. */
const TIME_SUFFIXES = ["_timestamp", "_time", "_at", "_date", "_on", "_ts"];

function isTime(column: SourceColumn): column is SourceColumn & { bigQueryType: "TIMESTAMP" | "DATETIME" | "DATE" } {
  return column.bigQueryType === "TIMESTAMP" || column.bigQueryType === "DATETIME" || column.bigQueryType === "DATE";
}

interface ViewFields {
  /** Field names of the view; generated fields take a name no column has. */
  readonly names: Set<string>;
  /** Dimension (or dimension group) name by column path. */
  readonly dimensionOf: ReadonlyMap<string, string>;
  readonly groupOf: ReadonlyMap<string, string>;
  readonly references: readonly ReferenceField[];
  markPrimaryKey(dimension: string): void;
  fields(): LookmlBlock[];
}

/** Names every field of a view, checks that none collide, and prints them in column order. */
function viewFields(view: string, leaves: readonly Leaf[], containers: readonly Container[], where: string): ViewFields {
  const names = new Set<string>();
  const claim = (name: string, what: string) => {
    if (names.has(name)) {
      throw new Error(
        `${where}: two fields of LookML view ${view} would be named "${name}" (${what}).\n` +
          "  fix: rename one of the columns with [(entity.v1.field).column = \"...\"].",
      );
    }
    names.add(name);
  };
  for (const leaf of leaves) if (!isTime(leaf.column)) claim(leaf.dimension, `column ${leaf.path}`);
  for (const container of containers) claim(container.dimension, `repeated column ${container.column.name}`);
  const groupOf = new Map<string, string>();
  for (const leaf of leaves) {
    if (!isTime(leaf.column)) continue;
    const group = timeGroupName(leaf.dimension, TIMEFRAMES[leaf.column.bigQueryType], names);
    for (const name of [group, ...TIMEFRAMES[leaf.column.bigQueryType].map((tf) => `${group}_${tf}`)]) claim(name, `time column ${leaf.path}`);
    groupOf.set(leaf.path, group);
  }
  const dimensionOf = new Map(leaves.map((l) => [l.path, groupOf.get(l.path) ?? l.dimension]));
  let primaryKey: string | undefined;
  const references = leaves
    .filter((l) => l.column.references !== undefined)
    .map((l) => ({ view, dimension: l.dimension, target: l.column.references! }));
  return {
    names,
    dimensionOf,
    groupOf,
    references,
    markPrimaryKey(dimension) {
      primaryKey = dimension;
    },
    fields() {
      const byLeaf = leaves.map((leaf) => {
        const group = groupOf.get(leaf.path);
        return group !== undefined ? dimensionGroup(leaf, group) : dimension(leaf, leaf.dimension === primaryKey);
      });
      return [...byLeaf, ...containers.map(hiddenArray)];
    },
  };
}

function timeGroupName(dimension: string, timeframes: readonly string[], taken: ReadonlySet<string>): string {
  const free = (group: string) => !taken.has(group) && timeframes.every((tf) => !taken.has(`${group}_${tf}`));
  for (const suffix of TIME_SUFFIXES) {
    if (dimension.endsWith(suffix) && dimension.length > suffix.length) {
      const group = dimension.slice(0, -suffix.length);
      if (free(group)) return group;
    }
  }
  return dimension;
}

/** Looker type of a non-time scalar, and how to present values Looker cannot group or filter as they are. */
const SCALARS: Record<Exclude<BigQueryType, "STRUCT" | "TIMESTAMP" | "DATETIME" | "DATE">, { type: string; wrap?: (sql: string) => string }> = {
  STRING: { type: "string" },
  // Looker shows BYTES as garbage and cannot filter them with text; base64 is what BigQuery's console shows.
  BYTES: { type: "string", wrap: (s) => `TO_BASE64(${s})` },
  INT64: { type: "number" },
  FLOAT64: { type: "number" },
  NUMERIC: { type: "number" },
  BIGNUMERIC: { type: "number" },
  BOOL: { type: "yesno" },
  TIME: { type: "string", wrap: (s) => `CAST(${s} AS STRING)` },
  // BigQuery cannot GROUP BY a JSON value, and Looker groups by every dimension.
  JSON: { type: "string", wrap: (s) => `TO_JSON_STRING(${s})` },
};

function dimension(leaf: Leaf, primaryKey: boolean): LookmlBlock {
  const type = leaf.column.bigQueryType;
  if (type === "STRUCT" || isTime(leaf.column)) throw new Error(`internal error: ${leaf.path} is not a scalar`);
  const scalar = SCALARS[type as keyof typeof SCALARS];
  return block("dimension", leaf.dimension, [
    primaryKey && yes("primary_key"),
    atom("type", scalar.type),
    ...labels(leaf),
    ...description(leaf.column.description),
    sql("sql", scalar.wrap ? scalar.wrap(leaf.sql) : leaf.sql),
    leaf.column.enumValues !== undefined && scalar.type === "string" && stringList("suggestions", leaf.column.enumValues),
    ...piiParams(leaf.pii),
  ]);
}

function dimensionGroup(leaf: Leaf, group: string): LookmlBlock {
  const type = leaf.column.bigQueryType as "TIMESTAMP" | "DATETIME" | "DATE";
  return block("dimension_group", group, [
    atom("type", "time"),
    atomList("timeframes", TIMEFRAMES[type]),
    // DATE and DATETIME carry no time zone: converting them would shift dates.
    type !== "TIMESTAMP" && no("convert_tz"),
    atom("datatype", type.toLowerCase()),
    ...labels(leaf, false),
    ...description(leaf.column.description),
    sql("sql", leaf.sql),
    ...piiParams(leaf.pii),
  ]);
}

function hiddenArray(container: Container): LookmlBlock {
  return block("dimension", container.dimension, [
    yes("hidden"),
    ...description(container.column.description),
    sql("sql", container.sql),
    ...piiParams(container.pii),
  ]);
}

/** The child view's key: its parent's key and the element's position, unique per row of the join. */
function childKey(name: string, parentKey: string, offsetAlias: string): LookmlBlock {
  return block("dimension", name, [
    yes("primary_key"),
    yes("hidden"),
    atom("type", "string"),
    str("description", "Key of the entry: the parent's key and the entry's position."),
    sql("sql", `CONCAT(CAST(${parentKey} AS STRING), '-', CAST(${offsetAlias} AS STRING))`),
  ]);
}

export function countDistinct(name: string, dimension: string, text: string): LookmlBlock {
  return block("measure", name, [atom("type", "count_distinct"), str("description", liquidLiteral(text)), sql("sql", `\${${dimension}}`)]);
}

export function count(name: string, text: string): LookmlBlock {
  return block("measure", name, [atom("type", "count"), str("description", liquidLiteral(text))]);
}

/** Group labels for STRUCT leaves, so `address__city` shows as City under Address. */
function labels(leaf: Leaf, itemLabel = true): LookmlNode[] {
  if (leaf.groupPath.length === 0) return [];
  return [
    str("group_label", titleCase(leaf.groupPath.join("_"))),
    ...(itemLabel ? [str("group_item_label", titleCase(leaf.column.name))] : []),
  ];
}

function description(text: string): LookmlNode[] {
  return text === "" ? [] : [str("description", liquidLiteral(text))];
}

/** `hidden` only tidies the field picker; the access grant is what keeps PII from users. */
function piiParams(pii: boolean): LookmlNode[] {
  return pii ? [atomList("required_access_grants", [PII_ACCESS_GRANT]), stringList("tags", [PII_TAG])] : [];
}

/** GoogleSQL reserved keywords, which need backticks even after a dot. */
const RESERVED = new Set(
  (
    "ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE CURRENT " +
    "DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL " +
    "GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP " +
    "MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE " +
    "RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN " +
    "WHERE WINDOW WITH WITHIN"
  ).split(" "),
);

export function isReservedWord(name: string): boolean {
  return RESERVED.has(name.toUpperCase());
}

/** A column name in SQL: bare, as a Looker developer writes it, unless it is a reserved word. */
export function sqlName(name: string): string {
  return isReservedWord(name) ? `\`${name}\`` : name;
}
