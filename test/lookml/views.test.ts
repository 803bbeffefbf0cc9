/**
 * The generated views against the tables they read: every column of the BigQuery JSON schema the
 * BigQuery emitter writes has its field, with the right type; nested and repeated data, keys,
 * measures, PII and references follow the conventions of hand-written LookML.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import type { Column, Entity, Model } from "../../plugin/src/model/types.js";
import { readRelations } from "../../plugin/src/physical/bigquery-names.js";
import { compileProtos, generateExample, runPlugin } from "../harness/buf/protos.js";
import {
  dimensionsOf,
  exampleModel,
  lookmlFiles,
  parseLookml,
  parseProject,
  renderLiquidLiterals,
  walkWithPii,
  type LookmlObject,
} from "../harness/lookml/lookml.js";

let model: Model;
/** Entities with a latest state (all but the append-only ones). */
const withLatest = () => model.entities.filter((e) => readRelations(e).latestView);
/** The relations an entity's LookML views read: its table, and its latest-state view when it has one. */
const tablesOf = (e: Entity) => [e.table, ...(readRelations(e).latestView ? [`${e.table}_latest`] : [])];
let lookml: LookmlObject;

beforeAll(async () => {
  model = exampleModel();
  const project = await parseProject(lookmlFiles(generateExample()));
  lookml = Object.values(project.model)[0];
});

const LOOKER_TYPE: Record<string, string> = {
  STRING: "string",
  BYTES: "string",
  JSON: "string",
  TIME: "string",
  INTEGER: "number",
  FLOAT: "number",
  NUMERIC: "number",
  BIGNUMERIC: "number",
  BOOLEAN: "yesno",
};
const TIME_TYPES = ["TIMESTAMP", "DATETIME", "DATE"];

function schemaOf(entity: Entity): BigQueryField[] {
  const text = generateExample().get(`bigquery/${entity.dataset}/${entity.table}.schema.json`);
  expect(text, `JSON schema of ${entity.table}`).toBeDefined();
  return JSON.parse(text!) as BigQueryField[];
}

/** The view whose sql_table_name is exactly this BigQuery object. */
function viewOver(project: string, dataset: string, name: string): [string, LookmlObject] {
  const found = Object.entries<LookmlObject>(lookml.view).filter(([, v]) => v.sql_table_name?.trim() === `\`${project}.${dataset}.${name}\``);
  expect(found.map(([n]) => n), `a view over ${dataset}.${name}`).toHaveLength(1);
  return found[0];
}

/** Dimensions whose SQL reads exactly this column expression (`${TABLE}.a.b`, maybe wrapped). */
function fieldReading(view: LookmlObject, expression: string): [string, LookmlObject] {
  const pattern = new RegExp(`${expression.replace(/[$.{}()[\]]/g, "\\$&")}(?![\\w.])`);
  // A key computed from several columns (hidden) reads them too, but is no column's field.
  const found = dimensionsOf(view).filter(([, d]) => pattern.test(d.sql ?? "") && !(d.hidden === true && d.primary_key === true));
  expect(found.map(([n]) => n), `one field reads ${expression}`).toHaveLength(1);
  return found[0];
}

interface Walk {
  readonly viewName: string;
  readonly view: LookmlObject;
  readonly explore: LookmlObject;
  readonly pii: ReadonlyMap<string, boolean>;
  readonly checked: string[];
}

