/** String literals in generated TypeScript hold any text exactly, whichever way they are written. */
import { describe, expect, it } from "vitest";
import { stringLiteral } from "../../plugin/src/emit/typescript/source-text.js";
import { HOSTILE_COMMENT, HOSTILE_OPTION_DESCRIPTION } from "../support/hostile.js";

const TEXTS = [
  "",
  "plain_name",
  "CgtldmVudC5wcm90bxIC+/9=", // base64, as the embedded descriptor
  'say "hi"',
  "back\\slash",
  "line\nbreak\r\n",
  "tab\there",
  "nul\u0000and\u001f",
  "separators\u2028\u2029",
  "emoji 😀 and é",
  "lone \ud800 surrogate \udfff",
  "</script>${x}`",
  String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i)),
  HOSTILE_COMMENT,
  HOSTILE_OPTION_DESCRIPTION,
];

describe("stringLiteral", () => {
  it.each(TEXTS.map((t) => [JSON.stringify(t).slice(0, 40), t]))("reads back as the same text: %s", (_, text) => {
    const literal = stringLiteral(text);
    expect(new Function(`return ${literal};`)()).toBe(text);
    // One line, whatever the text: nothing in it ends the line of code it stands in.
    expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it("writes text that needs no escape as it is", () => {
    expect(stringLiteral("CgtldmVudC5wcm90bxIC+/9=")).toBe('"CgtldmVudC5wcm90bxIC+/9="');
    expect(stringLiteral("a\u2028b")).toBe('"a\\u2028b"');
    expect(stringLiteral("lone \ud800")).toBe('"lone \\ud800"');
  });
});
