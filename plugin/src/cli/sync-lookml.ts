/**
 * `protoc-gen-entity sync-lookml --repo <git url or path> --branch <branch> --dir <folder>
 * [--from generated/lookml]`: delivers the generated LookML into a Looker project's repository.
 *
 * It clones the repository into a temporary directory, makes the folder hold exactly the current
 * generated files (a file counts as generated when its first line is the generated header; any
 * other file is the team's and is never changed or deleted), commits, and pushes the branch.
 * Nothing changed means no commit. The working tree it runs in is only read.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, posix, resolve } from "node:path";
import { GENERATED_HEADER_PATTERN } from "../printers/header.js";
import { parseFlags } from "./args.js";
import { listFiles } from "./generated-files.js";

export interface SyncLookmlOptions {
  /** A git URL, or a path to a repository (bare or not). */
  readonly repo: string;
  readonly branch: string;
  /** Folder inside the repository that receives the generated files. */
  readonly dir: string;
  /** Directory holding the generated LookML. */
  readonly from: string;
  /** The source repository: its HEAD names the commit the LookML comes from. */
  readonly cwd: string;
}

export interface SyncLookmlResult {
  /** The pushed commit; undefined when nothing changed. */
  readonly commit: string | undefined;
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
  readonly message: string | undefined;
  /** manifest.lkml, when the folder is not the repository's root (see MANIFEST). */
  readonly leftOut: readonly string[];
}

/**
 * A Looker project has one manifest, at its root. Synced into a folder of a team's project, the
 * generated manifest.lkml would be a second one: it is left out, and the team's own manifest
 * defines the constants the files use. Synced to a repository's root (a project of its own, which
 * other projects import), it is delivered with the rest.
 */
const MANIFEST = "manifest.lkml";

export class SyncLookmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyncLookmlError";
  }
}

const DEFAULT_FROM = "generated/lookml";

export async function syncLookmlCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["repo", "branch", "dir", "from"]);
  const missing = ["repo", "branch", "dir"].filter((f) => !flags.has(f));
  if (missing.length > 0) {
    throw new SyncLookmlError(`missing ${missing.map((m) => `--${m}`).join(", ")}; usage: sync-lookml --repo <git url or path> --branch <branch> --dir <folder in that repo> [--from ${DEFAULT_FROM}]`);
  }
  const cwd = process.cwd();
  const result = syncLookml({ repo: flags.get("repo")!, branch: flags.get("branch")!, dir: flags.get("dir")!, from: resolve(cwd, flags.get("from") ?? DEFAULT_FROM), cwd });
  const counts = `${result.written.length} written, ${result.removed.length} removed, ${result.unchanged.length} unchanged`;
  process.stdout.write(
    result.commit === undefined
      ? `protoc-gen-entity sync-lookml: ${counts}; already up to date, nothing committed\n`
      : `protoc-gen-entity sync-lookml: ${counts}; pushed ${result.commit.slice(0, 12)} to ${flags.get("branch")}\n`,
  );
  if (result.leftOut.length > 0) {
    process.stdout.write(
      `protoc-gen-entity sync-lookml: ${MANIFEST} left out (a Looker project has one manifest, at its root); ` +
        `define its constants in your project's ${MANIFEST} (docs/lookml.md, "Delivering it")\n`,
    );
  }
  return 0;
}

