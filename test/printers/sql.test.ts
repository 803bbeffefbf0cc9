/**
 * The typed SQL printer: holes take fragments made by the printer only, so that a name or a
 * comment cannot reach the SQL unquoted. The type errors are checked by `npm run lint` (tsc over
 * the tests): each `@ts-expect-error` fails the lint when its line stops being an error.
 */
import { describe, expect, it } from "vitest";
import { identifier, integer, joined, labels, lineComment, options, path, qualifiedName, Sql, sql, stringLiteral } from "../../plugin/src/printers/sql.js";

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
});
