/**
 * Runs a protoc plugin the way buf does: its own Node process, the CodeGeneratorRequest on stdin,
 * the CodeGeneratorResponse on stdout. Measures wall time (spawn to exit, Node start-up included,
 * as buf sees it) and the peak RSS of the plugin's own process (see report-peak-rss.cjs).
 */
import { fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const RSS_REPORTER = join(import.meta.dirname, "report-peak-rss.cjs");

/**
 * Runs `node <script>` with `stdin` and resolves to { ms, cpuMs, maxRss, response } (cpuMs: the
 * plugin's own user + system CPU time). `nodeArgs` go before
 * the script (e.g. --cpu-prof). Rejects when the plugin exits non-zero or reports an error: a
 * benchmark must never time a failure.
 */
export async function runPluginProcess(script, stdin, { nodeArgs = [], cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "entity-bench-rss-"));
  const rssFile = join(dir, "peak-rss");
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await spawnWithInput(
      process.execPath,
      ["--require", RSS_REPORTER, ...nodeArgs, script],
      stdin,
      { cwd, env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile } },
    );
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`${script} exited with code ${code}:\n${stderr}`);
    const response = fromBinary(CodeGeneratorResponseSchema, stdout);
    if (response.error) throw new Error(`${script} reported an error:\n${response.error}`);
    const [maxRss, cpuMs] = readFileSync(rssFile, "utf8").split(" ").map(Number);
    return { ms, cpuMs, maxRss, response };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnWithInput(command, args, input, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(input);
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
