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
  private text = "";
  /** Per open object or array: whether it has a member yet (`{` or `[` is written with the first). */
  private readonly open: { readonly close: string; members: number }[] = [];

  /** The text written; every object and array must be closed. */
  finish(): string {
    if (this.open.length > 0) throw new Error("JsonText: an object or array is still open");
    return this.text;
  }

  /** Opens an object as the next value. */
  beginObject(): void {
    this.text += "{";
    this.open.push({ close: "}", members: 0 });
  }

  /** Opens an array as the next value. */
  beginArray(): void {
    this.text += "[";
    this.open.push({ close: "]", members: 0 });
  }

  /** Closes the innermost object or array. */
  end(): void {
    const level = this.open.pop()!;
    this.text += level.members === 0 ? level.close : `\n${indentOf(this.open.length)}${level.close}`;
  }

  /** Starts a member of the innermost object; its value comes next. */
  key(name: string): void {
    this.text += `${this.separator()}${quoted(name)}: `;
  }

  /** Starts an element of the innermost array; its value comes next. */
  element(): void {
    this.text += this.separator();
  }

  /** A whole value at the current place, as JSON.stringify with an indentation of 2 writes it. */
  value(value: JsonValue): void {
    if (typeof value === "string") {
      this.text += quoted(value);
      return;
    }
    if (value === null || typeof value !== "object") {
      this.text += JSON.stringify(value);
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

  /** `"name": value`. */
  member(name: string, value: JsonValue): void {
    this.key(name);
    this.value(value);
  }

  private separator(): string {
    const level = this.open[this.open.length - 1]!;
    return `${level.members++ === 0 ? "\n" : ",\n"}${indentOf(this.open.length)}`;
  }
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

/** Indentation strings by depth, made once. */
const INDENTS: string[] = [""];

function indentOf(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
  return INDENTS[depth]!;
}
