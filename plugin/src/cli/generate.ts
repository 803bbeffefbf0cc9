/**
 * `protoc-gen-entity generate`: runs `buf generate` into a staging directory, then writes the
 * result over the working tree with syncGeneratedTree. Plain `buf generate` works too; this adds
 * removal of files whose entity is gone, the released-state check, and never writes half a run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseFlags } from "./args.js";
import { reportGateFailures, runGate } from "./gate.js";
import { printCatalogAddress } from "./catalog.js";
import { syncGeneratedTree } from "./generated-files.js";
import { DEFAULT_RELEASED_IMAGE, readReleasedState } from "./released-state.js";
import { findStagedPackage, stageApiReport } from "../release/package-release.js";

export async function generateCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["template", "ledger", "image", "buf"]);
  const template = flags.get("template") ?? "buf.gen.yaml";
  const ledger = resolve(flags.get("ledger") ?? "generated/.generated-files");
  const buf = flags.get("buf") ?? process.env.BUF ?? "buf";
  const state = await readReleasedState(template, flags.get("image") ?? DEFAULT_RELEASED_IMAGE);
  const work = mkdtempSync(join(tmpdir(), "protoc-gen-entity-"));
  try {
    const gate = runGate({ buf, template, config: "buf.yaml", state, work, breaking: false });
    if (gate.staging === undefined || gate.failures.length > 0) {
      reportGateFailures("generate", gate, "nothing was written.");
      return 1;
    }
    // The package's API report is generated with it, so that review sees API changes.
    const pkg = findStagedPackage(gate.staging);
    if (pkg !== undefined) await stageApiReport(gate.staging, pkg);
    const result = syncGeneratedTree(gate.staging, process.cwd(), ledger);
    process.stdout.write(
      `protoc-gen-entity generate: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`,
    );
    printCatalogAddress();
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
