/**
 * The generated TypeScript package in a staged generation (what `buf generate` wrote into the
 * commands' scratch directory): its API report, which `generate` adds to the staged files so that
 * it is committed with them, `check` compares with the committed one, and `release` compares with
 * the last release's copy to derive the next version, which it writes into the staged
 * package.json, the lock and CHANGELOG.md.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { listFiles } from "./files.js";
import { parseLock, printLock, type LockFile } from "../evolution/lock.js";
import { PLUGIN_NAME } from "../version.js";
import { bumpOf, diffApiReports, nextVersion, type ApiDiff, type Bump } from "./api-diff.js";
import { apiReport } from "./api-report.js";
import { changelogEntry, prependEntry } from "./changelog.js";

export const API_REPORT_FILE = "api-report.api.md";
export const CHANGELOG_FILE = "CHANGELOG.md";

export interface StagedPackage {
  /** The package directory relative to the staging directory and to the project (e.g. generated/ts). */
  readonly dir: string;
  readonly name: string;
  readonly version: string;
}

/** The package protoc-gen-entity generated in the staged tree; undefined when there is none (no entities). */
export function findStagedPackage(staging: string): StagedPackage | undefined {
  for (const path of listFiles(staging).filter((p) => p === "package.json" || p.endsWith("/package.json"))) {
    const json = JSON.parse(readFileSync(join(staging, path), "utf8")) as { name?: string; version?: string; generatedBy?: string };
    if (json.generatedBy === PLUGIN_NAME && json.name !== undefined && json.version !== undefined) {
      return { dir: posix.dirname(path), name: json.name, version: json.version };
    }
  }
  return undefined;
}

/**
 * Writes the package's API report into the staged tree, beside its package.json, and returns it.
 * `projectDir` is where the staged tree will be written: the package's dependencies resolve from there.
 */
export async function stageApiReport(staging: string, pkg: StagedPackage, projectDir = process.cwd()): Promise<string> {
  const root = join(staging, pkg.dir);
  const sources = new Map(listFiles(join(root, "src")).map((p) => [`src/${p}`, readFileSync(join(root, "src", p), "utf8")]));
  const report = await apiReport({ packageName: pkg.name, packageDir: join(projectDir, pkg.dir), sources, shownDir: pkg.dir });
  writeFileSync(join(root, API_REPORT_FILE), report);
  return report;
}

/**
 * A digest of the package's generated files, so that a release can tell a change of comments (a
 * patch) from no change. package.json (which carries the version), the report and the changelog
 * are left out: they follow from the rest.
 */
