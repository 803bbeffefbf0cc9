/**
 * How `protoc-gen-entity release` gets the next lock from the very run that generates the files:
 * it sets RELEASE_ENV for `buf generate`, and the plugin then adds RELEASE_FILE to its output —
 * the lock after this release and where buf.gen.yaml says the lock lives. The command takes the
 * file out of the staged output before anything reaches generated/.
 */
export const RELEASE_ENV = "PROTOC_GEN_ENTITY_RELEASE";
export const RELEASE_FILE = "entity-release.json";

export interface ReleaseTransport {
  /** The plugin option `lock=`, relative to the directory buf runs in. */
  readonly lockPath: string;
  /** The lock file's new text. */
  readonly lockText: string;
}

export function releaseRequested(): boolean {
  return process.env[RELEASE_ENV] === "1";
}
