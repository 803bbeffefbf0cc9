/**
 * The typed SQL printer: holes take fragments made by the printer only, so that a name or a
 * comment cannot reach the SQL unquoted. The type errors are checked by `npm run lint` (tsc over
 * the tests): each `@ts-expect-error` fails the lint when its line stops being an error.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bareName,
  datePart,
  identifier,
  integer,
  joined,
  labels,
  lineComment,
  options,
  path,
  qualifiedName,
  qualifiedNameAroundProject,
  spaces,
  Sql,
  sql,
  stringLiteral,
  typeName,
} from "../../plugin/src/printers/sql.js";
import { readSourceTree } from "../architecture/import-graph.js";

describe("sql`…`", () => {
  it("puts fragments in the template's trusted text", () => {
    const table = qualifiedName("acme-prod", "billing", "invoice");
    const query = sql`SELECT ${identifier("id")}, ${path(["payload", "total"])} FROM ${table} WHERE ${identifier("kind")} = ${stringLiteral("it's \"paid\"")} LIMIT ${integer(10)}`;
    expect(query.text).toBe('SELECT `id`, `payload`.`total` FROM `acme-prod.billing.invoice` WHERE `kind` = "it\'s \\"paid\\"" LIMIT 10');
  });

  it("quotes what would otherwise end a string, a name or a comment", () => {
    expect(stringLiteral('a"; DROP TABLE x; --\nb').text).toBe('"a\\"; DROP TABLE x; --\\nb"');
    expect(identifier("a`b\\c").text).toBe("`a\\`b\\\\c`");
    expect(lineComment("one\ntwo; DROP TABLE x").text).toBe("-- one\n-- two; DROP TABLE x");
    expect(() => integer(1.5)).toThrow(/not an integer/);
  });

  it("joins fragments and prints OPTIONS and labels", () => {
    const list = joined([identifier("a"), identifier("b")], sql`, `);
    expect(sql`ORDER BY ${list}`.text).toBe("ORDER BY `a`, `b`");
    const clause = options([
      ["description", stringLiteral("Events")],
      ["labels", labels([["owner", "team-a"]])],
    ]);
    expect(clause.text).toBe('OPTIONS (\n  description="Events",\n  labels=[("owner", "team-a")]\n)');
    expect(options([]).text).toBe("");
  });

  it("takes no raw string in a hole, and no Sql made elsewhere", () => {
    const name = "id; DROP TABLE x";
    // @ts-expect-error a raw string is not a fragment: it must be quoted as an identifier or a literal.
    expect(sql`SELECT ${name}`.text).toBeDefined();
    // @ts-expect-error a number is not a fragment either: integer() makes one.
    expect(sql`LIMIT ${10}`).toBeDefined();
    // @ts-expect-error an object that looks like a fragment is not one.
    expect(sql`SELECT ${{ text: name }}`).toBeDefined();
    // The constructor's token is the printer's own: a Sql cannot be made from outside.
    expect(() => new Sql(Symbol("sql") as never, name)).toThrow(/printers\/sql\.ts only/);
  });

  it("prints type names, date parts and indentation from closed lists only", () => {
    const column = sql`${identifier("amount")} ${typeName("NUMERIC")}`;
    expect(column.text).toBe("`amount` NUMERIC");
    expect(sql`INTERVAL ${integer(3)} ${datePart("HOUR")}`.text).toBe("INTERVAL 3 HOUR");
    expect(sql`STRUCT<\n${spaces(4)}${column}\n${spaces(2)}>`.text).toBe("STRUCT<\n    `amount` NUMERIC\n  >");
    // The lists hold at run time too, for a value the type checker never saw.
    expect(() => typeName("INT64; DROP TABLE x" as never)).toThrow(/not a GoogleSQL type name/);
    expect(() => datePart("DAY) OR TRUE --" as never)).toThrow(/not a GoogleSQL date part/);
    expect(() => spaces(-1)).toThrow(/not a count of spaces/);
    const name = "STRING";
    // @ts-expect-error a type name is a fragment, not a string in a hole.
    expect(sql`CAST(x AS ${name})`).toBeDefined();
    const part: string = "WEEK(SUNDAY)";
    // @ts-expect-error only the listed date parts are accepted.
    expect(() => datePart(part)).toThrow(/not a GoogleSQL date part/);
  });

  it("prints a bare name only when it is one", () => {
    expect(sql`STRUCT<${bareName("city")} ${typeName("STRING")}>`.text).toBe("STRUCT<city STRING>");
    expect(() => bareName("city STRING>, x")).toThrow(/not a plain name/);
    expect(() => bareName("1st")).toThrow(/not a plain name/);
    const name = "city";
    // @ts-expect-error a name is a fragment: bareName or identifier makes one.
    expect(sql`STRUCT<${name} STRING>`).toBeDefined();
  });

  it("puts a deploy-time project between the two halves of a qualified name", () => {
    const { before, after } = qualifiedNameAroundProject("billing", "entity_freshness");
    expect(`${before.text}acme-prod${after.text}`).toBe(qualifiedName("acme-prod", "billing", "entity_freshness").text);
    expect(sql`FROM ${before}`.text).toBe("FROM `");
  });

  it("joins with a fragment as separator, never a raw string", () => {
    expect(joined([sql`SELECT 1`, sql`SELECT 2`], sql` UNION ALL `).text).toBe("SELECT 1 UNION ALL SELECT 2");
    expect(joined([sql`a`, sql`b`]).text).toBe("a\nb");
    // @ts-expect-error the separator is SQL text too: a raw string could carry anything.
    expect(joined([sql`a`, sql`b`], "; DROP TABLE x; ")).toBeDefined();
  });
});

describe("who prints SQL", () => {
  it("leaves the lexical helpers of sql-text.ts to the typed printer alone", () => {
    const root = fileURLToPath(new URL("../../plugin/src", import.meta.url));
    const importers = readSourceTree(root)
      .filter((file) => file.imports.includes("printers/sql-text.ts"))
      .map((file) => file.path);
    expect(importers).toEqual(["printers/sql.ts"]);
  });
});
