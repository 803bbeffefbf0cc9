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

/** A `.tf.json` file: the object, keys in the order they were written, two-space indented. */
export function printConfig(config: ConfigValue): string {
  return JSON.stringify(plain(config), null, 2) + "\n";
}

function plain(value: ConfigValue | undefined): unknown {
  if (typeof value === "string") return escapeLiteral(value);
  if (value instanceof Expression) return `\${${value.text}}`;
  if (value instanceof Template) return value.parts.map((p) => (typeof p === "string" ? escapeLiteral(p) : `\${${p.text}}`)).join("");
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = plain(v);
    return out;
  }
  return value;
}

/** A literal string as Terraform reads it back unchanged. */
export function escapeLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` means one `$`.
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A string literal inside an HCL expression (`"a\"b"`), for map keys and values in `merge(...)`. */
export function hclString(text: string): string {
  return escapeLiteral(JSON.stringify(text));
}
