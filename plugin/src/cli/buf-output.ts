/**
 * What buf prints when a run fails, made readable. When our plugin rejects a contract, buf adds
 * lines of its own that read like a crash (`Failure: plugin … exit status 1`, the other plugins
 * cancelled, `signal: killed`); they say nothing the plugin's message has not said. And the plugin
 * (like `buf breaking` between images) names files by import path, relative to their buf module,
 * where buf's compiler names them relative to the repository: paths are rewritten to the
 * repository's, so that every location opens from where the user stands.
 */
import { runBuf } from "./buf-process.js";

const FOLLOW_ON_NOISE = [
  /^Failure: plugin .*: exit status \d+$/,
  /^Failure: plugin .*: signal: killed$/,
  /^plugin [^\s]+: context canceled$/,
  /^signal: killed$/,
];

/** Import path → the file's path relative to the directory buf runs in. */
export type LocalPaths = ReadonlyMap<string, string>;

/** buf's output without its follow-on lines, with import paths at line starts made repository-relative. */
export function readableBufOutput(output: string, localPaths: LocalPaths): string {
  const lines = output.split("\n").filter((line) => !FOLLOW_ON_NOISE.some((noise) => noise.test(line.trim())));
  const text = lines.map((line) => withLocalPath(line, localPaths)).join("\n").trimEnd();
  return text === "" ? "" : `${text}\n`;
}

/** `energy/x.proto:12:3: …` → `proto/energy/x.proto:12:3: …` when buf knows the file under another path. */
function withLocalPath(line: string, localPaths: LocalPaths): string {
  const match = /^([^\s:][^:]*\.proto)(?=:)/.exec(line);
  if (match === null) return line;
  const local = localPaths.get(match[1]);
  return local === undefined ? line : local + line.slice(match[1].length);
}

/** The workspace's files as buf lists them; empty when buf cannot list them (the paths stay as they are). */
export function localPathsOf(buf: string): LocalPaths {
  const listed = runBuf(buf, ["ls-files", "--format", "json"]);
  const paths = new Map<string, string>();
  if (listed.status !== 0) return paths;
  for (const line of listed.output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const { path, import_path: importPath } = JSON.parse(line) as { path?: string; import_path?: string };
      if (typeof path === "string" && typeof importPath === "string" && path !== importPath) paths.set(importPath, path);
    } catch {
      // Not a file entry: buf printed something else on this line.
    }
  }
  return paths;
}
