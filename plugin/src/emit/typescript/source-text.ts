/**
 * Pieces of TypeScript source: literals, doc comments and an import list that gives clashing
 * names an alias. Text from a .proto (descriptions) goes through here and nowhere else.
 */
import type { EsSymbol } from "../../physical/typescript-names.js";
import { importSpecifier } from "../../physical/typescript-names.js";

/** What a string literal can hold as it is (most text: names, base64 of the embedded descriptor). */
const PLAIN = 0;
/** Quotes, backslashes, control characters or surrogates, which JSON escapes. */
const JSON_ESCAPES = 1;
/** Also a line separator (U+2028, U+2029), which JSON leaves as it is. */
const LINE_SEPARATORS = 2;

/**
 * What a string literal needs done to `text`, by one loop over its char codes: most texts are short
 * names, for which a regular expression's call cost more than the scan. A surrogate, paired or
 * lone, goes to JSON.stringify, which escapes only the lone ones.
 */
function escapingOf(text: string): number {
  let escaping = PLAIN;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2028 || c === 0x2029) return LINE_SEPARATORS;
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) escaping = JSON_ESCAPES;
  }
  return escaping;
}

/** A string literal that holds `text` exactly. */
export function stringLiteral(text: string): string {
  const escaping = escapingOf(text);
  if (escaping === PLAIN) return `"${text}"`;
  // JSON escapes quotes, backslashes, control characters and lone surrogates; the two line
  // separators are legal in modern string literals but not in every tool, so they are escaped too.
  const json = JSON.stringify(text);
  return escaping === JSON_ESCAPES ? json : json.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A JSDoc block; `*\/` in the text cannot end it early. */
export function docComment(text: string, indent = ""): string {
  // Most texts are one line with nothing to escape (the plugin's own notes, short descriptions).
  if (isOneSafeLine(text)) return text === "" ? `${indent}/**\n${indent} *\n${indent} */` : `${indent}/**\n${indent} * ${text}\n${indent} */`;
  const lines = text.replace(/\*\//g, "*\\/").replace(/\r\n?|[\u2028\u2029]/g, "\n").split("\n");
  return [`${indent}/**`, ...lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`].join("\n");
}

/** Whether `text` has no line break and no `*` (so no `*\/`): a doc comment takes it as it is. */
function isOneSafeLine(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2a || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

/** A property access that is valid for any name (protoc-gen-es local names are identifiers). */
export function property(name: string): string {
  return isIdentifier(name) ? `.${name}` : `[${stringLiteral(name)}]`;
}

/** A key of an object literal or type that is valid for any name: `name` or `["name"]`. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : `[${stringLiteral(name)}]`;
}

/**
 * Whether `name` is an ASCII identifier (`[A-Za-z_$][A-Za-z0-9_$]*`), by char codes: asked for
 * every name the writers print, where a regular expression's call cost more than the scan.
 */
export function isIdentifier(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x24;
    if (!letter && (i === 0 || c < 0x30 || c > 0x39)) return false;
  }
  return true;
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
    // Packages first, then files of the package, each group alphabetically (the sort key made
    // once per module, not on every comparison).
    const ordered = [...this.modules.keys()].map((from) => ({ from, order: `${from.startsWith(".") ? 1 : 0}${from}` }));
    ordered.sort((a, b) => compare(a.order, b.order));
    for (const { from } of ordered) {
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
