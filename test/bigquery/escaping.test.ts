/**
 * Text from a .proto must reach BigQuery intact and harmless: string literals, identifiers, line
 * comments and labels checked through ZetaSQL, and the hostile entity's comments read back from
 * the analyzed DDL exactly as written (or as the marked truncation).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlIdentifier, sqlLineComment, sqlString } from "../../plugin/src/printers/sql-text.js";
import { labelValue } from "../../plugin/src/physical/table-metadata.js";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import {
  HOSTILE_COMMENT,
  HOSTILE_EXPECTED,
  HOSTILE_OPTION_DESCRIPTION,
  HOSTILE_PROTO,
  HOSTILE_PROTO_PATH,
  LONG_DESCRIPTION,
} from "../support/hostile.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type AnalyzedColumn, type AnalyzedStatement, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { analyzeAll, generatedBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { asSchema, schemaShape } from "./support.js";

let zetasql: ZetaSqlSession;

beforeAll(async () => {
  zetasql = await startZetaSql();
});

afterAll(async () => {
  await zetasql?.stop();
});

const CONTROL_CHARACTERS = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join("");
const C1_AND_DEL = Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)).join("");

const NASTY_TEXTS = [
  "",
  "plain",
  `"`,
  `'`,
  "\\",
  "\\\\\\",
  `\\"`,
  `ends with backslash \\`,
  `''' triple single '''`,
  `""" triple double """`,
  "`backtick` and \\`escaped\\`",
  "-- line comment\n# hash comment\n/* block */ */ /*",
  "a;\nDROP TABLE x;\n--",
  "\r\n\t CR LF TAB",
  CONTROL_CHARACTERS,
  C1_AND_DEL,
  "line\u2028separator\u2029paragraph",
  "\\x41 \\u0041 \\101 not escapes",
  "é ü 日本語 🚀 e\u0301 (combining) \uFEFF (BOM)",
  HOSTILE_OPTION_DESCRIPTION,
  HOSTILE_COMMENT,
  LONG_DESCRIPTION,
];

describe("GoogleSQL text", () => {
  it("sqlString literals read back as exactly the text, for every nasty input", async () => {
    for (const text of NASTY_TEXTS) {
      const [row] = await zetasql.evaluate(`SELECT ${sqlString(text)} AS text`, []);
      expect(row.text).toBe(text);
    }
  });

  it("sqlString keeps printable non-ASCII readable and puts every line break behind an escape", () => {
    expect(sqlString("é 日本 🚀")).toBe(`"é 日本 🚀"`);
    for (const text of NASTY_TEXTS) expect(sqlString(text)).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
  });

  it("sqlIdentifier quotes any name into one identifier", async () => {
    for (const name of ["select", "from", "a b", "a`b", "a\\b", "日本"]) {
      const analyzed = await zetasql.analyze(`SELECT 1 AS ${sqlIdentifier(name)}`);
      expect(analyzed.columns.map((c) => c.name)).toEqual([name]);
    }
  });

  it("sqlLineComment keeps every line of a text inside the comment", async () => {
    const injected = "harmless\nSELECT 2 AS injected;\r-- more\u2028SELECT 3 AS again";
    const analyzed = await zetasql.analyze(`${sqlLineComment(injected)}\nSELECT 1 AS kept`);
    expect(analyzed.columns.map((c) => c.name)).toEqual(["kept"]);
  });

  it("labelValue yields BigQuery label values from any text", () => {
    for (const text of ["energy.customer.v1", "Billing Team", "Ü-team/ops", "x".repeat(100), "a\nb"]) {
      expect(labelValue(text)).toMatch(/^[a-z0-9_-]{0,63}$/);
    }
    expect(labelValue("energy.customer.v1")).toBe("energy_customer_v1");
    expect(labelValue("customer-team")).toBe("customer-team");
  });
});

describe("the hostile entity in BigQuery", () => {
  let files: Map<string, string>;
  let analyzed: Map<string, AnalyzedStatement>;
  let table: AnalyzedStatement;
  let schema: BigQueryField[];

  beforeAll(async () => {
    files = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }), "project=test-project");
    analyzed = await analyzeAll(zetasql, "test-project", generatedBigQuery(files));
    table = analyzed.get("bigquery/hostile_v1/hostile.sql")!;
    schema = JSON.parse(files.get("bigquery/hostile_v1/hostile.schema.json")!) as BigQueryField[];
  });

  const column = (columns: readonly AnalyzedColumn[], ...path: string[]): AnalyzedColumn => {
    const [head, ...rest] = path;
    const found = columns.find((c) => c.name === head);
    if (found === undefined) throw new Error(`no column ${head}`);
    return rest.length === 0 ? found : column(found.fields, ...rest);
  };

  it("generates DDL and views that ZetaSQL accepts", () => {
    expect([...analyzed.keys()].sort()).toEqual([
      "bigquery/hostile_v1/entity_activity.sql",
      "bigquery/hostile_v1/entity_freshness.sql",
      "bigquery/hostile_v1/hostile.sql",
      "bigquery/hostile_v1/hostile_events.sql",
      "bigquery/hostile_v1/hostile_events_between.sql",
      "bigquery/hostile_v1/hostile_latest.sql",
      "bigquery/hostile_v1/hostile_latest_between.sql",
    ]);
  });

  it("keeps the table description exactly", () => {
    expect(table.options.description).toBe(HOSTILE_EXPECTED.entity);
  });

  it("keeps every column description exactly, nested ones included, and cuts the long one with its marker", () => {
    expect(column(table.columns, "id").description).toBe(HOSTILE_EXPECTED.id);
    expect(column(table.columns, "quoted").description).toBe(HOSTILE_EXPECTED.quoted);
    expect(column(table.columns, "long_text").description).toBe(HOSTILE_EXPECTED.longText);
    expect(Array.from(HOSTILE_EXPECTED.longText)).toHaveLength(1024);
    expect(column(table.columns, "inner", "note").description).toBe(HOSTILE_EXPECTED.innerNote);
  });

  it("writes the same descriptions in the JSON schema as in the DDL", () => {
    expect(asSchema(table.columns)).toEqual(schemaShape(schema));
    expect(schema.find((f) => f.name === "id")?.description).toBe(HOSTILE_EXPECTED.id);
  });

  it("keeps the proto text out of the SQL outside string literals", () => {
    // Every line of the DDL is either SQL or part of a one-line literal: no comment line escaped.
    for (const [name, sql] of files) {
      if (!name.endsWith(".sql")) continue;
      expect(sql).not.toContain("\u2028");
      const outsideLiterals = sql.replace(/"(?:[^"\\\n]|\\.)*"/g, '""').replace(/^-- .*$/gm, "");
      expect(outsideLiterals).not.toMatch(/stop|handlebars|Grüße|sql comment|triple/);
    }
  });
});
