/**
 * A copy of this repository's example project (proto/, buf.yaml, buf.gen.yaml and the committed
 * generated/ with its lock and released image) in a temporary directory, where the CLI runs as a
 * user runs it: `protoc-gen-entity <command>` from the project root, buf from node_modules.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative, sep } from "node:path";
import { BUF, REPO_ROOT } from "../harness/buf/protos.js";
import type { CliRun, PluginBuild } from "./support.js";

export class ExampleCopy {
  readonly dir = mkdtempSync(join(tmpdir(), "entity-example-"));

  constructor(private readonly build: PluginBuild) {
    for (const path of ["proto", "generated", "buf.yaml"]) cpSync(join(REPO_ROOT, path), join(this.dir, path), { recursive: true });
    // The example's buf.gen.yaml, running the test's build of the plugin.
    const template = readFileSync(join(REPO_ROOT, "buf.gen.yaml"), "utf8").replace("local: plugin/bin/protoc-gen-entity", `local: ${JSON.stringify(build.bin)}`);
    writeFileSync(join(this.dir, "buf.gen.yaml"), template);
    symlinkSync(join(REPO_ROOT, "node_modules"), join(this.dir, "node_modules"));
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  exists(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  /** Replaces `from` by `to` in a file of the copy; fails when `from` is not there, so an edit never silently misses. */
  edit(path: string, from: string | RegExp, to: string): void {
    const before = this.read(path);
    const after = before.replace(from, to);
    if (after === before) throw new Error(`${path}: ${String(from)} not found`);
    writeFileSync(join(this.dir, path), after);
  }

  run(command: string, ...args: string[]): CliRun {
    const env = { ...process.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`, BUF };
    const result = spawnSync(process.execPath, [this.build.bin, command, ...args], { cwd: this.dir, env, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Every file under generated/ with its bytes, to show that a refused run changed nothing. */
  generatedTree(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.set(relative(this.dir, full).split(sep).join("/"), readFileSync(full, "latin1"));
      }
    };
    walk(join(this.dir, "generated"));
    return out;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
