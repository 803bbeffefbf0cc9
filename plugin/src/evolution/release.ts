/**
 * How `protoc-gen-entity release` gets the next lock from the very run that generates the files:
 * it gives the plugin the option `release` (in the template it hands `buf generate`), and the
 * plugin then adds RELEASE_FILE to its output — the lock after this release and where
 * buf.gen.yaml says the lock lives. The command takes the file out of the staged output before
 * anything reaches generated/.
 */
export const RELEASE_OPTION = "release";
export const RELEASE_FILE = "entity-release.json";

export interface ReleaseTransport {
  /** The plugin option `lock=`, relative to the directory buf runs in. */
  readonly lockPath: string;
  /** The lock file's new text. */
  readonly lockText: string;
}
