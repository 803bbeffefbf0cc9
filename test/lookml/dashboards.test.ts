/**
 * The LookML dashboards, the caching and the manifest, as Looker would resolve them: every
 * dashboard parses (YAML, through lookml-parser), every tile's explore and fields exist in the
 * model, and every tile's query is analyzed by ZetaSQL against the generated tables; the same for
 * the example, the googleapis run and the hostile-comment fixture. Datagroups keep results no
 * longer than the freshness contracts allow, and the manifest's constants point the project at
 * another connection, project or dataset.
 */
import { parse as load } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Model } from "../../plugin/src/model/types.js";
import { compileGoogleapis } from "../harness/buf/googleapis.js";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos, generateExample, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { registerBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { composeFieldsQuery } from "../harness/lookml/compose.js";
import { exampleModel, fieldNames, lookmlFiles, manifestConstants, parseLookml, parseProject, withConstants, type LookmlObject } from "../harness/lookml/lookml.js";

let zetasql: ZetaSqlSession;
beforeAll(async () => {
  zetasql = await startZetaSql();
});
afterAll(async () => {
  await zetasql?.stop();
});

interface Run {
  readonly name: string;
  readonly output: () => Map<string, string>;
}

const RUNS: readonly Run[] = [
  { name: "the example", output: generateExample },
  { name: "the googleapis run", output: () => runPlugin(compileGoogleapis().compiled, compileGoogleapis().parameter) },
  { name: "the hostile-comment fixture", output: () => runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO })) },
];

/** A dashboard element or filter field (`view.field`, maybe with ` desc`) of an explore. */
function resolvesIn(model: LookmlObject, explore: string, field: string): boolean {
  const [alias, name] = field.replace(/ (asc|desc)$/, "").split(".");
  const def = model.explore[explore];
  const view = alias === explore ? (def.from ?? explore) : (def.join?.[alias]?.from ?? (def.join?.[alias] ? alias : undefined));
  return view !== undefined && model.view[view] !== undefined && fieldNames(model.view[view]).has(name);
}

