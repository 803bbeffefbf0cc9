/**
 * `protoc-gen-entity release`: records the current contracts as what production runs. It runs the
 * same `buf generate` as `generate` (so the lock cannot disagree with generated/), with the plugin
 * asked to add the next lock to its output; then it writes generated/ as `generate` does, the lock
 * where buf.gen.yaml's `lock=` option points, and the released image that `check` runs buf
 * breaking against. Forbidden changes fail the run, and then nothing is written.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { RELEASE_ENV, RELEASE_FILE, type ReleaseTransport } from "../evolution/release.js";
import { parseFlags } from "./args.js";
import { findStaged, runBuf } from "./buf-process.js";
import { syncGeneratedTree } from "./generated-files.js";

export const DEFAULT_RELEASED_IMAGE = "generated/release/image.binpb";

export async function releaseCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["template", "ledger", "image", "buf"]);
  const template = flags.get("template") ?? "buf.gen.yaml";
  const ledger = resolve(flags.get("ledger") ?? "generated/.generated-files");
  const image = resolve(flags.get("image") ?? DEFAULT_RELEASED_IMAGE);
  const buf = flags.get("buf") ?? process.env.BUF ?? "buf";
  const work = mkdtempSync(join(tmpdir(), "protoc-gen-entity-release-"));
  try {
    const staging = join(work, "out");
    const generated = runBuf(buf, ["generate", "--template", template, "-o", staging], { ...process.env, [RELEASE_ENV]: "1" });
    process.stderr.write(generated.output);
    if (generated.status !== 0) {
      process.stderr.write("buf generate failed; nothing was released and no file was changed.\n");
      return generated.status;
    }
    const transport = takeReleaseFile(staging);
    const builtImage = join(work, "image.binpb");
    const built = runBuf(buf, ["build", "--exclude-source-info", "-o", builtImage]);
    if (built.status !== 0) {
      process.stderr.write(`${built.output}buf build failed; nothing was released and no file was changed.\n`);
      return built.status;
    }
    const result = syncGeneratedTree(staging, process.cwd(), ledger);
    const lockPath = resolve(transport.lockPath);
    mkdirSync(dirname(lockPath), { recursive: true });
    writeFileSync(lockPath, transport.lockText);
    mkdirSync(dirname(image), { recursive: true });
    writeFileSync(image, readFileSync(builtImage));
    process.stdout.write(
      `protoc-gen-entity release: lock ${relative(process.cwd(), lockPath)}, image ${relative(process.cwd(), image)}; ` +
        `${result.written.length} generated files written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`,
    );
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
