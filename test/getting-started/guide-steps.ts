/**
 * docs/getting-started.md as a script: its fenced blocks, in order. A ```sh block is run with bash
 * in the project directory (its `cd`s last for the block); a block whose info string names a file
 * (```yaml file=buf.gen.yaml) is written there. Any other block is an illustration and not run, so
 * the guide must keep every command in ```sh blocks.
 *
 * The test stands in for three things of the outside world, and only for them, by rewriting the
 * commands that reach it (each rewrite must apply, so the test notices when the guide changes):
 * `npm install protoc-gen-entity` installs the tarball packed from this repository (the plugin is
 * not published yet), `npm publish` packs into a local folder, from which the consumer's
 * `npm install` of the package takes it, and sync-lookml pushes to a local bare repository.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/buf/protos.js";

export const GUIDE = join(REPO_ROOT, "docs/getting-started.md");

export type GuideStep =
  | { readonly kind: "run"; readonly script: string; readonly line: number }
  | { readonly kind: "file"; readonly path: string; readonly content: string; readonly line: number };

const FENCE = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;

/** The guide's runnable blocks, in order. */
export function guideSteps(markdown = readFileSync(GUIDE, "utf8")): GuideStep[] {
  const steps: GuideStep[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const [language, ...attributes] = match[1].trim().split(/\s+/);
    const line = markdown.slice(0, match.index).split("\n").length;
    const file = attributes.find((a) => a.startsWith("file="))?.slice("file=".length);
    if (file !== undefined) steps.push({ kind: "file", path: file, content: match[2], line });
    else if (language === "sh") steps.push({ kind: "run", script: match[2], line });
  }
  return steps;
}

/** Where the outside world is, for this run. */
export interface StandIns {
  /** The plugin's tarball, packed from this repository. */
  readonly pluginTarball: string;
  /** The folder `npm publish` puts the package's tarball in. */
  readonly registry: string;
  /** A bare git repository standing in for the Looker project's. */
  readonly lookerRepo: string;
}

export interface Rewrite {
  readonly name: string;
  readonly pattern: RegExp;
  readonly replace: (standIns: StandIns) => string;
}

/** The package name the guide generates (buf.gen.yaml's package_name). */
export const PACKAGE_NAME = "@acme-shop/entity-events";

export const REWRITES: readonly Rewrite[] = [
  {
    name: "install the plugin from its tarball",
    pattern: /^(npm install\b.*\s)protoc-gen-entity(?=\s|$)/m,
    replace: (s) => `$1${s.pluginTarball}`,
  },
  {
    name: "publish into the local folder",
    pattern: /^npm publish$/m,
    replace: (s) => `npm pack --pack-destination ${s.registry}`,
  },
  {
    name: "install the published package from the local folder",
    pattern: new RegExp(`^(npm install\\b.*\\s)${PACKAGE_NAME.replace("/", "\\/")}(?=\\s|$)`, "m"),
    replace: (s) => `$1${s.registry}/acme-shop-entity-events-1.0.0.tgz`,
  },
  {
    name: "push the LookML to the local repository",
    pattern: /(sync-lookml\b.*--repo )\S+/m,
    replace: (s) => `$1${s.lookerRepo}`,
  },
];

/** The script with the stand-ins; counts in `applied` which rewrites took effect. */
export function rewritten(script: string, standIns: StandIns, applied: Map<string, number>): string {
  let out = script;
  for (const rewrite of REWRITES) {
    if (!rewrite.pattern.test(out)) continue;
    out = out.replace(rewrite.pattern, rewrite.replace(standIns));
    applied.set(rewrite.name, (applied.get(rewrite.name) ?? 0) + 1);
  }
  return out;
}