/** Checks each column of `fields` in `viewName`, descending into STRUCTs and child views. */
function checkColumns(walk: Walk, fields: readonly BigQueryField[], sqlPrefix: string, path: string[], inStruct: boolean): void {
  for (const field of fields) {
    const columnPath = [...path, field.name];
    const expression = `${sqlPrefix}.${field.name}`;
    const pii = walk.pii.get(columnPath.join(".")) ?? false;
    const where = `${walk.viewName}: ${columnPath.join(".")}`;
    if (field.mode === "REPEATED") {
      const [hiddenName, hidden] = fieldReading(walk.view, expression);
      expect(hidden.hidden, `${where} holds the array, hidden`).toBe(true);
      checkPii(hidden, pii, where);
      const joins = Object.entries<LookmlObject>(walk.explore.join ?? {}).filter(([, j]) => (j.sql ?? "").includes(`UNNEST(\${${walk.viewName}.${hiddenName}})`));
      expect(joins, `${where}: one join unnests it`).toHaveLength(1);
      const [childName, join] = joins[0];
      expect(join.sql).toMatch(new RegExp(`^\\s*LEFT JOIN UNNEST\\(\\$\\{${walk.viewName}\\.${hiddenName}\\}\\) AS ${childName}\\b`));
      expect(join.relationship).toBe("one_to_many");
      expect(join.required_access_grants ?? [], `${where}: the join of a PII array needs the grant`).toEqual(pii ? ["pii_access"] : []);
      const child = lookml.view[childName];
      expect(child, `${where}: child view ${childName}`).toBeDefined();
      expect(child.sql_table_name, "a child view reads the join's alias, not a table").toBeUndefined();
      const keys = Object.values<LookmlObject>(child.dimension).filter((d) => d.primary_key === true);
      expect(keys, `${childName} has a primary key`).toHaveLength(1);
      expect(Object.values<LookmlObject>(child.measure ?? {}).length).toBeGreaterThan(0);
      const inner = { ...walk, viewName: childName, view: child };
      if (field.type === "RECORD") {
        const childPii = new Map([...walk.pii].filter(([p]) => p.startsWith(`${columnPath.join(".")}.`)).map(([p, v]) => [p.slice(columnPath.join(".").length + 1), v]));
        checkColumns({ ...inner, pii: childPii }, field.fields!, "${TABLE}", [], false);
      } else {
        const element = dimensionsOf(child).filter(([, d]) => d.sql?.trim().replace(/^\w+\(|\)$|^CAST\(| AS STRING\)$/g, "") === "${TABLE}");
        expect(element, `${where}: one field is the element itself`).toHaveLength(1);
        checkLeaf(element[0][1], field, pii, `${childName}: element`);
      }
      walk.checked.push(where);
    } else if (field.type === "RECORD") {
      checkColumns(walk, field.fields!, expression, columnPath, true);
    } else {
      const [, def] = fieldReading(walk.view, expression);
      checkLeaf(def, field, pii, where);
      if (inStruct) {
        expect(def.group_label, `${where}: STRUCT leaves are grouped`).toBeTruthy();
        if (def.$type === "dimension") expect(def.group_item_label, where).toBeTruthy();
      }
      walk.checked.push(where);
    }
  }
}

function checkLeaf(def: LookmlObject, field: BigQueryField, pii: boolean, where: string): void {
  if (TIME_TYPES.includes(field.type)) {
    expect(def.$type, `${where} is a dimension group`).toBe("dimension_group");
    expect(def.type).toBe("time");
    expect(def.datatype).toBe(field.type.toLowerCase());
    expect(def.timeframes).toEqual(expect.arrayContaining(["raw", "date", "week", "month", "quarter", "year"]));
    expect(def.timeframes.includes("time"), `${where}: a time of day only for TIMESTAMP and DATETIME`).toBe(field.type !== "DATE");
    expect(def.convert_tz ?? true, `${where}: only TIMESTAMP has a time zone to convert`).toBe(field.type === "TIMESTAMP");
  } else {
    expect(def.$type, where).toBe("dimension");
    expect(def.type, where).toBe(LOOKER_TYPE[field.type]);
  }
  expect(renderLiquidLiterals(def.description ?? ""), `${where}: description`).toBe(field.description ?? "");
  checkPii(def, pii, where);
}

function checkPii(def: LookmlObject, pii: boolean, where: string): void {
  expect(def.required_access_grants ?? [], `${where}: access grant`).toEqual(pii ? ["pii_access"] : []);
  expect(def.tags ?? [], `${where}: tags`).toEqual(pii ? ["pii"] : []);
}

function piiByPath(entity: Entity): Map<string, boolean> {
  return new Map([...walkWithPii(entity.columns)].map(({ column, pii }) => [column.path.join("."), pii]));
}

