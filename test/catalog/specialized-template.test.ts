/**
 * The column rows are rendered by variants of their template with the `{{#if}}`s decided
 * (specialized-template.ts): every variant must write what Handlebars writes for the template
 * itself, for every combination of the conditions, and a row lacking a name must be refused
 * (the check that stands in for strict mode).
 */
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { specializedTemplate } from "../../plugin/src/emit/catalog/specialized-template.js";

const TEMPLATE = `<tr id="{{anchor}}">
{{#if count}}<b title="{{count}} items">{{name}}</b>{{else}}<i>{{name}}</i>{{/if}}
  {{#if note}}
  <p>{{note}}{{#if tags}} <span>{{tags.length}} tags</span>{{else}}{{#if count}} (counted){{/if}}{{/if}}</p>
  {{/if}}
{{#if flag}}F{{/if}}|{{#each tags}}<t>{{this}}</t>{{/each}}
</tr>
`;

const OPTIONS = { assumeObjects: true, knownHelpersOnly: true, preventIndent: true, data: false };

/** Every combination of falsy and truthy values Handlebars' `{{#if}}` tells apart, with text to escape. */
function rows(): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  for (const count of [0, 3])
    for (const note of ["", `<script>alert("x")</script> & {{x}}`])
      for (const tags of [[], ["a=b", "`c`"]])
        for (const flag of [false, true]) result.push({ anchor: `col-'a'.b`, name: "x<y>", count, note, tags, flag });
  return result;
}

describe("specializedTemplate", () => {
  it("writes what the template itself writes, for every combination of its conditions", () => {
    const reference = Handlebars.create().compile(TEMPLATE, OPTIONS);
    const specialized = specializedTemplate(Handlebars.create(), TEMPLATE, OPTIONS);
    const all = rows();
    expect(all).toHaveLength(16);
    for (const row of all) expect(specialized(row)).toBe(reference(row));
    expect(specialized(all[all.length - 1])).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; {{x}}");
  });

  it("refuses a row that lacks a name the template reads", () => {
    const specialized = specializedTemplate(Handlebars.create(), TEMPLATE, OPTIONS);
    const { note: _, ...withoutNote } = rows()[0];
    expect(() => specialized(withoutNote)).toThrow(/reads note, which the row lacks/);
  });
});
