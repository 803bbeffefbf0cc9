/**
 * Terraform's JSON configuration syntax, as plain objects. Every string in a `.tf.json` file is a
 * template: `${…}` and `%{…}` in a literal (a SQL comment, a description, a topic schema's
 * comment) would be evaluated. So literals and expressions are different types here, and literals
 * are escaped (`$${`, `%%{`) when the file is printed.
 */

/** A Terraform expression, printed as `${…}`. */
export class Expression {
  constructor(readonly text: string) {}
}

/** `expr("var.project_id")` prints as `"${var.project_id}"`. */
export function expr(text: string): Expression {
  return new Expression(text);
}

/** A string made of literal parts and expressions, e.g. `${var.name_prefix}contract`. */
export class Template {
  constructor(readonly parts: readonly (string | Expression)[]) {}
}

export function template(...parts: (string | Expression)[]): Template {
  return new Template(parts);
}

export type ConfigValue =
  | string
  | number
  | boolean
  | null
  | Expression
  | Template
  | readonly ConfigValue[]
  | { readonly [key: string]: ConfigValue | undefined };

/**
 * A `.tf.json` file: the object, keys in the order they were written, two-space indented. The
 * text is what `JSON.stringify(value, null, 2)` prints for the escaped tree, written straight
 * from the tree: an entity's file is tens of kilobytes, and a copy of every object and string
 * before printing was most of the cost.
 */
export function printConfig(config: ConfigValue): string {
  const out: string[] = [];
  writeValue(config, "\n", out);
  out.push("\n");
  return out.join("");
}

/** `newline` is a line break followed by the indentation of the value's own line. */
function writeValue(value: ConfigValue | undefined, newline: string, out: string[]): void {
  if (typeof value === "string") {
    out.push(JSON.stringify(escapeLiteral(value)));
  } else if (value instanceof Expression) {
    out.push(JSON.stringify(`\${${value.text}}`));
  } else if (value instanceof Template) {
    out.push(JSON.stringify(value.parts.map((p) => (typeof p === "string" ? escapeLiteral(p) : `\${${p.text}}`)).join("")));
  } else if (Array.isArray(value)) {
    writeArray(value as readonly ConfigValue[], newline, out);
  } else if (value !== null && typeof value === "object") {
    writeObject(value as { readonly [key: string]: ConfigValue | undefined }, newline, out);
  } else {
    // Numbers, booleans, null; an undefined array item prints as null, as JSON.stringify does.
    out.push(value === undefined ? "null" : JSON.stringify(value));
  }
}

function writeArray(items: readonly ConfigValue[], newline: string, out: string[]): void {
  if (items.length === 0) {
    out.push("[]");
    return;
  }
  const inner = newline + "  ";
  out.push("[");
  for (let i = 0; i < items.length; i++) {
    out.push(i === 0 ? inner : "," + inner);
    writeValue(items[i], inner, out);
  }
  out.push(newline, "]");
}

function writeObject(object: { readonly [key: string]: ConfigValue | undefined }, newline: string, out: string[]): void {
  const inner = newline + "  ";
  let written = 0;
  // for...in over plain object literals: their own keys in JSON.stringify's order, without an entries array.
  for (const key in object) {
    const value = object[key];
    if (value === undefined) continue;
    out.push(written === 0 ? "{" + inner : "," + inner, JSON.stringify(key), ": ");
    writeValue(value, inner, out);
    written++;
  }
  out.push(written === 0 ? "{}" : newline + "}");
}

/** A literal string as Terraform reads it back unchanged. */
export function escapeLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` means one `$`.
  // Most literals hold no `{` at all: they are returned as they are, without a regex pass.
  if (!text.includes("{")) return text;
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A string literal inside an HCL expression (`"a\"b"`), for map keys and values in `merge(...)`. */
export function hclString(text: string): string {
  return escapeLiteral(JSON.stringify(text));
}
