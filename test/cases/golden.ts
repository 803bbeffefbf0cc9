/**
 * Golden files: expected output kept next to a case, compared exactly, and rewritten from what the
 * plugin does now when the tests run with UPDATE_GOLDEN=1 (`npm run test:update-golden`). A
 * reviewer then sees in the diff of a change what it does to each case's output.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { ExpectStatic } from "vitest";

export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";
const HOW_TO_UPDATE = "if the change is intended, rewrite the expected files with `npm run test:update-golden` and review their diff";

/** Every file under `dir`, by path relative to it ('/'-separated). */
export function readTree(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"));
  return new Map(paths.sort().map((path) => [path, readFileSync(join(dir, path), "utf8")]));
}

/**
 * The files the plugin wrote must be exactly the tree in `dir`: the same names, each with the same
 * text. Every differing file is reported with a diff of its own, then the files found on one side
 * only. With UPDATE_GOLDEN=1 the tree is replaced by `actual` instead. `expect` is the test's own
 * (tests that run concurrently must not share the global one).
 */
export function expectTree(expect: ExpectStatic, actual: ReadonlyMap<string, string>, dir: string): void {
  if (UPDATE_GOLDEN) {
    rmSync(dir, { recursive: true, force: true });
    for (const [path, content] of actual) writeFile(join(dir, path), content);
    return;
  }
  const expected = readTree(dir);
  for (const [path, content] of actual) {
    if (expected.has(path)) expect.soft(content, `${path} differs from ${relative(process.cwd(), join(dir, path))}; ${HOW_TO_UPDATE}`).toBe(expected.get(path));
  }
  const unexpected = [...actual.keys()].filter((path) => !expected.has(path)).sort();
  const missing = [...expected.keys()].filter((path) => !actual.has(path));
  expect.soft(unexpected, `files the plugin wrote that ${relative(process.cwd(), dir)} does not hold; ${HOW_TO_UPDATE}`).toEqual([]);
  expect.soft(missing, `files of ${relative(process.cwd(), dir)} the plugin no longer writes; ${HOW_TO_UPDATE}`).toEqual([]);
}

/** `actual` must be the text of the file at `path` (rewritten with UPDATE_GOLDEN=1). */
export function expectText(expect: ExpectStatic, actual: string, path: string): void {
  if (UPDATE_GOLDEN) {
    writeFile(path, actual);
    return;
  }
  expect(existsSync(path), `${relative(process.cwd(), path)} is missing; ${HOW_TO_UPDATE}`).toBe(true);
  expect(actual, `differs from ${relative(process.cwd(), path)}; ${HOW_TO_UPDATE}`).toBe(readFileSync(path, "utf8"));
}

function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
