/**
 * A private build of the plugin: bin/protoc-gen-entity next to the bundle it loads
 * (dist/protoc-gen-entity.js), made from the current sources by the same script as
 * `npm run build --workspace plugin`. Suites that run the executable use their own build, since
 * other suites rebuild plugin/dist while they run and a half-written bundle would fail a case for
 * no reason of its own. As a plugin the executable loads nothing else (no node_modules here: a
 * plugin run that reached for ts-morph would fail), so tsc's modules are not built here; type
 * errors are `npm run lint`'s business.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./protos.js";

/** Builds into `dir` (dir/bin, dir/dist, dir/package.json) and returns the executable's path. */
export function buildPluginInto(dir: string): string {
  const bundle = spawnSync(process.execPath, [join(REPO_ROOT, "plugin/scripts/bundle.mjs"), join(dir, "dist")], { encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`could not bundle the plugin:\n${bundle.stdout}${bundle.stderr}`);
  // The bundle is ESM, as plugin/package.json says.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  mkdirSync(join(dir, "bin"), { recursive: true });
  const bin = join(dir, "bin/protoc-gen-entity");
  copyFileSync(join(REPO_ROOT, "plugin/bin/protoc-gen-entity"), bin);
  chmodSync(bin, 0o755);
  return bin;
}
