/**
 * A GoogleSQL printer whose holes take typed fragments only: `sql` puts trusted text (the
 * template's own) around fragments made by `identifier`, `stringLiteral`, `integer`, `path`,
 * `qualifiedName`, `typeName`, `datePart`, `bareName`, `spaces` or another `sql`. A plain string in a hole is a
 * type error, so a name or a comment from a .proto cannot reach the SQL without being quoted.
 * Emitters print SQL through this module only; `sql-text.ts` holds its lexical helpers.
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
  for (let i = 0; i < holes.length; i++) text += holes[i]!.text + strings[i + 1]!;
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

const NEWLINE = of("\n");

/** Fragments with `separator` (a fragment too: sql`, `, sql`\n  UNION ALL\n`) between them; lines by default. */
export function joined(fragments: readonly Sql[], separator: Sql = NEWLINE): Sql {
  // Straight into one string: no array of the fragments' texts first.
  const between = separator.text;
  let text = "";
  for (let i = 0; i < fragments.length; i++) text += i === 0 ? fragments[i]!.text : between + fragments[i]!.text;
  return of(text);
}

/** An OPTIONS(...) list, one `name=value` per line; the names are BigQuery's option names. */
export function options(entries: readonly (readonly [OptionName, Sql])[]): Sql {
  return of(entries.length === 0 ? "" : `OPTIONS (\n${entries.map(([name, value]) => `  ${name}=${value.text}`).join(",\n")}\n)`);
}

export type OptionName = "description" | "labels" | "partition_expiration_days" | "require_partition_filter";

/** `[("key", "value"), ...]` for a table or view's labels. */
export function labels(pairs: readonly (readonly [string, string])[]): Sql {
  return of(`[${pairs.map(([key, value]) => `(${sqlString(key)}, ${sqlString(value)})`).join(", ")}]`);
}

/** The GoogleSQL type names a column can have (STRUCT and ARRAY are spelled by the template around their fields). */
export type TypeName =
  | "STRING" | "BYTES" | "INT64" | "FLOAT64" | "NUMERIC" | "BIGNUMERIC" | "BOOL"
  | "TIMESTAMP" | "DATE" | "TIME" | "DATETIME" | "JSON" | "STRUCT";

const TYPE_NAMES: ReadonlySet<string> = new Set<TypeName>([
  "STRING", "BYTES", "INT64", "FLOAT64", "NUMERIC", "BIGNUMERIC", "BOOL", "TIMESTAMP", "DATE", "TIME", "DATETIME", "JSON", "STRUCT",
]);

/** A column type keyword (`INT64`); a name outside the list is refused, also when the type checker was bypassed. */
export function typeName(name: TypeName): Sql {
  if (!TYPE_NAMES.has(name)) throw new Error(`not a GoogleSQL type name: ${name}`);
  return of(name);
}

/** The date parts of INTERVAL and of TIMESTAMP_TRUNC and its siblings. */
export type DatePart = "MINUTE" | "HOUR" | "DAY" | "MONTH" | "YEAR";

const DATE_PARTS: ReadonlySet<string> = new Set<DatePart>(["MINUTE", "HOUR", "DAY", "MONTH", "YEAR"]);

/** A date part keyword (`DAY` in `INTERVAL 3 DAY`, `HOUR` in `TIMESTAMP_TRUNC(t, HOUR)`). */
export function datePart(part: DatePart): Sql {
  if (!DATE_PARTS.has(part)) throw new Error(`not a GoogleSQL date part: ${part}`);
  return of(part);
}

/**
 * A name without backticks, where a consumer compares type text as BigQuery spells it (the field
 * list of dbt's `STRUCT<a STRING>` data types): only letters, digits and `_`, else refused.
 */
export function bareName(name: string): Sql {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain name for SQL: ${name}`);
  return of(name);
}

/** `count` spaces: the indentation of a nested STRUCT's fields. */
export function spaces(count: number): Sql {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`not a count of spaces: ${count}`);
  return of(" ".repeat(count));
}

/**
 * `project.dataset.name` in backticks where the project is known only when the SQL is deployed
 * (a Terraform variable put between the two fragments): the text before and after the project.
 */
export function qualifiedNameAroundProject(dataset: string, name: string): { readonly before: Sql; readonly after: Sql } {
  return { before: of("`"), after: of(`.${dataset}.${name}\``) };
}
