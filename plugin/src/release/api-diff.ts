/**
 * What changed between two API reports, and the version that follows from it: a removed or
 * changed line is API that consumers lose (major), an added line is API they gain (minor), and a
 * change of the package's files that leaves the API as it was is documentation (patch).
 */

export interface ApiDiff {
  /** Entries of the released report that the current one lacks: `<heading> › <member>`, or the heading alone. */
  readonly removed: readonly string[];
  /** Entries of the current report that the released one lacks. */
  readonly added: readonly string[];
}

export type Bump = "major" | "minor" | "patch";

/** The report's entries: every member line under its `## ` heading; a heading without members is an entry itself. */
export function reportEntries(report: string): string[] {
  const entries: string[] = [];
  let heading: string | undefined;
  let inMembers = false;
  let members = 0;
  const closeSection = () => {
    if (heading !== undefined && members === 0) entries.push(heading);
  };
  for (const line of report.split("\n")) {
    if (line.startsWith("## ")) {
      closeSection();
      heading = line.slice(3);
      members = 0;
    } else if (line === "```ts" || line === "```") {
      inMembers = line === "```ts";
    } else if (inMembers && heading !== undefined) {
      entries.push(`${heading} › ${line}`);
      members++;
    }
  }
  closeSection();
  return entries;
}

export function diffApiReports(released: string, current: string): ApiDiff {
  const before = new Set(reportEntries(released));
  const after = new Set(reportEntries(current));
  return {
    removed: [...before].filter((e) => !after.has(e)).sort(),
    added: [...after].filter((e) => !before.has(e)).sort(),
  };
}

/** The release a change calls for; undefined when the package did not change at all. */
export function bumpOf(diff: ApiDiff, packageFilesChanged: boolean): Bump | undefined {
  if (diff.removed.length > 0) return "major";
  if (diff.added.length > 0) return "minor";
  return packageFilesChanged ? "patch" : undefined;
}

export function nextVersion(version: string, bump: Bump): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) throw new Error(`the released package version ${JSON.stringify(version)} is not a semantic version (1.2.3).`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  // A prerelease (1.0.0-rc.1) was the preview of its release: the next release is that version.
  if (version !== match[0]) return match[0];
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
