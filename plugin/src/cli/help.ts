/**
 * `protoc-gen-entity --help`: what the executable does with and without a command. A test runs
 * every command with each flag named here, so that the text cannot name a flag the command refuses.
 */
import { PLUGIN_NAME, PLUGIN_VERSION } from "../version.js";

export const HELP_FLAGS: readonly string[] = ["-h", "--help", "help"];

export function helpText(): string {
  return `${PLUGIN_NAME} v${PLUGIN_VERSION}: one Protobuf contract per domain entity; Pub/Sub topic schemas, BigQuery,
LookML, dbt sources and a TypeScript event package from it.

Without arguments it is a protoc plugin: buf runs it with a CodeGeneratorRequest on stdin
(buf.gen.yaml: \`local: ${PLUGIN_NAME}\`, \`strategy: all\`).

Commands (run in the directory of buf.gen.yaml):
  generate [--template buf.gen.yaml] [--ledger generated/.generated-files] [--buf buf]
      buf generate into a staging directory, check the TypeScript package's imports, then write
      the result over the output; removes files of entities that are gone, never touches others.
  verify [<out>]
      check that every module the TypeScript package in <out>/ts imports exists (after a plain
      buf generate); <out> is this plugin's out in buf.gen.yaml, default generated.
  check [--template buf.gen.yaml] [--against <released image>] [--config buf.yaml] [--buf buf]
      CI gate: buf breaking against the last release and the lock's migration rules.
  release [--template buf.gen.yaml] [--ledger <file>] [--image <released image>] [--buf buf]
      record the current contracts as released (the lock file and the released image).
  sync-lookml --repo <git url or path> --branch <branch> --dir <folder> [--from generated/lookml]
      deliver the generated LookML into a Looker project's repository.

Options:
  -h, --help       this text
  -v, --version    the version

Getting started, and every plugin option: README.md of the npm package.
`;
}
