/**
 * `npm run bench`: builds the plugin once, runs every benchmark, prints a summary. It reports, it
 * does not gate: a missed target is printed as MISSED and the exit code stays 0. A benchmark that
 * fails to run (throws) exits 1, since it measured nothing.
 *
 * Convention for benchmarks
 * - One file per benchmark: test/bench/<name>.bench.mjs, run in file-name order, one at a time.
 *   Helpers that are not benchmarks live in test/bench/support/.
 * - The file's default export is an async function, called with { repoRoot } after the plugin is
 *   built (plugin/dist is current). The runner is started with --expose-gc, so globalThis.gc
 *   exists for in-process measurements, and with tsx, so that benchmarks import the tests'
 *   TypeScript harnesses (test/harness/) rather than copy them.
 * - It resolves to a result object:
 *     name     short name for the summary ("generation", "encode")
 *     lines    optional string[] printed under the benchmark's heading (input, method, notes)
 *     table    optional { headers: string[], rows: string[][] }, printed as an aligned table
 *     notes    optional string[] printed after the table
 *     ratio    our cost / the baseline's cost, measured in the same run (never an absolute time)
 *     summary  optional one-line result for the summary table; default: the ratio
 *     target   the target in words, e.g. "≤ 1.50× protoc-gen-es, peak RSS < 400 MB"
 *     pass     whether every part of the target is met
 * - It throws when it could not measure what it claims (a plugin error, empty or incomplete
 *   output): a benchmark that silently measures a failure is worthless.
 *
 * Run a single benchmark: `npm run bench -- generation` (names are matched against file names).
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tableLines } from "./support/format.mjs";

const BENCH_DIR = import.meta.dirname;
const REPO_ROOT = resolve(BENCH_DIR, "../..");

async function main() {
  const only = process.argv.slice(2);
  const files = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".bench.mjs"))
    .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${only.join(", ")}`);

  console.log("Building the plugin (npm run build --workspace plugin)...");
  execFileSync("npm", ["run", "build", "--workspace", "plugin"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}\n`);

  const results = [];
  for (const file of files) {
    console.log(`== ${file}`);
    try {
      const { default: benchmark } = await import(pathToFileURL(join(BENCH_DIR, file)).href);
      const result = await benchmark({ repoRoot: REPO_ROOT });
      printResult(result);
      results.push({ file, result });
    } catch (error) {
      console.log(`ERROR: ${error instanceof Error ? error.stack : String(error)}\n`);
      results.push({ file, error });
    }
  }

  console.log("== Summary");
  printLines(tableLines(
    ["benchmark", "result", "target", "status"],
    results.map(({ file, result, error }) =>
      error !== undefined
        ? [file.replace(/\.bench\.mjs$/, ""), "did not run", "", "ERROR"]
        : [result.name, result.summary ?? `${result.ratio.toFixed(2)}×`, result.target, result.pass ? "MET" : "MISSED"],
    ),
  ));
  const missed = results.filter((r) => r.result !== undefined && !r.result.pass).length;
  const errors = results.filter((r) => r.error !== undefined).length;
  console.log(`\n${results.length - missed - errors} met, ${missed} missed, ${errors} errors.`);
  process.exitCode = errors > 0 ? 1 : 0;
}

function printResult(result) {
  printLines(result.lines ?? []);
  if (result.table !== undefined) printLines(tableLines(result.table.headers, result.table.rows));
  printLines(result.notes ?? []);
  console.log(`ratio ${result.ratio.toFixed(2)}, target ${result.target}: ${result.pass ? "MET" : "MISSED"}\n`);
}

function printLines(lines) {
  for (const line of lines) console.log(line);
}

await main();
