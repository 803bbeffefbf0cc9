/** Test support for the catalog: a generated run written to disk, and the browser suites' guard. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe } from "vitest";
import { chromiumAvailable } from "../harness/chromium/browser.js";

/** Writes a run's files (every output, so that the catalog's links to them resolve) to a new directory. */
export function writeRun(files: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "entity-catalog-"));
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The file:// address of a catalog page of the run in `dir` (`index.html`, `entities/x.y.Z.html`). */
export function catalogUrl(dir: string, page: string): string {
  return pathToFileURL(join(dir, "catalog", page)).href;
}

/**
 * `describe` for suites that drive Chromium. Where it could not be installed they are skipped,
 * loudly, except on CI, where a missing browser fails them.
 */
export const describeInBrowser: typeof describe =
  chromiumAvailable() || process.env.CI ? describe : (describe.skip as typeof describe);
if (!chromiumAvailable()) {
  process.stderr.write(`*** chromium is not installed: the catalog's browser suites ${process.env.CI ? "will fail" : "are skipped"} ***\n`);
}
