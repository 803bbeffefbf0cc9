/**
 * Test support for the CLI: a build of the plugin of its own (so that suites building plugin/dist
 * at the same time do not disturb it), and throwaway projects with their own buf.yaml,
 * buf.gen.yaml and protos, in which `protoc-gen-entity generate` runs as a user runs it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { buildPluginInto } from "../harness/buf/plugin-build.js";
import { BUF, REPO_ROOT } from "../harness/buf/protos.js";

export interface PluginBuild {
  /** The executable, as buf.gen.yaml's `local:` names it. */
  readonly bin: string;
  readonly dir: string;
}

/**
 * Builds the plugin into a temporary directory laid out like plugin/ (bin/, dist/); see
 * buildPluginInto. The CLI commands import ts-morph (kept out of the bundle), as an installed
 * plugin does from its node_modules.
 */
export function buildPlugin(): PluginBuild {
  const dir = mkdtempSync(join(tmpdir(), "entity-cli-build-"));
  const bin = buildPluginInto(dir);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  return { bin, dir };
}

/**
 * buf.gen.yaml's entry for protoc-gen-es (found on PATH, as `generate` runs it), as the README has
 * it: the message types the generated package imports, in its src/. `generate` refuses a package
 * whose imports are missing.
 */
export const PROTOC_GEN_ES_PLUGIN: readonly string[] = [
  "  - local: protoc-gen-es",
  "    out: generated/ts/src",
  "    include_imports: true",
  "    opt:",
  "      - target=ts",
  "      - import_extension=js",
];

/** buf.gen.yaml's entry for the built plugin: the whole run in one request, into generated/. */
export function entityPlugin(build: PluginBuild, options: readonly string[] = ["project=cli-test-project"]): string[] {
  return [`  - local: ${JSON.stringify(build.bin)}`, "    out: generated", "    strategy: all", "    opt:", ...options.map((option) => `      - ${option}`)];
}

/**
 * For the tests of one file: a plugin build of their own, made before them, and the projects they
 * create (new, or a copy of another), all removed after them.
 */
export function projectsOfThisFile(): { readonly build: () => PluginBuild; readonly project: (from?: TestProject) => TestProject } {
  let build: PluginBuild | undefined;
  const projects: TestProject[] = [];
  beforeAll(() => {
    build = buildPlugin();
  });
  afterAll(() => {
    for (const p of projects) p.dispose();
    if (build !== undefined) rmSync(build.dir, { recursive: true, force: true });
  });
  const built = (): PluginBuild => {
    if (build === undefined) throw new Error("the plugin is built before the file's tests (beforeAll)");
    return build;
  };
  return {
    build: built,
    project(from) {
      const p = new TestProject(built(), from);
      projects.push(p);
      return p;
    },
  };
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A project directory: buf.yaml with one module `proto/`, buf.gen.yaml running the built plugin. */
export class TestProject {
  readonly dir = mkdtempSync(join(tmpdir(), "entity-cli-project-"));

  /** A new project, or a copy of `from` (generated files, ledger and all). */
  constructor(private readonly build: PluginBuild, from?: TestProject) {
    if (from !== undefined) {
      cpSync(from.dir, this.dir, { recursive: true });
      return;
    }
    writeFileSync(join(this.dir, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n");
    writeFileSync(
      join(this.dir, "buf.gen.yaml"),
      ["version: v2", "plugins:", ...PROTOC_GEN_ES_PLUGIN, ...entityPlugin(build), ""].join("\n"),
    );
    this.write("proto/entity/v1/options.proto", readFileSync(join(REPO_ROOT, "proto/entity/v1/options.proto"), "utf8"));
  }

  path(relativePath: string): string {
    return join(this.dir, relativePath);
  }

  write(relativePath: string, content: string): void {
    mkdirSync(dirname(this.path(relativePath)), { recursive: true });
    writeFileSync(this.path(relativePath), content);
  }

  read(relativePath: string): string {
    return readFileSync(this.path(relativePath), "utf8");
  }

  remove(relativePath: string): void {
    rmSync(this.path(relativePath));
  }

  /** `protoc-gen-entity generate` in the project, with buf found on PATH as a user has it. */
  generate(...args: string[]): CliRun {
    return this.cli("generate", ...args);
  }

  /** `protoc-gen-entity <command>` in the project, with buf and protoc-gen-es on PATH as a user has them. */
  cli(...args: string[]): CliRun {
    return this.spawn(process.execPath, [this.build.bin, ...args]);
  }

  /** `buf <args>` in the project, as a user runs it without the generate command. */
  buf(...args: string[]): CliRun {
    return this.spawn(BUF, args);
  }

  private spawn(command: string, args: readonly string[]): CliRun {
    const env = { ...process.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`, BUF };
    const run = spawnSync(command, args, { cwd: this.dir, env, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** Every file of the project (protos and config included) with its content and modification time. */
  snapshot(): Map<string, { content: string; mtimeMs: number }> {
    const out = new Map<string, { content: string; mtimeMs: number }>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.set(relative(this.dir, full).split(sep).join("/"), { content: readFileSync(full, "utf8"), mtimeMs: statSync(full).mtimeMs });
      }
    };
    walk(this.dir);
    return out;
  }

  /** Every directory of the project, to see that none appeared or went away. */
  directories(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        out.push(relative(this.dir, join(dir, entry.name)).split(sep).join("/"));
        walk(join(dir, entry.name));
      }
    };
    walk(this.dir);
    return out.sort();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An entity contract in package `shop.v1`. */
export function entityProto(message: string, extraField = ""): string {
  return `syntax = "proto3";

package shop.v1;

import "entity/v1/options.proto";

// A ${message} of the shop.
message ${message} {
  option (entity.v1.entity) = {};

  // Id of the ${message}.
  string id = 1;
  // When it was created.
  int64 created_at_ms = 2;
${extraField}}
`;
}
