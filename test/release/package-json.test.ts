/**
 * The generated package.json: its version comes from the lock once the package was released (so
 * generation and release agree), and what a registry needs (license, repository, publishConfig)
 * from plugin options with defaults for a company-internal package.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseLock, printLock } from "../../plugin/src/evolution/lock.js";
import { compileExample, exampleParameter, REPO_ROOT, runPlugin } from "../harness/buf/protos.js";

const dir = mkdtempSync(join(tmpdir(), "entity-package-json-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function manifest(parameter: string): Record<string, unknown> {
  return JSON.parse(runPlugin(compileExample(), parameter).get("ts/package.json")!) as Record<string, unknown>;
}

/** The example's options with lock= pointing at a copy of its lock that records `version`. */
function withLockedVersion(version: string | undefined, extra = ""): string {
  const lock = parseLock(readFileSync(join(REPO_ROOT, "generated/entity.lock.json"), "utf8"), "lock");
  const path = join(dir, `${version ?? "none"}.lock.json`);
  const { package: _released, ...rest } = lock;
  writeFileSync(path, printLock(version === undefined ? rest : { ...rest, package: { version, digest: `sha256:${"0".repeat(64)}` } }));
  return `${exampleParameter().replace(/lock=[^,]*/, `lock=${path}`)}${extra}`;
}

describe("the package's version", () => {
  it("is the released one from the lock, whatever package_version= says", () => {
    expect(manifest(withLockedVersion("3.1.4", ",package_version=9.9.9")).version).toBe("3.1.4");
  });

  it("is package_version= before the package's first release", () => {
    expect(manifest(withLockedVersion(undefined, ",package_version=1.0.0-rc.1")).version).toBe("1.0.0-rc.1");
  });
});

describe("what the registry needs", () => {
  it("defaults to an internal package: UNLICENSED, restricted access, no repository, no provenance", () => {
    const json = manifest(exampleParameter());
    expect(json).toMatchObject({ license: "UNLICENSED", publishConfig: { access: "restricted" }, files: ["dist", "api-report.api.md", "CHANGELOG.md"] });
    expect(json.repository).toBeUndefined();
    expect(json.publishConfig).toEqual({ access: "restricted" });
  });

  it("takes license, repository, registry, access and provenance from plugin options", () => {
    const json = manifest(`${exampleParameter()},package_license=Apache-2.0,package_repository=https://github.com/acme-energy/contracts,package_registry=https://npm.pkg.github.com,package_access=public,package_provenance=true`);
    expect(json).toMatchObject({
      license: "Apache-2.0",
      repository: { type: "git", url: "https://github.com/acme-energy/contracts" },
      publishConfig: { access: "public", registry: "https://npm.pkg.github.com", provenance: true },
    });
  });

  it("refuses values npm would reject, naming the option", () => {
    expect(() => manifest(`${exampleParameter()},package_license=not a license`)).toThrow(/package_license|packageLicense/);
    expect(() => manifest(`${exampleParameter()},package_repository=acme/contracts`)).toThrow(/not a repository URL/);
    expect(() => manifest(`${exampleParameter()},package_access=private`)).toThrow(/must be public or restricted/);
    expect(() => manifest(`${exampleParameter()},package_provenance=yes`)).toThrow(/package_provenance=yes: must be true or false/);
  });
});
