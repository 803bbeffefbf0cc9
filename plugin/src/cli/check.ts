/**
 * `protoc-gen-entity check`: the CI gate for contract changes. It runs buf breaking against the
 * released image (the rules of buf.yaml's `breaking`, WIRE_JSON here), and a full generation into a
 * temporary directory, which applies the lock's rules (Pub/Sub revisions, BigQuery ALTERs). It
 * writes nothing, and exits non-zero with every explanation when either fails.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseFlags } from "./args.js";
import { runBuf, type BufRun } from "./buf-process.js";
import { DEFAULT_RELEASED_IMAGE } from "./release.js";

export async function checkCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ["template", "against", "config", "buf"]);
  const template = flags.get("template") ?? "buf.gen.yaml";
  const against = resolve(flags.get("against") ?? DEFAULT_RELEASED_IMAGE);
  const buf = flags.get("buf") ?? process.env.BUF ?? "buf";
  const failures: string[] = [];

  const work = mkdtempSync(join(tmpdir(), "protoc-gen-entity-check-"));
  try {
    if (existsSync(against)) {
      const breaking = breakingAgainst(buf, against, join(work, "current.binpb"), flags.get("config") ?? "buf.yaml");
      if (breaking.status !== 0) {
        failures.push("buf breaking");
        process.stderr.write(
          `buf breaking against the last release (${relative(process.cwd(), against)}) found changes that break readers of the entity protos:\n` +
            `${indent(breaking.output)}\n` +
            "  fix: add a new field with a new number instead of changing one; delete a field only with `reserved <number>;` and `reserved \"<name>\";`; " +
            "or start a new major version (package .v2) with its own topic and table.\n",
        );
      }
    } else {
      process.stdout.write(`no released image at ${relative(process.cwd(), against)} (nothing released yet): buf breaking skipped.\n`);
    }
    const generated = runBuf(buf, ["generate", "--template", template, "-o", join(work, "out")]);
    if (generated.status !== 0) {
      failures.push("generation");
      process.stderr.write(`generation against the lock failed:\n${indent(generated.output)}\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  if (failures.length > 0) {
    process.stderr.write(`protoc-gen-entity check: failed (${failures.join(", ")}).\n`);
    return 1;
  }
  process.stdout.write("protoc-gen-entity check: the contracts can be released (buf breaking and the lock's rules pass).\n");
  return 0;
}

/**
 * buf breaking between two images. Against the workspace itself, buf cannot tell which of several
 * modules an image's files belong to and silently compares nothing; two images compare file by file.
 */
function breakingAgainst(buf: string, against: string, current: string, config: string): BufRun {
  const built = runBuf(buf, ["build", "-o", current]);
  if (built.status !== 0) return built;
  return runBuf(buf, ["breaking", current, "--against", against, ...(existsSync(config) ? ["--config", config] : [])]);
}

function indent(text: string): string {
  return text.trimEnd().replace(/^/gm, "  ");
}