for (const run of RUNS) {
  describe(`dashboards of ${run.name}`, () => {
    let output: Map<string, string>;
    let files: Map<string, string>;
    let model: LookmlObject;
    let modelName: string;
    let dashboards: [string, LookmlObject][];
    beforeAll(async () => {
      output = run.output();
      files = lookmlFiles(output);
      const project = await parseProject(files);
      expect(project.errors).toBeUndefined();
      [[modelName, model]] = Object.entries(project.model);
      const project_ = manifestConstants(lookmlFiles(output, { raw: true }).get("manifest.lkml")!).get("entities_gcp_project")!;
      await registerBigQuery(zetasql, output, project_);
      dashboards = [...files].filter(([name]) => name.endsWith(".dashboard.lookml")).map(([name, text]) => [name, (load(text) as LookmlObject[])[0]]);
    });

    it("has an activity dashboard per entity and a freshness dashboard per dataset, each parsed by lookml-parser and included by the model", async () => {
      const views = Object.keys(model.view);
      // One per entity: the events view of each (append-only entities have no latest view).
      const entities = views.filter((v) => v.endsWith("_events")).length;
      const freshness = views.filter((v) => v.endsWith("__entity_freshness")).length;
      expect(dashboards).toHaveLength(entities + freshness);
      const included = [parseLookml(files.get(`${modelName}.model.lkml`)!).include].flat();
      const project = await parseProject(files);
      for (const [name, dashboard] of dashboards) {
        expect(included, `the model includes ${name}`).toContain(name);
        // lookml-parser reads the file as a dashboard (YAML) under its file name.
        const parsed = project.file[name.replace(/\.lookml$/, "")];
        expect(parsed?.dashboard, name).toBeDefined();
        expect(Object.values<LookmlObject>(parsed.dashboard)[0][0].dashboard).toBe(dashboard.dashboard);
      }
    });

    it("every tile names this model, an explore of it and fields of that explore, and says what it shows", () => {
      let tiles = 0;
      for (const [name, dashboard] of dashboards) {
        expect(dashboard.title, name).toBeTruthy();
        expect(dashboard.description, name).toBeTruthy();
        const filters = new Map<string, LookmlObject>((dashboard.filters ?? []).map((f: LookmlObject) => [f.name, f]));
        for (const filter of filters.values()) {
          expect(filter.model).toBe(modelName);
          expect(resolvesIn(model, filter.explore, filter.field), `${name}: filter ${filter.field}`).toBe(true);
        }
        for (const element of dashboard.elements as LookmlObject[]) {
          const where = `${name}: ${element.name}`;
          tiles++;
          expect(element.model, where).toBe(modelName);
          expect(model.explore[element.explore], where).toBeDefined();
          expect(element.title, where).toBeTruthy();
          expect(element.note_text, where).toMatch(/\w{3,}/);
          for (const field of [...element.fields, ...(element.pivots ?? []), ...(element.sorts ?? [])]) {
            expect(resolvesIn(model, element.explore, field), `${where}: ${field}`).toBe(true);
          }
          for (const pivot of element.pivots ?? []) expect(element.fields, `${where}: pivots are selected`).toContain(pivot);
          for (const [filterName, field] of Object.entries<string>(element.listen ?? {})) {
            expect(filters.has(filterName), `${where} listens to ${filterName}`).toBe(true);
            expect(resolvesIn(model, element.explore, field), `${where}: ${field}`).toBe(true);
          }
          expect(element.col + element.width, where).toBeLessThanOrEqual(24);
        }
      }
      expect(tiles).toBeGreaterThanOrEqual(dashboards.length * 2);
    });

    it("every tile's query, with its dashboard filter's default, is analyzed by ZetaSQL", async () => {
      for (const [name, dashboard] of dashboards) {
        const filters = new Map<string, LookmlObject>((dashboard.filters ?? []).map((f: LookmlObject) => [f.name, f]));
        for (const element of dashboard.elements as LookmlObject[]) {
          const listened = Object.entries<string>(element.listen ?? {}).map(([filter, field]) => [field, filters.get(filter)!.default_value] as const);
          const sql = composeFieldsQuery(model, element.explore, element.fields, listened, element.sorts ?? []);
          const analyzed = await zetasql.analyze(sql).catch((e: Error) => {
            throw new Error(`${name}: ${element.name}: ${e.message}`);
          });
          expect(analyzed.columns.length, `${name}: ${element.name}`).toBeGreaterThanOrEqual(element.fields.length);
        }
      }
    });

    it("the freshness dashboards have an alertable single number of stale entities and the table behind it, never cached", () => {
      const freshness = dashboards.filter(([, d]) => d.dashboard.endsWith("__entity_freshness"));
      expect(freshness.length).toBeGreaterThan(0);
      for (const [name, dashboard] of freshness) {
        const single = (dashboard.elements as LookmlObject[]).filter((e) => e.type === "single_value");
        expect(single, name).toHaveLength(1);
        const [field] = single[0].fields as string[];
        const [view, measure] = field.split(".");
        const def = model.view[view].measure[measure];
        expect(def.type).toBe("number");
        expect(def.sql).toMatch(/^\s*COUNTIF\(/);
        expect(single[0].note_text).toMatch(/alert/);
        const table = (dashboard.elements as LookmlObject[]).find((e) => e.type === "looker_grid")!;
        expect(table.fields).toEqual(expect.arrayContaining([`${view}.entity`, `${view}.status`, `${view}.lag_seconds`]));
        expect(model.explore[single[0].explore].persist_for).toBe("0 seconds");
      }
    });
  });
}

describe("caching tied to freshness (example)", () => {
  let model: LookmlObject;
  let domain: Model;
  beforeAll(async () => {
    model = Object.values((await parseProject(lookmlFiles(generateExample()))).model)[0];
    domain = exampleModel();
  });

  it("a datagroup per dataset, used by every explore of its entities, with max_cache_age below the smallest freshness threshold", () => {
    const datasets = new Set(domain.entities.map((e) => e.dataset));
    expect(Object.keys(model.datagroup)).toHaveLength(datasets.size);
    const seconds = (text: string) => {
      const [n, unit] = text.split(" ");
      return Number(n) * (unit.startsWith("hour") ? 3600 : unit.startsWith("minute") ? 60 : 1);
    };
    for (const entity of domain.entities) {
      const own = Object.entries<LookmlObject>(model.explore).filter(([name]) => name === `${entity.table}_events` || name === `${entity.table}_latest`);
      expect(own, entity.typeName).toHaveLength(entity.appendOnly ? 1 : 2);
      const groups = new Set(own.map(([, e]) => e.persist_with));
      expect(groups.size).toBe(1);
      const datagroup = model.datagroup[[...groups][0]];
      expect(datagroup, entity.typeName).toBeDefined();
      expect(datagroup.sql_trigger).toContain(`${entity.dataset}.${entity.table}\``);
      for (const threshold of [entity.freshness.warnAfter, entity.freshness.errorAfter]) {
        if (threshold !== undefined) expect(seconds(datagroup.max_cache_age), entity.typeName).toBeLessThan(threshold.seconds);
      }
    }
    const meter = domain.entities.find((e) => e.messageName === "MeterReading")!;
    expect(meter.freshness.warnAfter!.seconds).toBe(1800);
  });

  it("every datagroup's trigger is analyzed by ZetaSQL, reads only its dataset's tables and filters each on its partitioning column", async () => {
    await registerBigQuery(zetasql, generateExample(), domain.project);
    for (const [name, datagroup] of Object.entries<LookmlObject>(model.datagroup)) {
      const analyzed = await zetasql.analyze(datagroup.sql_trigger);
      expect(analyzed.columns, name).toHaveLength(1);
      expect(analyzed.columns[0].type).toBe("TIMESTAMP");
      const tables = await zetasql.referencedTables(datagroup.sql_trigger);
      const dataset = domain.entities.filter((e) => tables.includes(`${domain.project}.${e.dataset}.${e.table}`));
      expect(dataset.length, name).toBe(tables.length);
      expect(new Set(dataset.map((e) => e.dataset)).size).toBe(1);
      for (const entity of dataset) expect(datagroup.sql_trigger).toMatch(new RegExp(`${entity.table}\` WHERE \`${entity.partitioning.column}\` >=`));
    }
  });
});

describe("a project other projects import", () => {
  it("manifest.lkml names the project and exports a constant for the connection, the GCP project, the model and every dataset", () => {
    const raw = lookmlFiles(generateExample(), { raw: true });
    const manifest = parseLookml(raw.get("manifest.lkml")!);
    expect(manifest.project_name).toBe("entities");
    const constants = Object.entries<LookmlObject>(manifest.constant);
    for (const [, def] of constants) expect(def.export).toBe("override_optional");
    const names = new Set(constants.map(([n]) => n));
    for (const dataset of new Set(exampleModel().entities.map((e) => e.dataset))) expect(names.has(`entities_dataset_${dataset}`)).toBe(true);
    expect(parseLookml(raw.get("entities.model.lkml")!).connection).toBe("@{entities_connection}");
    // Every sql_table_name goes through the constants, never a hard-coded project.
    for (const [name, text] of raw) {
      if (!name.endsWith(".view.lkml")) continue;
      for (const view of Object.values<LookmlObject>(parseLookml(text).view)) {
        if (view.sql_table_name !== undefined) expect(view.sql_table_name.trim(), name).toMatch(/^`@\{entities_gcp_project\}\.@\{entities_dataset_\w+\}\.\w+`$/);
      }
    }
  });

  it("an importing project's override_constant values point every view, datagroup and dashboard elsewhere", async () => {
    const raw = lookmlFiles(generateExample(), { raw: true });
    const overrides = new Map([
      ["entities_connection", "team_bq"],
      ["entities_gcp_project", "team-project"],
      ["entities_model", "team_model"],
      ["entities_dataset_energy_metering_v1", "metering_eu"],
    ]);
    const files = withConstants(raw, overrides);
    const model = Object.values((await parseProject(files)).model)[0];
    expect(model.connection).toBe("team_bq");
    expect(model.view.meter_readings_events.sql_table_name.trim()).toBe("`team-project.metering_eu.meter_readings`");
    expect(model.view.user_events.sql_table_name.trim()).toBe("`team-project.energy_customer_v1.user`");
    expect(model.datagroup.energy_metering_v1__new_events.sql_trigger).toContain("`team-project.metering_eu.meter_readings`");
    const dashboard = (load(files.get("meter_readings.dashboard.lookml")!) as LookmlObject[])[0];
    expect(new Set(dashboard.elements.map((e: LookmlObject) => e.model))).toEqual(new Set(["team_model"]));
  });
});
