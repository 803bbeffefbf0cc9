/**
 * LookML syntax: a small tree of parameters and blocks, and its printer. Every text that comes
 * from a .proto reaches LookML only as a double-quoted string (never inside a `sql:` block, which
 * ends at the first `;;`), so no comment can end a declaration early.
 */

export type LookmlValue =
  /** `"text"`: any text, escaped. */
  | { readonly kind: "string"; readonly text: string }
  /** A bare word: a name, a type, yes / no. */
  | { readonly kind: "atom"; readonly text: string }
  /** `sql ;;`: generated SQL only (names, never descriptions). */
  | { readonly kind: "sql"; readonly text: string }
  /** `[a, "b"]` */
  | { readonly kind: "list"; readonly items: readonly LookmlValue[] }
  /** `[view.field: "value"]` (filters). */
  | { readonly kind: "map"; readonly entries: readonly (readonly [string, LookmlValue])[] };

export interface LookmlParam {
  readonly kind: "param";
  readonly key: string;
  readonly value: LookmlValue;
}

export interface LookmlBlock {
  readonly kind: "block";
  readonly key: string;
  /** `view: name { ... }`; undefined for `always_filter: { ... }`. */
  readonly name: string | undefined;
  readonly body: readonly LookmlNode[];
}

export type LookmlNode = LookmlParam | LookmlBlock;

/**
 * A LookML name or bare word: `[-+_a-zA-Z0-9.]+`. A loop over char codes, not a regular
 * expression: every field name, type and list item of a view is checked.
 */
function isAtom(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const letterOrDigit = (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
    // `-`, `+`, `_`, `.`
    if (!letterOrDigit && code !== 0x2d && code !== 0x2b && code !== 0x5f && code !== 0x2e) return false;
  }
  return true;
}

function checkAtom(text: string): void {
  if (!isAtom(text)) throw new Error(`internal error: "${text}" is not a LookML name`);
}

export function atomValue(text: string): LookmlValue {
  checkAtom(text);
  return { kind: "atom", text };
}

export const stringValue = (text: string): LookmlValue => ({ kind: "string", text });

export function param(key: string, value: LookmlValue): LookmlParam {
  return { kind: "param", key, value };
}

export const str = (key: string, text: string): LookmlParam => param(key, stringValue(text));
export const atom = (key: string, text: string): LookmlParam => param(key, atomValue(text));
export const yes = (key: string): LookmlParam => param(key, atomValue("yes"));
export const no = (key: string): LookmlParam => param(key, atomValue("no"));

export function sql(key: string, text: string): LookmlParam {
  // Only generated SQL gets here; a `;;` inside would end the block and the rest would be LookML.
  if (text.includes(";;")) throw new Error(`internal error: SQL for ${key} contains ";;": ${text}`);
  return param(key, { kind: "sql", text });
}

export const atomList = (key: string, items: readonly string[]): LookmlParam =>
  param(key, { kind: "list", items: items.map(atomValue) });
export const stringList = (key: string, items: readonly string[]): LookmlParam =>
  param(key, { kind: "list", items: items.map(stringValue) });

export function block(key: string, name: string | undefined, body: readonly (LookmlNode | undefined | false)[]): LookmlBlock {
  if (name !== undefined) checkAtom(name);
  const nodes: LookmlNode[] = [];
  for (const node of body) if (node !== undefined && node !== false) nodes.push(node);
  return { kind: "block", key, name, body: nodes };
}

/**
 * A LookML string literal that lookml-parser (and Looker) read back as exactly `text`: only the
 * backslash and the double quote need escaping; line breaks are allowed inside quotes.
 */
export function quote(text: string): string {
  // Most texts hold neither: no regex pass for them.
  if (!text.includes("\\") && !text.includes('"')) return `"${text}"`;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const LIQUID_MARKUP = /\{\{|\{%/;
const LIQUID_END_RAW = /\{%-?\s*endraw\s*-?%\}/g;

/**
 * Looker renders field descriptions and labels as Liquid, so `{{x}}` in a comment would vanish
 * and `{% x %}` would be a Liquid error. Text with Liquid markup is wrapped in a raw block; an
 * `endraw` tag inside the text gets its opening brace printed by Liquid instead of literally, so
 * it cannot close the block.
 */
export function liquidLiteral(text: string): string {
  // Every description passes here; most hold no brace, which the markup needs.
  if (!text.includes("{") || !LIQUID_MARKUP.test(text)) return text;
  const body = text.replace(LIQUID_END_RAW, (tag) => `{% endraw %}{{ "{" }}{% raw %}${tag.slice(1)}`);
  return `{% raw %}${body}{% endraw %}`;
}

export function printValue(value: LookmlValue): string {
  switch (value.kind) {
    case "string":
      return quote(value.text);
    case "atom":
      return value.text;
    case "sql":
      return `${value.text} ;;`;
    case "list":
      return `[${value.items.map(printValue).join(", ")}]`;
    case "map":
      return `[${value.entries.map(([k, v]) => `${k}: ${printValue(v)}`).join(", ")}]`;
  }
}

/** Prints declarations at the top level of a file, blocks separated by a blank line. */
export function printLookml(nodes: readonly LookmlNode[]): string {
  // One array of lines for the whole file, rather than a joined string per block that the block
  // around it copies again.
  const out: string[] = [];
  writeNodes(nodes, "", out);
  return out.join("\n") + "\n";
}

function writeNodes(nodes: readonly LookmlNode[], indent: string, out: string[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    // A blank line before each block that follows something, as Looker's IDE lays files out.
    if (node.kind === "block" && i > 0) out.push("");
    if (node.kind === "param") {
      out.push(`${indent}${node.key}: ${printValue(node.value)}`);
      continue;
    }
    const head = `${indent}${node.key}: ${node.name === undefined ? "" : `${node.name} `}{`;
    if (node.body.length === 0) {
      out.push(`${head}}`);
      continue;
    }
    out.push(head);
    writeNodes(node.body, indent + "  ", out);
    out.push(`${indent}}`);
  }
}
