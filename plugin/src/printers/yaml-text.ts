/**
 * A small YAML writer for the dbt files and Looker's dashboards: block mappings and sequences, strings plain only when
 * every YAML reader agrees they are strings, double-quoted (or a literal block) otherwise.
 *
 * Why not a general YAML library: dbt Core reads YAML with PyYAML (YAML 1.1), dbt Fusion and the
 * `yaml` package with YAML 1.2. YAML 1.1 turns plain `yes`, `on` or `NO` into booleans, and treats
 * U+0085, U+2028 and U+2029 as line breaks, which YAML 1.2 writers leave raw inside quoted strings.
 * Text from a .proto comment can contain any of these, so every scalar here is written in a form
 * both versions read back to the same string.
 */

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | YamlMapping | YamlItems | YamlPrinted;
export interface YamlMapping {
  readonly [key: string]: YamlValue | undefined;
}

/**
 * A sequence whose items are made one at a time, as they are written: the tables of a large
 * dataset are written without their mappings ever existing all at once. It must not be empty.
 */
export class YamlItems {
  constructor(readonly items: () => Iterable<YamlValue>) {}
}

/**
 * A collection whose lines the caller prints itself (with yamlItemText and yamlItemEntriesText)
 * for the indentation it is written at: a text printed once can then be written many times (a
 * column documented on the table and on both its views). Empty text writes `[]` or `{}`.
 */
export class YamlPrinted {
  constructor(
    readonly kind: "sequence" | "mapping",
    /** The collection's lines, each ending with a line break; `indent` is where its entries start. */
    readonly lines: (indent: string) => string,
  ) {}
}

const INDENT = "  ";

/** The document's text, ending with a line break. Keys keep their insertion order; undefined values are left out. */
export function yamlDocument(root: YamlMapping): string {
  // Text is built by concatenation: V8 joins strings as ropes, so a line is never copied once per
  // level above it, and no array of 100,000s of lines is made for a large dataset's file.
  return mappingText(root, "") || "\n";
}

/** A document whose root is a sequence (LookML dashboards: `- dashboard: name`). */
export function yamlSequenceDocument(items: readonly YamlValue[]): string {
  return sequenceText(items, "") || "\n";
}

/** One sequence item, its dash at `indent`: the lines a YamlPrinted sequence is made of. */
export function yamlItemText(item: YamlMapping, indent: string): string {
  return sequenceText([item], indent);
}

/**
 * More entries of the sequence item whose dash is at `indent`, printed after yamlItemText of its
 * first entries: as if they had been in one mapping.
 */
export function yamlItemEntriesText(entries: YamlMapping, indent: string): string {
  return mappingText(entries, deeper(indent));
}

/** One `key: value` entry of a mapping at `indent` (a YamlPrinted mapping's line, or lines). */
export function yamlEntryText(key: string, value: YamlValue, indent: string): string {
  return entryText(indent + keyEntry(key), value, indent);
}

/**
 * `firstIndent` starts the first entry's line: the indentation, or a sequence item's `- ` in
 * its place, so that the item's first key shares the dash's line.
 */
function mappingText(mapping: YamlMapping, indent: string, firstIndent = indent): string {
  let text = "";
  let lineStart = firstIndent;
  // for...in over plain object literals: their own keys, in order, without an entries array each.
  for (const key in mapping) {
    const value = mapping[key];
    if (value === undefined) continue;
    text += entryText(lineStart + keyEntry(key), value, indent);
    lineStart = indent;
  }
  return text;
}

/** `prefix` is `key:` or `- key:`; the value goes after it or, when it is a collection, below it. */
function entryText(prefix: string, value: YamlValue, indent: string): string {
  // Scalars first: most values are.
  if (typeof value !== "object" || value === null) return `${prefix} ${scalarText(value, indent)}\n`;
  if (value instanceof YamlItems) return `${prefix}\n${itemsText(value.items(), deeper(indent))}`;
  if (value instanceof YamlPrinted) {
    const lines = value.lines(deeper(indent));
    if (lines === "") return `${prefix} ${value.kind === "sequence" ? "[]" : "{}"}\n`;
    return `${prefix}\n${lines}`;
  }
  if (isSequence(value)) {
    if (value.length === 0) return `${prefix} []\n`;
    return `${prefix}\n${sequenceText(value, deeper(indent))}`;
  }
  if (!hasDefinedEntry(value)) return `${prefix} {}\n`;
  return `${prefix}\n${mappingText(value, deeper(indent))}`;
}

/**
 * A YamlItems sequence: each item's text is flattened as soon as it is made. Concatenated text is
 * a rope of every short piece it was made of, several times its own size (a dbt dataset's 3.7 MB
 * file was a rope of about 20 MB); flattened item by item, only the items' flat text stays.
 */
function itemsText(items: Iterable<YamlValue>, indent: string): string {
  let text = "";
  for (const item of items) text += flattened(sequenceText([item], indent));
  return text;
}

/**
 * The text as one flat string: reading a character makes V8 copy a rope into one string. For a
 * text written several times: later copies of it are one block each, not a walk of its pieces.
 */
export function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}

function sequenceText(items: Iterable<YamlValue>, indent: string): string {
  let text = "";
  for (const item of items) {
    if (isMapping(item) && hasDefinedEntry(item)) {
      // The item's first key shares the dash's line; the others line up under it.
      text += mappingText(item, deeper(indent), `${indent}- `);
    } else if (isSequence(item) && item.length > 0) {
      text += `${indent}-\n${sequenceText(item, deeper(indent))}`;
    } else {
      text += entryText(`${indent}-`, item, indent);
    }
  }
  return text;
}

