/**
 * Reads the released lock from disk, at the edge: the core gets the parsed lock as an input and
 * never opens a file itself (a plugin's output is a function of its request and options).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { emptyLock, LockFileError, parseLock, type LockFile } from "../evolution/lock.js";
import { closestName } from "../suggestions.js";

/**
 * Reads the lock at `path`; a missing file is an empty lock (nothing released yet), unless the
 * directory holds what looks like a released lock under another name: then the path is a typo,
 * and reading it as "nothing released" would switch every evolution check off.
 */
export function readLockFile(path: string): LockFile {
  if (!existsSync(path)) {
    const sibling = lockFileBeside(path);
    if (sibling !== undefined) {
      throw new LockFileError(path, "", `does not exist, but ${sibling} beside it looks like the released lock. Did you mean ${sibling}?`, "fix the plugin option lock= in buf.gen.yaml to name the released lock; the released state must not be skipped.");
    }
    return emptyLock();
  }
  return parseLock(readFileSync(path, "utf8"), path);
}

/** Another file in the lock's directory that looks like a lock (`*.lock.json`, `*-lock.json`), the closest name first. */
export function lockFileBeside(path: string): string | undefined {
  const dir = dirname(path);
  if (!existsSync(dir)) return undefined;
  const locks = readdirSync(dir).filter((name) => name !== basename(path) && /(^|[.-])lock\.json$/.test(name));
  if (locks.length === 0) return undefined;
  return join(dir, closestName(basename(path), locks) ?? locks.sort()[0]!);
}
