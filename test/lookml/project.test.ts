/**
 * The generated folder as Looker sees it: every file parses, the model reaches every file through
 * its includes, and every view, explore, join and `${...}` reference resolves.
 */
import { posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateExample } from "../harness/buf/protos.js";
import { GENERATED_HEADER_PATTERN } from "../../plugin/src/printers/header.js";
import { fieldNames, lookmlFiles, parseLookml, parseProject, references, type LookmlObject, type LookmlProject } from "../harness/lookml/lookml.js";

const files = () => lookmlFiles(generateExample());
/** The LookML files (dashboards are YAML, see dashboards.test.ts). */
const lkmlFiles = () => new Map([...files()].filter(([name]) => name.endsWith(".lkml")));

describe("every generated LookML file", () => {
  it("is in the output", () => {
    expect([...files().keys()].filter((f) => f.endsWith(".model.lkml"))).toHaveLength(1);
    expect([...files().keys()].filter((f) => f.endsWith(".view.lkml")).length).toBeGreaterThan(7);
    expect([...files().keys()].filter((f) => f.endsWith(".dashboard.lookml")).length).toBeGreaterThan(7);
    expect(files().has("manifest.lkml")).toBe(true);
    expect([...files().keys()].every((f) => f === "manifest.lkml" || /^[a-z0-9_]+\.((view|explore|model)\.lkml|dashboard\.lookml)$/.test(f))).toBe(true);
  });

  it("parses with lookml-parser", () => {
    for (const [name, content] of lkmlFiles()) {
      expect(() => parseLookml(content), name).not.toThrow();
    }
  });

  it("starts with the generated header and says how to extend it with refinements", () => {
    for (const [name, content] of files()) {
      const [first, ...rest] = content.split("\n");
      expect(first, name).toMatch(/^# /);
      expect(first, name).toMatch(GENERATED_HEADER_PATTERN);
      const comment = rest.filter((l) => l.startsWith("#")).join("\n");
      if (name === "manifest.lkml") {
        expect(comment).toMatch(/override_constant/);
        continue;
      }
      if (name.endsWith(".dashboard.lookml")) {
        expect(comment, name).toMatch(/copy it into a dashboard of your own/);
        continue;
      }
      expect(comment, name).toMatch(/refine/);
      expect(comment, name).toMatch(/(view|explore): \+\w+ \{ \.\.\. \}/);
    }
  });

  it("views and explores are in files of that kind", () => {
    for (const [name, content] of lkmlFiles()) {
      const parsed = parseLookml(content);
      if (name.endsWith(".view.lkml")) expect(Object.keys(parsed).filter((k) => !k.startsWith("$")).sort(), name).toEqual(["view"]);
      if (name.endsWith(".explore.lkml")) expect(Object.keys(parsed).filter((k) => !k.startsWith("$")).sort(), name).toEqual(["explore", "include"]);
    }
  });
});

describe("the folder parsed as a project", () => {
  let project: LookmlProject;
  let model: LookmlObject;
  beforeAll(async () => {
    project = await parseProject(files());
    const models = Object.values(project.model);
    expect(models).toHaveLength(1);
    model = models[0];
  });

  it("has no parse errors and a model without errors", () => {
    expect(project.errors).toBeUndefined();
    expect(model.error).toBeUndefined();
  });

  it("resolves every include to a file of the folder (relative to the including file)", () => {
    let count = 0;
    for (const [name, content] of lkmlFiles()) {
      const parsed = parseLookml(content);
      const includes: string[] = parsed.include === undefined ? [] : [parsed.include].flat();
      for (const include of includes) {
        expect(include, `${name}: generated includes name files, no patterns`).not.toMatch(/[*?]/);
        const target = posix.normalize(posix.join(posix.dirname(name), include));
        expect(files().has(target), `${name} includes ${include}`).toBe(true);
        count++;
      }
    }
    expect(count).toBeGreaterThan(7);
  });

  it("reaches every view and explore of every file from the model", () => {
    const viewsInFiles = new Set<string>();
    const exploresInFiles = new Set<string>();
    for (const content of lkmlFiles().values()) {
      const parsed = parseLookml(content);
      for (const v of Object.keys(parsed.view ?? {})) viewsInFiles.add(v);
      // `explore: +name` refines an explore of another file (the model's caching).
      for (const e of Object.keys(parsed.explore ?? {}).filter((e) => !e.startsWith("+"))) exploresInFiles.add(e);
    }
    expect(new Set(Object.keys(model.view))).toEqual(viewsInFiles);
    expect(new Set(Object.keys(model.explore))).toEqual(exploresInFiles);
  });

  it("resolves every explore's base view and every join's view", () => {
    for (const [name, explore] of Object.entries<LookmlObject>(model.explore)) {
      expect(model.view[explore.from ?? explore.view_name ?? name], name).toBeDefined();
      for (const [alias, join] of Object.entries<LookmlObject>(explore.join ?? {})) {
        expect(model.view[join.from ?? alias], `${name}.${alias}`).toBeDefined();
        expect(join.sql ?? join.sql_on, `${name}.${alias} needs join SQL`).toBeDefined();
        expect(["one_to_many", "many_to_one"]).toContain(join.relationship);
        for (const required of join.required_joins ?? []) expect(explore.join[required], `${name}.${alias} requires ${required}`).toBeDefined();
      }
    }
  });

  it("resolves every ${view.field} in joins and filters to a field of a view of the explore", () => {
    for (const [name, explore] of Object.entries<LookmlObject>(model.explore)) {
      const aliases = aliasesOf(name, explore);
      const check = (ref: { view: string | undefined; field: string }, where: string) => {
        expect(ref.view, `${where}: ${ref.field} must name its view`).toBeDefined();
        const view = aliases.get(ref.view!);
        expect(view, `${where}: ${ref.view} is not in explore ${name}`).toBeDefined();
        expect(fieldNames(model.view[view!]).has(ref.field), `${where}: ${ref.view}.${ref.field}`).toBe(true);
      };
      for (const [alias, join] of Object.entries<LookmlObject>(explore.join ?? {})) {
        for (const ref of references(join.sql ?? join.sql_on)) check(ref, `${name}.${alias}`);
      }
      for (const field of Object.keys(explore.always_filter?.filters ?? {}).filter((k) => !k.startsWith("$"))) {
        const [view, f] = field.split(".");
        check({ view, field: f }, `${name} always_filter`);
      }
    }
  });

  it("resolves every ${...} in a view's fields, in every explore that uses the view", () => {
    for (const [name, explore] of Object.entries<LookmlObject>(model.explore)) {
      const aliases = aliasesOf(name, explore);
      for (const [alias, viewName] of aliases) {
        const view = model.view[viewName];
        const own = fieldNames(view);
        for (const kind of ["dimension", "dimension_group", "measure"]) {
          for (const [field, def] of Object.entries<LookmlObject>(view[kind] ?? {})) {
            for (const ref of references(def.sql ?? "")) {
              if (ref.view === undefined) {
                expect(own.has(ref.field), `${viewName}.${field} refers to ${ref.field}`).toBe(true);
              } else {
                // A view joined under an alias can refer to another view only if the explore has it.
                expect(aliases.has(ref.view), `${viewName}.${field} (as ${alias} in ${name}) refers to ${ref.view}`).toBe(true);
                expect(fieldNames(model.view[aliases.get(ref.view)!]).has(ref.field)).toBe(true);
              }
            }
          }
        }
      }
    }
  });

  it("gives every view exactly one primary key, as symmetric aggregates need; the views of shared fields none, as their extending views differ in it", () => {
    for (const [name, view] of Object.entries<LookmlObject>(model.view)) {
      const keys = Object.entries<LookmlObject>(view.dimension ?? {}).filter(([, d]) => d.primary_key === true);
      expect(keys.map(([k]) => k), name).toHaveLength(view.extension === "required" ? 0 : 1);
    }
  });

  it("defines the access grant that fields require, once, in the model", () => {
    expect(Object.keys(model.access_grant)).toHaveLength(1);
    const grants = new Set<string>();
    for (const view of Object.values<LookmlObject>(model.view)) {
      for (const kind of ["dimension", "dimension_group", "measure"]) {
        for (const def of Object.values<LookmlObject>(view[kind] ?? {})) for (const g of def.required_access_grants ?? []) grants.add(g);
      }
    }
    for (const explore of Object.values<LookmlObject>(model.explore)) {
      for (const join of Object.values<LookmlObject>(explore.join ?? {})) for (const g of join.required_access_grants ?? []) grants.add(g);
    }
    expect(grants.size).toBe(1);
    for (const g of grants) expect(model.access_grant[g]).toBeDefined();
  });
});

/** Alias → view name for the base view and every join of an explore. */
function aliasesOf(name: string, explore: LookmlObject): Map<string, string> {
  const aliases = new Map<string, string>([[name, explore.from ?? name]]);
  for (const [alias, join] of Object.entries<LookmlObject>(explore.join ?? {})) aliases.set(alias, join.from ?? alias);
  return aliases;
}
