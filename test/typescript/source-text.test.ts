/** String literals in generated TypeScript hold any text exactly, whichever way they are written. */
import { describe, expect, it } from "vitest";
import { docComment, isIdentifier, property, propertyKey, stringLiteral } from "../../plugin/src/emit/typescript/source-text.js";
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
  'quote " then separator \u2028',
  "separator \u2029 then backslash \\",
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

describe("names", () => {
  // Every ASCII character first, inside, and a few non-ASCII letters: an identifier is exactly [A-Za-z_$][A-Za-z0-9_$]*.
  const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
  const names = ["", "a", "é", "aé", "ü_1", "\u{1d49c}", ...ascii, ...ascii.map((c) => `a${c}`), ...ascii.map((c) => `${c}1`)];

  it.each(names.map((n) => [JSON.stringify(n), n]))("is an identifier exactly when an ASCII pattern says so: %s", (_, name) => {
    const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
    expect(isIdentifier(name)).toBe(identifier);
    expect(property(name)).toBe(identifier ? `.${name}` : `[${stringLiteral(name)}]`);
    expect(propertyKey(name)).toBe(identifier ? name : `[${stringLiteral(name)}]`);
  });
});

describe("docComment", () => {
  it("writes one line with nothing to escape as it is, indented", () => {
    expect(docComment("The topic message a.b.C.", "  ")).toBe("  /**\n   * The topic message a.b.C.\n   */");
    expect(docComment("")).toBe("/**\n *\n */");
  });

  it("splits lines and escapes the end of a comment", () => {
    expect(docComment("a */ b\r\nc\u2028d\n\ne")).toBe("/**\n * a *\\/ b\n * c\n * d\n *\n * e\n */");
    expect(docComment("2 * 3")).toBe("/**\n * 2 * 3\n */");
  });
});
