/**
 * The plugin's import graph, read from its sources with a regular expression over import and
 * export statements (the plugin's own code imports only by static specifiers), and the layering
 * rules checked on it. The rules take the graph as data, so that a test can hand them a graph
 * that breaks each one.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

/** One source file: its path relative to the source root (`emit/bigquery/index.ts`), what it imports, its text. */
export interface SourceFile {
  readonly path: string;
  /** Paths of the files it imports, relative to the source root; packages and `node:` modules as written. */
  readonly imports: readonly string[];
  readonly text: string;
}

const IMPORT = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The specifiers a source text imports, static and dynamic. */
export function importSpecifiers(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...withoutComments.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
}

/** Every .ts file under `root`, with its imports resolved to paths relative to `root`. */
export function readSourceTree(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) {
        const text = readFileSync(path, "utf8");
        const from = relative(root, path).split("\\").join("/");
        files.push({ path: from, imports: importSpecifiers(text).map((s) => resolveSpecifier(from, s)), text });
      }
    }
  };
  walk(root);
  return files;
}

/** `../model/types.js` imported from `emit/x.ts` → `model/types.ts`; a package name stays as it is. */
export function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  return posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, ".ts");
}

export interface Violation {
  readonly rule: "emitter imports emitter" | "import circle" | "core reads the environment" | "core reads a file";
  readonly detail: string;
}

/** The emitter a file belongs to (`emit/<name>/…`), if any. */
function emitterOf(path: string): string | undefined {
  const match = /^emit\/([^/]+)\//.exec(path);
  return match?.[1];
}

/** Emitters are siblings: none imports from another emitter's folder. */
export function emitterImports(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const own = emitterOf(file.path);
    if (own === undefined) continue;
    for (const target of file.imports) {
      const other = emitterOf(target);
      if (other !== undefined && other !== own) violations.push({ rule: "emitter imports emitter", detail: `${file.path} imports ${target}` });
    }
  }
  return violations;
}

/**
 * At every level of the tree, the folders side by side (and the files beside them) import each
 * other without a circle: within `plugin/src`, model, evolution, physical, emit, plugin.ts, …;
 * within `emit`, the emitters, the registry and the Emitter interface. The graph is of folders: a
 * circle among files of one folder is that folder's own business, one that passes through a
 * folder is reported, with the imports that close it.
 */
export function importCircles(files: readonly SourceFile[]): Violation[] {
  const known = new Set(files.map((f) => f.path));
  const parents = new Set(files.map((f) => parentOf(f.path)));
  for (const parent of [...parents]) for (let p = parent; p !== ""; p = parentOf(p)) parents.add(parentOf(p));
  const violations: Violation[] = [];
  for (const parent of [...parents].sort()) {
    const edges = new Map<string, Map<string, string>>();
    for (const file of files) {
      const from = childOf(parent, file.path);
      if (from === undefined) continue;
      for (const target of file.imports) {
        if (!known.has(target)) continue;
        const to = childOf(parent, target);
        if (to === undefined || to === from) continue;
        const out = edges.get(from) ?? new Map<string, string>();
        if (!out.has(to)) out.set(to, `${file.path} → ${target}`);
        edges.set(from, out);
      }
    }
    const folders = new Set(files.flatMap((f) => (childOf(parent, f.path) !== undefined && isFolderChild(parent, f.path) ? [childOf(parent, f.path)!] : [])));
    for (const circle of circlesOf(edges)) {
      if (!circle.some((node) => folders.has(node))) continue;
      const closing = circle.map((node, i) => edges.get(node)!.get(circle[(i + 1) % circle.length]!)!);
      violations.push({ rule: "import circle", detail: `${circle.map((c) => label(parent, c)).join(" → ")} → ${label(parent, circle[0]!)} (${closing.join("; ")})` });
    }
  }
  return violations;
}

function parentOf(path: string): string {
  const dir = dirname(path);
  return dir === "." ? "" : dir;
}

/** The child of `parent` (a folder or a file directly in it) that holds `path`; undefined when `path` is not under `parent`. */
function childOf(parent: string, path: string): string | undefined {
  const prefix = parent === "" ? "" : `${parent}/`;
  if (!path.startsWith(prefix)) return undefined;
  return path.slice(prefix.length).split("/")[0];
}

function isFolderChild(parent: string, path: string): boolean {
  return path.slice(parent === "" ? 0 : parent.length + 1).includes("/");
}

function label(parent: string, child: string): string {
  return parent === "" ? child : `${parent}/${child}`;
}

/** One circle per strongly connected component of more than one node (Tarjan), as a path through it. */
function circlesOf(edges: ReadonlyMap<string, ReadonlyMap<string, string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node);
  return components.map((component) => pathThrough(component, edges));
}

/** A circle through the component, starting at its first node in name order. */
function pathThrough(component: readonly string[], edges: ReadonlyMap<string, ReadonlyMap<string, string>>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  // Breadth first from start back to start, inside the component.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component];
}

/**
 * The core is everything but the edge: the CLI (`cli/`), the release tooling run by it
 * (`release/`), the plugin's entry points (`edge/`, `main.ts`) and generated code (`gen/`).
 */
export function isCore(path: string): boolean {
  return !/^(cli|release|edge|gen)\//.test(path) && path !== "main.ts";
}

const FILE_MODULES = new Set(["fs", "node:fs", "fs/promises", "node:fs/promises"]);

/** The core's output is a function of its request and options: it reads no environment variable and no file. */
export function coreInputs(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (!isCore(file.path)) continue;
    const env = /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*["']env["']\s*\]/.exec(file.text);
    if (env !== null) violations.push({ rule: "core reads the environment", detail: `${file.path} reads process.env` });
    for (const target of file.imports) {
      if (FILE_MODULES.has(target)) violations.push({ rule: "core reads a file", detail: `${file.path} imports ${target}` });
    }
  }
  return violations;
}