/** The indentation one level below `indent`; the usual depths are made once. */
const INDENTS = Array.from({ length: 16 }, (_, depth) => INDENT.repeat(depth));

function deeper(indent: string): string {
  const depth = indent.length / INDENT.length + 1;
  return depth < INDENTS.length ? INDENTS[depth] : indent + INDENT;
}

function isSequence(value: YamlValue): value is readonly YamlValue[] {
  return Array.isArray(value);
}

function isMapping(value: YamlValue): value is YamlMapping {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof YamlItems) && !(value instanceof YamlPrinted);
}

function hasDefinedEntry(mapping: YamlMapping): boolean {
  for (const key in mapping) if (mapping[key] !== undefined) return true;
  return false;
}

/**
 * `key:`, remembered: a document uses a few dozen keys hundreds of thousands of times. Keys are
 * single-line: plain when safe, double-quoted otherwise.
 */
const keyEntries = new Map<string, string>();

function keyEntry(key: string): string {
  let entry = keyEntries.get(key);
  if (entry === undefined) {
    entry = `${isPlainSafe(key) ? key : doubleQuoted(key)}:`;
    // Keys from contracts (column names in `meta`) are unbounded; the cache keeps the usual ones.
    if (keyEntries.size < KEY_CACHE_LIMIT) keyEntries.set(key, entry);
  }
  return entry;
}

const KEY_CACHE_LIMIT = 10_000;

function scalarText(value: string | number | boolean | null, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`YAML: cannot write the number ${value}`);
    return String(value);
  }
  if (isPlainSafe(value)) return value;
  if (isLiteralBlockSafe(value)) return literalBlock(value, indent);
  return doubleQuoted(value);
}

/**
 * Identifiers and dotted names (`[A-Za-z_][A-Za-z0-9_./-]*`); never a word that YAML 1.1 or 1.2
 * resolves to a boolean or null. A loop over char codes: it runs for every scalar and key.
 */
const RESERVED_WORDS = new Set(["y", "n", "yes", "no", "true", "false", "on", "off", "null"]);
const LONGEST_RESERVED_WORD = 5;

function isPlainSafe(text: string): boolean {
  if (text.length === 0 || !isPlainStart(text.charCodeAt(0))) return false;
  for (let i = 1; i < text.length; i++) if (!isPlainPart(text.charCodeAt(i))) return false;
  return text.length > LONGEST_RESERVED_WORD || !RESERVED_WORDS.has(text.toLowerCase());
}

function isPlainStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f; // a-z A-Z _
}

function isPlainPart(code: number): boolean {
  // 0-9, `.`, `/`, `-` besides the start characters.
  return isPlainStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2f || code === 0x2d;
}

/**
 * Characters that YAML 1.1 does not allow raw, or reads as line breaks (NEL, LS, PS), plus the
 * byte order mark and the noncharacters U+FFFE/U+FFFF. `\n` is handled by the callers.
 */
const NEEDS_ESCAPE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/u;

/**
 * Multi-line text reads best as a literal block; it is used only when nothing in it depends on
 * whitespace a literal block cannot carry (a leading space on the first line, trailing spaces, a
 * final line break) and no character needs an escape.
 */
function isLiteralBlockSafe(text: string): boolean {
  if (!text.includes("\n") || text.endsWith("\n")) return false;
  // A literal block takes its indentation from its first non-empty line, so that line must not
  // start with whitespace; nor may the text start with an empty line in front of it.
  if (/^\s/.test(text)) return false;
  // One pass over the char codes: no line ends with a space or tab, and no character needs an
  // escape. Anything from U+2028 up (separators, surrogates, BOM) is left to NEEDS_ESCAPE.
  let rare = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) {
      const before = text.charCodeAt(i - 1);
      if (before === 0x20 || before === 0x09) return false;
    } else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      return false;
    } else if (code >= 0x2028) {
      rare = true;
    }
  }
  const last = text.charCodeAt(text.length - 1);
  if (last === 0x20 || last === 0x09) return false;
  return !rare || !NEEDS_ESCAPE.test(text.replace(/\n/g, ""));
}

function literalBlock(text: string, indent: string): string {
  const inner = deeper(indent);
  // `|-`: keep every line break but the (absent) final one. Empty lines stay empty.
  let block = "|-";
  for (let start = 0; ; ) {
    const end = text.indexOf("\n", start);
    const line = end === -1 ? text.slice(start) : text.slice(start, end);
    block += line === "" ? "\n" : `\n${inner}${line}`;
    if (end === -1) return block;
    start = end + 1;
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\t": "\\t",
  "\r": "\\r",
  "\0": "\\0",
  "\u0085": "\\N",
  "\u2028": "\\L",
  "\u2029": "\\P",
};

/** What a double-quoted scalar must escape: its quote, the backslash, line breaks, and NEEDS_ESCAPE. */
const DOUBLE_QUOTED_ESCAPE = /[\\"\n]|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/gu;

function doubleQuoted(text: string): string {
  if (!mayNeedEscape(text)) return `"${text}"`;
  return `"${text.replace(DOUBLE_QUOTED_ESCAPE, (ch) => SHORT_ESCAPES[ch] ?? unicodeEscape(ch))}"`;
}

/**
 * False when DOUBLE_QUOTED_ESCAPE cannot match: a char-code scan that spares most texts the
 * regex. Conservative: anything from U+2028 up (separators, surrogates, BOM) takes the regex.
 */
function mayNeedEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0x7f && code <= 0x9f) || code >= 0x2028) return true;
  }
  return false;
}

function unicodeEscape(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}
