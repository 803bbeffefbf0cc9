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
  const writer = new LookmlWriter();
  writer.nodes(nodes);
  return writer.text();
}

/** Two spaces per level; most files nest three or four deep. */
const INDENTS: string[] = [""];
function indentOf(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(INDENTS[INDENTS.length - 1] + "  ");
  return INDENTS[depth];
}

/**
 * `  key: ` by depth and key: a few dozen keys at a few depths make every parameter line of the
 * output, so each line is two concatenations instead of four.
 */
const PARAM_HEADS: Map<string, string>[] = [];
function paramHead(depth: number, key: string): string {
  const heads = (PARAM_HEADS[depth] ??= new Map());
  let head = heads.get(key);
  if (head === undefined) {
    head = `${indentOf(depth)}${key}: `;
    heads.set(key, head);
  }
  return head;
}

/**
 * Writes LookML straight into the file's text, in the layout printLookml gives a tree: the views
 * of a file (most of the LookML output) are written with it field by field, without a tree of
 * nodes per parameter that is printed and dropped. Each parameter checks its value as its node
 * constructor does.
 */
export class LookmlWriter {
  private out = "";
  private depth = 0;
  /** Nothing written yet inside the current block (or file): no blank line before a block. */
  private levelEmpty = true;
  /** `key: name {` written without its line break: `{}` if the block stays empty. */
  private headOpen = false;

  /** The text so far; a file with no declaration is one empty line, as printLookml prints it. */
  text(): string {
    return this.out === "" ? "\n" : this.out;
  }

  /** Starts `key: name {`; what follows goes inside until close(). */
  open(key: string, name: string | undefined): void {
    if (name !== undefined) checkAtom(name);
    this.lineStart();
    // A blank line before each block that follows something, as Looker's IDE lays files out.
    if (!this.levelEmpty) this.out += "\n";
    this.out += name === undefined ? `${indentOf(this.depth)}${key}: {` : `${indentOf(this.depth)}${key}: ${name} {`;
    this.headOpen = true;
    this.depth++;
    this.levelEmpty = true;
  }

  close(): void {
    this.depth--;
    this.out += this.headOpen ? "}\n" : `${indentOf(this.depth)}}\n`;
    this.headOpen = false;
    this.levelEmpty = false;
  }

  str(key: string, text: string): void {
    this.param(key, quote(text));
  }

  atom(key: string, text: string): void {
    checkAtom(text);
    this.param(key, text);
  }

  yes(key: string): void {
    this.param(key, "yes");
  }

  no(key: string): void {
    this.param(key, "no");
  }

  sql(key: string, text: string): void {
    if (text.includes(";;")) throw new Error(`internal error: SQL for ${key} contains ";;": ${text}`);
    this.param(key, `${text} ;;`);
  }

  atomList(key: string, items: readonly string[]): void {
    let list = "";
    for (const item of items) {
      checkAtom(item);
      list += list === "" ? item : `, ${item}`;
    }
    this.param(key, `[${list}]`);
  }

  stringList(key: string, items: readonly string[]): void {
    let list = "";
    for (let i = 0; i < items.length; i++) list += i === 0 ? quote(items[i]) : `, ${quote(items[i])}`;
    this.param(key, `[${list}]`);
  }

  /** A node of a tree (explores, the model), written as printLookml prints it. */
  node(node: LookmlNode): void {
    if (node.kind === "param") {
      this.param(node.key, printValue(node.value));
      return;
    }
    this.open(node.key, node.name);
    this.nodes(node.body);
    this.close();
  }

  nodes(nodes: readonly LookmlNode[]): void {
    for (const node of nodes) this.node(node);
  }

  /** `key: value`, the value printed already. */
  private param(key: string, value: string): void {
    this.lineStart();
    this.out += paramHead(this.depth, key) + value + "\n";
    this.levelEmpty = false;
  }

  private lineStart(): void {
    if (this.headOpen) {
      this.out += "\n";
      this.headOpen = false;
    }
  }
}