describe("per entity", () => {
  it("the example has entities with every shape this suite checks", () => {
    const shapes = model.entities.flatMap((e) => [...walkWithPii(e.columns)].map(({ column }) => `${column.mode}:${column.bigQueryType}`));
    for (const shape of ["REPEATED:STRING", "REPEATED:STRUCT", "NULLABLE:STRUCT", "NULLABLE:DATE", "NULLABLE:DATETIME", "NULLABLE:TIME", "NULLABLE:JSON", "NULLABLE:BYTES", "NULLABLE:BOOL"]) {
      expect(shapes).toContain(shape);
    }
  });

  it("a view over the table has a field for every column, typed and described", () => {
    for (const entity of model.entities) {
      const [viewName, view] = viewOver(entity.project, entity.dataset, entity.table);
      const checked: string[] = [];
      checkColumns({ viewName, view, explore: lookml.explore[viewName], pii: piiByPath(entity), checked }, schemaOf(entity), "${TABLE}", [], false);
      expect(checked.length).toBeGreaterThanOrEqual(schemaOf(entity).length);
    }
  });

  it("a view over the latest-state view has the same fields", () => {
    for (const entity of withLatest()) {
      const [viewName, view] = viewOver(entity.project, entity.dataset, `${entity.table}_latest`);
      const checked: string[] = [];
      checkColumns({ viewName, view, explore: lookml.explore[viewName], pii: piiByPath(entity), checked }, schemaOf(entity), "${TABLE}", [], false);
      expect(checked.length).toBeGreaterThanOrEqual(schemaOf(entity).length);
    }
  });

  it("keys the table's view by the event (event_id, else the Pub/Sub message) and the latest view by the entity id", () => {
    for (const entity of model.entities) {
      const [, events] = viewOver(entity.project, entity.dataset, entity.table);
      const keys = Object.entries<LookmlObject>(events.dimension).filter(([, d]) => d.primary_key === true);
      expect(keys).toHaveLength(1);
      expect(keys[0][1].hidden).toBe(true);
      expect(keys[0][1].sql).toMatch(/\$\{TABLE\}\.event_id\b[^]*\$\{TABLE\}\.message_id\b/);
      expect(fieldReading(events, "${TABLE}.event_id")[1].primary_key).toBeUndefined();
      if (!readRelations(entity).latestView) continue;
      const [, latest] = viewOver(entity.project, entity.dataset, `${entity.table}_latest`);
      expect(fieldReading(latest, `\${TABLE}.${entity.idColumn.path.join(".")}`)[1].primary_key).toBe(true);
      expect(fieldReading(latest, "${TABLE}.event_id")[1].primary_key).toBeUndefined();
    }
  });

  it("counts events (each once) and distinct entity ids", () => {
    for (const entity of model.entities) {
      const [, events] = viewOver(entity.project, entity.dataset, entity.table);
      const [eventKey] = Object.entries<LookmlObject>(events.dimension).find(([, d]) => d.primary_key === true)!;
      const [id] = fieldReading(events, `\${TABLE}.${entity.idColumn.path.join(".")}`);
      const measures = Object.values<LookmlObject>(events.measure);
      expect(measures.some((m) => m.type === "count_distinct" && m.sql.trim() === `\${${eventKey}}`)).toBe(true);
      expect(measures.some((m) => m.type === "count_distinct" && m.sql.trim() === `\${${id}}`)).toBe(true);
      if (!readRelations(entity).latestView) continue;
      const [, latest] = viewOver(entity.project, entity.dataset, `${entity.table}_latest`);
      expect(Object.values<LookmlObject>(latest.measure).some((m) => m.type === "count")).toBe(true);
    }
  });

  it("names time groups without the column's suffix, as Looker developers do", () => {
    const [, user] = viewOver("acme-energy", "energy_customer_v1", "user");
    expect(fieldReading(user, "${TABLE}.created_at")[0]).toBe("created");
    expect(fieldReading(user, "${TABLE}.birth_date")[0]).toBe("birth");
    expect(fieldReading(user, "${TABLE}.publish_time")[0]).toBe("publish");
  });

  it("has an explore per view, described like the entity, joining every child view", () => {
    for (const entity of model.entities) {
      for (const table of tablesOf(entity)) {
        const [viewName] = viewOver(entity.project, entity.dataset, table);
        const explore = lookml.explore[viewName];
        expect(explore, `explore ${viewName}`).toBeDefined();
        expect(explore.description).toBe(entity.description);
        expect(explore.label).toBeTruthy();
        const children = Object.keys(lookml.view).filter((v) => v.startsWith(`${viewName}__`));
        for (const child of children) expect(explore.join?.[child], `${viewName} joins ${child}`).toBeDefined();
      }
    }
  });

  it("requires the partition filter on tables that demand one", () => {
    const partitioned = model.entities.filter((e) => e.partitioning.requirePartitionFilter);
    expect(partitioned.length).toBeGreaterThan(0);
    for (const entity of model.entities) {
      const [viewName, view] = viewOver(entity.project, entity.dataset, entity.table);
      const filters = Object.keys(lookml.explore[viewName].always_filter?.filters ?? {}).filter((k) => !k.startsWith("$"));
      if (!entity.partitioning.requirePartitionFilter) {
        expect(filters).toEqual([]);
        continue;
      }
      const [group] = fieldReading(view, `\${TABLE}.${entity.partitioning.column}`);
      expect(filters).toEqual([`${viewName}.${group}_date`]);
    }
  });

  it("joins the latest state of a referenced entity many-to-one on its id, in both explores", () => {
    let joins = 0;
    for (const entity of model.entities) {
      for (const { column } of walkWithPii(entity.columns)) {
        if (column.references === undefined) continue;
        const target = model.entities.find((e) => e.typeName === column.references)!;
        if (!readRelations(target).latestView) continue;
        const [targetView, targetLatest] = viewOver(target.project, target.dataset, `${target.table}_latest`);
        const [targetKey] = fieldReading(targetLatest, `\${TABLE}.${target.idColumn.path.join(".")}`);
        for (const table of tablesOf(entity)) {
          const [viewName, view] = viewOver(entity.project, entity.dataset, table);
          const [dimension] = fieldReading(view, `\${TABLE}.${column.path.join(".")}`);
          const matching = Object.entries<LookmlObject>(lookml.explore[viewName].join).filter(
            ([alias, j]) => j.from === targetView && j.sql_on?.trim() === `\${${viewName}.${dimension}} = \${${alias}.${targetKey}}`,
          );
          expect(matching, `${viewName} joins ${targetView} on ${dimension}`).toHaveLength(1);
          expect(matching[0][1].relationship).toBe("many_to_one");
          joins++;
        }
      }
    }
    expect(joins).toBeGreaterThanOrEqual(11);
  });

  it("joins User into the House explore on house.owner_user_id = user.id", () => {
    const join = lookml.explore.house_events.join.owner_user;
    expect(join).toMatchObject({ from: "user_latest", relationship: "many_to_one" });
    expect(join.sql_on.trim()).toBe("${house_events.owner_user_id} = ${owner_user.id}");
  });
});

