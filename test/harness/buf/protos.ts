/**
 * Test support: compile .proto sources with the real buf CLI and run the plugin in-process on the
 * result, the way buf would run it. Shared by every test suite.
 */
import { create, fromBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  FileDescriptorSetSchema,
  type CodeGeneratorRequest,
  type CodeGeneratorResponse,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { protocGenEntity } from "../../../plugin/src/edge/plugin-entry.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
export const BUF = join(REPO_ROOT, "node_modules/.bin/buf");
const GOOGLE_PROTOS = join(REPO_ROOT, "node_modules/google-proto-files");

export interface CompiledProtos {
  /** Every file of the image, imports included, in dependency order. */
  readonly files: readonly FileDescriptorProto[];
  /** The files written by the test (the ones to generate). */
  readonly toGenerate: readonly string[];
}

/**
 * Writes a buf workspace into `dir`: the sources, the options contract and google/type to import,
 * and a buf.yaml.
 */
export function writeWorkspace(dir: string, sources: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(sources)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(join(dir, "entity/v1"), { recursive: true });
  cpSync(join(REPO_ROOT, "proto/entity/v1/options.proto"), join(dir, "entity/v1/options.proto"));
  mkdirSync(join(dir, "google"), { recursive: true });
  symlinkSync(join(GOOGLE_PROTOS, "google/type"), join(dir, "google/type"));
  writeFileSync(join(dir, "buf.yaml"), "version: v2\n");
}

/**
 * Compiles `sources` (path → content) with buf. `entity/v1/options.proto` and google/type are
 * available to import. Throws buf's error output when they do not compile.
 */
export function compileProtos(sources: Record<string, string>): CompiledProtos {
  return inWorkspace(sources, (dir, args) => {
    execFileSync(BUF, args, { stdio: ["ignore", "pipe", "pipe"] });
    return compiledImage(dir, sources);
  });
}

/** compileProtos without blocking, so that table-driven tests can compile concurrently. */
export async function compileProtosAsync(sources: Readonly<Record<string, string>>): Promise<CompiledProtos> {
  return inWorkspace(sources, async (dir, args) => {
    await execFileAsync(BUF, args);
    return compiledImage(dir, sources);
  });
}

const execFileAsync = promisify(execFile);

/** Runs `build` on a temporary workspace of the sources, with the arguments of `buf build` for them; removes it after. */
function inWorkspace<T>(sources: Readonly<Record<string, string>>, build: (dir: string, bufArgs: string[]) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "entity-test-"));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    writeWorkspace(dir, sources);
    const result = build(dir, ["build", dir, "-o", join(dir, IMAGE), ...Object.keys(sources).flatMap((p) => ["--path", join(dir, p)])]);
    if (result instanceof Promise) return result.finally(cleanUp) as T;
    cleanUp();
    return result;
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** The file name of the image `buf build -o` writes into a workspace. */
export const IMAGE = "image.binpb";

/** The image buf wrote into `dir`: every file, imports included. */
export function readImage(dir: string): FileDescriptorProto[] {
  return fromBinary(FileDescriptorSetSchema, readFileSync(join(dir, IMAGE))).file;
}

function compiledImage(dir: string, sources: Readonly<Record<string, string>>): CompiledProtos {
  return { files: readImage(dir), toGenerate: Object.keys(sources) };
}

/** The CodeGeneratorRequest buf would send a plugin for compiled protos, with `parameter` as its options. */
export function requestOf(compiled: CompiledProtos, parameter: string): CodeGeneratorRequest {
  return create(CodeGeneratorRequestSchema, { protoFile: [...compiled.files], fileToGenerate: [...compiled.toGenerate], parameter });
}

/** Runs the plugin in-process; returns its files by name, or throws what the plugin throws. */
export function runPlugin(compiled: CompiledProtos, parameter = "project=test-project"): Map<string, string> {
  return responseFiles(protocGenEntity.run(requestOf(compiled, parameter)));
}

function responseFiles(response: CodeGeneratorResponse): Map<string, string> {
  if (response.error !== undefined && response.error !== "") throw new Error(response.error);
  return new Map(response.file.map((f) => [f.name, f.content]));
}

/** The plugin options of buf.gen.yaml, joined as buf passes them. */
export function exampleParameter(): string {
  const config = parseYaml(readFileSync(join(REPO_ROOT, "buf.gen.yaml"), "utf8")) as {
    plugins: { local: string; opt?: string[] }[];
  };
  const ours = config.plugins.find((p) => p.local.endsWith("protoc-gen-entity"));
  return (ours?.opt ?? []).join(",");
}

let exampleCache: CompiledProtos | undefined;

/** The example domain in proto/, compiled as `buf generate` compiles it (the whole workspace). */
export function compileExample(): CompiledProtos {
  if (exampleCache === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "entity-example-"));
    try {
      execFileSync(BUF, ["build", "-o", join(dir, IMAGE)], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
      const files = readImage(dir);
      exampleCache = { files, toGenerate: files.filter((f) => !f.name.startsWith("google/protobuf/")).map((f) => f.name) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return exampleCache;
}

let exampleOutputCache: Map<string, string> | undefined;

/**
 * The example domain's generated files, as the plugin produces them with buf.gen.yaml's options;
 * generated once per test file, each caller gets a map of its own.
 */
export function generateExample(): Map<string, string> {
  exampleOutputCache ??= runPlugin(compileExample(), exampleParameter());
  return new Map(exampleOutputCache);
}
