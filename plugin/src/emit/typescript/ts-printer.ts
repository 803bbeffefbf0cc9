/**
 * TypeScript source with typed holes: `ts` is a tagged template whose holes take only code this
 * printer made (an identifier, a string literal, a doc comment, or another `ts` fragment). A raw
 * string cannot be interpolated by mistake: it is a type error, so text from a .proto reaches the
 * output only through `str` or `doc`, which escape it.
 */
import { docComment, isIdentifier, property, propertyKey, stringLiteral, type ImportList } from "./source-text.js";

declare const FRAGMENT: unique symbol;

/**
 * A fragment of TypeScript source; make one with `ts`, `id`, `str`, `doc`, `prop` or `joined`.
 * At run time it is the text itself (no wrapper object per fragment: a large run makes millions);
 * to the compiler it is a string that only this module can declare to be code, since nothing else
 * can name FRAGMENT. A raw string or a look-alike object in a hole is a type error.
 */
export type TsCode = string & { readonly [FRAGMENT]: true };

/** How this module makes a fragment: the only place where a string becomes code. */
function fragment(text: string): TsCode {
  return text as TsCode;
}

/** `ts\`const ${id(name)} = ${str(value)};\``: code around fragments, and only fragments. */
export function ts(template: TemplateStringsArray, ...holes: readonly TsCode[]): TsCode {
  let text = template[0]!;
  for (let i = 0; i < holes.length; i++) text += holes[i]! + template[i + 1]!;
  return fragment(text);
}

/** A non-negative integer literal, in hex when asked (tag bytes). */
export function num(n: number, hex = false): TsCode {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${n}`);
  return fragment(hex ? `0x${n.toString(16).padStart(2, "0")}` : String(n));
}

/** A name as it is, after checking that it is one (a local, an import, a generated function). */
export function id(name: string): TsCode {
  if (!isIdentifier(name)) throw new Error(`not a TypeScript identifier: ${JSON.stringify(name)}`);
  return fragment(name);
}

/** A string literal that holds `text` exactly. */
export function str(text: string): TsCode {
  return fragment(stringLiteral(text));
}

/** A JSDoc block around `text` (from a .proto or the plugin), indented by `indent` spaces. */
export function doc(text: string, indent = 0): TsCode {
  return fragment(docComment(text, " ".repeat(indent)));
}

/** A line comment; the text must be one line (a generated-file header, a note of the plugin's). */
export function lineComment(text: string): TsCode {
  if (/[\r\n\u2028\u2029]/.test(text)) throw new Error(`a line comment of more than one line: ${JSON.stringify(text)}`);
  return fragment(`// ${text}`);
}

/**
 * Fragments one after another, with `separator` between them. Appended piece by piece: V8 then
 * links the pieces instead of copying them, which suits the few large parts of a function or a
 * file (copying here would copy each function once more); a block's many small lines are joined
 * by `indentedLines` instead.
 */
export function joined(parts: readonly TsCode[], separator: TsCode = NEWLINE): TsCode {
  let text = "";
  for (let i = 0; i < parts.length; i++) text += i === 0 ? parts[i]! : separator + parts[i]!;
  return fragment(text);
}

const NEWLINE = fragment("\n");

/**
 * `parts` as lines, each after `indent` and before `end` (`    a,` / `    b,`), for spreading into
 * `joined`: none when there are no parts, else one fragment. Array.join copies the lines into one
 * flat string while their pieces are fresh: linked piece by piece (as `joined` does), the
 * thousands of small pieces of a file's statements made a tree that V8 walked only when the
 * file's text was first read, after collections had moved much of it (a tenth of the render).
 */
export function indentedLines(parts: readonly TsCode[], indent: TsCode, end: TsCode = EMPTY_TEXT): TsCode[] {
  if (parts.length === 0) return [];
  return [fragment(indent + parts.join(`${end}\n${indent}`) + end)];
}

const EMPTY_TEXT = fragment("");

/** `.name`, or `["name"]` for a name that is not an identifier. */
export function prop(name: string): TsCode {
  return fragment(property(name));
}

/** A key of an object literal or type: `name`, or `["name"]` for a name that is not an identifier. */
export function key(name: string): TsCode {
  return fragment(propertyKey(name));
}

/** The import declarations of a file. */
export function importsOf(list: ImportList): TsCode {
  return fragment(list.print());
}
