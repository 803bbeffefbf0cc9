/**
 * Writes a freshly generated tree over the checked-in one without losing anything: a ledger
 * records which files the generator wrote, so it can remove the ones it no longer produces, and
 * it refuses to overwrite a file it did not write.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { listFiles } from "../release/files.js";

export { listFiles };

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

const LEDGER_HEADER = "# Files written by protoc-gen-entity generate; it removes them when they are no longer generated.";

/**
 * The paths the ledger lists. A path that would leave the output tree (absolute, or with `..`)
 * is dropped: the ledger is a file in the repository, and removal must never reach outside it.
 */
export function readLedger(ledgerPath: string): Set<string> {
  if (!existsSync(ledgerPath)) return new Set();
  const lines = readFileSync(ledgerPath, "utf8").split(/\r?\n/).filter((l) => l !== "" && !l.startsWith("#"));
  return new Set(lines.filter((l) => !isAbsolute(l) && !l.split(/[\\/]/).includes("..")));
}

/**
 * Makes `target` hold the files of `staging`. Checks everything before it changes anything, so a
 * conflict leaves the target as it was.
 */
export function syncGeneratedTree(staging: string, target: string, ledgerPath: string): SyncResult {
  const fresh = listFiles(staging);
  const ledger = readLedger(ledgerPath);
  const ledgerName = relative(target, ledgerPath).split(sep).join("/");
  const conflicts = fresh.filter((path) => blockedBy(path, target) !== undefined || isForeignFile(path, staging, target, ledger));
  if (conflicts.length > 0) throw new GeneratedFileConflict(conflicts.map((p) => blockedBy(p, target) ?? p), ledgerName);

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
  // Only plain files: whatever replaced a generated file since (a directory, a link) is the user's.
  const removed = [...ledger].filter((path) => !freshSet.has(path) && statOrUndefined(join(target, path), lstatSync)?.isFile() === true);
  for (const path of removed) {
    rmSync(join(target, path));
    removeEmptyParents(dirname(join(target, path)), target);
  }
  writeIfChanged(ledgerPath, `${LEDGER_HEADER}\n${fresh.join("\n")}\n`);
  return { written, unchanged, removed };
}

/** A file there that the generator did not write and would change: never overwritten. */
function isForeignFile(path: string, staging: string, target: string, ledger: ReadonlySet<string>): boolean {
  const destination = join(target, path);
  return !ledger.has(path) && existsSync(destination) && !sameContent(join(staging, path), destination);
}

/**
 * Where something that is not a plain file stands in the way of writing `path`: a directory or a
 * link at the path itself (writing would go through the link), or a file where one of its
 * directories should be. Found before anything is written, so that a run never stops halfway.
 */
function blockedBy(path: string, target: string): string | undefined {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    const last = i === parts.length;
    // A linked directory on the way is fine (generated/ may be one); the file itself must not be.
    const stat = statOrUndefined(join(target, prefix), last ? lstatSync : statSync);
    if (stat === undefined) return undefined;
    if (last ? !stat.isFile() : !stat.isDirectory()) return prefix;
  }
  return undefined;
}

function statOrUndefined(path: string, stat: typeof statSync | typeof lstatSync): { isFile(): boolean; isDirectory(): boolean } | undefined {
  try {
    return stat(path);
  } catch {
    return undefined;
  }
}

/** Leaves the file, and its modification time, alone when it already says the same. */
function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, "utf8") === content) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
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
