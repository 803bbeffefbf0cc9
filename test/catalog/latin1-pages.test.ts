/**
 * The catalog's own text stays within Latin-1 (its templates write `…` and `←` as HTML entities):
 * one character beyond it makes V8 hold a page as a two-byte string, twice the memory of every
 * page and slower to write out. A contract whose text is Latin-1 gets pages that are Latin-1.
 */
import { expect, it } from "vitest";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { proto3 } from "../model/support.js";

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/u;

it("writes pages and the index in Latin-1 when the contract's text is", () => {
  const source = proto3(`
// A parcel on its way.
message Parcel {
  option (entity.v1.entity) = { owner: "logistics" };
  // Stable id.
  string id = 1;
  // Weight in grams.
  int64 weight_grams = 2;
}
`);
  expect(source).not.toMatch(BEYOND_LATIN1);
  const files = [...runPlugin(compileProtos({ "test/v1/parcel.proto": source }))].filter(([name]) => name.startsWith("catalog/") && name.endsWith(".html"));
  expect(files.length).toBeGreaterThanOrEqual(2);
  for (const [name, content] of files) expect(BEYOND_LATIN1.exec(content)?.[0], name).toBeUndefined();
  const page = files.find(([name]) => name.includes("Parcel"))![1];
  expect(page).toContain("&larr; All entities");
  expect(page).toContain('placeholder="Filter columns&hellip;"');
});
