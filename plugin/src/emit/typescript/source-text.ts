/**
 * Pieces of TypeScript source: literals, doc comments and an import list that gives clashing
 * names an alias. Text from a .proto (descriptions) goes through here and nowhere else.
 */
import type { EsSymbol } from "../../physical/typescript-names.js";
import { importSpecifier } from "../../physical/typescript-names.js";

/** What a string literal cannot hold as it is: quotes, backslashes, control characters, line separators, lone surrogates. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** A string literal that holds `text` exactly. */
export function stringLiteral(text: string): string {
  // Most text needs no escape at all (names, base64 of the embedded descriptor): one scan.
  if (!NEEDS_ESCAPING.test(text)) return `"${text}"`;
  // JSON escapes quotes, backslashes, control characters and lone surrogates; the two line
  // separators are legal in modern string literals but not in every tool, so they are escaped too.
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A JSDoc block; `*\/` in the text cannot end it early. */
export function docComment(text: string, indent = ""): string {
  const lines = text.replace(/\*\//g, "*\\/").replace(/\r\n?|[\u2028\u2029]/g, "\n").split("\n");
  return [`${indent}/**`, ...lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`].join("\n");
}

/** A property access that is valid for any name (protoc-gen-es local names are identifiers). */
export function property(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${stringLiteral(name)}]`;
}

/** Code-point order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ImportedName {
  readonly local: string;
  typeOnly: boolean;
}

/** The imports of one generated file, in ts/src, with an alias for any name already taken. */
export class ImportList {
  private readonly modules = new Map<string, Map<string, ImportedName>>();
  private readonly taken = new Set<string>();
  /** The specifier of each module already used, by its path relative to ts/src: a file uses the same few modules thousands of times. */
  private readonly specifiers = new Map<string, string>();

  constructor(private readonly file: string) {}

  /** Names the file declares itself. */
  reserve(...names: string[]): void {
    for (const name of names) this.taken.add(name);
  }

  /** Imports `symbol` and returns the name to use for it in the file. */
  use(symbol: EsSymbol, typeOnly = false): string {
    let from = this.specifiers.get(symbol.from);
    if (from === undefined) {
      from = importSpecifier(this.file, symbol.from);
      this.specifiers.set(symbol.from, from);
    }
    let names = this.modules.get(from);
    if (names === undefined) {
      names = new Map();
      this.modules.set(from, names);
    }
    const existing = names.get(symbol.name);
    if (existing !== undefined) {
      existing.typeOnly &&= typeOnly;
      return existing.local;
    }
    let local = symbol.name;
    for (let i = 1; this.taken.has(local); i++) local = `${symbol.name}$${i}`;
    this.taken.add(local);
    names.set(symbol.name, { local, typeOnly });
    return local;
  }

  print(): string {
    const lines: string[] = [];
    // Packages first, then files of the package, each group alphabetically.
    const order = (from: string) => `${from.startsWith(".") ? 1 : 0}${from}`;
    for (const from of [...this.modules.keys()].sort((a, b) => compare(order(a), order(b)))) {
      const names = [...this.modules.get(from)!.entries()].sort(([a], [b]) => compare(a, b));
      const allTypes = names.every(([, n]) => n.typeOnly);
      const specifiers = names.map(([name, n]) => {
        const alias = n.local === name ? name : `${name} as ${n.local}`;
        return !allTypes && n.typeOnly ? `type ${alias}` : alias;
      });
      lines.push(`import ${allTypes ? "type " : ""}{ ${specifiers.join(", ")} } from ${stringLiteral(from)};`);
    }
    return lines.join("\n");
  }
}
