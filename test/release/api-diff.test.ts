/** The version rule: what an API report's difference with the last release's means. */
import { describe, expect, it } from "vitest";
import { bumpOf, diffApiReports, nextVersion, reportEntries } from "../../plugin/src/release/api-diff.js";
import { changelogEntry, prependEntry } from "../../plugin/src/release/changelog.js";

const REPORT = [
  "# API report of @acme/events",
  "",
  "## enum Status",
  "",
  "```ts",
  "ACTIVE = 1",
  "CLOSED = 2",
  "```",
  "",
  "## const OPERATIONS: readonly Operation[]",
  "",
  "## type User",
  "",
  "```ts",
  "id: string",
  "status: Status",
  "```",
  "",
].join("\n");

describe("reportEntries", () => {
  it("lists each member under its heading, and a heading without members as itself", () => {
    expect(reportEntries(REPORT)).toEqual([
      "enum Status › ACTIVE = 1",
      "enum Status › CLOSED = 2",
      "const OPERATIONS: readonly Operation[]",
      "type User › id: string",
      "type User › status: Status",
    ]);
  });
});

describe("the version rule", () => {
  it("makes an added member a minor release", () => {
    const diff = diffApiReports(REPORT, REPORT.replace("CLOSED = 2\n", "CLOSED = 2\nMOVED = 3\n"));
    expect(diff).toEqual({ removed: [], added: ["enum Status › MOVED = 3"] });
    expect(bumpOf(diff, true)).toBe("minor");
  });

  it("makes a removed or changed member a major release, even with additions", () => {
    const changed = diffApiReports(REPORT, REPORT.replace("status: Status", "status: Status | undefined").replace("id: string\n", "id: string\nname: string\n"));
    expect(changed).toEqual({ removed: ["type User › status: Status"], added: ["type User › name: string", "type User › status: Status | undefined"] });
    expect(bumpOf(changed, true)).toBe("major");
    const renamed = diffApiReports(REPORT, REPORT.replace("## const OPERATIONS: readonly Operation[]", "## const OPERATIONS: Operation[]"));
    expect(bumpOf(renamed, true)).toBe("major");
  });

  it("makes changed files with the same API a patch, and no change no release", () => {
    const same = diffApiReports(REPORT, REPORT);
    expect(bumpOf(same, true)).toBe("patch");
    expect(bumpOf(same, false)).toBeUndefined();
  });

  it("counts versions as semver does, a prerelease becoming its release", () => {
    expect(nextVersion("0.3.0", "major")).toBe("1.0.0");
    expect(nextVersion("1.4.2", "minor")).toBe("1.5.0");
    expect(nextVersion("1.4.2", "patch")).toBe("1.4.3");
    expect(nextVersion("2.0.0-rc.1", "minor")).toBe("2.0.0");
    expect(() => nextVersion("next", "patch")).toThrow(/not a semantic version/);
  });
});

describe("the changelog", () => {
  it("adds entries newest first under its title", () => {
    const entry = (version: string) => changelogEntry({ version, date: "2026-01-02", bump: "patch", previousVersion: "1.0.0", api: { removed: [], added: [] }, released: undefined, next: { lockVersion: 1, entities: {}, migrations: [] } });
    const first = prependEntry(undefined, "@acme/events", entry("1.0.1"));
    expect(first).toBe("# Changelog of @acme/events\n\nWritten by `protoc-gen-entity release`, newest first.\n\n## 1.0.1 (2026-01-02)\n\nPatch release after 1.0.0. Documentation only (the contracts' comments): the API is the same.\n");
    const second = prependEntry(first, "@acme/events", entry("1.0.2"));
    expect(second.indexOf("## 1.0.2")).toBeLessThan(second.indexOf("## 1.0.1"));
    expect(second.match(/# Changelog/g)).toHaveLength(1);
  });
});
