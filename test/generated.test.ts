/**
 * generated/ is committed: this suite regenerates it (build the plugin, `buf generate` with the
 * repository's buf.gen.yaml into a temporary directory) and fails when the committed tree differs
 * in any byte, misses a file, keeps a stale one, or has a ledger that does not list exactly what
 * is generated.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_HEADER_PATTERN } from "../plugin/src/printers/header.js";
import { findStagedPackage, stageApiReport } from "../plugin/src/release/package-release.js";
import { BUF, REPO_ROOT } from "./harness/buf/protos.js";

const LEDGER = "generated/.generated-files";
const FIX = "generated/ is out of date: run npm run generate (and commit the result)";

/**
 * Files under `root`, as `/`-separated relative paths. Dependencies someone installed and build
 * output (the TypeScript package's dist/, which .gitignore keeps out of the repository) are skipped.
 */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

function ledgerEntries(repo: string): string[] | undefined {
  const path = join(repo, LEDGER);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, "utf8").split("\n").filter((l) => l !== "" && !l.startsWith("#")).sort();
}

/**
 * What differs between a fresh generation (`produced`, holding `generated/...`) and the tree
 * committed in `repo`; one line per problem, empty when they agree.
 */
function compareWithCommitted(produced: string, repo: string): string[] {
  const problems: string[] = [];
  const fresh = filesUnder(produced);
  const freshSet = new Set(fresh);
  for (const path of fresh) {
    const committed = join(repo, path);
    if (!existsSync(committed)) problems.push(`missing: ${path} is generated but not committed`);
    else {
      const line = firstDifferentLine(readFileSync(committed), readFileSync(join(produced, path)));
      if (line !== undefined) problems.push(`differs: ${path} (from line ${line})`);
    }
  }
  const ledger = ledgerEntries(repo);
  if (ledger === undefined) problems.push(`missing: ${LEDGER}`);
  else {
    for (const path of ledger) if (!freshSet.has(path)) problems.push(`ledger: ${LEDGER} lists ${path}, which is no longer generated`);
    const listed = new Set(ledger);
    for (const path of fresh) if (!listed.has(path)) problems.push(`ledger: ${LEDGER} does not list ${path}`);
  }
  for (const path of filesUnder(join(repo, "generated"))) {
    const full = `generated/${path}`;
    if (freshSet.has(full) || full === LEDGER) continue;
    if (GENERATED_HEADER_PATTERN.test(readFileSync(join(repo, full), "utf8"))) problems.push(`stale: ${full} says it is generated but no longer is`);
  }
  return problems;
}

/** 1-based line of the first difference, or undefined when the bytes are equal. */
function firstDifferentLine(a: Buffer, b: Buffer): number | undefined {
  if (a.equals(b)) return undefined;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.subarray(0, i).toString("utf8").split("\n").length;
}

function assertUpToDate(produced: string, repo: string): void {
  const problems = compareWithCommitted(produced, repo);
  if (problems.length > 0) throw new Error(`${FIX}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
}

/** Runs a command in the repository; its output becomes the error when it fails. */
function runInRepo(command: string, args: readonly string[]): void {
  const env = { ...process.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}` };
  try {
    execFileSync(command, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout?.toString() ?? ""}${stderr?.toString() ?? ""}`);
  }
}

let produced: string;

beforeAll(async () => {
  runInRepo("npm", ["run", "build", "--workspace", "plugin"]);
  produced = mkdtempSync(join(tmpdir(), "entity-generated-"));
  runInRepo(BUF, ["generate", "--template", "buf.gen.yaml", "-o", produced]);
  // What `protoc-gen-entity generate` adds to buf's output: the package's API report.
  const pkg = findStagedPackage(produced);
  if (pkg === undefined) throw new Error("buf generate produced no TypeScript package");
  await stageApiReport(produced, pkg, REPO_ROOT);
}, 180_000);

afterAll(() => {
  if (produced !== undefined) rmSync(produced, { recursive: true, force: true });
});

describe("generated/", () => {
  it("is what npm run generate produces, byte for byte, with an exact ledger", () => {
    expect(filesUnder(produced).some((p) => p.startsWith("generated/pubsub/"))).toBe(true);
    assertUpToDate(produced, REPO_ROOT);
  });
});

describe("the comparison", () => {
  const copies: string[] = [];

  /** A repository whose generated/ is exactly what was produced, with its ledger. */
  function freshCopy(): string {
    const repo = mkdtempSync(join(tmpdir(), "entity-generated-copy-"));
    copies.push(repo);
    cpSync(join(produced, "generated"), join(repo, "generated"), { recursive: true });
    writeFileSync(join(repo, LEDGER), `# ledger\n${filesUnder(produced).join("\n")}\n`);
    return repo;
  }

  afterAll(() => {
    for (const repo of copies) rmSync(repo, { recursive: true, force: true });
  });

  it("accepts an exact copy, and a hand-written file that does not claim to be generated", () => {
    const copy = freshCopy();
    expect(compareWithCommitted(produced, copy)).toEqual([]);
    writeFileSync(join(copy, "generated/README.md"), "Hand-written notes.\n");
    expect(compareWithCommitted(produced, copy)).toEqual([]);
  });

  it("fails on an edited file, and says to run npm run generate", () => {
    const copy = freshCopy();
    const victim = filesUnder(produced).find((p) => p.startsWith("generated/pubsub/") && p.endsWith(".proto"))!;
    writeFileSync(join(copy, victim), readFileSync(join(copy, victim), "utf8").replace("optional", "repeated"));
    const line = readFileSync(join(produced, victim), "utf8").split("\n").findIndex((l) => l.includes("optional")) + 1;
    expect(compareWithCommitted(produced, copy)).toEqual([`differs: ${victim} (from line ${line})`]);
    expect(() => assertUpToDate(produced, copy)).toThrow("run npm run generate");
    // One byte is enough.
    const again = freshCopy();
    const text = readFileSync(join(again, victim), "utf8");
    writeFileSync(join(again, victim), text + " ");
    expect(compareWithCommitted(produced, again)).toEqual([`differs: ${victim} (from line ${text.split("\n").length})`]);
  });

  it("fails on a missing file, a stale file, and a ledger that lists too much or too little", () => {
    const copy = freshCopy();
    const [first, second] = filesUnder(produced).filter((p) => p.startsWith("generated/pubsub/"));
    rmSync(join(copy, first));
    const stale = "generated/pubsub/gone.proto";
    mkdirSync(dirname(join(copy, stale)), { recursive: true });
    writeFileSync(join(copy, stale), "// Code generated by protoc-gen-entity from x.proto. DO NOT EDIT.\n");
    const ledger = ledgerEntries(copy)!.filter((p) => p !== second);
    writeFileSync(join(copy, LEDGER), [...ledger, stale].join("\n") + "\n");
    expect(compareWithCommitted(produced, copy).sort()).toEqual(
      [
        `missing: ${first} is generated but not committed`,
        `ledger: ${LEDGER} lists ${stale}, which is no longer generated`,
        `ledger: ${LEDGER} does not list ${second}`,
        `stale: ${stale} says it is generated but no longer is`,
      ].sort(),
    );
    rmSync(join(copy, LEDGER));
    expect(compareWithCommitted(produced, copy)).toContain(`missing: ${LEDGER}`);
  });
});
