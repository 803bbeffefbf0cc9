/**
 * The released state of a project: the lock (buf.gen.yaml's `lock=`) and the released image that
 * `buf breaking` compares with. Both are written together by `release`, so finding one without the
 * other means a path is wrong or a file was lost, and going on would switch the evolution checks
 * off silently (a typo in `lock=` reads as "nothing released yet"). Every command that generates
 * or releases checks this first.
 */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { LockFile } from "../evolution/lock.js";
import { lockFileBeside, readLockFile } from "../edge/lock-file.js";
import { readTemplateSettings } from "./template.js";

export const DEFAULT_RELEASED_IMAGE = "generated/release/image.binpb";

export interface ReleasedState {
  /** buf.gen.yaml's `lock=`, as written. */
  readonly lockPath: string | undefined;
  /** The lock, when its file exists (parsed and checked). */
  readonly lock: LockFile | undefined;
  readonly imagePath: string;
  readonly imageExists: boolean;
}

export async function readReleasedState(template: string, image: string): Promise<ReleasedState> {
  const { lockPath } = await readTemplateSettings(template);
  const lock = lockPath !== undefined && existsSync(lockPath) ? readLockFile(lockPath) : undefined;
  return { lockPath, lock, imagePath: image, imageExists: existsSync(image) };
}

/** True when something was released: a lock or a released image. */
export function hasReleased(state: ReleasedState): boolean {
  return state.lock !== undefined || state.imageExists;
}

/** Why the released state cannot be trusted, with the fix; undefined when it is whole (or nothing was released). */
export function releasedStateProblem(state: ReleasedState): string | undefined {
  const image = shown(state.imagePath);
  if (state.imageExists && state.lockPath === undefined) {
    return `${image} holds a release, but buf.gen.yaml gives protoc-gen-entity no lock= option, so the released lock would be ignored.\n` +
      "  fix: add `- lock=<path of the released lock>` (e.g. generated/entity.lock.json) under opt: of protoc-gen-entity in buf.gen.yaml.";
  }
  if (state.imageExists && state.lock === undefined) {
    const sibling = lockFileBeside(state.lockPath!);
    return `no lock at ${shown(state.lockPath!)} (plugin option lock= in buf.gen.yaml), but ${image} holds a release: ` +
      `without its lock, the released entities would not be checked and their migrations would be lost.${sibling === undefined ? "" : ` Did you mean ${shown(sibling)}?`}\n` +
      "  fix: point lock= at the released lock, or restore it from version control (git checkout -- <lock>).";
  }
  if (!state.imageExists && state.lock !== undefined && Object.keys(state.lock.entities).length > 0) {
    return `${shown(state.lockPath!)} records a release, but the released image ${image} is missing, so buf breaking could not compare with it.\n` +
      "  fix: restore the image from version control (git checkout -- <image>), or pass --image <path> where it is.";
  }
  return undefined;
}

/** "N released entities from <lock>", for the commands' reports. */
export function describeReleased(state: ReleasedState): string {
  if (state.lock === undefined) {
    const lock = state.lockPath === undefined ? "no lock= option in buf.gen.yaml" : `no lock at ${shown(state.lockPath)}`;
    return `nothing released yet (${lock}, no released image at ${shown(state.imagePath)})`;
  }
  const entities = Object.values(state.lock.entities);
  const retired = entities.filter((e) => e.retired === true).length;
  return `${entities.length} released entit${entities.length === 1 ? "y" : "ies"}${retired > 0 ? ` (${retired} retired)` : ""} from ${shown(state.lockPath!)} and ${shown(state.imagePath)}`;
}

function shown(path: string): string {
  return relative(process.cwd(), resolve(path)) || path;
}
