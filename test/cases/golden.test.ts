/**
 * Golden cases: test/cases/<name>/ holds the contracts of a case (proto/), its plugin options
 * (options.txt, one per line as buf.gen.yaml's `opt` lists them) and every file the plugin
 * generates for it (expected/). The plugin runs in-process, as buf would run it on those protos;
 * its files must be the expected tree exactly. `npm run test:update-golden` rewrites expected/
 * from what the plugin does now, so that a change's diff shows what it does to each case.
 * (The whole example domain is covered by generated/ and test/generated.test.ts.)
 *
 * The few files that are the same whatever the contracts (the TypeScript runtime, the catalog's
 * stylesheet and script, ...) are not copied into every case: each case's must be byte-for-byte
 * generated/'s, where a change to them shows in the diff once.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProtosAsync, REPO_ROOT, runPlugin } from "../harness/buf/protos.js";
import { expectTree, readTree } from "./golden.js";

const CASES_DIR = import.meta.dirname;
const SAME_IN_EVERY_RUN = ["ts/src/runtime.ts", "ts/tsconfig.json", "ts/.gitignore", "catalog/catalog.css", "catalog/catalog.js"];
const cases = readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "errors")
  .map((entry) => entry.name)
  .sort();

function parameterOf(caseDir: string): string {
  return readFileSync(join(caseDir, "options.txt"), "utf8").split("\n").map((line) => line.trim()).filter((line) => line !== "").join(",");
}

describe("golden cases", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(5));

  it.concurrent.for(cases)("%s", async (name, { expect }) => {
    const caseDir = join(CASES_DIR, name);
    const sources = Object.fromEntries(readTree(join(caseDir, "proto")));
    const files = runPlugin(await compileProtosAsync(sources), parameterOf(caseDir));
    for (const path of SAME_IN_EVERY_RUN) {
      expect.soft(files.get(path), `${path} of this case, against generated/${path}`).toBe(readFileSync(join(REPO_ROOT, "generated", path), "utf8"));
      files.delete(path);
    }
    expectTree(expect, files, join(caseDir, "expected"));
  });
});
