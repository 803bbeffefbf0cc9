/**
 * Writes a freshly generated tree over the checked-in one without losing anything: a ledger
 * records which files the generator wrote, so it can remove the ones it no longer produces, and
 * it refuses to overwrite a file it did not write.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

export interface SyncResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

export class GeneratedFileConflict extends Error {
  constructor(readonly paths: readonly string[], ledger: string) {
    super(
      `refusing to overwrite ${paths.length} file${paths.length === 1 ? "" : "s"} that the generator did not write ` +
        `(not listed in ${ledger}):\n${paths.map((p) => `  ${p}`).join("\n")}\n` +
        "  fix: move them out of the output directory, or delete them if they are stale copies of generated files.",
    );
    this.name = "GeneratedFileConflict";
  }
}

/** Lists the files of a directory tree as `/`-separated paths relative to it. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

export function readLedger(ledgerPath: string): Set<string> {
  if (!existsSync(ledgerPath)) return new Set();
  return new Set(readFileSync(ledgerPath, "utf8").split("\n").filter((l) => l !== "" && !l.startsWith("#")));
}

/**
 * Makes `target` hold the files of `staging`. Checks everything before it changes anything, so a
 * conflict leaves the target as it was.
 */
export function syncGeneratedTree(staging: string, target: string, ledgerPath: string): SyncResult {
  const fresh = listFiles(staging);
  const ledger = readLedger(ledgerPath);
  const ledgerName = relative(target, ledgerPath).split(sep).join("/");
  const conflicts = fresh.filter((path) => {
    const destination = join(target, path);
    return !ledger.has(path) && existsSync(destination) && !sameContent(join(staging, path), destination);
  });
  if (conflicts.length > 0) throw new GeneratedFileConflict(conflicts, ledgerName);

  const written: string[] = [];
  const unchanged: string[] = [];
  for (const path of fresh) {
    const source = join(staging, path);
    const destination = join(target, path);
    if (existsSync(destination) && sameContent(source, destination)) {
      unchanged.push(path);
      continue;
    }
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, readFileSync(source));
    written.push(path);
  }
  const freshSet = new Set(fresh);
  const removed = [...ledger].filter((path) => !freshSet.has(path) && existsSync(join(target, path)));
  for (const path of removed) {
    rmSync(join(target, path));
    removeEmptyParents(dirname(join(target, path)), target);
  }
  mkdirSync(dirname(ledgerPath), { recursive: true });
  writeFileSync(ledgerPath, `# Files written by protoc-gen-entity generate; it removes them when they are no longer generated.\n${fresh.join("\n")}\n`);
  return { written, unchanged, removed };
}

function sameContent(a: string, b: string): boolean {
  return statSync(a).size === statSync(b).size && readFileSync(a).equals(readFileSync(b));
}

function removeEmptyParents(dir: string, stopAt: string): void {
  while (dir.startsWith(stopAt) && dir !== stopAt && readdirSync(dir).length === 0) {
    rmdirSync(dir);
    dir = dirname(dir);
  }
}
