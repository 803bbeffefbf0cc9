/**
 * The TypeScript printer's holes take only fragments it made: a raw string is a type error
 * (`npm run lint` type-checks this file, so each @ts-expect-error below must stay an error), and
 * what it makes from text is valid code that holds the text exactly.
 */
import { describe, expect, it } from "vitest";
import { doc, id, indentedLines, joined, key, lineComment, prop, str, ts, type TsCode } from "../../plugin/src/emit/typescript/ts-printer.js";
import { HOSTILE_COMMENT, HOSTILE_OPTION_DESCRIPTION } from "../support/hostile.js";

describe("the TypeScript printer", () => {
  it("takes a string from a .proto only through id() or str() (the raw ones are type errors)", () => {
    const name = "user_id";
    // Never called: these lines are here for the type checker, which must reject each of them.
    const mistakes = () => [
      // @ts-expect-error a raw string in a hole
      ts`const x = ${name};`,
      // @ts-expect-error a number is not a fragment either
      ts`const x = ${1};`,
      // @ts-expect-error an object shaped like a fragment is not one: TsCode is nominal
      ts`const x = ${{ code: "1", toString: () => "1" }};`,
      // @ts-expect-error only the printer makes fragments: a string is not one
      ((): TsCode => "1")(),
    ];
    expect(mistakes).toBeTypeOf("function");
    expect(`${ts`const x = ${str(name)};`}`).toBe('const x = "user_id";');
    expect(`${ts`const ${id(name)} = 1;`}`).toBe("const user_id = 1;");
  });

  it("prints fragments where the holes are", () => {
    const fn = id("encode$address$city");
    const code = ts`function ${fn}(v: ${id("Address")}): string { return v${prop("city")} ?? ${str('a "b"\n')}; }`;
    expect(`${code}`).toBe('function encode$address$city(v: Address): string { return v.city ?? "a \\"b\\"\\n"; }');
    expect(`${joined([ts`a`, ts`b`], ts`, `)}`).toBe("a, b");
    expect(`${ts`({ ${key("plain")}: 1, ${key("not-plain")}: 2 })`}`).toBe('({ plain: 1, ["not-plain"]: 2 })');
  });

  it("indents a block's lines, none for no lines", () => {
    const block = (lines: TsCode[]) => `${joined([ts`{`, ...indentedLines(lines, ts`  `, ts`,`), ts`}`])}`;
    expect(block([ts`a: 1`, ts`b: 2`])).toBe("{\n  a: 1,\n  b: 2,\n}");
    expect(block([ts`a: 1`])).toBe("{\n  a: 1,\n}");
    expect(block([])).toBe("{\n}");
    expect(`${joined(indentedLines([ts`x();`, ts`y();`], ts`    `))}`).toBe("    x();\n    y();");
  });

  it("turns text into code that evaluates back to the text", () => {
    for (const text of [HOSTILE_COMMENT, HOSTILE_OPTION_DESCRIPTION, "`${x}`", "*/ alert(1) /*"]) {
      expect(new Function(`return ${str(text)};`)()).toBe(text);
      // A doc comment cannot be closed early by the text, so the code after it still runs.
      expect(new Function(`${doc(text, 2)}\nreturn 42;`)()).toBe(42);
      expect(new Function(`return ${prop(text).toString().slice(1, -1)};`)()).toBe(text);
    }
  });

  it("rejects what is not an identifier, and a line comment of several lines", () => {
    for (const bad of ["", "1a", "a-b", "a b", "a;b", "a\nb"]) expect(() => id(bad), bad).toThrow(/not a TypeScript identifier/);
    expect(`${id("$x_1")}`).toBe("$x_1");
    expect(() => lineComment("one\nalert(1)")).toThrow(/more than one line/);
    expect(`${lineComment("Code generated. DO NOT EDIT.")}`).toBe("// Code generated. DO NOT EDIT.");
  });
});
