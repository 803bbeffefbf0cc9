/**
 * JSON text written as it is made, in the layout of `JSON.stringify(value, null, 2)`: a member or
 * element per line, two spaces of indentation per level, `{}` and `[]` for empty ones.
 *
 * Why not objects and one JSON.stringify at the end: the conformance vectors are 17 MB of JSON on
 * the 1,000-entity benchmark, and their entity and event JSON were each built as objects (in the
 * order protobuf JSON prints them) only to be stringified once; writing the text in that order
 * straight away makes neither the objects nor their garbage.
 */
import type { JsonValue } from "@bufbuild/protobuf";

export class JsonText {
  /** Pieces of the text, joined once at the end: one flat string, no chain of concatenations to flatten. */
  private readonly pieces: string[] = [];
  /** Per open object or array: whether it has a member yet (`{` or `[` is written with the first). */
  private readonly open: { readonly close: string; members: number }[] = [];

  /**
   * The text written, then `trailer` (a file's final line break: added here, it is part of the one
   * join instead of a concatenation the response would flatten again). Every object and array must be closed.
   */
  finish(trailer = ""): string {
    if (this.open.length > 0) throw new Error("JsonText: an object or array is still open");
    if (trailer !== "") this.pieces.push(trailer);
    return this.pieces.join("");
  }

  /** Opens an object as the next value. */
  beginObject(): void {
    this.pieces.push("{");
    this.open.push({ close: "}", members: 0 });
  }

  /** Opens an array as the next value. */
  beginArray(): void {
    this.pieces.push("[");
    this.open.push({ close: "]", members: 0 });
  }

  /** Closes the innermost object or array. */
  end(): void {
    const level = this.open.pop()!;
    if (level.members === 0) this.pieces.push(level.close);
    else this.pieces.push(lineBreak(this.open.length, false), level.close);
  }

  /** Starts a member of the innermost object; its value comes next. */
  key(name: string): void {
    this.pieces.push(this.separator(), quotedKey(name));
  }

  /** Starts an element of the innermost array; its value comes next. */
  element(): void {
    this.pieces.push(this.separator());
  }

  /** A whole value at the current place, as JSON.stringify with an indentation of 2 writes it. */
  value(value: JsonValue): void {
    if (typeof value === "string") {
      this.pieces.push(quoted(value));
      return;
    }
    // Numbers and booleans as JSON.stringify writes them (a finite number is its ToString), without its machinery per value.
    if (typeof value === "number") {
      this.pieces.push(Number.isFinite(value) ? String(value) : "null");
      return;
    }
    if (typeof value === "boolean") {
      this.pieces.push(value ? "true" : "false");
      return;
    }
    if (value === null || typeof value !== "object") {
      this.pieces.push(JSON.stringify(value));
      return;
    }
    if (Array.isArray(value)) {
      this.beginArray();
      for (const element of value) {
        this.element();
        this.value(element);
      }
    } else {
      this.beginObject();
      for (const name in value) {
        this.key(name);
        this.value(value[name]!);
      }
    }
    this.end();
  }

  /** A value already written as JSON (`jsonValueText`). */
  valueJson(json: string): void {
    this.pieces.push(json);
  }

  /** `"name": value`. */
  member(name: string, value: JsonValue): void {
    this.key(name);
    this.value(value);
  }

  /**
   * `"name": json`, with a value already written as JSON (`jsonValueText`): a text written in every
   * vector, looked through for characters to escape once.
   */
  memberJson(name: string, json: string): void {
    this.key(name);
    this.pieces.push(json);
  }

  /** `"name": "text"` for a text with no character JSON escapes (base64): not looked through, and not copied into a quoted string first. */
  memberUnescaped(name: string, text: string): void {
    this.key(name);
    this.pieces.push('"', text, '"');
  }

  /** A line break (after a comma from the second member on) and the indentation of the innermost level's members. */
  private separator(): string {
    const level = this.open[this.open.length - 1]!;
    return lineBreak(this.open.length, level.members++ > 0);
  }
}

/** A string, number, boolean or null as `value` writes it, for `valueJson` and `memberJson`. */
export function jsonValueText(value: string | number | boolean | null): string {
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  return "null";
}

/**
 * A string as JSON.stringify writes it. Names and most values are printable ASCII without a quote
 * or a backslash: those are put in quotes here, which costs less than a call of JSON.stringify.
 */
function quoted(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/**
 * `"name": ` per member name, made once: the names are the entities' field and column names,
 * written again in every vector of every entity that has them (8 times per entity at least).
 */
const QUOTED_KEYS = new Map<string, string>();

function quotedKey(name: string): string {
  let key = QUOTED_KEYS.get(name);
  if (key === undefined) {
    key = `${quoted(name)}: `;
    QUOTED_KEYS.set(name, key);
  }
  return key;
}

/** Per depth, a line break and that depth's indentation, without and with a comma before it; made once. */
const LINE_BREAKS: string[] = [];
const COMMA_LINE_BREAKS: string[] = [];

function lineBreak(depth: number, comma: boolean): string {
  while (LINE_BREAKS.length <= depth) {
    const line = `\n${"  ".repeat(LINE_BREAKS.length)}`;
    LINE_BREAKS.push(line);
    COMMA_LINE_BREAKS.push(`,${line}`);
  }
  return comma ? COMMA_LINE_BREAKS[depth]! : LINE_BREAKS[depth]!;
}
