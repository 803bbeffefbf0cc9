/** Runs the buf CLI for the evolution commands, and finds a file in a staged output tree. */
import { spawnSync } from "node:child_process";
import { listFiles } from "./generated-files.js";

export interface BufRun {
  readonly status: number;
  readonly output: string;
}

/** Runs `buf args...`, capturing what it prints; throws only when buf cannot be started. */
export function runBuf(buf: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): BufRun {
  const run = spawnSync(buf, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`could not run ${buf}: ${run.error.message}`);
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

/** Paths (relative to `root`) of the files named `name` anywhere below it. */
export function findStaged(root: string, name: string): string[] {
  return listFiles(root).filter((path) => path === name || path.endsWith(`/${name}`));
}
