/**
 * The plugin's layers, checked on its real source tree: emitters are siblings (none imports
 * another), no import circle among folders at any level, and the core reads no environment
 * variable and no file. Each rule is also given a small tree that breaks it, so that a rule which
 * stopped finding anything would fail here.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { coreInputs, emitterImports, importCircles, importSpecifiers, readSourceTree, resolveSpecifier, type SourceFile } from "./import-graph.js";

const SOURCE_ROOT = join(import.meta.dirname, "../../plugin/src");

function file(path: string, text: string): SourceFile {
  return { path, imports: importSpecifiers(text).map((s) => resolveSpecifier(path, s)), text };
}

describe("the plugin's source tree", () => {
  const tree = readSourceTree(SOURCE_ROOT);

  it("is read whole, with its imports", () => {
    const paths = tree.map((f) => f.path);
    expect(paths).toContain("plugin.ts");
    expect(paths).toContain("emit/bigquery/index.ts");
    expect(paths.filter((p) => p.startsWith("physical/")).length).toBeGreaterThan(5);
    const bigquery = tree.find((f) => f.path === "emit/bigquery/index.ts")!;
    expect(bigquery.imports).toContain("physical/bigquery-names.ts");
    expect(bigquery.imports).toContain("emit/emitter.ts");
    // Every relative import resolves to a file of the tree, so no edge is lost to a misread path.
    const known = new Set(paths);
    const unresolved = tree.flatMap((f) => f.imports.filter((i) => i.endsWith(".ts") && !known.has(i)).map((i) => `${f.path} → ${i}`));
    expect(unresolved).toEqual([]);
  });

  it("has emitters that import the model, the layers below and the printers, never another emitter", () => {
    expect(emitterImports(tree)).toEqual([]);
  });

  it("has no import circle among folders, at any level", () => {
    expect(importCircles(tree)).toEqual([]);
  });

  it("has a core that reads no environment variable and no file", () => {
    expect(coreInputs(tree)).toEqual([]);
  });
});

describe("the rules find what breaks them", () => {
  it("an emitter importing another emitter", () => {
    const tree = [
      file("emit/dbt/index.ts", 'import { bigQueryNames } from "../bigquery/names.js";\nimport type { Emitter } from "../emitter.js";'),
      file("emit/bigquery/names.ts", "export const x = 1;"),
      file("emit/emitter.ts", "export interface Emitter {}"),
    ];
    expect(emitterImports(tree)).toEqual([{ rule: "emitter imports emitter", detail: "emit/dbt/index.ts imports emit/bigquery/names.ts" }]);
  });

  it("an import circle among top-level folders, as the one issue 12 removed", () => {
    const tree = [
      file("model/types.ts", 'import type { Evolution } from "../evolution/evolution.js";'),
      file("evolution/evolution.ts", 'import type { BigQueryField } from "../emit/bigquery/table-schema.js";'),
      file("emit/bigquery/table-schema.ts", 'import type { Column } from "../../model/types.js";'),
    ];
    const circles = importCircles(tree);
    expect(circles).toHaveLength(1);
    expect(circles[0]!.detail).toMatch(/^emit → model → evolution → emit \(/);
    expect(circles[0]!.detail).toContain("model/types.ts → evolution/evolution.ts");
  });

  it("an import circle among sibling folders further down, through a dynamic import", () => {
    const tree = [
      file("emit/a/index.ts", 'export { b } from "../b/index.js";'),
      file("emit/b/index.ts", 'const a = await import("../a/index.js");'),
    ];
    expect(importCircles(tree).map((v) => v.detail)).toEqual(["emit/a → emit/b → emit/a (emit/a/index.ts → emit/b/index.ts; emit/b/index.ts → emit/a/index.ts)"]);
  });

  it("a circle through a folder and a file beside it, but not one among the files of one folder", () => {
    const tree = [
      file("emit/index.ts", 'import { bigquery } from "./bigquery/index.js";'),
      file("emit/bigquery/index.ts", 'import { EMITTERS } from "../index.js";'),
      file("emit/terraform/a.ts", 'import { b } from "./b.js";'),
      file("emit/terraform/b.ts", 'import { a } from "./a.js";'),
    ];
    expect(importCircles(tree).map((v) => v.detail)).toEqual(["emit/bigquery → emit/index.ts → emit/bigquery (emit/bigquery/index.ts → emit/index.ts; emit/index.ts → emit/bigquery/index.ts)"]);
  });

  it("no circle where imports only go down", () => {
    const tree = [
      file("plugin.ts", 'import { EMITTERS } from "./emit/index.js";'),
      file("emit/index.ts", 'import { x } from "./bigquery/index.js";'),
      file("emit/bigquery/index.ts", 'import type { Emitter } from "../emitter.js";\nimport { t } from "../../physical/table.js";'),
      file("emit/emitter.ts", 'import type { Model } from "../model/types.js";'),
      file("physical/table.ts", 'import type { Model } from "../model/types.js";'),
      file("model/types.ts", "export interface Model {}"),
    ];
    expect(importCircles(tree)).toEqual([]);
  });

  it("the core reading an environment variable or a file, and the edge allowed to", () => {
    const tree = [
      file("evolution/release.ts", 'export const releasing = () => process.env["RELEASE"] === "1";'),
      file("plugin.ts", 'import { readFileSync } from "node:fs";'),
      file("physical/x.ts", 'import { readFile } from "fs/promises";'),
      file("edge/lock-file.ts", 'import { readFileSync } from "node:fs";\nconst home = process.env.HOME;'),
      file("cli/release.ts", 'import { writeFileSync } from "node:fs";'),
      file("main.ts", "const args = process.env.ARGS;"),
    ];
    expect(coreInputs(tree)).toEqual([
      { rule: "core reads the environment", detail: "evolution/release.ts reads process.env" },
      { rule: "core reads a file", detail: "plugin.ts imports node:fs" },
      { rule: "core reads a file", detail: "physical/x.ts imports fs/promises" },
    ]);
  });
});
