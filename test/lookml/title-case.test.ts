/**
 * LookML labels: titleCase's one-pass rule for ASCII names says what the rule in regular
 * expressions says (words split at `_`, white space and a capital after a lowercase letter or a
 * digit, each capitalized), and any other text takes that rule itself.
 */
import { describe, expect, it } from "vitest";
import { titleCase } from "../../plugin/src/semantic/lookml-names.js";

/** The rule as the labels were first written: the reference for the fast path. */
function byRegularExpressions(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[_\s]+/)
    .filter((w) => w !== "")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}

describe("titleCase", () => {
  it("names fields and entities as Looker shows them", () => {
    expect(titleCase("meter_reading")).toBe("Meter Reading");
    expect(titleCase("MeterReading")).toBe("Meter Reading");
    expect(titleCase("address__city")).toBe("Address City");
    expect(titleCase("HTTPServer2Go")).toBe("HTTPServer2 Go");
    expect(titleCase("_leading and\ttrailing_ ")).toBe("Leading And Trailing");
    expect(titleCase("")).toBe("");
  });

  it("agrees with the rule in regular expressions on every short name over a tricky alphabet", () => {
    // Deterministic: every string of up to 4 characters over the alphabet (over 200,000 of them).
    const alphabet = ["a", "z", "A", "Z", "0", "9", "_", " ", "\t", "\n", "-", ".", "é", "\u00a0", "\u2028"];
    let checked = 0;
    const visit = (prefix: string, depth: number) => {
      expect(titleCase(prefix), JSON.stringify(prefix)).toBe(byRegularExpressions(prefix));
      checked++;
      if (depth > 0) for (const c of alphabet) visit(prefix + c, depth - 1);
    };
    visit("", 4);
    expect(checked).toBeGreaterThan(50_000);
  });
});
