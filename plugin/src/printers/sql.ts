/**
 * A GoogleSQL printer whose holes take typed fragments only: `sql` puts trusted text (the
 * template's own) around fragments made by `identifier`, `stringLiteral`, `integer`, `path`,
 * `qualifiedName` or another `sql`. A plain string in a hole is a type error, so a name or a
 * comment from a .proto cannot reach the SQL without being quoted.
 */
import { sqlIdentifier, sqlLineComment, sqlPath, sqlString } from "./sql-text.js";

/** Held by this module only: no other module can make a Sql out of a string. */
const MADE_HERE: unique symbol = Symbol("sql");

/** A piece of GoogleSQL, safe to put where SQL is expected. Only this module makes one. */
export class Sql {
  // The brand: a string, or any object not made here, is not a Sql.
  readonly #text: string;

  constructor(token: typeof MADE_HERE, text: string) {
    if (token !== MADE_HERE) throw new Error("Sql is made by printers/sql.ts only");
    this.#text = text;
  }

  get text(): string {
    return this.#text;
  }
}

function of(text: string): Sql {
  return new Sql(MADE_HERE, text);
}

/** Trusted SQL text with fragments in its holes. */
export function sql(strings: TemplateStringsArray, ...holes: readonly Sql[]): Sql {
  let text = strings[0]!;
  holes.forEach((hole, i) => (text += hole.text + strings[i + 1]!));
  return of(text);
}

/** A name in backticks. */
export function identifier(name: string): Sql {
  return of(sqlIdentifier(name));
}

/** A column path (`payload`.`id`), each part quoted. */
export function path(parts: readonly string[]): Sql {
  return of(sqlPath(parts));
}

/** `project.dataset.name` in backticks. */
export function qualifiedName(project: string, dataset: string, name: string): Sql {
  return of(`\`${project}.${dataset}.${name}\``);
}

/** A string literal that reads back as exactly `text`. */
export function stringLiteral(text: string): Sql {
  return of(sqlString(text));
}

/** An integer literal; anything else is refused. */
export function integer(value: number): Sql {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer for SQL: ${value}`);
  return of(String(value));
}

/** `-- ` line comments; a line break in `text` starts a new comment line, never SQL. */
export function lineComment(text: string): Sql {
  return of(sqlLineComment(text));
}

/** Fragments with `separator` (trusted text: ", ", "\n", " UNION ALL ") between them. */
export function joined(fragments: readonly Sql[], separator: string): Sql {
  return of(fragments.map((f) => f.text).join(separator));
}

/** An OPTIONS(...) list, one `name=value` per line; the names are BigQuery's option names. */
export function options(entries: readonly (readonly [OptionName, Sql])[], indent = ""): Sql {
  return of(entries.length === 0 ? "" : `OPTIONS (\n${entries.map(([name, value]) => `${indent}  ${name}=${value.text}`).join(",\n")}\n${indent})`);
}

export type OptionName = "description" | "labels" | "partition_expiration_days" | "require_partition_filter";

/** `[("key", "value"), ...]` for a table or view's labels. */
export function labels(pairs: readonly (readonly [string, string])[]): Sql {
  return of(`[${pairs.map(([key, value]) => `(${sqlString(key)}, ${sqlString(value)})`).join(", ")}]`);
}
