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

/** Parses one file; lookml-parser throws an object (not an Error) with the position. */
export function parseLookml(text: string): LookmlObject {
  try {
    return lookmlParser.parse(text);
  } catch (e) {
    throw new Error(String(e));
  }
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
        for (const refinement of [model[kind][key]].flat()) {
          for (const [param, value] of Object.entries<unknown>(refinement)) if (!param.startsWith("$")) target[param] = value;
        }
        delete model[kind][key];
      }
    }
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
