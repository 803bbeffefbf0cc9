/**
 * `protoc-gen-entity check`: the CI gate for contract changes. It checks that the released state
 * is whole, runs buf breaking against the released image (the rules of buf.yaml's `breaking`,
 * WIRE_JSON here), and a full generation into a temporary directory, which applies the lock's
 * rules (Pub/Sub revisions, BigQuery ALTERs, released entities that disappeared). It writes
 * nothing, and exits non-zero with every explanation when any fails. `release` runs the same gate.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlags } from "./args.js";
import { reportGateFailures, runGate } from "./gate.js";
import { DEFAULT_RELEASED_IMAGE, describeReleased, readReleasedState, releasedStateProblem } from "./released-state.js";
import { checkApiReport } from "./report-check.js";

export async function checkCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["template", "against", "config", "buf"]);
  const template = flags.get("template") ?? "buf.gen.yaml";
  const buf = flags.get("buf") ?? process.env.BUF ?? "buf";
  const state = await readReleasedState(template, flags.get("against") ?? DEFAULT_RELEASED_IMAGE);
  if (releasedStateProblem(state) === undefined) process.stdout.write(`protoc-gen-entity check: checking the contracts against ${describeReleased(state)}.\n`);

  const work = mkdtempSync(join(tmpdir(), "protoc-gen-entity-check-"));
  try {
    const gate = runGate({ buf, template, config: flags.get("config") ?? "buf.yaml", state, work, breaking: true });
    const report = gate.staging === undefined || gate.failures.length > 0 ? undefined : await checkApiReport(gate.staging, state, flags.get("against") ?? DEFAULT_RELEASED_IMAGE);
    const failures = [...gate.failures, ...(report?.failure === undefined ? [] : [report.failure])];
    if (failures.length > 0) {
      reportGateFailures("check", { ...gate, failures }, "the contracts cannot be released as they are.");
      return 1;
    }
    if (report?.outlook !== undefined) process.stdout.write(`protoc-gen-entity check: ${report.outlook}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write("protoc-gen-entity check: the contracts can be released (buf breaking and the lock's rules pass).\n");
  return 0;
}
