/**
 * `protoc-gen-entity release`: records the current contracts as what production runs. It first
 * runs the gate `check` runs (released state whole, buf breaking, generation with the lock's
 * rules), with the plugin asked to add the next lock to its output; then it writes generated/ as
 * `generate` does, the lock where buf.gen.yaml's `lock=` option points, and the released image
 * that `check` runs buf breaking against. Anything the gate refuses fails the run, and then
 * nothing is written. The first release is an explicit act (`--first`): without it, a missing
 * lock is a lost one, never a fresh start.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { RELEASE_FILE, RELEASE_OPTION, type ReleaseTransport } from "../evolution/release.js";
import { parseFlags } from "./args.js";
import { findStaged, runBuf } from "./buf-process.js";
import { reportGateFailures, runGate } from "./gate.js";
import { syncGeneratedTree } from "./generated-files.js";
import { releaseTemplate } from "./template.js";
import { DEFAULT_RELEASED_IMAGE, hasReleased, readReleasedState, type ReleasedState } from "./released-state.js";
import { preparePackageRelease } from "../release/package-release.js";

export async function releaseCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["template", "ledger", "image", "config", "buf"], ["first"]);
  const template = flags.get("template") ?? "buf.gen.yaml";
  const ledger = resolve(flags.get("ledger") ?? "generated/.generated-files");
  const imagePath = flags.get("image") ?? DEFAULT_RELEASED_IMAGE;
  const buf = flags.get("buf") ?? process.env.BUF ?? "buf";
  const state = await readReleasedState(template, imagePath);
  const refusal = firstReleaseRefusal(state, flags.switches.has("first"));
  if (refusal !== undefined) {
    process.stderr.write(`${refusal}\nprotoc-gen-entity release: nothing was released and no file was changed.\n`);
    return 1;
  }
  const work = mkdtempSync(join(tmpdir(), "protoc-gen-entity-release-"));
  try {
    const gate = runGate({
      buf,
      template: await releaseTemplate(template, RELEASE_OPTION),
      config: flags.get("config") ?? "buf.yaml",
      state,
      work,
      breaking: true,
    });
    if (gate.staging === undefined || gate.failures.length > 0) {
      reportGateFailures("release", gate, "nothing was released and no file was changed.");
      return 1;
    }
    const transport = takeReleaseFile(gate.staging);
    // The package's next version, from its API report's difference with the last release.
    const pkg = await preparePackageRelease({
      staging: gate.staging,
      released: state.lock,
      lockText: transport.lockText,
      lockPath: transport.lockPath,
      imagePath,
      date: new Date().toISOString().slice(0, 10),
    });
    if (pkg?.kind === "refused") {
      process.stderr.write(`${pkg.reason}\nprotoc-gen-entity release: nothing was released and no file was changed.\n`);
      return 1;
    }
    const lockText = pkg?.lockText ?? transport.lockText;
    const builtImage = join(work, "image.binpb");
    const built = runBuf(buf, ["build", "--exclude-source-info", "-o", builtImage]);
    if (built.status !== 0) {
      process.stderr.write(`${built.output}protoc-gen-entity release: buf build failed; nothing was released and no file was changed.\n`);
      return built.status;
    }
    const result = syncGeneratedTree(gate.staging, process.cwd(), ledger);
    const lockPath = resolve(transport.lockPath);
    mkdirSync(dirname(lockPath), { recursive: true });
    writeFileSync(lockPath, lockText);
    const image = resolve(imagePath);
    mkdirSync(dirname(image), { recursive: true });
    writeFileSync(image, readFileSync(builtImage));
    const changelog = pkg?.write();
    if (pkg !== undefined) process.stdout.write(`protoc-gen-entity release: ${pkg.summary}; changelog ${changelog}\n`);
    process.stdout.write(
      `protoc-gen-entity release: lock ${relative(process.cwd(), lockPath)}, image ${relative(process.cwd(), image)}; ` +
        `${result.written.length} generated files written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`,
    );
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A release with nothing released before must say so (--first); one after a release must not. */
function firstReleaseRefusal(state: ReleasedState, first: boolean): string | undefined {
  if (state.lockPath === undefined) {
    return "buf.gen.yaml gives protoc-gen-entity no lock= option, so a release has nowhere to record what it released.\n" +
      "  fix: add `- lock=generated/entity.lock.json` under opt: of protoc-gen-entity in buf.gen.yaml.";
  }
  if (first && hasReleased(state)) {
    return `--first, but this project has released before (${state.lock !== undefined ? state.lockPath : state.imagePath} exists).\n` +
      "  fix: run release without --first; it compares the contracts with the last release.";
  }
  if (!first && !hasReleased(state)) {
    return `nothing was released before: no lock at ${state.lockPath} and no released image at ${state.imagePath}.\n` +
      "  fix: if this is the project's first release, say so: protoc-gen-entity release --first. " +
      "If it has released before, restore the lock and the image from version control, or fix lock= in buf.gen.yaml.";
  }
  return undefined;
}

/** Takes the plugin's release file out of the staged output, so that it never reaches generated/. */
function takeReleaseFile(staging: string): ReleaseTransport {
  const found = findStaged(staging, RELEASE_FILE);
  if (found.length !== 1) {
    throw new Error(
      found.length === 0
        ? "protoc-gen-entity wrote no lock: its plugin options in buf.gen.yaml have no lock file.\n  fix: add `- lock=generated/entity.lock.json` under `opt:` of protoc-gen-entity in buf.gen.yaml."
        : `protoc-gen-entity wrote ${found.length} release files (${found.join(", ")}); run it once per buf.gen.yaml.`,
    );
  }
  const path = join(staging, found[0]);
  const transport = JSON.parse(readFileSync(path, "utf8")) as ReleaseTransport;
  // Moved out rather than deleted, so that the staged tree is exactly the generated files.
  renameSync(path, join(staging, "..", RELEASE_FILE));
  return transport;
}
