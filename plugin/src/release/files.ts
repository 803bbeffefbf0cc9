/** Lists a directory tree: the release reads the staged package with it, the CLI its generated trees. */
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

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
