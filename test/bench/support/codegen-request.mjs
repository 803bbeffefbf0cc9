/**
 * Compiles .proto sources once with the real buf CLI and turns the result into the
 * CodeGeneratorRequest bytes a plugin reads on stdin, so that every plugin of a benchmark gets
 * exactly the same input.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const BUF = join(REPO_ROOT, "node_modules/.bin/buf");

/**
 * Writes `sources` (path → content) into a temporary buf workspace next to the entity options
 * and google/type, builds it and returns every file of the image (imports included, in dependency
 * order) plus the paths of `sources`, which are the files to generate.
 */
export function compileWorkspace(sources) {
  const dir = mkdtempSync(join(tmpdir(), "entity-bench-"));
  try {
    for (const [path, content] of Object.entries(sources)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    mkdirSync(join(dir, "entity/v1"), { recursive: true });
    cpSync(join(REPO_ROOT, "proto/entity/v1/options.proto"), join(dir, "entity/v1/options.proto"));
    mkdirSync(join(dir, "google"), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules/google-proto-files/google/type"), join(dir, "google/type"));
    writeFileSync(join(dir, "buf.yaml"), "version: v2\n");
    const image = join(dir, "image.binpb");
    execFileSync(BUF, ["build", dir, "-o", image], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
    return { files: set.file, toGenerate: Object.keys(sources).sort() };
  } catch (error) {
    throw new Error(`buf build of the benchmark input failed:\n${error.stderr?.toString() ?? error.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The request bytes for one plugin: same descriptors, that plugin's parameter. */
export function requestBytes(compiled, parameter) {
  const request = create(CodeGeneratorRequestSchema, {
    protoFile: compiled.files,
    fileToGenerate: compiled.toGenerate,
    parameter,
  });
  return toBinary(CodeGeneratorRequestSchema, request);
}
