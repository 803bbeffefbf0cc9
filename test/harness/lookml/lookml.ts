/**
 * LookML test support: the generated LookML of a run, parsed with lookml-parser (the npm parser
 * that follows includes and refinements the way Looker does), and the lookups the tests share.
 */
import { createRequire } from "node:module";
import type { Column, Model } from "../../../plugin/src/model/types.js";
import { modelOfCompiled } from "../../model/support.js";
import { compileExample, exampleParameter } from "../buf/protos.js";

const require = createRequire(import.meta.url);
const lookmlParser = require("lookml-parser") as {
  parse(text: string): LookmlObject;
  parseFiles(options: { source: { path: string; content: string }[] }): Promise<LookmlProject>;
};

/** What lookml-parser returns: nested objects keyed by type, then by name. */
export type LookmlObject = { [key: string]: any };

export interface LookmlProject {
  errors?: unknown[];
  file: Record<string, LookmlObject>;
  model: Record<string, LookmlObject>;
}

/**
 * Parses one file; lookml-parser throws an object (not an Error) with the position. The file's
 * views that extend others of the file are resolved as Looker resolves them in a model (see
 * resolveExtends); `raw` keeps them as written.
 */
export function parseLookml(text: string, { raw = false } = {}): LookmlObject {
  let parsed: LookmlObject;
  try {
    parsed = lookmlParser.parse(text);
  } catch (e) {
    throw new Error(String(e));
  }
  if (!raw && parsed.view !== undefined) resolveExtends(parsed.view);
  return parsed;
}

/** The parameters of a view that hold named fields, which an extending view merges field by field. */
const FIELD_KINDS = new Set(["dimension", "dimension_group", "measure", "filter", "parameter", "set"]);

/**
 * Resolves `extends:` among `views` (name → view) in place, as Looker does once a model's views
 * are known: an extending view starts from its extended views, in order, each resolved first; its
 * own parameters win; a field it declares again is merged with the extended one parameter by
 * parameter (so `dimension: id { primary_key: yes }` adds the key to the extended `id`). The
 * extended view's `extension: required` is not inherited. A view extended but missing, or a cycle,
 * fails the test, as Looker's validator refuses them.
 */
export function resolveExtends(views: Record<string, LookmlObject>): void {
  const resolved = new Set<string>();
  const resolving = new Set<string>();
  const resolve = (name: string): LookmlObject => {
    const view = views[name];
    if (view === undefined) throw new Error(`a view extends ${name}, which the model does not have`);
    if (resolved.has(name)) return view;
    if (resolving.has(name)) throw new Error(`view ${name} extends itself`);
    resolving.add(name);
    const bases = ((view.extends ?? []) as string[]).map(resolve);
    if (bases.length > 0) {
      let merged: LookmlObject = {};
      for (const base of bases) merged = mergeView(merged, withoutExtension(base));
      const { extends: _, ...own } = view;
      views[name] = mergeView(merged, own);
    }
    resolving.delete(name);
    resolved.add(name);
    return views[name];
  };
  for (const name of Object.keys(views)) if (!name.startsWith("+") && !name.startsWith("$")) resolve(name);
}

function withoutExtension(view: LookmlObject): LookmlObject {
  const { extension: _, ...rest } = view;
  return rest;
}

function mergeView(base: LookmlObject, own: LookmlObject): LookmlObject {
  const merged: LookmlObject = { ...base };
  for (const [param, value] of Object.entries<unknown>(own)) {
    if (FIELD_KINDS.has(param) && base[param] !== undefined) {
      const fields: LookmlObject = { ...base[param] };
      for (const [field, def] of Object.entries<LookmlObject>(value as LookmlObject)) fields[field] = fields[field] === undefined ? def : { ...fields[field], ...def };
      merged[param] = fields;
    } else {
      merged[param] = value;
    }
  }
  return merged;
}

/** Parses a folder of files (name → content), following includes from the model files. */
export async function parseProject(files: ReadonlyMap<string, string>): Promise<LookmlProject> {
  const project = await lookmlParser.parseFiles({ source: [...files].map(([path, content]) => ({ path, content })) });
  // lookml-parser keeps refinements (`explore: +name`, a list of them) beside their object and
  // does not merge a refinement of the model file into an explore of an included file: apply
  // them as Looker does (the refinement's parameters win). A refinement of nothing is an error.
  for (const model of Object.values<LookmlObject>(project.model ?? {})) {
    for (const kind of ["explore", "view"]) {
      for (const key of Object.keys(model[kind] ?? {}).filter((k) => k.startsWith("+"))) {
        const target = model[kind][key.slice(1)];
        if (target === undefined) throw new Error(`${kind} ${key} refines ${key.slice(1)}, which the model does not have`);
        let refined = target;
        for (const refinement of [model[kind][key]].flat()) {
          const own = Object.fromEntries(Object.entries<unknown>(refinement).filter(([param]) => !param.startsWith("$")));
          // A view's refinement adds fields and changes parameters of the fields it names, as an extension does.
          refined = kind === "view" ? mergeView(refined, own) : Object.assign(refined, own);
        }
        model[kind][key.slice(1)] = refined;
        delete model[kind][key];
      }
    }
    // Looker applies refinements first, then extends: a refinement of an extended view reaches every view that extends it.
    if (model.view !== undefined) resolveExtends(model.view);
  }
  return project;
}

