/**
 * The checks a contract change must pass before it is generated or released, shared by
 * `generate`, `check` and `release` so that no command accepts what another refuses:
 * the released state is whole, `buf breaking` finds nothing against the released image, a full
 * generation (which applies the lock's rules) succeeds, and the TypeScript package it wrote imports
 * nothing that is missing (verify). Failures are printed as the user's
 * problems only, in repository paths, followed by one line saying that nothing was written.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { localPathsOf, readableBufOutput, type LocalPaths } from "./buf-output.js";
import { runBuf } from "./buf-process.js";
import { releasedStateProblem, type ReleasedState } from "./released-state.js";
import { verifyStaged } from "./verify.js";

export interface GateInput {
  readonly buf: string;
  readonly template: string;
  /** buf.yaml, for the breaking rules; used when it exists. */
  readonly config: string;
  readonly state: ReleasedState;
  /** A scratch directory the caller removes. */
  readonly work: string;
  /** Compare with the released image (check, release); generate leaves that to check. */
  readonly breaking: boolean;
}

export interface GateResult {
  /** What failed, each with its readable explanation; empty when everything passed. */
  readonly failures: readonly { readonly check: string; readonly explanation: string }[];
  /** Where the generation wrote its files, when it ran and succeeded. */
  readonly staging: string | undefined;
}

export function runGate(input: GateInput): GateResult {
  const failures: { check: string; explanation: string }[] = [];
  const stateProblem = releasedStateProblem(input.state);
  if (stateProblem !== undefined) return { failures: [{ check: "released state", explanation: `${stateProblem}\n` }], staging: undefined };

  let localPaths: LocalPaths | undefined;
  const readable = (output: string) => readableBufOutput(output, (localPaths ??= localPathsOf(input.buf)));

  if (input.breaking && input.state.imageExists) {
    const breaking = breakingAgainst(input.buf, input.state.imagePath, join(input.work, "current.binpb"), input.config);
    if (breaking.status !== 0) {
      failures.push({
        check: "buf breaking",
        explanation:
          `buf breaking against the last release (${input.state.imagePath}) found changes that break readers of the entity protos:\n` +
          `${indent(readable(breaking.output))}\n` +
          "  fix: add a new field with a new number instead of changing one; delete a field only with `reserved <number>;` and `reserved \"<name>\";`; " +
          "or start a new major version (package .v2) with its own topic and table.\n",
      });
    }
  }
  const staging = join(input.work, "out");
  const generated = runBuf(input.buf, ["generate", "--template", input.template, "-o", staging]);
  if (generated.status !== 0) {
    failures.push({ check: "generation", explanation: readable(generated.output) });
    return { failures, staging: undefined };
  }
  // A TypeScript package that imports modules nobody generated would fail far from the cause.
  const missing = verifyStaged(staging);
  if (missing !== undefined) failures.push({ check: "verify", explanation: missing });
  return { failures, staging };
}

/** Prints the failures, then the one line that says what the command did not do. */
export function reportGateFailures(command: string, result: GateResult, consequence: string): void {
  for (const failure of result.failures) process.stderr.write(failure.explanation);
  process.stderr.write(`protoc-gen-entity ${command}: failed (${result.failures.map((f) => f.check).join(", ")}); ${consequence}\n`);
}

/**
 * buf breaking between two images. Against the workspace itself, buf cannot tell which of several
 * modules an image's files belong to and silently compares nothing; two images compare file by file.
 */
function breakingAgainst(buf: string, against: string, current: string, config: string) {
  const built = runBuf(buf, ["build", "-o", current]);
  if (built.status !== 0) return built;
  return runBuf(buf, ["breaking", current, "--against", against, ...(existsSync(config) ? ["--config", config] : [])]);
}

function indent(text: string): string {
  return text.trimEnd().replace(/^/gm, "  ");
}
