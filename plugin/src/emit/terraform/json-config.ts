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
 * A `.tf.json` file: the object, keys in the order they were written, two-space indented. Printed
 * by JSON.stringify from the tree with literals escaped and expressions as text; only the objects
 * and arrays on the way to something that changes are copied, the rest (most of a file: column
 * lists, descriptions without a brace) is printed as it is.
 */
export function printConfig(config: ConfigValue): string {
  return JSON.stringify(plain(config), null, 2) + "\n";
}

function plain(value: ConfigValue | undefined): unknown {
  if (typeof value === "string") return escapeLiteral(value);
  if (value instanceof Expression) return `\${${value.text}}`;
  if (value instanceof Template) return value.parts.map((p) => (typeof p === "string" ? escapeLiteral(p) : `\${${p.text}}`)).join("");
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = plain(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === "object") {
    // Undefined entries stay in a copy: JSON.stringify leaves them out, as it does in the original.
    let copy: Record<string, unknown> | undefined;
    for (const key in value) {
      const entry = (value as { readonly [key: string]: ConfigValue | undefined })[key];
      if (entry === undefined) continue;
      const printed = plain(entry);
      if (printed !== entry) (copy ??= { ...value })[key] = printed;
    }
    return copy ?? value;
  }
  return value;
}

/** A literal string as Terraform reads it back unchanged. */
export function escapeLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` means one `$`.
  // Most literals (schemas in JSON and SQL included) hold neither: returned as they are, without a regex pass.
  if (!text.includes("${") && !text.includes("%{")) return text;
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A string literal inside an HCL expression (`"a\"b"`), for map keys and values in `merge(...)`. */
export function hclString(text: string): string {
  return escapeLiteral(JSON.stringify(text));
}
