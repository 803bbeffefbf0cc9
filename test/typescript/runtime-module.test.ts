/**
 * The generated package's runtime is a module of the plugin (plugin/src/runtime/runtime.ts): the
 * bundle must carry its text as it is, and what the emitter writes may name only what it exports.
 * Values are checked by the compiler (RuntimeValue is `keyof typeof` the module); the type names
 * of runtime-module.ts and the names in the generated files are checked here against the
 * module's exports as TypeScript reads them.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generatedHeader } from "../../plugin/src/printers/header.js";
import { RUNTIME_SOURCE } from "../../plugin/src/emit/typescript/runtime-module.js";
import { buildPluginInto } from "../harness/buf/plugin-build.js";
import { compileExample, exampleParameter, generateExample, REPO_ROOT, requestOf } from "../harness/buf/protos.js";

const RUNTIME_FILE = join(REPO_ROOT, "plugin/src/runtime/runtime.ts");
const RUNTIME_MODULE_FILE = join(REPO_ROOT, "plugin/src/emit/typescript/runtime-module.ts");

interface RuntimeExports {
  readonly values: ReadonlySet<string>;
  readonly types: ReadonlySet<string>;
}

/** What runtime.ts exports, as values and as types, read by TypeScript's checker. */
function runtimeExports(): RuntimeExports {
  const program = ts.createProgram([RUNTIME_FILE], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(RUNTIME_FILE)!)!;
  const values = new Set<string>();
  const types = new Set<string>();
  for (const symbol of checker.getExportsOfModule(module)) {
    if (symbol.flags & ts.SymbolFlags.Value) values.add(symbol.name);
    if (symbol.flags & ts.SymbolFlags.Type) types.add(symbol.name);
  }
  return { values, types };
}

/** The members of runtime-module.ts's RuntimeTypes: each key and the `Runtime.X` it maps to. */
function namedRuntimeTypes(): { key: string; type: string }[] {
  const source = ts.createSourceFile(RUNTIME_MODULE_FILE, readFileSync(RUNTIME_MODULE_FILE, "utf8"), ts.ScriptTarget.ES2022, true);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "RuntimeTypes");
  if (declaration === undefined) throw new Error("runtime-module.ts declares no RuntimeTypes");
  return declaration.members.map((member) => {
    const type = ts.isPropertySignature(member) && member.type !== undefined && ts.isTypeReferenceNode(member.type) ? member.type.typeName : undefined;
    return { key: member.name!.getText(source), type: type !== undefined && ts.isQualifiedName(type) ? type.right.text : "(not Runtime.X)" };
  });
}

describe("the runtime module", () => {
  const exported = runtimeExports();

  it("exports what the plugin names as its types, each key naming its own type", () => {
    const named = namedRuntimeTypes();
    expect(named.length).toBeGreaterThan(5);
    for (const { key, type } of named) {
      expect(type, `RuntimeTypes.${key}`).toBe(key);
      expect(exported.types.has(key), `runtime.ts exports no type ${key}`).toBe(true);
    }
  });

  it("exports everything the generated files take from it", () => {
    const files = generateExample();
    const runtimeNs = /\brt\.([A-Za-z_$][\w$]*)/g;
    const used = new Set<string>();
    for (const [name, content] of files) {
      if (!name.startsWith("ts/src/") || !name.endsWith("_event.ts")) continue;
      expect(content).toMatch(/^import \* as rt from "(\.\.\/)+runtime\.js";$/m);
      for (const [, member] of content.matchAll(runtimeNs)) used.add(member!);
    }
    // The example domain uses the conversions of most kinds; a handful would mean the scan broke.
    expect(used.size).toBeGreaterThan(20);
    for (const name of used) expect(exported.values.has(name) || exported.types.has(name), `rt.${name}`).toBe(true);

    const index = files.get("ts/src/index.ts")!;
    const reexport = /^export \{ (.*) \} from "\.\/runtime\.js";$/m.exec(index);
    expect(reexport).not.toBeNull();
    for (const specifier of reexport![1]!.split(", ")) {
      const typeOnly = specifier.startsWith("type ");
      const name = specifier.replace(/^type /, "");
      expect((typeOnly ? exported.types : exported.values).has(name), `index.ts re-exports ${specifier}`).toBe(true);
    }
  });

  it("is the text the emitter writes, in the sources as in the bundle", () => {
    const moduleText = readFileSync(RUNTIME_FILE, "utf8");
    // The sources, as vitest (Vite's ?raw) reads them.
    expect(RUNTIME_SOURCE).toBe(moduleText);
    // The bundle, built and run from a directory of its own: it has no src/ to read, so the
    // runtime it writes is the text it holds.
    const dir = mkdtempSync(join(tmpdir(), "entity-runtime-"));
    try {
      const bin = buildPluginInto(dir);
      const request = toBinary(CodeGeneratorRequestSchema, requestOf(compileExample(), exampleParameter()));
      const response = fromBinary(CodeGeneratorResponseSchema, execFileSync(process.execPath, [bin], { input: request, cwd: dir, maxBuffer: 256 * 1024 * 1024 }));
      expect(response.error ?? "").toBe("");
      const written = response.file.find((f) => f.name === "ts/src/runtime.ts");
      expect(written?.content).toBe(`// ${generatedHeader()}\n\n${moduleText}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