/**
 * The `lookml/` files of a plugin run, named relative to that folder, with the manifest's
 * constants substituted as Looker does (`@{entities_gcp_project}` → its value); `raw` keeps them.
 */
export function lookmlFiles(output: ReadonlyMap<string, string>, { raw = false } = {}): Map<string, string> {
  const files = new Map([...output].filter(([name]) => name.startsWith("lookml/")).map(([name, content]) => [name.slice("lookml/".length), content]));
  return raw ? files : withConstants(files);
}

/** The constants of a manifest.lkml, by name. */
export function manifestConstants(manifest: string): Map<string, string> {
  const parsed = parseLookml(manifest);
  return new Map(Object.entries<LookmlObject>(parsed.constant ?? {}).map(([name, def]) => [name, def.value as string]));
}

/** Every `@{name}` replaced by the manifest's value; a constant the manifest lacks fails the test. */
export function withConstants(files: ReadonlyMap<string, string>, overrides: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const manifest = files.get("manifest.lkml");
  if (manifest === undefined) {
    if (files.size === 0) return new Map();
    throw new Error("the LookML project has no manifest.lkml");
  }
  const constants = new Map([...manifestConstants(manifest), ...overrides]);
  return new Map(
    [...files].map(([name, content]) => [
      name,
      name === "manifest.lkml"
        ? content
        : content.replace(/@\{([^}]*)\}/g, (_, constant: string) => {
            const value = constants.get(constant);
            if (value === undefined) throw new Error(`${name}: @{${constant}} is not a constant of manifest.lkml`);
            return value;
          }),
    ]),
  );
}

export function exampleModel(): Model {
  return modelOfCompiled(compileExample(), exampleParameter());
}

/** Every field name a view defines: dimensions, measures, and each timeframe of a dimension group. */
export function fieldNames(view: LookmlObject): Set<string> {
  const names = new Set<string>([...Object.keys(view.dimension ?? {}), ...Object.keys(view.measure ?? {})]);
  for (const [group, def] of Object.entries<LookmlObject>(view.dimension_group ?? {})) {
    for (const tf of def.timeframes ?? []) names.add(`${group}_${tf}`);
  }
  return names;
}

/** Dimensions and dimension groups of a view, by name. */
export function dimensionsOf(view: LookmlObject): [string, LookmlObject][] {
  return [...Object.entries<LookmlObject>(view.dimension ?? {}), ...Object.entries<LookmlObject>(view.dimension_group ?? {})];
}

/** `${a.b}` and `${b}` references in SQL, `TABLE` excluded. */
export function references(sql: string): { view: string | undefined; field: string }[] {
  return [...sql.matchAll(/\$\{([^}]*)\}/g)]
    .map((m) => m[1])
    .filter((r) => r !== "TABLE")
    .map((r) => (r.includes(".") ? { view: r.slice(0, r.indexOf(".")), field: r.slice(r.indexOf(".") + 1) } : { view: undefined, field: r }));
}

/** A column tree with the PII flag each leaf inherits from the STRUCTs above it. */
export function* walkWithPii(columns: readonly Column[], inherited = false): Iterable<{ column: Column; pii: boolean }> {
  for (const column of columns) {
    const pii = inherited || column.pii;
    yield { column, pii };
    yield* walkWithPii(column.fields, pii);
  }
}

/**
 * What Looker shows for a Liquid-rendered text: the content of `{% raw %}` blocks as it is, and
 * `{{ "..." }}` string outputs. Any other Liquid markup outside raw fails the test, since Looker
 * would evaluate it.
 */
export function renderLiquidLiterals(text: string): string {
  let out = "";
  let rest = text;
  while (rest !== "") {
    const raw = /^\{% raw %\}([\s\S]*?)\{%-?\s*endraw\s*-?%\}/.exec(rest);
    const output = /^\{\{ "([^"\\]*)" \}\}/.exec(rest);
    if (raw) {
      out += raw[1];
      rest = rest.slice(raw[0].length);
    } else if (output) {
      out += output[1];
      rest = rest.slice(output[0].length);
    } else if (rest.startsWith("{{") || rest.startsWith("{%")) {
      throw new Error(`Liquid would evaluate ${JSON.stringify(rest.slice(0, 40))}`);
    } else {
      out += rest[0];
      rest = rest.slice(1);
    }
  }
  return out;
}