describe("BigQuery objects", () => {
  it("every sql_table_name is a table or view the BigQuery DDL creates", () => {
    const created = new Set(
      [...generateExample()]
        .filter(([name]) => name.startsWith("bigquery/") && name.endsWith(".sql"))
        .flatMap(([, sql]) => [...sql.matchAll(/CREATE (?:OR REPLACE )?(?:TABLE|VIEW)(?: IF NOT EXISTS)? (`[^`]+`)/g)].map((m) => m[1])),
    );
    const used = Object.values<LookmlObject>(lookml.view).flatMap((v) => (v.sql_table_name ? [v.sql_table_name.trim()] : []));
    expect(used.length).toBe(model.entities.length + withLatest().length + new Set(model.entities.map((e) => `${e.project}.${e.dataset}`)).size);
    for (const name of used) expect(created, name).toContain(name);
  });

  it("measures every quantity the model marks (four each by default), distinct where rows repeat, formatted by type", () => {
    let checked = 0;
    for (const entity of model.entities) {
      const [, events] = viewOver(entity.project, entity.dataset, entity.table);
      const latest = readRelations(entity).latestView ? viewOver(entity.project, entity.dataset, `${entity.table}_latest`)[1] : undefined;
      const [key] = Object.entries<LookmlObject>(events.dimension).find(([, d]) => d.primary_key === true)!;
      // Columns of the base views: arrays' entries have measures in their child views.
      const flat = (columns: readonly Column[]): Column[] => columns.filter((c) => c.mode !== "REPEATED").flatMap((c) => [c, ...flat(c.fields)]);
      for (const column of flat(entity.columns)) {
        if (column.measures.length === 0) continue;
        const onColumn = (view: LookmlObject) =>
          Object.values<LookmlObject>(view.measure).filter((m) => (m.sql ?? "").trim() === `\${${column.path.join("__").toLowerCase()}}`);
        const [inEvents, inLatest] = [onColumn(events), latest === undefined ? [] : onColumn(latest)];
        expect(inEvents.map((m) => m.type).sort(), column.path.join(".")).toEqual(
          column.measures.map((a) => (a === "sum" || a === "average" ? `${a}_distinct` : a)).sort(),
        );
        if (latest !== undefined) expect(inLatest.map((m) => m.type).sort()).toEqual([...column.measures].sort());
        for (const m of inEvents.filter((m) => m.type.endsWith("_distinct"))) expect(m.sql_distinct_key.trim()).toBe(`\${${key}}`);
        for (const m of [...inEvents, ...inLatest]) {
          expect(m.value_format_name).toBe(column.bigQueryType === "INT64" && m.type !== "average" && m.type !== "average_distinct" ? "decimal_0" : "decimal_2");
          expect(m.description).toBeTruthy();
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // The example's choices: a cumulative register only has a minimum and a maximum; a tariff register none.
    expect(Object.keys(lookml.view.meter_readings_events.measure).filter((m) => m.endsWith("energy_register_wh")).sort()).toEqual(["max_energy_register_wh", "min_energy_register_wh"]);
    expect(Object.keys(lookml.view.meter_readings_events.measure).some((m) => m.includes("tariff_register"))).toBe(false);
    expect(Object.keys(lookml.view.house_events.measure).some((m) => m.includes("construction_year"))).toBe(false);
  });

  it("gives entities expected at least hourly the hourly timeframes, and the others not", () => {
    for (const entity of model.entities) {
      const [, events] = viewOver(entity.project, entity.dataset, entity.table);
      const hourly = [entity.freshness.warnAfter, entity.freshness.errorAfter].some((p) => p !== undefined && p.seconds <= 3600) || entity.partitioning.granularity === "HOUR";
      const timeframes: string[] = events.dimension_group.publish.timeframes;
      expect(timeframes.includes("hour") && timeframes.includes("hour_of_day") && timeframes.includes("day_of_week"), entity.typeName).toBe(hourly);
    }
    expect(model.entities.find((e) => e.messageName === "MeterReading")!.freshness.warnAfter!.seconds).toBeLessThanOrEqual(3600);
  });

  it("shows google.type.LatLng fields as type: location, with the access grant of the coordinates", () => {
    const [, user] = viewOver("acme-energy", "energy_customer_v1", "user");
    const location = user.dimension.address__location;
    expect(location.type).toBe("location");
    expect(location.sql_latitude.trim()).toBe("${TABLE}.address.location.latitude");
    expect(location.sql_longitude.trim()).toBe("${TABLE}.address.location.longitude");
    expect(location.required_access_grants).toEqual(user.dimension.address__location__latitude.required_access_grants);
  });

  it("a freshness view per dataset, keyed by entity, with a status and a lag", () => {
    for (const { project, dataset } of new Map(model.entities.map((e) => [`${e.project}.${e.dataset}`, e])).values()) {
      const [viewName, view] = viewOver(project, dataset, "entity_freshness");
      expect(fieldReading(view, "${TABLE}.entity")[1].primary_key).toBe(true);
      expect(fieldReading(view, "${TABLE}.status")[1].type).toBe("string");
      expect(fieldReading(view, "${TABLE}.lag_seconds")[1].type).toBe("number");
      expect(fieldReading(view, "${TABLE}.last_publish_time")[1].type).toBe("time");
      expect(lookml.explore[viewName]).toBeDefined();
    }
  });
});

describe("model file and plugin options", () => {
  const SOURCE = `syntax = "proto3";
package shop.v1;
import "entity/v1/options.proto";
// A customer.
message Customer {
  option (entity.v1.entity) = {};
  string id = 1;
  // Their e-mail.
  string email = 2 [(entity.v1.field) = { pii: true, policy_tag: "projects/test-project/locations/eu/taxonomies/1/policyTags/2" }];
}
`;

  it("takes the connection and the PII user attribute from the options", () => {
    const compiled = compileProtos({ "shop/v1/customer.proto": SOURCE });
    const files = lookmlFiles(runPlugin(compiled, "project=test-project,looker_connection=warehouse_eu,looker_pii_user_attribute=pii_viewer"));
    const [modelName, modelText] = [...files].find(([n]) => n.endsWith(".model.lkml"))!;
    const parsed = parseLookml(modelText);
    expect(modelName).toBe("entities.model.lkml");
    expect(parsed.connection).toBe("warehouse_eu");
    expect(parsed.access_grant.pii_access).toMatchObject({ user_attribute: "pii_viewer", allowed_values: ["yes"] });
  });

  it("defaults to the documented option values", () => {
    const compiled = compileProtos({ "shop/v1/customer.proto": SOURCE });
    const parsed = parseLookml(lookmlFiles(runPlugin(compiled)).get("entities.model.lkml")!);
    expect(parsed.connection).toBe("bigquery");
    expect(parsed.access_grant.pii_access.user_attribute).toBe("can_see_pii");
  });

  it("the example uses buf.gen.yaml's connection", () => {
    expect(lookml.connection).toBe("acme_bigquery");
  });

  it("keeps the column name for a time group whose short name a column already has", () => {
    const compiled = compileProtos({
      "shop/v1/event.proto": `syntax = "proto3";
package shop.v1;
import "entity/v1/options.proto";
import "google/protobuf/timestamp.proto";
message Visit {
  option (entity.v1.entity) = {};
  string id = 1;
  google.protobuf.Timestamp created_at = 2;
  string created = 3;
}
`,
    });
    const view = parseLookml(lookmlFiles(runPlugin(compiled)).get("visit.view.lkml")!).view.visit_events;
    expect(Object.keys(view.dimension_group)).toContain("created_at");
    expect(view.dimension.created.sql.trim()).toBe("${TABLE}.created");
  });

  it("refuses columns that would flatten to the same field name, naming the fix", () => {
    const compiled = compileProtos({
      "shop/v1/event.proto": `syntax = "proto3";
package shop.v1;
import "entity/v1/options.proto";
message Visit {
  option (entity.v1.entity) = {};
  string id = 1;
  Page page = 2;
  string page__url = 3;
}
message Page { string url = 1; }
`,
    });
    expect(() => runPlugin(compiled)).toThrow(/two fields of LookML view visit_events would be named "page__url"[^]*fix: rename/);
  });

  it("generates no LookML without entities", () => {
    const compiled = compileProtos({ "shop/v1/plain.proto": `syntax = "proto3";\npackage shop.v1;\nmessage Plain { string id = 1; }\n` });
    expect(lookmlFiles(runPlugin(compiled)).size).toBe(0);
  });
});

describe("fields both relations have, declared once", () => {
  /** An entity's view file, parsed as written (extends not resolved) and as Looker resolves it. */
  const viewFile = (entity: Entity) => {
    const text = lookmlFiles(generateExample()).get(`${entity.table}.view.lkml`)!;
    return { raw: parseLookml(text, { raw: true }).view as Record<string, LookmlObject>, resolved: parseLookml(text).view as Record<string, LookmlObject> };
  };

  it("keeps them in views with extension: required, which the events' and latest state's views (and their child views) extend, adding only their keys and measures", () => {
    for (const entity of withLatest()) {
      const { raw } = viewFile(entity);
      const shared = Object.keys(raw).filter((name) => raw[name].extension === "required");
      expect(shared[0], entity.table).toBe(`${entity.table}_fields`);
      for (const name of shared) {
        expect(raw[name].sql_table_name, name).toBeUndefined();
        expect(raw[name].measure, name).toBeUndefined();
        const suffix = name.slice(`${entity.table}_fields`.length);
        for (const relation of ["events", "latest"]) {
          const extending = raw[`${entity.table}_${relation}${suffix}`];
          expect(extending.extends, `${entity.table}_${relation}${suffix}`).toEqual([name]);
          expect(extending.dimension_group, `${entity.table}_${relation}${suffix}`).toBeUndefined();
          // Its own dimensions: its key, and nothing of the shared fields but the key's `primary_key: yes`.
          for (const [dimension, def] of Object.entries<LookmlObject>(extending.dimension ?? {})) {
            expect(def.primary_key, `${entity.table}_${relation}${suffix}.${dimension}`).toBe(true);
            if (raw[name].dimension?.[dimension] !== undefined) expect(Object.keys(def).filter((k) => !k.startsWith("$"))).toEqual(["primary_key"]);
          }
        }
      }
      expect(Object.keys(raw)).toHaveLength(shared.length * 3);
      // The header says where a refinement of both goes.
      expect(lookmlFiles(generateExample()).get(`${entity.table}.view.lkml`)!.split("\n").slice(0, 4).join("\n")).toContain(`\`view: +${entity.table}_fields { ... }\``);
    }
  });

  it("resolves to the same fields in both relations' views, but for the primary key", () => {
    for (const entity of withLatest()) {
      const { raw, resolved } = viewFile(entity);
      for (const name of Object.keys(raw).filter((n) => raw[n].extension === "required")) {
        const suffix = name.slice(`${entity.table}_fields`.length);
        const events = resolved[`${entity.table}_events${suffix}`];
        const latest = resolved[`${entity.table}_latest${suffix}`];
        const sharedOnly = (view: LookmlObject) =>
          Object.fromEntries(
            dimensionsOf(view)
              .filter(([field]) => raw[name].dimension?.[field] !== undefined || raw[name].dimension_group?.[field] !== undefined)
              .map(([field, def]) => [field, Object.fromEntries(Object.entries(def).filter(([k]) => k !== "primary_key" && !k.startsWith("$")))]),
          );
        expect(Object.keys(sharedOnly(events)).length, name).toBe(dimensionsOf(raw[name]).length);
        expect(sharedOnly(latest), name).toEqual(sharedOnly(events));
        expect(events.extension, name).toBeUndefined();
      }
    }
  });

  it("gives an append-only entity, which has one relation, its view without an extension", () => {
    const appendOnly = model.entities.filter((e) => !readRelations(e).latestView);
    expect(appendOnly.length).toBeGreaterThan(0);
    for (const entity of appendOnly) {
      const { raw } = viewFile(entity);
      for (const [name, view] of Object.entries(raw)) {
        expect(view.extends, name).toBeUndefined();
        expect(view.extension, name).toBeUndefined();
      }
    }
  });

  it("lets a refinement of the shared fields reach both relations, and one of the events' view reach only it", async () => {
    const entity = withLatest()[0];
    const idDimension = entity.idColumn.path.join("__");
    const files = lookmlFiles(generateExample());
    const modelName = [...files.keys()].find((f) => f.endsWith(".model.lkml"))!;
    files.set("my_refinements.lkml", [
      `include: "${entity.table}.view.lkml"`,
      `view: +${entity.table}_fields {\n  dimension: ${idDimension} {\n    label: "Shared label"\n  }\n}`,
      `view: +${entity.table}_events {\n  dimension: ${idDimension} {\n    description: "Events only"\n  }\n}`,
      "",
    ].join("\n"));
    files.set(modelName, `${files.get(modelName)}\ninclude: "my_refinements.lkml"\n`);
    const refined = Object.values((await parseProject(files)).model)[0];
    const events = refined.view[`${entity.table}_events`].dimension[idDimension];
    const latest = refined.view[`${entity.table}_latest`].dimension[idDimension];
    expect(events).toMatchObject({ label: "Shared label", description: "Events only" });
    expect(latest).toMatchObject({ label: "Shared label", primary_key: true });
    expect(latest.description).not.toBe("Events only");
    expect(latest.sql).toBe(events.sql);
  });
});
