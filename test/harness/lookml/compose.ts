/**
 * A small stand-in for Looker's SQL generator: from a parsed explore, the query Looker would run
 * when a user picks every field. `${TABLE}`, `${field}` and `${view.field}` are substituted as
 * Looker does; each field is used the way Looker uses its type (yesno in a CASE, numbers and
 * strings in filters, timeframes through BigQuery's date functions), so a field whose SQL has the
 * wrong type fails analysis just as it would fail in Looker.
 */
import type { LookmlObject } from "./lookml.js";

interface Alias {
  readonly name: string;
  readonly view: LookmlObject;
}

export interface ComposedQuery {
  readonly sql: string;
  /** `alias.field` of every field the query selects. */
  readonly fields: readonly string[];
}

/** The query of an explore with every dimension, every timeframe and every measure selected. */
export function composeExploreQuery(model: LookmlObject, exploreName: string): ComposedQuery {
  const explore = model.explore[exploreName];
  if (explore === undefined) throw new Error(`no explore ${exploreName}`);
  const aliases = new Map<string, Alias>();
  const viewOf = (name: string) => {
    const view = model.view[name];
    if (view === undefined) throw new Error(`no view ${name}`);
    return view;
  };
  aliases.set(exploreName, { name: exploreName, view: viewOf(explore.from ?? exploreName) });
  const joins = Object.entries<LookmlObject>(explore.join ?? {});
  for (const [alias, join] of joins) aliases.set(alias, { name: alias, view: viewOf(join.from ?? alias) });
  const sub = (sql: string, alias: Alias) => substitute(sql, alias, aliases);

  const base = aliases.get(exploreName)!;
  const from = [`FROM ${base.view.sql_table_name.trim()} AS ${exploreName}`];
  for (const [alias, join] of joins) {
    if (join.sql !== undefined) {
      from.push(sub(join.sql.trim(), base));
    } else {
      const target = aliases.get(alias)!;
      const kind = (join.type ?? "left_outer").replace("_outer", "").toUpperCase();
      from.push(`${kind} JOIN ${target.view.sql_table_name.trim()} AS ${alias} ON ${sub(join.sql_on.trim(), base)}`);
    }
  }

  const selected: string[] = [];
  const fields: string[] = [];
  const probes: string[] = [];
  const measures: string[] = [];
  for (const alias of aliases.values()) {
    for (const [name, dimension] of Object.entries<LookmlObject>(alias.view.dimension ?? {})) {
      // Hidden arrays are for UNNEST joins (which read them): users cannot pick them, and
      // BigQuery could not group by them. Hidden keys stay, Looker selects them for aggregates.
      if (dimension.hidden === true && dimension.primary_key !== true) {
        if (dimension.type !== undefined) throw new Error(`${alias.name}.${name}: a hidden dimension with a type is not composed by this test`);
        continue;
      }
      if (dimension.type === "location") {
        selected.push(locationSelect(dimension, alias, sub));
        fields.push(`${alias.name}.${name}`);
        continue;
      }
      const sql = sub(dimension.sql.trim(), alias);
      selected.push(dimensionSelect(dimension.type ?? "string", sql));
      probes.push(...dimensionProbe(dimension.type ?? "string", sql));
      fields.push(`${alias.name}.${name}`);
    }
    for (const [group, def] of Object.entries<LookmlObject>(alias.view.dimension_group ?? {})) {
      for (const timeframe of def.timeframes as string[]) {
        selected.push(timeframeSql(def.datatype ?? "timestamp", timeframe, sub(def.sql.trim(), alias)));
        fields.push(`${alias.name}.${group}_${timeframe}`);
      }
    }
    for (const [name, measure] of Object.entries<LookmlObject>(alias.view.measure ?? {})) {
      measures.push(measureSql(measure, alias, sub));
      fields.push(`${alias.name}.${name}`);
    }
  }
  const required = Object.entries<string>(explore.always_filter?.filters ?? {})
    .filter(([field]) => !field.startsWith("$"))
    .map(([field, value]) => alwaysFilter(field, value, aliases, sub));
  const where = [...required.map((r) => `(${r})`), ...(probes.length > 0 ? [`(${probes.map((p) => `(${p})`).join("\n    OR ")})`] : [])];
  const columns = [...selected, ...measures].map((s, i) => `  ${s} AS f${i}`);
  return {
    sql: [
      "SELECT",
      columns.join(",\n"),
      ...from,
      where.length > 0 ? `WHERE ${where.join("\n  AND ")}` : "",
      selected.length > 0 ? `GROUP BY ${selected.map((_, i) => i + 1).join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("\n"),
    fields,
  };
}

/**
 * The query of one dashboard tile (or one Explore query): the fields it names, grouped by its
 * dimensions, with the joins they need, the explore's required filters and the tile's filters
 * (`view.field` → Looker filter expression, like the dashboard filter's default `7 days`), sorted
 * as the tile sorts. A measure's `required_fields` are added, as Looker adds them.
 */
export function composeFieldsQuery(
  model: LookmlObject,
  exploreName: string,
  fieldNames: readonly string[],
  filters: readonly (readonly [string, string])[] = [],
  sorts: readonly string[] = [],
): string {
  const explore = model.explore[exploreName];
  if (explore === undefined) throw new Error(`no explore ${exploreName}`);
  const viewOf = (name: string) => {
    const view = model.view[name];
    if (view === undefined) throw new Error(`no view ${name}`);
    return view;
  };
  const aliases = new Map<string, Alias>([[exploreName, { name: exploreName, view: viewOf(explore.from ?? exploreName) }]]);
  const joins = new Map(Object.entries<LookmlObject>(explore.join ?? {}));
  for (const [alias, join] of joins) aliases.set(alias, { name: alias, view: viewOf(join.from ?? alias) });
  const sub = (sql: string, alias: Alias) => substitute(sql, alias, aliases);
  const lookup = (field: string): { alias: Alias; name: string } => {
    const [aliasName, name] = field.split(".");
    const alias = aliases.get(aliasName);
    if (alias === undefined) throw new Error(`${field}: no view ${aliasName} in explore ${exploreName}`);
    return { alias, name };
  };

  const fields = [...fieldNames];
  for (const field of fieldNames) {
    const { alias, name } = lookup(field);
    for (const required of alias.view.measure?.[name]?.required_fields ?? []) {
      const full = `${alias.name}.${required}`;
      if (!fields.includes(full)) fields.push(full);
    }
  }
  const dimensions: string[] = [];
  const measures: string[] = [];
  const used = new Set<string>([exploreName]);
  const columnOf = new Map<string, number>();
  for (const field of fields) {
    const { alias, name } = lookup(field);
    used.add(alias.name);
    const measure = alias.view.measure?.[name];
    if (measure !== undefined) {
      columnOf.set(field, -1 - measures.length);
      measures.push(measureSql(measure, alias, sub));
      continue;
    }
    const dimension = alias.view.dimension?.[name];
    columnOf.set(field, dimensions.length);
    if (dimension?.type === "location") dimensions.push(locationSelect(dimension, alias, sub));
    else if (dimension !== undefined) dimensions.push(dimensionSelect(dimension.type ?? "string", sub(dimension.sql.trim(), alias)));
    else dimensions.push(sub(`\${${name}}`, alias));
  }
  const conditions = Object.entries<string>(explore.always_filter?.filters ?? {})
    .filter(([field]) => !field.startsWith("$"))
    .concat(filters.map(([f, v]) => [f, v]))
    .map(([field, value]) => {
      used.add(field.split(".")[0]);
      return alwaysFilter(field, value, aliases, sub);
    });
  // A join is needed when a field or filter uses it, and so is every join it requires.
  const pending = [...used];
  while (pending.length > 0) {
    const join = joins.get(pending.pop()!);
    for (const required of join?.required_joins ?? []) {
      if (!used.has(required)) {
        used.add(required);
        pending.push(required);
      }
    }
  }
  const base = aliases.get(exploreName)!;
  const from = [`FROM ${base.view.sql_table_name.trim()} AS ${exploreName}`];
  for (const [alias, join] of joins) {
    if (!used.has(alias)) continue;
    if (join.sql !== undefined) {
      from.push(sub(join.sql.trim(), base));
    } else {
      const kind = (join.type ?? "left_outer").replace("_outer", "").toUpperCase();
      from.push(`${kind} JOIN ${aliases.get(alias)!.view.sql_table_name.trim()} AS ${alias} ON ${sub(join.sql_on.trim(), base)}`);
    }
  }
  const order = sorts.map((sort) => {
    const [field, direction] = sort.split(" ");
    const column = columnOf.get(field);
    if (column === undefined) throw new Error(`sort on ${field}, which the query does not select`);
    const position = column >= 0 ? column + 1 : dimensions.length - column;
    return `${position}${direction === "desc" ? " DESC" : ""}`;
  });
  const columns = [...dimensions, ...measures].map((sql, i) => `  ${sql} AS f${i}`);
  return [
    "SELECT",
    columns.join(",\n"),
    ...from,
    conditions.length > 0 ? `WHERE ${conditions.map((c) => `(${c})`).join("\n  AND ")}` : "",
    dimensions.length > 0 ? `GROUP BY ${dimensions.map((_, i) => i + 1).join(", ")}` : "",
    order.length > 0 ? `ORDER BY ${order.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/** What Looker selects for a `type: location` dimension: `latitude,longitude` as text. */
function locationSelect(dimension: LookmlObject, alias: Alias, sub: (sql: string, alias: Alias) => string): string {
  const latitude = sub(dimension.sql_latitude.trim(), alias);
  const longitude = sub(dimension.sql_longitude.trim(), alias);
  return `CONCAT(CAST(${latitude} AS STRING), ',', CAST(${longitude} AS STRING))`;
}

/** Replaces `${TABLE}` with the alias and field references with their SQL, recursively. */
function substitute(sql: string, alias: Alias, aliases: ReadonlyMap<string, Alias>, depth = 0): string {
  if (depth > 20) throw new Error(`reference cycle in ${sql}`);
  return sql.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
    if (ref === "TABLE") return alias.name;
    const [target, field] = ref.includes(".") ? [aliases.get(ref.split(".")[0]), ref.split(".")[1]] : [alias, ref];
    if (target === undefined) throw new Error(`\${${ref}}: no such view in the explore`);
    return `(${substitute(fieldSql(target.view, field, target.name), target, aliases, depth + 1)})`;
  });
}

/** The SQL of a dimension, or of a timeframe of a dimension group (`created_date`). */
function fieldSql(view: LookmlObject, field: string, viewName: string): string {
  const dimension = view.dimension?.[field];
  if (dimension !== undefined) return dimension.sql.trim();
  for (const [group, def] of Object.entries<LookmlObject>(view.dimension_group ?? {})) {
    const timeframe = (def.timeframes as string[]).find((tf) => `${group}_${tf}` === field);
    if (timeframe !== undefined) return timeframeSql(def.datatype ?? "timestamp", timeframe, def.sql.trim());
  }
  throw new Error(`\${${field}}: no such dimension in view ${viewName}`);
}

function dimensionSelect(type: string, sql: string): string {
  switch (type) {
    case "yesno":
      return `CASE WHEN ${sql} THEN 'Yes' ELSE 'No' END`;
    case "string":
    case "number":
      return sql;
    default:
      throw new Error(`dimension type ${type} is not composed by this test`);
  }
}

/** The WHERE clause a user's filter on the field produces. */
function dimensionProbe(type: string, sql: string): string[] {
  switch (type) {
    case "string":
      return [`(${sql}) LIKE '%a%'`];
    case "number":
      return [`(${sql}) > 0`];
    default:
      return [];
  }
}

const FORMATS: Record<string, string> = { time: "%F %T", hour: "%F %H", month: "%Y-%m", day_of_week: "%A" };

/** A timeframe of a dimension group, by its datatype, as BigQuery computes it. */
function timeframeSql(datatype: string, timeframe: string, sql: string): string {
  const unit = { date: "DAY", week: "WEEK", month: "MONTH", quarter: "QUARTER", year: "YEAR" }[timeframe];
  switch (datatype) {
    case "timestamp":
      if (timeframe === "raw") return `TIMESTAMP_ADD(${sql}, INTERVAL 0 SECOND)`;
      if (timeframe === "hour_of_day") return `EXTRACT(HOUR FROM ${sql})`;
      if (timeframe in FORMATS) return `FORMAT_TIMESTAMP('${FORMATS[timeframe]}', ${sql})`;
      return `DATE(TIMESTAMP_TRUNC(${sql}, ${unit}))`;
    case "datetime":
      if (timeframe === "raw") return `DATETIME_ADD(${sql}, INTERVAL 0 SECOND)`;
      if (timeframe === "hour_of_day") return `EXTRACT(HOUR FROM ${sql})`;
      if (timeframe in FORMATS) return `FORMAT_DATETIME('${FORMATS[timeframe]}', ${sql})`;
      return `DATE(DATETIME_TRUNC(${sql}, ${unit}))`;
    case "date":
      if (timeframe === "raw") return `DATE_ADD(${sql}, INTERVAL 0 DAY)`;
      if (timeframe === "time" || timeframe === "hour" || timeframe === "hour_of_day") throw new Error("a DATE has no time of day");
      if (timeframe in FORMATS) return `FORMAT_DATE('${FORMATS[timeframe]}', ${sql})`;
      return `DATE_TRUNC(${sql}, ${unit})`;
    default:
      throw new Error(`datatype ${datatype} is not composed by this test`);
  }
}

function measureSql(measure: LookmlObject, alias: Alias, sub: (sql: string, alias: Alias) => string): string {
  const sql = measure.sql === undefined ? undefined : sub(measure.sql.trim(), alias);
  switch (measure.type) {
    case "count": {
      // Looker counts distinct primary keys once a join fans rows out.
      const key = Object.entries<LookmlObject>(alias.view.dimension).find(([, d]) => d.primary_key === true)?.[0];
      return key === undefined ? "COUNT(*)" : `COUNT(DISTINCT ${sub(`\${${key}}`, alias)})`;
    }
    case "count_distinct":
      return `COUNT(DISTINCT ${sql})`;
    case "max":
      return `MAX(${sql})`;
    case "min":
      return `MIN(${sql})`;
    case "sum":
      return `SUM(${sql})`;
    case "average":
      return `AVG(${sql})`;
    case "sum_distinct":
    case "average_distinct": {
      if (measure.sql_distinct_key === undefined) throw new Error(`${measure.type} without sql_distinct_key`);
      return symmetricAggregate(measure.type, sql!, sub(measure.sql_distinct_key.trim(), alias));
    }
    case "number":
      // Looker puts a number measure's SQL into the query as it is (it aggregates itself).
      return sql!;
    default:
      throw new Error(`measure type ${measure.type} is not composed by this test`);
  }
}

/**
 * Looker's symmetric aggregate, the way it computes sum_distinct: every value is added once per
 * distinct key, by summing DISTINCT (hash of the key + value) and subtracting the sum of the
 * distinct hashes. Exact in BIGNUMERIC; NULL values take no part, like SUM.
 */
function symmetricAggregate(type: "sum_distinct" | "average_distinct", value: string, key: string): string {
  const hash = `CAST(FARM_FINGERPRINT(CAST(${key} AS STRING)) AS BIGNUMERIC) * 1000000000000`;
  const sum = `(SUM(DISTINCT IF(${value} IS NULL, NULL, ${hash} + CAST(${value} AS BIGNUMERIC))) - SUM(DISTINCT IF(${value} IS NULL, NULL, ${hash})))`;
  if (type === "sum_distinct") return `CAST(${sum} AS FLOAT64)`;
  return `CAST(${sum} / NULLIF(COUNT(DISTINCT IF(${value} IS NULL, NULL, CAST(${key} AS STRING))), 0) AS FLOAT64)`;
}

/** `view.group_date: "7 days"` as the last seven days of the group's raw value. */
function alwaysFilter(field: string, value: string, aliases: ReadonlyMap<string, Alias>, sub: (sql: string, alias: Alias) => string): string {
  const [viewName, name] = field.split(".");
  const alias = aliases.get(viewName);
  if (alias === undefined) throw new Error(`always_filter on ${field}: no such view`);
  const days = /^(\d+) days?$/.exec(value)?.[1];
  if (days === undefined) throw new Error(`always_filter value ${value} is not composed by this test`);
  for (const [group, def] of Object.entries<LookmlObject>(alias.view.dimension_group ?? {})) {
    if (!(def.timeframes as string[]).some((tf) => `${group}_${tf}` === name)) continue;
    const raw = sub(def.sql.trim(), alias);
    switch (def.datatype ?? "timestamp") {
      case "timestamp":
        return `${raw} >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${days} DAY)`;
      case "datetime":
        return `${raw} >= DATETIME_SUB(CURRENT_DATETIME(), INTERVAL ${days} DAY)`;
      default:
        return `${raw} >= DATE_SUB(CURRENT_DATE(), INTERVAL ${days} DAY)`;
    }
  }
  throw new Error(`always_filter on ${field}: no such timeframe`);
}
