/**
 * The plugin's npm package ships bin/ and dist/ only, so its source maps must carry the TypeScript
 * they point to: a stack trace (node --enable-source-maps) or a debugger would otherwise look for
 * ../src/*.ts, which is not in the tarball.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPluginInto } from "../harness/buf/plugin-build.js";
import { REPO_ROOT } from "../harness/buf/protos.js";

function expectSelfContained(mapFile: string): void {
  const { sources, sourcesContent } = JSON.parse(readFileSync(mapFile, "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
  expect(sources.length, mapFile).toBeGreaterThan(0);
  expect(sourcesContent?.length, mapFile).toBe(sources.length);
  sourcesContent?.forEach((content, i) => expect(content, `${mapFile}: ${sources[i]}`).toMatch(/\S/));
}

describe("source maps of the plugin package", () => {
  it("the bundle's map carries every source it names", () => {
    const dir = mkdtempSync(join(tmpdir(), "entity-maps-"));
    try {
      buildPluginInto(dir);
      expectSelfContained(join(dir, "dist/protoc-gen-entity.js.map"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tsc's maps (dist/, for the modules others import) carry their sources too", () => {
    // Built into a directory of its own: another suite rebuilds plugin/dist while the tests run.
    const dist = mkdtempSync(join(tmpdir(), "entity-tsc-maps-"));
    try {
      execFileSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", join(REPO_ROOT, "plugin/tsconfig.json"), "--outDir", dist], { stdio: "pipe" });
      const maps = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js.map"));
      expect(maps.length).toBeGreaterThan(20);
      for (const map of maps) expectSelfContained(join(dist, map));
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  }, 120_000);
});
