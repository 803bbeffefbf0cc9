/**
 * From columns to LookML fields. A relation (table or view) becomes one view whose non-repeated
 * STRUCT leaves are flattened (`address__city`), plus one child view per REPEATED column, to be
 * joined with `LEFT JOIN UNNEST(...)`. Child views of child views follow the same rule.
 */
import type { Aggregate, BigQueryMode, BigQueryType, Conversion, MetadataColumn } from "../model/types.js";
import { atom, block, liquidLiteral, sql, str, type LookmlBlock, type LookmlWriter } from "../printers/lookml-text.js";
import { lookmlName, PII_ACCESS_GRANT, PII_TAG, titleCase } from "./lookml-names.js";

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
  /** Measures over the column (entity columns only). */
  readonly measures?: readonly Aggregate[];
  /** How the column is made (entity columns only): Money and LatLng get their own fields. */
  readonly conversion?: Conversion;
}

/** The subscription's metadata columns are the same objects for every entity: their source columns are made once. */
const metadataSources = new WeakMap<MetadataColumn, SourceColumn>();

export function fromMetadataColumn(column: MetadataColumn): SourceColumn {
  let source = metadataSources.get(column);
  if (source === undefined) {
    source = { ...column, pii: false, enumValues: undefined, references: undefined, fields: [] };
    metadataSources.set(column, source);
  }
  return source;
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

/** A google.type.LatLng STRUCT: a `type: location` dimension beside its latitude and longitude. */
interface Location {
  readonly dimension: string;
  readonly latitudeSql: string;
  readonly longitudeSql: string;
  readonly column: SourceColumn;
  readonly groupPath: readonly string[];
  readonly pii: boolean;
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
  /**
   * Writes the base view first, then child views, parents before children. Every name is taken
   * before (a name clash is refused when the relation is made); the views are written only into
   * the file that prints them, not for the explores and the catalog, which need the names alone.
   */
  readonly writeViews: (writer: LookmlWriter) => void;
  readonly joins: readonly UnnestJoin[];
  readonly references: readonly ReferenceField[];
  /** Dimension groups of the base view's top-level time columns, by column name. */
  readonly timeGroups: ReadonlyMap<string, string>;
  /** Name of every view. */
  readonly viewNames: readonly string[];
  /** Every name the explore's SQL uses (views and offsets), which a join alias must not take. */
  readonly sqlAliases: readonly string[];
  /** The base view's primary key dimension. */
  readonly primaryKey: string;
  /**
   * The base view's sums over quantities that are not PII, in column order: what a dashboard
   * charts. Only these are kept (not the averages, minimums and maximums, nor PII sums): the
   * explores' sources are held from an entity's view file to the last LookML file.
   */
  readonly chartableSums: readonly ChartableSum[];
  /** Top-level enum dimensions of the base view (not PII): the breakdowns a dashboard shows. */
  readonly breakdowns: readonly string[];
}

/** A sum over a quantity, as a dashboard charts it. */
export interface ChartableSum {
  readonly name: string;
  /** The currency dimension a Money total is grouped by. */
  readonly currency: string | undefined;
}

/** A measure over a quantity (writeQuantityMeasure writes it). */
interface QuantityMeasure {
  readonly name: string;
  readonly aggregate: Aggregate;
  readonly currency: string | undefined;
  readonly pii: boolean;
  /** Sums and averages over rows that can repeat: `${aggregate}_distinct`, with a distinct key. */
  readonly distinct: boolean;
  readonly quantity: MeasuredQuantity;
}

/** What every measure of a quantity writes alike, made once for its (usually four) measures. */
interface MeasuredQuantity {
  readonly groupLabel: string;
  /** What the description says is aggregated: the column path, or a Money's amounts. */
  readonly what: string;
  readonly valueSql: string;
  /** `${key}` of the relation's distinct key, when its rows can repeat. */
  readonly distinctSql: string | undefined;
  readonly integer: boolean;
  readonly requiredFields: readonly string[] | undefined;
}

export interface RelationSpec {
  readonly view: string;
  readonly label: string;
  /** `project.dataset.name` in backticks. */
  readonly sqlTableName: string;
  readonly columns: readonly SourceColumn[];
  /**
   * The primary key: a column path (`id`, `meta.id`, `entity`), or SQL over the row for a key no
   * single column holds (the events' key). It must be unique and never NULL.
   */
  readonly primaryKey: { readonly column: string } | { readonly sql: string; readonly description: string };
  /**
   * The relation can hold a row more than once (the events table: Pub/Sub delivers at least once).
   * Sums and averages then count each primary key once (`sum_distinct` with `sql_distinct_key`).
   */
  readonly rowsRepeat: boolean;
  /** Timeframes down to the hour, for entities whose data arrives at least hourly. */
  readonly highFrequency: boolean;
  /** Column paths of the fields a measure drills into (PII ones are left out). */
  readonly drillColumns: readonly string[];
  /** Measures of the base view, given its primary key dimension. */
  readonly measures: (primaryKey: string, taken: FieldNames) => LookmlBlock[];
  /** For error messages: the entity or view the LookML is for. */
  readonly where: string;
  /**
   * The fields this relation has alike with another of the same columns and timeframes (an
   * entity's events and latest state): its views then declare none of them, but extend the views
   * of these fields (`extends:`), written once by writeExtensionViews.
   */
  readonly sharedFields?: SharedFields;
}

/**
 * The fields two relations over the same columns have alike, in views of their own that both
 * relations' views extend: `<extensionView>` for the base views, `<extensionView>__lines` for
 * the child views of `lines`, and so on. A field's block depends on its column alone, so it is
 * the same in both; what differs (table, label, keys, measures) stays in the extending views.
 */
export interface SharedFields {
  /** Name of the base view's extension, which the child views' extensions are named after. */
  readonly extensionView: string;
  /** By view, its name after the base view's (`""`, `__lines`): its fields and their names. */
  readonly views: Map<string, { readonly elements: Collected; readonly named: NamedFields }>;
  readonly timeframes: Timeframes;
}

/** Nothing shared yet: the first relation made with it fills it. */
export function emptySharedFields(extensionView: string, highFrequency: boolean): SharedFields {
  return { extensionView, views: new Map(), timeframes: timeframesFor(highFrequency) };
}

/**
 * The views of the shared fields, base view first, then the child views in the order relationViews
 * made them: `extension: required`, since they have no table of their own (Looker refuses an
 * explore or join of them), and no key or measure, which differ between the relations.
 */
export function writeExtensionViews(writer: LookmlWriter, shared: SharedFields): void {
  for (const [viewKey, { elements, named }] of shared.views) {
    writer.open("view", shared.extensionView + viewKey);
    writer.atom("extension", "required");
    viewFields(shared.extensionView + viewKey, elements, named, shared.timeframes, false).writeFields(writer);
    writer.close();
  }
}

/**
 * The fields of a relation's view (`viewKey`: its name after the base view's), made from its
 * elements, or taken from the same view of a relation with the same columns (spec.sharedFields).
 */
function sharedViewFields(spec: RelationSpec, viewKey: string, view: string, elements: () => Collected, timeframes: Timeframes): ViewFields {
  const shared = spec.sharedFields;
  if (shared === undefined) {
    const own = elements();
    return viewFields(view, own, nameFields(view, own, timeframes, spec.where), timeframes, true);
  }
  let entry = shared.views.get(viewKey);
  if (entry === undefined) {
    const own = elements();
    entry = { elements: own, named: nameFields(view, own, timeframes, spec.where) };
    shared.views.set(viewKey, entry);
  }
  return viewFields(view, entry.elements, entry.named, timeframes, false);
}

/** The view of the shared fields that a relation's view (`viewKey`, see SharedFields) extends, if it shares them. */
function extensionOf(spec: RelationSpec, viewKey: string): string | undefined {
  return spec.sharedFields === undefined ? undefined : spec.sharedFields.extensionView + viewKey;
}

/** Builds the base view of a relation and every child view it needs. */
export function relationViews(spec: RelationSpec): RelationViews {
  const views: ((writer: LookmlWriter) => void)[] = [];
  const joins: UnnestJoin[] = [];
  const references: ReferenceField[] = [];
  const timeframes = timeframesFor(spec.highFrequency);
  const base = sharedViewFields(spec, "", spec.view, () => collect(spec.columns, "${TABLE}", false), timeframes);
  const { leaves, containers } = base.elements;
  let primaryKey: string;
  let syntheticKey: { name: string; description: string; sql: string } | undefined;
  if ("column" in spec.primaryKey) {
    const dimension = base.dimensionOf.get(spec.primaryKey.column);
    if (dimension === undefined) throw new Error(`internal error: ${spec.where}: no dimension for primary key ${spec.primaryKey.column}`);
    primaryKey = dimension;
    base.markPrimaryKey(primaryKey);
  } else {
    primaryKey = freeName("pk", base.names);
    base.names.add(primaryKey);
    syntheticKey = { name: primaryKey, description: spec.primaryKey.description, sql: spec.primaryKey.sql };
  }
  const drill = spec.drillColumns.flatMap((path) => base.drillField(path));
  const quantities = quantityMeasures(leaves, base, spec.rowsRepeat ? primaryKey : undefined);
  const breakdowns: string[] = [];
  const timeGroups = new Map<string, string>();
  for (const l of leaves) {
    if (l.groupPath.length !== 0) continue;
    if (!l.pii && l.column.enumValues !== undefined && l.column.bigQueryType === "STRING" && l.column.conversion?.kind !== "envelope") breakdowns.push(l.dimension);
    if (isTime(l.column)) timeGroups.set(l.column.name, base.groupOf.get(l.path)!);
  }
  const measures = spec.measures(primaryKey, base.names);
  const extension = extensionOf(spec, "");
  views.push((w) => {
    w.open("view", spec.view);
    if (extension !== undefined) w.atomList("extends", [extension]);
    w.sql("sql_table_name", spec.sqlTableName);
    w.str("label", spec.label);
    if (drill.length > 0) w.atomList("drill_fields", drill);
    if (syntheticKey !== undefined) writeKeyDimension(w, syntheticKey.name, syntheticKey.description, syntheticKey.sql);
    if (extension === undefined) base.writeFields(w);
    // A time column is a dimension group, which has no primary_key (nor had it before extends).
    else if ("column" in spec.primaryKey && !base.groupOf.has(spec.primaryKey.column)) writePrimaryKeyOverride(w, primaryKey);
    w.nodes(measures);
    for (const q of quantities) writeQuantityMeasure(w, q);
    w.close();
  });
  references.push(...base.references);

  const pending = containers.map((c) => ({ container: c, parentView: spec.view, parentKey: `\${${spec.view}.${primaryKey}}`, parentLabel: spec.label }));
  const viewNames = [spec.view];
  const sqlAliases = new Set([spec.view, ...pending.map((p) => childViewName(p.parentView, p.container))]);
  while (pending.length > 0) {
    const { container, parentView, parentKey, parentLabel } = pending.shift()!;
    const name = childViewName(parentView, container);
    viewNames.push(name);
    const offsetAlias = freeName(`${name}_offset`, sqlAliases);
    sqlAliases.add(offsetAlias);
    const label = `${parentLabel}: ${titleCase(container.dimension.replace(/__/g, "_"))}`;
    const child = sharedViewFields(spec, name.slice(spec.view.length), name, () => elementsOf(container), timeframes);
    const elements = child.elements;
    const key = freeName("pk", child.names);
    child.names.add(key);
    const countName = freeName("count", child.names);
    child.names.add(countName);
    // The key holds the parent's key, so an entry of a repeated row repeats with the same key.
    const childQuantities = quantityMeasures(elements.leaves, child, spec.rowsRepeat ? key : undefined);
    const childExtension = extensionOf(spec, name.slice(spec.view.length));
    views.push((w) => {
      w.open("view", name);
      if (childExtension !== undefined) w.atomList("extends", [childExtension]);
      w.str("label", label);
      writeChildKey(w, key, parentKey, offsetAlias);
      if (childExtension === undefined) child.writeFields(w);
      w.node(countDistinct(countName, key, `Number of entries in ${label}; each entry counts once, however many rows the joins make of it.`));
      for (const q of childQuantities) writeQuantityMeasure(w, q);
      w.close();
    });
    joins.push({ view: name, parentView, container: container.dimension, offsetAlias, pii: container.pii });
    references.push(...child.references);
    for (const grandchild of elements.containers) {
      sqlAliases.add(childViewName(name, grandchild));
      pending.push({ container: grandchild, parentView: name, parentKey: `\${${name}.${key}}`, parentLabel: label });
    }
  }
  return {
    writeViews: (writer) => {
      for (const view of views) view(writer);
    },
    joins,
    references,
    timeGroups,
    viewNames,
    sqlAliases: [...sqlAliases],
    primaryKey,
    chartableSums: quantities.filter((q) => q.aggregate === "sum" && !q.pii).map(({ name, currency }) => ({ name, currency })),
    breakdowns,
  };
}

/**
 * Names the fields of a relation's views as relationViews does, refusing the same clashes, and
 * returns the names of its views, base view first, in relationViews' order; nothing else is made.
 * For the plan, which must refuse a contract before any file is written, while the views
 * themselves are made only for the file that prints them.
 */
export function checkRelationFields(spec: FieldNamesSpec): string[] {
  const viewNames: string[] = [];
  nameRelationFields(spec, (name) => viewNames.push(name));
  return viewNames;
}

/**
 * The LookML field of each column of a relation (its dotted path from the top-level column), made
 * from the field names alone: no block, measure or drill is made. The catalog asks for it once per entity
 * page, and the views it would otherwise make are most of the cost of a page.
 */
export function relationFieldOf(spec: FieldNamesSpec): Map<string, string> {
  const fieldOf = new Map<string, string>();
  nameRelationFields(spec, (name, fields, elements, repeated) => {
    // An array of scalars is one dimension of its child view; an array of STRUCTs, its fields.
    if (repeated !== undefined && repeated.container.column.fields.length === 0) {
      fieldOf.set(repeated.path, `${name}.${fields.dimensionOf.get(repeated.container.column.name)}`);
      return;
    }
    const prefix = repeated === undefined ? "" : `${repeated.path}.`;
    for (const leaf of elements.leaves) fieldOf.set(prefix + leaf.path, `${name}.${fields.dimensionOf.get(leaf.path)}`);
    for (const container of elements.containers) fieldOf.set(prefix + container.path, childViewName(name, container));
  });
  return fieldOf;
}

type FieldNamesSpec = Pick<RelationSpec, "view" | "columns" | "highFrequency" | "where">;

/**
 * Names the fields of every view of a relation, base view first, then child views in
 * relationViews' order (parents before children), and shows each view to `visit`: its name, its
 * fields, what it is made of and, for a child view, the repeated column and its path from the top.
 */
function nameRelationFields(
  spec: FieldNamesSpec,
  visit: (name: string, fields: NamedFields, elements: Collected, repeated: { container: Container; path: string } | undefined) => void,
): void {
  const base = collect(spec.columns, "${TABLE}", false);
  const timeframes = timeframesFor(spec.highFrequency);
  visit(spec.view, nameFields(spec.view, base, timeframes, spec.where), base, undefined);
  const pending = base.containers.map((container) => ({ container, parentView: spec.view, path: container.path }));
  while (pending.length > 0) {
    const repeated = pending.shift()!;
    const name = childViewName(repeated.parentView, repeated.container);
    const elements = elementsOf(repeated.container);
    visit(name, nameFields(name, elements, timeframes, spec.where), elements, repeated);
    for (const grandchild of elements.containers) pending.push({ container: grandchild, parentView: name, path: `${repeated.path}.${grandchild.path}` });
  }
}

function childViewName(parentView: string, container: Container): string {
  return `${parentView}__${container.dimension}`;
}

/** The dimensions of an array's elements: a STRUCT's fields, or the scalar itself. */
function elementsOf(container: Container): Collected {
  const { column } = container;
  if (isLatLng(column)) {
    // An array of coordinates: the element is a STRUCT of latitude and longitude, shown as a location too.
    const inner = collect(column.fields, "${TABLE}", container.pii);
    const location: Location = { dimension: lookmlName(column.name), latitudeSql: "${TABLE}.latitude", longitudeSql: "${TABLE}.longitude", column, groupPath: [], pii: container.pii };
    return { ...inner, locations: [...inner.locations, location] };
  }
  if (column.fields.length > 0) return collect(column.fields, "${TABLE}", container.pii);
  // The element of an array of scalars is the UNNEST alias itself.
  const element: SourceColumn = { ...column, mode: "NULLABLE" };
  return { leaves: [{ dimension: lookmlName(column.name), sql: "${TABLE}", column: element, groupPath: [], pii: container.pii, path: column.name }], containers: [], locations: [] };
}

interface Collected {
  readonly leaves: Leaf[];
  readonly containers: Container[];
  readonly locations: Location[];
}

const LAT_LNG = "google.type.LatLng";

function isLatLng(column: SourceColumn): boolean {
  return column.conversion?.kind === "message" && column.conversion.messageTypeName === LAT_LNG && column.fields.some((f) => f.name === "latitude") && column.fields.some((f) => f.name === "longitude");
}

/** Flattens non-repeated STRUCTs; stops at REPEATED columns, which get their own view. */
function collect(columns: readonly SourceColumn[], sqlBase: string, inheritedPii: boolean): Collected {
  const collected: Collected = { leaves: [], containers: [], locations: [] };
  collectInto(collected, columns, "", sqlBase, [], inheritedPii);
  return collected;
}

/**
 * `dimensionPrefix` is the dimension of the STRUCTs above (`address__`), `path` their column
 * names; everything found goes into `into`, in column order.
 */
function collectInto(
  into: Collected,
  columns: readonly SourceColumn[],
  dimensionPrefix: string,
  sqlBase: string,
  path: readonly string[],
  inheritedPii: boolean,
): void {
  const pathPrefix = path.length === 0 ? "" : `${path.join(".")}.`;
  for (const column of columns) {
    const pii = inheritedPii || column.pii;
    const dimension = dimensionPrefix + lookmlName(column.name);
    const columnSql = `${sqlBase}.${sqlName(column.name)}`;
    if (column.mode === "REPEATED") {
      into.containers.push({ dimension, sql: columnSql, column, pii, path: pathPrefix + column.name });
    } else if (column.bigQueryType === "STRUCT") {
      collectInto(into, column.fields, `${dimension}__`, columnSql, [...path, column.name], pii);
      if (isLatLng(column)) {
        into.locations.push({ dimension, latitudeSql: `${columnSql}.latitude`, longitudeSql: `${columnSql}.longitude`, column, groupPath: path, pii });
      }
    } else {
      into.leaves.push({ dimension, sql: columnSql, column, groupPath: path, pii, path: pathPrefix + column.name });
    }
  }
}

/** `base`, or `base_2`, ... whichever is not taken. */
/** Anything that can tell whether a name is taken. */
export type NameLookup = Pick<ReadonlySet<string>, "has">;

export function freeName(base: string, taken: NameLookup): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

type Timeframes = Record<"TIMESTAMP" | "DATETIME" | "DATE", readonly string[]>;

const TIMEFRAMES: Timeframes = {
  TIMESTAMP: ["raw", "time", "date", "week", "month", "quarter", "year"],
  DATETIME: ["raw", "time", "date", "week", "month", "quarter", "year"],
  DATE: ["raw", "date", "week", "month", "quarter", "year"],
};

/** Hourly data is read by the hour, the hour of the day and the day of the week (load curves). */
const HIGH_FREQUENCY_TIMEFRAMES: Timeframes = {
  TIMESTAMP: ["raw", "time", "hour", "hour_of_day", "date", "day_of_week", "week", "month", "quarter", "year"],
  DATETIME: ["raw", "time", "hour", "hour_of_day", "date", "day_of_week", "week", "month", "quarter", "year"],
  DATE: ["raw", "date", "day_of_week", "week", "month", "quarter", "year"],
};

export function timeframesFor(highFrequency: boolean): Timeframes {
  return highFrequency ? HIGH_FREQUENCY_TIMEFRAMES : TIMEFRAMES;
}

/** Looker appends the timeframe to the group name, so `created_at` is grouped as `created`. */
const TIME_SUFFIXES = ["_timestamp", "_time", "_at", "_date", "_on", "_ts"];

function isTime(column: SourceColumn): column is SourceColumn & { bigQueryType: "TIMESTAMP" | "DATETIME" | "DATE" } {
  return column.bigQueryType === "TIMESTAMP" || column.bigQueryType === "DATETIME" || column.bigQueryType === "DATE";
}

interface ViewFields {
  /** What the view is made of, as collect found it. */
  readonly elements: Collected;
  /** Field names of the view; generated fields take a name no column has. */
  readonly names: FieldNames;
  /** Dimension (or dimension group) name by column path. */
  readonly dimensionOf: ReadonlyMap<string, string>;
  readonly groupOf: ReadonlyMap<string, string>;
  readonly references: readonly ReferenceField[];
  markPrimaryKey(dimension: string): void;
  /** The field a drill shows for a column: its dimension, or its group's `_time` / `_date`; none for PII. */
  drillField(path: string): string[];
  /** Writes the view's fields: dimensions in column order, then locations, then hidden arrays. */
  writeFields(writer: LookmlWriter): void;
}

/** The names of a view's fields (nameFields): what two views over the same columns have alike. */
interface NamedFields {
  readonly names: ReadonlySet<string>;
  readonly dimensionOf: ReadonlyMap<string, string>;
  readonly groupOf: ReadonlyMap<string, string>;
}

/** Names every field of a view and checks that none collide. */
function nameFields(view: string, { leaves, containers, locations }: Collected, timeframesByType: Timeframes, where: string): NamedFields {
  const names = new Set<string>();
  // What the field is for is put into words only for the error: claim runs for every field name.
  const claim = (name: string, kind: string, subject: string) => {
    if (names.has(name)) {
      throw new Error(
        `${where}: two fields of LookML view ${view} would be named "${name}" (${kind} ${subject}).\n` +
          "  fix: rename one of the columns with [(entity.v1.field).column = \"...\"].",
      );
    }
    names.add(name);
  };
  for (const leaf of leaves) if (!isTime(leaf.column)) claim(leaf.dimension, "column", leaf.path);
  for (const container of containers) claim(container.dimension, "repeated column", container.column.name);
  for (const location of locations) claim(location.dimension, "coordinates", location.column.name);
  const groupOf = new Map<string, string>();
  const dimensionOf = new Map<string, string>();
  for (const leaf of leaves) {
    const column = leaf.column;
    if (!isTime(column)) {
      dimensionOf.set(leaf.path, leaf.dimension);
      continue;
    }
    const suffixes = timeframeSuffixes(timeframesByType[column.bigQueryType]);
    const group = timeGroupName(leaf.dimension, suffixes, names);
    claim(group, "time column", leaf.path);
    for (const field of timeframeFields(group, suffixes)) claim(field, "time column", leaf.path);
    groupOf.set(leaf.path, group);
    dimensionOf.set(leaf.path, group);
  }
  return { names, dimensionOf, groupOf };
}

/** The names a view's fields take: its columns', then those its keys and measures add. */
export interface FieldNames {
  has(name: string): boolean;
  add(name: string): void;
}

/** Names added to names shared with another view (SharedFields), which stay as they are. */
class AddedFieldNames implements FieldNames {
  private readonly added = new Set<string>();
  constructor(private readonly shared: ReadonlySet<string>) {}
  has(name: string): boolean {
    return this.shared.has(name) || this.added.has(name);
  }
  add(name: string): void {
    this.added.add(name);
  }
}

/**
 * A view's fields, named: a view of its own takes the names as they are (`ownNames`), a view
 * that shares another's names (SharedFields) adds its keys' and measures' names on the side.
 */
function viewFields(view: string, elements: Collected, named: NamedFields, timeframesByType: Timeframes, ownNames: boolean): ViewFields {
  const { leaves, containers, locations } = elements;
  const { dimensionOf, groupOf } = named;
  const names: FieldNames = ownNames ? (named.names as Set<string>) : new AddedFieldNames(named.names);
  const references: ReferenceField[] = [];
  for (const leaf of leaves) if (leaf.column.references !== undefined) references.push({ view, dimension: leaf.dimension, target: leaf.column.references });
  let primaryKey: string | undefined;
  return {
    elements,
    names,
    dimensionOf,
    groupOf,
    references,
    markPrimaryKey(dimension) {
      primaryKey = dimension;
    },
    drillField(path) {
      const leaf = leaves.find((l) => l.path === path);
      if (leaf === undefined || leaf.pii) return [];
      const group = groupOf.get(path);
      if (group === undefined) return [leaf.dimension];
      return [`${group}_${leaf.column.bigQueryType === "DATE" ? "date" : "time"}`];
    },
    writeFields(w) {
      for (const leaf of leaves) {
        const group = groupOf.get(leaf.path);
        if (group !== undefined) writeDimensionGroup(w, leaf, group, timeframesByType);
        else writeDimension(w, leaf, leaf.dimension === primaryKey);
      }
      for (const location of locations) writeLocationDimension(w, location);
      for (const container of containers) writeHiddenArray(w, container);
    },
  };
}

/** `_raw`, `_time`, ... of a timeframe list (one of the few constant lists above), made once. */
const suffixesOf = new Map<readonly string[], readonly string[]>();
function timeframeSuffixes(timeframes: readonly string[]): readonly string[] {
  let suffixes = suffixesOf.get(timeframes);
  if (suffixes === undefined) {
    suffixes = timeframes.map((tf) => `_${tf}`);
    suffixesOf.set(timeframes, suffixes);
  }
  return suffixes;
}

/** The group's name: the dimension without its time suffix, if neither that nor a timeframe field of it is taken. */
function timeGroupName(dimension: string, timeframeSuffixes: readonly string[], taken: ReadonlySet<string>): string {
  for (const group of groupCandidates(dimension)) if (isFreeGroup(group, timeframeSuffixes, taken)) return group;
  return dimension;
}

function isFreeGroup(group: string, timeframeSuffixes: readonly string[], taken: ReadonlySet<string>): boolean {
  if (taken.has(group)) return false;
  for (const field of timeframeFields(group, timeframeSuffixes)) if (taken.has(field)) return false;
  return true;
}

/*
 * Time columns' names repeat across entities and passes (the plan, the view file, the catalog),
 * so what is spelled out from them is made once per name: a dimension's candidate group names
 * (without each time suffix it ends with), and a group's timeframe fields per timeframe list.
 */
const candidatesOf = new Map<string, readonly string[]>();
function groupCandidates(dimension: string): readonly string[] {
  let candidates = candidatesOf.get(dimension);
  if (candidates === undefined) {
    candidates = TIME_SUFFIXES.filter((suffix) => dimension.endsWith(suffix) && dimension.length > suffix.length).map((suffix) => dimension.slice(0, -suffix.length));
    candidatesOf.set(dimension, candidates);
  }
  return candidates;
}

const fieldsBySuffixes = new Map<readonly string[], Map<string, readonly string[]>>();
/** `created_raw`, `created_time`, ...: the group's name with each of `timeframeSuffixes`. */
function timeframeFields(group: string, timeframeSuffixes: readonly string[]): readonly string[] {
  let byGroup = fieldsBySuffixes.get(timeframeSuffixes);
  if (byGroup === undefined) {
    byGroup = new Map();
    fieldsBySuffixes.set(timeframeSuffixes, byGroup);
  }
  let fields = byGroup.get(group);
  if (fields === undefined) {
    fields = timeframeSuffixes.map((suffix) => group + suffix);
    byGroup.set(group, fields);
  }
  return fields;
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

function writeDimension(w: LookmlWriter, leaf: Leaf, primaryKey: boolean): void {
  const type = leaf.column.bigQueryType;
  if (type === "STRUCT" || isTime(leaf.column)) throw new Error(`internal error: ${leaf.path} is not a scalar`);
  const scalar = SCALARS[type as keyof typeof SCALARS];
  w.open("dimension", leaf.dimension);
  if (primaryKey) w.yes("primary_key");
  w.atom("type", scalar.type);
  writeLabels(w, leaf, true);
  writeDescription(w, leaf.column.description);
  w.sql("sql", scalar.wrap ? scalar.wrap(leaf.sql) : leaf.sql);
  if (leaf.column.enumValues !== undefined && scalar.type === "string") w.stringList("suggestions", leaf.column.enumValues);
  writePiiParams(w, leaf.pii);
  w.close();
}

function writeDimensionGroup(w: LookmlWriter, leaf: Leaf, group: string, timeframesByType: Timeframes): void {
  const type = leaf.column.bigQueryType as "TIMESTAMP" | "DATETIME" | "DATE";
  w.open("dimension_group", group);
  w.atom("type", "time");
  w.atomList("timeframes", timeframesByType[type]);
  // DATE and DATETIME carry no time zone: converting them would shift dates.
  if (type !== "TIMESTAMP") w.no("convert_tz");
  w.atom("datatype", DATATYPES[type]);
  writeLabels(w, leaf, false);
  writeDescription(w, leaf.column.description);
  w.sql("sql", leaf.sql);
  writePiiParams(w, leaf.pii);
  w.close();
}

const DATATYPES = { TIMESTAMP: "timestamp", DATETIME: "datetime", DATE: "date" } as const;

/** Coordinates as Looker maps them: one field from latitude and longitude. */
function writeLocationDimension(w: LookmlWriter, location: Location): void {
  w.open("dimension", location.dimension);
  w.atom("type", "location");
  if (location.groupPath.length > 0) {
    w.str("group_label", titleCase(location.groupPath.join("_")));
    w.str("group_item_label", titleCase(location.column.name));
  }
  writeDescription(w, location.column.description);
  w.sql("sql_latitude", location.latitudeSql);
  w.sql("sql_longitude", location.longitudeSql);
  writePiiParams(w, location.pii);
  w.close();
}

/**
 * The primary key of a view whose fields are in the view it extends: only `primary_key: yes`, which
 * Looker merges into the extended view's dimension of that name (the extending view's parameters
 * win, the others are kept).
 */
function writePrimaryKeyOverride(w: LookmlWriter, dimension: string): void {
  w.open("dimension", dimension);
  w.yes("primary_key");
  w.close();
}

/** A primary key computed from the row, hidden: users group by the columns it is made of. */
function writeKeyDimension(w: LookmlWriter, name: string, text: string, keySql: string): void {
  w.open("dimension", name);
  w.yes("primary_key");
  w.yes("hidden");
  w.atom("type", "string");
  w.str("description", liquidLiteral(text));
  w.sql("sql", keySql);
  w.close();
}

/** A measure's name is its prefix and the quantity's dimension (`total_amount`). */
const MEASURE_PREFIX: Record<Aggregate, string> = { sum: "total_", average: "average_", min: "min_", max: "max_" };
const MEASURE_WORD: Record<Aggregate, string> = { sum: "Total", average: "Average", min: "Smallest", max: "Largest" };
const DISTINCT_TYPE: Record<Aggregate, string> = { sum: "sum_distinct", average: "average_distinct", min: "min_distinct", max: "max_distinct" };
const ONCE = "; a row delivered more than once counts once";

/**
 * Sum, average, minimum and maximum of every leaf the model marks as a quantity. No `label`:
 * Looker's own, from the name (`total_net_energy_wh` → "Total Net Energy Wh"), says it. With a
 * `distinctKey` (rows that can repeat), sums and averages count each key once. A Money amount
 * requires its currency: Looker then always groups by it, so amounts in two currencies are never
 * added together.
 */
function quantityMeasures(leaves: readonly Leaf[], fields: ViewFields, distinctKey: string | undefined): QuantityMeasure[] {
  const measures: QuantityMeasure[] = [];
  const distinctSql = distinctKey === undefined ? undefined : `\${${distinctKey}}`;
  for (const leaf of leaves) {
    const aggregates = leaf.column.measures ?? [];
    if (aggregates.length === 0) continue;
    // A Money amount: its currency is the sibling column (also for the entries of a repeated Money).
    const lastDot = leaf.path.lastIndexOf(".");
    const parentPath = lastDot < 0 ? "" : leaf.path.slice(0, lastDot);
    const currencyPath = lastDot < 0 ? "currency_code" : `${parentPath}.currency_code`;
    const money = leaf.column.name === "amount" && leaf.column.conversion?.kind === "derived" && fields.dimensionOf.has(currencyPath);
    const currency = money ? fields.dimensionOf.get(currencyPath) : undefined;
    const subject = money && leaf.dimension.endsWith("__amount") ? leaf.dimension.slice(0, -"__amount".length) : leaf.dimension;
    const quantity: MeasuredQuantity = {
      groupLabel: titleCase(subject.includes("__") ? subject.replace(/__/g, "_") : subject),
      what: money ? `${parentPath || "the amounts"} (per currency)` : leaf.path,
      valueSql: `\${${leaf.dimension}}`,
      distinctSql,
      integer: leaf.column.bigQueryType === "INT64",
      requiredFields: currency === undefined ? undefined : [currency],
    };
    for (const aggregate of aggregates) {
      const name = freeName(MEASURE_PREFIX[aggregate] + subject, fields.names);
      fields.names.add(name);
      const distinct = distinctSql !== undefined && (aggregate === "sum" || aggregate === "average");
      measures.push({ name, aggregate, currency, pii: leaf.pii, distinct, quantity });
    }
  }
  return measures;
}

function writeQuantityMeasure(w: LookmlWriter, measure: QuantityMeasure): void {
  const { name, aggregate, distinct, quantity } = measure;
  w.open("measure", name);
  w.atom("type", distinct ? DISTINCT_TYPE[aggregate] : aggregate);
  w.str("group_label", quantity.groupLabel);
  w.str("description", liquidLiteral(distinct ? `${MEASURE_WORD[aggregate]} of ${quantity.what}${ONCE}.` : `${MEASURE_WORD[aggregate]} of ${quantity.what}.`));
  w.sql("sql", quantity.valueSql);
  if (distinct) w.sql("sql_distinct_key", quantity.distinctSql!);
  w.atom("value_format_name", quantity.integer && aggregate !== "average" ? "decimal_0" : "decimal_2");
  if (quantity.requiredFields !== undefined) w.atomList("required_fields", quantity.requiredFields);
  writePiiParams(w, measure.pii);
  w.close();
}

function writeHiddenArray(w: LookmlWriter, container: Container): void {
  w.open("dimension", container.dimension);
  w.yes("hidden");
  writeDescription(w, container.column.description);
  w.sql("sql", container.sql);
  writePiiParams(w, container.pii);
  w.close();
}

/** The child view's key: its parent's key and the element's position, unique per row of the join. */
function writeChildKey(w: LookmlWriter, name: string, parentKey: string, offsetAlias: string): void {
  w.open("dimension", name);
  w.yes("primary_key");
  w.yes("hidden");
  w.atom("type", "string");
  w.str("description", "Key of the entry: the parent's key and the entry's position.");
  w.sql("sql", `CONCAT(CAST(${parentKey} AS STRING), '-', CAST(${offsetAlias} AS STRING))`);
  w.close();
}

export function countDistinct(name: string, dimension: string, text: string): LookmlBlock {
  return block("measure", name, [atom("type", "count_distinct"), str("description", liquidLiteral(text)), sql("sql", `\${${dimension}}`)]);
}

export function count(name: string, text: string): LookmlBlock {
  return block("measure", name, [atom("type", "count"), str("description", liquidLiteral(text))]);
}

/** Group labels for STRUCT leaves, so `address__city` shows as City under Address. */
function writeLabels(w: LookmlWriter, leaf: Leaf, itemLabel: boolean): void {
  if (leaf.groupPath.length === 0) return;
  w.str("group_label", titleCase(leaf.groupPath.join("_")));
  if (itemLabel) w.str("group_item_label", titleCase(leaf.column.name));
}

function writeDescription(w: LookmlWriter, text: string): void {
  if (text !== "") w.str("description", liquidLiteral(text));
}

const PII_GRANTS = [PII_ACCESS_GRANT];
const PII_TAGS = [PII_TAG];

/** `hidden` only tidies the field picker; the access grant is what keeps PII from users. */
function writePiiParams(w: LookmlWriter, pii: boolean): void {
  if (!pii) return;
  w.atomList("required_access_grants", PII_GRANTS);
  w.stringList("tags", PII_TAGS);
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
  let text = sqlNames.get(name);
  if (text === undefined) {
    text = isReservedWord(name) ? `\`${name}\`` : name;
    sqlNames.set(name, text);
  }
  return text;
}

/** Column names repeat across entities and passes (plan, then the view file): each is looked up once. */
const sqlNames = new Map<string, string>();