export function packageDigest(staging: string, pkg: StagedPackage): string {
  const hash = createHash("sha256");
  const root = join(staging, pkg.dir);
  for (const path of listFiles(root)) {
    if (path === "package.json" || path === API_REPORT_FILE || path === CHANGELOG_FILE) continue;
    hash.update(`${path}\0`).update(readFileSync(join(root, path))).update("\0");
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Where `release` keeps the released API report: beside the released image. */
export function releasedReportPath(imagePath: string): string {
  return join(dirname(imagePath), API_REPORT_FILE);
}

export interface PackageReleasePlan {
  readonly pkg: StagedPackage;
  /** undefined: nothing changed since the last release. */
  readonly version: string | undefined;
  readonly bump: Bump | undefined;
  readonly previousVersion: string | undefined;
  readonly api: ApiDiff;
  readonly digest: string;
  readonly report: string;
}

/**
 * Compares the staged package with the last release: the lock's package record and the released
 * report. A package that has no record yet is released for the first time, with the version its
 * package.json has (plugin option package_version=).
 */
export function planPackageRelease(staging: string, pkg: StagedPackage, report: string, released: LockFile | undefined, imagePath: string): PackageReleasePlan {
  const digest = packageDigest(staging, pkg);
  const record = released?.package;
  const reportPath = releasedReportPath(imagePath);
  if (record === undefined || !existsSync(reportPath)) {
    return { pkg, version: pkg.version, bump: undefined, previousVersion: undefined, api: { removed: [], added: [] }, digest, report };
  }
  const api = diffApiReports(readFileSync(reportPath, "utf8"), report);
  const bump = bumpOf(api, digest !== record.digest);
  return { pkg, version: bump === undefined ? undefined : nextVersion(record.version, bump), bump, previousVersion: record.version, api, digest, report };
}

export interface PackageReleaseWrite {
  readonly staging: string;
  readonly plan: PackageReleasePlan & { readonly version: string };
  readonly released: LockFile | undefined;
  /** The plugin's next lock. */
  readonly lockText: string;
  readonly lockPath: string;
  readonly imagePath: string;
  readonly date: string;
}

/** Sets the version in the staged package.json and returns the lock text with the package's record. */
export function recordPackageRelease(input: PackageReleaseWrite): { lockText: string; changelog: string } {
  const { plan } = input;
  const packageJsonPath = join(input.staging, plan.pkg.dir, "package.json");
  const packageJson = readFileSync(packageJsonPath, "utf8");
  writeFileSync(packageJsonPath, packageJson.replace(/^ {2}"version": "[^"]*",$/m, `  "version": ${JSON.stringify(plan.version)},`));
  const next: LockFile = { ...parseLock(input.lockText, input.lockPath), package: { version: plan.version, digest: plan.digest } };
  const entry = changelogEntry({ version: plan.version, date: input.date, bump: plan.bump, previousVersion: plan.previousVersion, api: plan.api, released: input.released, next });
  return { lockText: printLock(next), changelog: entry };
}

/** Writes what `release` keeps of the package besides generated files: the released report and the changelog. */
export function writePackageRelease(plan: PackageReleasePlan, imagePath: string, changelogEntryText: string): string {
  writeFileSync(releasedReportPath(imagePath), plan.report);
  const changelogPath = join(plan.pkg.dir, CHANGELOG_FILE);
  // The package did not change (only the lock did): no new version, no entry.
  if (changelogEntryText === "") return changelogPath;
  writeFileSync(changelogPath, prependEntry(existsSync(changelogPath) ? readFileSync(changelogPath, "utf8") : undefined, plan.pkg.name, changelogEntryText));
  return changelogPath;
}

export type PackageReleaseStep =
  | { readonly kind: "refused"; readonly reason: string }
  | { readonly kind: "ready"; readonly lockText: string; readonly summary: string; write(): string };

/**
 * What `release` does for the package, before anything is written: stage the report, derive the
 * version and set it in the staged package.json, add the package's record to the lock. Refused
 * when neither the package nor the lock changed since the last release. `write()` then writes the
 * released report and the changelog, once the generated files are written.
 */
export async function preparePackageRelease(input: {
  readonly staging: string;
  readonly released: LockFile | undefined;
  readonly lockText: string;
  readonly lockPath: string;
  readonly imagePath: string;
  readonly date: string;
}): Promise<PackageReleaseStep | undefined> {
  const pkg = findStagedPackage(input.staging);
  if (pkg === undefined) return undefined;
  const report = await stageApiReport(input.staging, pkg);
  const plan = planPackageRelease(input.staging, pkg, report, input.released, input.imagePath);
  const lockUnchanged = input.released !== undefined && input.lockText === printLock(input.released);
  if (plan.version === undefined) {
    if (lockUnchanged) {
      return {
        kind: "refused",
        reason: `nothing changed since the last release: ${pkg.name} ${plan.previousVersion} has the same API and files, and the lock is the same.\n` +
          "  fix: change a contract first; a release records a change.",
      };
    }
  }
  const version = plan.version ?? plan.previousVersion!;
  const recorded = recordPackageRelease({ ...input, plan: { ...plan, version } });
  const summary = plan.bump === undefined
    ? plan.previousVersion === undefined ? `${pkg.name} ${version} (its first release)` : `${pkg.name} stays ${version} (its files did not change)`
    : `${pkg.name} ${plan.previousVersion} → ${version} (${plan.bump}: ${plan.api.removed.length} API lines removed or changed, ${plan.api.added.length} added)`;
  return {
    kind: "ready",
    lockText: recorded.lockText,
    summary,
    write: () => writePackageRelease(plan, input.imagePath, plan.version === undefined && plan.previousVersion !== undefined ? "" : recorded.changelog),
  };
}
