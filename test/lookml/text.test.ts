import { describe, expect, it } from "vitest";
import { block, liquidLiteral, LookmlWriter, printLookml, sql, str, type LookmlFragment } from "../../plugin/src/printers/lookml-text.js";
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

describe("LookmlWriter fragments", () => {
  const dimension = (w: LookmlWriter) => {
    w.open("dimension", "d");
    w.atom("type", "string");
    w.str("description", 'a "quoted" text');
    w.sql("sql", "${TABLE}.d");
    w.close();
  };
  const view = (name: string, fields: (w: LookmlWriter) => void) => (w: LookmlWriter) => {
    w.open("view", name);
    w.str("label", name);
    fields(w);
    w.close();
  };

  it("replays a captured block as it was written, in another block at the same depth", () => {
    const written = new LookmlWriter();
    let fragment: LookmlFragment | undefined;
    view("a", (w) => {
      fragment = w.capture(dimension);
    })(written);
    view("b", (w) => w.replay(fragment!))(written);
    const direct = new LookmlWriter();
    view("a", dimension)(direct);
    view("b", dimension)(direct);
    expect(written.text()).toBe(direct.text());
    expect(parseLookml(written.text()).view.b.dimension.d.description).toBe('a "quoted" text');
  });

  it("refuses a fragment where its first line would be laid out differently, or at another depth", () => {
    const w = new LookmlWriter();
    w.open("view", "v");
    expect(() => w.capture(dimension)).toThrow(/after something in its block/);
    w.str("label", "v");
    const fragment = w.capture(dimension);
    w.open("dimension", "e");
    w.atom("type", "string");
    expect(() => w.replay(fragment)).toThrow(/depth 1 replayed at depth 2/);
  });
});
