/**
 * A private build of the plugin: bin/protoc-gen-entity next to a dist/ compiled and bundled from
 * the current sources, as `npm run build --workspace plugin` makes it. Suites that run the
 * executable use their own build, since other suites rebuild plugin/dist while they run and a
 * half-written bundle would fail a case for no reason of its own.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./protos.js";

/** Builds into `dir` (dir/bin, dir/dist, dir/package.json) and returns the executable's path. */
export function buildPluginInto(dir: string): string {
  const dist = join(dir, "dist");
  const tsc = spawnSync(join(REPO_ROOT, "node_modules/.bin/tsc"), ["-p", join(REPO_ROOT, "plugin/tsconfig.json"), "--outDir", dist], { encoding: "utf8" });
  // Type errors are the linter's business (tsc still emits); a build without output is ours.
  if (!existsSync(join(dist, "main.js"))) throw new Error(`could not compile the plugin:\n${tsc.stdout}${tsc.stderr}`);
  const bundle = spawnSync(process.execPath, [join(REPO_ROOT, "plugin/scripts/bundle.mjs"), dist], { encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`could not bundle the plugin:\n${bundle.stdout}${bundle.stderr}`);
  // dist/ is ESM, as plugin/package.json says.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  mkdirSync(join(dir, "bin"), { recursive: true });
  const bin = join(dir, "bin/protoc-gen-entity");
  copyFileSync(join(REPO_ROOT, "plugin/bin/protoc-gen-entity"), bin);
  chmodSync(bin, 0o755);
  return bin;
}
