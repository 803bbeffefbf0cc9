import { describe, expect, it } from "vitest";
import { block, liquidLiteral, printLookml, sql, str } from "../../plugin/src/printers/lookml-text.js";
import { HOSTILE_COMMENT, HOSTILE_OPTION_DESCRIPTION, LONG_DESCRIPTION } from "../support/hostile.js";
import { parseLookml, renderLiquidLiterals } from "../harness/lookml/lookml.js";

const NASTY = [
  "",
  'a "quoted" word',
  "back\\slash at the end\\",
  '\\"',
  "\\\\\"\\",
  "line\nbreak\r\nand\rreturns",
  "ends a block ;; and } and { and ]",
  "# not a comment",
  "sql: x ;; dimension: y {",
  "${TABLE}.x and ${view.field}",
  "tab\there \u2028 \u2029 \u0000 nul",
  "é ü 日本語 🚀",
  HOSTILE_COMMENT,
  HOSTILE_OPTION_DESCRIPTION,
  LONG_DESCRIPTION,
];

describe("LookML strings", () => {
  it.each(NASTY.map((t) => [JSON.stringify(t).slice(0, 40), t]))("round-trip through lookml-parser: %s", (_, text) => {
    const file = printLookml([block("view", "v", [block("dimension", "d", [str("description", text), sql("sql", "${TABLE}.d")])])]);
    const parsed = parseLookml(file);
    expect(parsed.view.v.dimension.d.description).toBe(text);
    expect(parsed.view.v.dimension.d.sql.trim()).toBe("${TABLE}.d");
  });

  it("refuse SQL that would end its block early", () => {
    expect(() => sql("sql", "a ;; b")).toThrow(/;;/);
  });
});

describe("Liquid in descriptions", () => {
  const liquid = [
    "{{ x }}",
    "{% if a %}b{% endif %}",
    "close {% endraw %} inside",
    "close {%-endraw-%} tight, {%  endraw  %} wide",
    "{{ '{% endraw %}' }}",
    "plain text, no markup { } % }}",
  ];
  it.each(liquid)("keeps %s as text once Looker renders it", (text) => {
    const wrapped = liquidLiteral(text);
    expect(renderLiquidLiterals(wrapped)).toBe(text);
  });

  it("leaves text without Liquid markup as it is", () => {
    expect(liquidLiteral("100% {not liquid}")).toBe("100% {not liquid}");
  });

  it("the renderer used by these tests rejects live Liquid", () => {
    expect(() => renderLiquidLiterals("{{ user }}")).toThrow(/Liquid/);
    expect(() => renderLiquidLiterals("{% raw %}a{% endraw %}{% if %}")).toThrow(/Liquid/);
  });
});
