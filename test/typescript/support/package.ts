/**
 * Test support for the generated npm package: generates it into a temporary directory the way
 * buf.gen.yaml does (our plugin into the root, protoc-gen-es into ts/src), builds it with tsc,
 * and compiles the topic schemas with buf, independently of the plugin.
 */
import { create, createFileRegistry, fromBinary, toBinary, type FileRegistry } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUF, REPO_ROOT, runPlugin, type CompiledProtos } from "../../harness/buf/protos.js";

export const TSC = join(REPO_ROOT, "node_modules/.bin/tsc");

/** Checks beyond `strict` that generated code should pass too. */
/**
 * The compiler options of a strict consumer project of the package (what a team with the
 * strictest common settings compiles it under); each test adds its own files and types.
 */
export const STRICT_CONSUMER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  outDir: "dist",
} as const;

export const EXTRA_TSC_CHECKS = [
  "--noUnusedLocals",
  "--noUnusedParameters",
  "--noImplicitReturns",
  "--noImplicitOverride",
  "--noFallthroughCasesInSwitch",
  "--noPropertyAccessFromIndexSignature",
];
const PROTOC_GEN_ES = join(REPO_ROOT, "node_modules/.bin/protoc-gen-es");

export interface GeneratedPackage {
  /** The plugin's output directory (pubsub/, ts/, ...). */
  readonly root: string;
  /** generated/ts in that directory. */
  readonly packageDir: string;
  /** What our plugin wrote, by name. */
  readonly files: ReadonlyMap<string, string>;
  /** The topic schemas compiled by buf from pubsub/*.proto. */
  readonly topicSchemas: FileRegistry;
  /** Imports dist/index.js (after build()). */
  load<T = Record<string, unknown>>(): Promise<T>;
  /** Builds dist/ with the package's own tsconfig and extra flags; returns tsc's output, throws on errors. */
  build(flags?: readonly string[]): string;
  dispose(): void;
}

/** Runs protoc-gen-es the way buf.gen.yaml does, on every file but the well-known types. */
export function runProtocGenEs(compiled: CompiledProtos): Map<string, string> {
  const request = create(CodeGeneratorRequestSchema, {
    protoFile: [...compiled.files],
    fileToGenerate: compiled.files.filter((f) => !f.name.startsWith("google/protobuf/")).map((f) => f.name),
    parameter: "target=ts,import_extension=js",
  });
  const output = execFileSync(PROTOC_GEN_ES, { input: toBinary(CodeGeneratorRequestSchema, request), maxBuffer: 64 * 1024 * 1024 });
  const response = fromBinary(CodeGeneratorResponseSchema, output);
  if (response.error) throw new Error(response.error);
  return new Map(response.file.map((f) => [f.name, f.content]));
}

export function generatePackage(compiled: CompiledProtos, parameter: string): GeneratedPackage {
  const files = runPlugin(compiled, parameter);
  const root = mkdtempSync(join(tmpdir(), "entity-ts-"));
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  for (const [name, content] of files) write(name, content);
  for (const [name, content] of runProtocGenEs(compiled)) write(join("ts/src", name), content);
  const packageDir = join(root, "ts");
  mkdirSync(join(packageDir, "node_modules"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules/@bufbuild"), join(packageDir, "node_modules/@bufbuild"));
  const image = join(root, "topics.binpb");
  execFileSync(BUF, ["build", join(root, "pubsub"), "-o", image], { stdio: ["ignore", "pipe", "pipe"] });
  const topicSchemas = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(image)));
  const tsc = (args: readonly string[]) => {
    try {
      return execFileSync(TSC, ["-p", join(packageDir, "tsconfig.json"), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`tsc failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
  };
  return {
    root,
    packageDir,
    files,
    topicSchemas,
    build: (flags = []) => tsc(flags),
    load: async <T>() => (await import(pathToFileURL(join(packageDir, "dist/index.js")).href)) as T,
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
