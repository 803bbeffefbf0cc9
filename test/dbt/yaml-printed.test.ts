/**
 * The dbt sources print each column's lines once and write them under the table and both views
 * (YamlPrinted): what they write must be exactly what the YAML writer makes of the same values.
 */
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { YamlPrinted, yamlDocument, yamlEntryText, yamlItemEntriesText, yamlItemText, type YamlMapping } from "../../plugin/src/printers/yaml-text.js";

const FIRST: YamlMapping = { name: "amount.currency_code", description: "Two lines:\nthe second one", data_type: "STRING", policy_tags: ["projects/p/x"] };
const SECOND_HEAD: YamlMapping = { name: "yes", description: 'quoted "text" {{ x }}', data_type: "ARRAY<STRUCT<a STRING>>" };
const SECOND_TESTS: YamlMapping = { data_tests: ["not_null", { accepted_values: { arguments: { values: ["A", "on"] }, config: { where: "`t` >= 1" } } }] };
const META: Record<string, string> = { "amount.amount": "pkg.Entity.amount", "key: with colon": "null", empty: "" };

describe("printed collections", () => {
  it("write the same text as the values they were printed from, at any depth", () => {
    for (const depth of [0, 1, 5]) {
      const nest = (value: YamlMapping): YamlMapping => (depth === 0 ? value : { tables: [Array.from({ length: depth }).reduce<YamlMapping>((v) => ({ wrap: v }), value)] });
      const expected = yamlDocument(nest({ columns: [FIRST, { ...SECOND_HEAD, ...SECOND_TESTS }], meta: META }));
      const printed = yamlDocument(
        nest({
          columns: new YamlPrinted("sequence", (indent) => yamlItemText(FIRST, indent) + yamlItemText(SECOND_HEAD, indent) + yamlItemEntriesText(SECOND_TESTS, indent)),
          meta: new YamlPrinted("mapping", (indent) => Object.entries(META).map(([key, value]) => yamlEntryText(key, value, indent)).join("")),
        }),
      );
      expect(printed).toBe(expected);
    }
    // And the text reads back as the values (no accident of two equal wrong texts).
    expect(parseYaml(yamlDocument({ columns: new YamlPrinted("sequence", (indent) => yamlItemText(FIRST, indent)) }))).toEqual({ columns: [FIRST] });
  });

  it("write an empty collection as [] or {}, as the writer does", () => {
    expect(yamlDocument({ a: new YamlPrinted("sequence", () => ""), b: new YamlPrinted("mapping", () => "") })).toBe(yamlDocument({ a: [], b: {} }));
    expect(yamlDocument({ a: [], b: {} })).toBe("a: []\nb: {}\n");
  });
});
