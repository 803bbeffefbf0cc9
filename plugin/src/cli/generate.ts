/**
 * `protoc-gen-entity generate`: runs `buf generate` into a staging directory, then writes the
 * result over the working tree with syncGeneratedTree. Plain `buf generate` works too; this adds
 * removal of files whose entity is gone, and never writes half a run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseFlags } from "./args.js";
import { printCatalogAddress } from "./catalog.js";
import { syncGeneratedTree } from "./generated-files.js";

export async function generateCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["template", "ledger", "buf"]);
  const template = flags.get("template") ?? "buf.gen.yaml";
  const ledger = resolve(flags.get("ledger") ?? "generated/.generated-files");
  const buf = flags.get("buf") ?? process.env.BUF ?? "buf";
  const staging = mkdtempSync(join(tmpdir(), "protoc-gen-entity-"));
  try {
    const run = spawnSync(buf, ["generate", "--template", template, "-o", staging], { stdio: ["ignore", "inherit", "inherit"] });
    if (run.error) throw new Error(`could not run ${buf}: ${run.error.message}`);
    if (run.status !== 0) {
      process.stderr.write("buf generate failed; no file was changed.\n");
      return run.status ?? 1;
    }
    const result = syncGeneratedTree(staging, process.cwd(), ledger);
    process.stdout.write(
      `protoc-gen-entity generate: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`,
    );
    printCatalogAddress();
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