export function syncLookml(options: SyncLookmlOptions): SyncLookmlResult {
  const dir = checkedDir(options.dir);
  checkBranch(options.branch);
  const sources = generatedSources(options.from);
  const fresh = dir === "." ? sources : sources.filter((f) => f !== MANIFEST);
  const leftOut = sources.filter((f) => !fresh.includes(f));
  const message = commitMessage(options.cwd);
  const repo = localPathOr(options.repo, options.cwd);
  const work = mkdtempSync(join(tmpdir(), "sync-lookml-"));
  try {
    const clone = join(work, "repo");
    git(["clone", "--quiet", "--no-tags", "--", repo, clone], work, `cannot clone ${options.repo}`);
    checkoutBranch(clone, options.branch);
    const target = join(clone, dir);
    const plan = planSync(fresh, target, options.from, dir);
    applySync(plan, target, options.from);
    git(["add", "--all", "--", dir], clone, "cannot stage the files");
    const status = git(["status", "--porcelain", "--", dir], clone, "cannot read the status");
    if (status.trim() === "") return { commit: undefined, ...plan, message: undefined, leftOut };
    git([...identity(clone), "commit", "--quiet", "-m", message, "--", dir], clone, "cannot commit");
    const commit = git(["rev-parse", "HEAD"], clone, "cannot read the new commit").trim();
    git(["push", "--quiet", "origin", `HEAD:refs/heads/${options.branch}`], clone, `push of ${options.branch} to ${options.repo} failed (rejected, or the repository became unreachable); nothing was changed there`);
    return { commit, ...plan, message, leftOut };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A relative folder inside the repository, `/`-separated; never outside it, never into .git. */
function checkedDir(dir: string): string {
  const normal = posix.normalize(dir.replace(/\\/g, "/")).replace(/\/+$/, "");
  if (dir === "" || isAbsolute(dir) || normal === ".." || normal.startsWith("../") || normal.split("/").includes(".git")) {
    throw new SyncLookmlError(`--dir ${JSON.stringify(dir)} must be a folder inside the repository, relative to its root (e.g. "generated" or "views/entities")`);
  }
  return normal === "" ? "." : normal;
}

function checkBranch(branch: string): void {
  const run = spawnSync("git", ["check-ref-format", "--branch", branch], { encoding: "utf8" });
  if (run.error) throw new SyncLookmlError(`cannot run git: ${run.error.message}`);
  if (run.status !== 0) throw new SyncLookmlError(`--branch ${JSON.stringify(branch)} is not a valid branch name`);
}

/** The generated files to deliver; anything else in that directory is a mistake worth stopping for. */
function generatedSources(from: string): string[] {
  if (!existsSync(from) || !statSync(from).isDirectory()) {
    throw new SyncLookmlError(`${from} is not a directory; run \`npm run generate\` (or buf generate) first, or point --from at the generated LookML`);
  }
  const files = listFiles(from);
  if (files.length === 0) throw new SyncLookmlError(`${from} holds no files; there is nothing to sync`);
  const foreign = files.filter((f) => !isGenerated(join(from, f)));
  if (foreign.length > 0) {
    throw new SyncLookmlError(`${from} holds files without the generated header, which sync-lookml only copies generated files:\n${foreign.map((f) => `  ${f}`).join("\n")}`);
  }
  return files;
}

/**
 * A file is generated when its first line is the generated header as a LookML comment. A file of
 * the team's that merely mentions the header elsewhere stays theirs.
 */
export function isGenerated(path: string): boolean {
  const head = readFileSync(path).subarray(0, 1024).toString("utf8").replace(/^\uFEFF/, "");
  const first = head.split(/\r?\n/, 1)[0];
  const match = GENERATED_HEADER_PATTERN.exec(first);
  return match !== null && /^#\s*$/.test(first.slice(0, match.index));
}

interface SyncPlan {
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** Decides everything before touching anything: a collision leaves the clone as it was. */
function planSync(fresh: readonly string[], target: string, from: string, dir: string): SyncPlan {
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new SyncLookmlError(`${dir} exists in the repository but is not a folder`);
  }
  const existing = listFiles(target);
  const generated = new Set(existing.filter((f) => isGenerated(join(target, f))));
  const collisions = fresh.filter((f) => existsSync(join(target, f)) && !generated.has(f));
  if (collisions.length > 0) {
    throw new SyncLookmlError(
      `refusing to overwrite hand-written file${collisions.length === 1 ? "" : "s"} in ${dir} (no generated header):\n` +
        collisions.map((f) => `  ${posix.join(dir, f)}`).join("\n") +
        "\n  fix: rename or move them; generated files take these names.",
    );
  }
  const freshSet = new Set(fresh);
  const unchanged = fresh.filter((f) => generated.has(f) && readFileSync(join(target, f)).equals(readFileSync(join(from, f))));
  const unchangedSet = new Set(unchanged);
  return {
    written: fresh.filter((f) => !unchangedSet.has(f)),
    removed: [...generated].filter((f) => !freshSet.has(f)),
    unchanged,
  };
}

function applySync(plan: SyncPlan, target: string, from: string): void {
  for (const f of plan.written) {
    mkdirSync(dirname(join(target, f)), { recursive: true });
    writeFileSync(join(target, f), readFileSync(join(from, f)));
  }
  for (const f of plan.removed) {
    rmSync(join(target, f));
    removeEmptyParents(dirname(join(target, f)), target);
  }
}

function removeEmptyParents(dir: string, stopAt: string): void {
  while (dir.startsWith(stopAt) && dir !== stopAt && readdirSync(dir).length === 0) {
    rmdirSync(dir);
    dir = dirname(dir);
  }
}

/** The branch as on the remote, or a new one from the default branch (or an empty repository). */
function checkoutBranch(clone: string, branch: string): void {
  const remote = spawnSync("git", ["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${branch}`], { cwd: clone, env: gitEnv() });
  if (remote.status === 0) {
    git(["checkout", "--quiet", "-B", branch, `origin/${branch}`], clone, `cannot check out ${branch}`);
    return;
  }
  const head = spawnSync("git", ["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: clone, env: gitEnv() });
  git(["checkout", "--quiet", head.status === 0 ? "-b" : "--orphan", branch], clone, `cannot create ${branch}`);
}

/** `Sync LookML from <source repo> <commit>`, naming where the LookML was generated. */
function commitMessage(cwd: string): string {
  const read = (args: string[]) => {
    const run = spawnSync("git", args, { cwd, encoding: "utf8", env: gitEnv() });
    return run.status === 0 ? run.stdout.trim() : undefined;
  };
  const sha = read(["rev-parse", "HEAD"]);
  const origin = read(["remote", "get-url", "origin"]);
  const top = read(["rev-parse", "--show-toplevel"]);
  const source = origin !== undefined ? withoutCredentials(origin) : basename(top ?? cwd);
  const dirty = sha !== undefined && (read(["status", "--porcelain"]) ?? "") !== "";
  return `Sync LookML from ${source} ${sha ?? "(not a git repository)"}${dirty ? " (uncommitted changes)" : ""}`;
}

/** `https://user:token@host/x.git` → `https://host/x.git`: a commit message must not carry a token. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** A path that exists is used as an absolute path, so that the clone does not depend on the cwd. */
function localPathOr(repo: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/]+@[^/]+:/.test(repo)) return repo;
  const path = resolve(cwd, repo);
  return existsSync(path) ? path : repo;
}

/** Commits need an author; a CI runner often has none configured. */
function identity(clone: string): string[] {
  const has = (key: string) => spawnSync("git", ["config", key], { cwd: clone, env: gitEnv() }).status === 0;
  return [
    ...(has("user.name") ? [] : ["-c", "user.name=protoc-gen-entity"]),
    ...(has("user.email") ? [] : ["-c", "user.email=protoc-gen-entity@localhost"]),
  ];
}

let sshConfigured: boolean | undefined;

/**
 * Never wait for a password or a host-key prompt: an unreachable repository must fail, not hang.
 * SSH runs in batch mode unless the user configured how git runs SSH.
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GCM_INTERACTIVE: "never" };
  sshConfigured ??= spawnSync("git", ["config", "core.sshCommand"], { env }).status === 0;
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined && !sshConfigured) env.GIT_SSH_COMMAND = "ssh -o BatchMode=yes";
  return env;
}

function git(args: readonly string[], cwd: string, failure: string): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", env: gitEnv(), maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new SyncLookmlError(`${failure}: cannot run git: ${run.error.message}`);
  if (run.status !== 0) {
    const detail = (run.stderr || run.stdout).trim().split("\n").map((l) => `  ${l}`).join("\n");
    throw new SyncLookmlError(`${failure}:\n${detail}`);
  }
  return run.stdout;
}
