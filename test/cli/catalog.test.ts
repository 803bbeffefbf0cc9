/**
 * `protoc-gen-entity catalog` and the address `generate` prints, run as a user runs them (the
 * built executable, in a throwaway project). --open is checked with an `xdg-open` (`open` on
 * macOS) of the test's own on PATH, which records the address it was given.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlugin, entityProto, TestProject, type CliRun, type PluginBuild } from "./support.js";

let build: PluginBuild;
let project: TestProject;
let generateRun: CliRun;
const scratch = mkdtempSync(join(tmpdir(), "entity-cli-catalog-"));

beforeAll(() => {
  build = buildPlugin();
  project = new TestProject(build);
  project.write("proto/shop/v1/customer.proto", entityProto("Customer"));
  generateRun = project.generate();
  if (generateRun.status !== 0) throw new Error(`generate failed:\n${generateRun.stdout}${generateRun.stderr}`);
});

afterAll(() => {
  project?.dispose();
  if (build !== undefined) rmSync(build.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function catalog(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const run = spawnSync(process.execPath, [build.bin, "catalog", ...args], { cwd: project.dir, env, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const indexUrl = () => pathToFileURL(project.path("generated/catalog/index.html")).href;

describe("protoc-gen-entity catalog", () => {
  it("generate writes the catalog and prints where its index is", () => {
    expect(existsSync(project.path("generated/catalog/index.html"))).toBe(true);
    expect(existsSync(project.path("generated/catalog/entities/shop.v1.Customer.html"))).toBe(true);
    expect(generateRun.stdout).toContain(`catalog: ${indexUrl()}`);
  });

  it("prints the index's file:// address, for the default folder and for --dir", () => {
    const run = catalog([]);
    expect(run).toMatchObject({ status: 0, stdout: `${indexUrl()}\n` });
    expect(readFileSync(fileURLToPath(run.stdout.trim()), "utf8")).toContain("shop.v1.Customer");
    expect(catalog(["--dir", "generated/catalog"]).stdout).toBe(`${indexUrl()}\n`);
  });

  it("fails, saying what to do, where there is no catalog", () => {
    const run = catalog(["--dir", "nowhere"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("run `npm run generate`");
  });

  it("rejects an unknown argument", () => {
    const run = catalog(["--browser", "firefox"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown argument "--browser"');
  });

  it("--open hands the address to the desktop's opener", () => {
    const bin = join(scratch, "bin");
    const record = join(scratch, "opened.txt");
    mkdirSync(bin, { recursive: true });
    const opener = join(bin, process.platform === "darwin" ? "open" : "xdg-open");
    writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(record)}\n`);
    chmodSync(opener, 0o755);
    const run = catalog(["--open"], { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` });
    expect(run).toMatchObject({ status: 0, stdout: `${indexUrl()}\n` });
    return expect.poll(() => (existsSync(record) ? readFileSync(record, "utf8") : "")).toBe(indexUrl());
  });
});
