/**
 * The executable as buf runs it: request on stdin, the response written one file at a time on
 * stdout, a failure on stderr with exit code 1 and, for a rejected contract, not a byte on stdout.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { protocGenEntity } from "../../plugin/src/edge/plugin-entry.js";
import { positionOf, proto3 } from "../model/support.js";
import { buildPluginInto } from "../harness/buf/plugin-build.js";
import { compileExample, compileProtos, exampleParameter, REPO_ROOT, requestOf } from "../harness/buf/protos.js";

/** Linux's O_NONBLOCK, as /proc/<pid>/fdinfo prints a descriptor's flags (octal). */
const O_NONBLOCK = 0o4000;

let dir: string;
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "entity-stdio-build-"));
  bin = buildPluginInto(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBin(args: string[], stdin: Uint8Array = new Uint8Array()) {
  const run = spawnSync(process.execPath, [bin, ...args], { input: stdin, cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString() };
}

describe("protoc-gen-entity on stdin and stdout", () => {
  it("writes, one file at a time, the bytes of the response the plugin gives in process", () => {
    const example = requestOf(compileExample(), exampleParameter());
    const run = runBin([], toBinary(CodeGeneratorRequestSchema, example));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const streamed = fromBinary(CodeGeneratorResponseSchema, run.stdout);
    const whole = protocGenEntity.run(example);
    expect(streamed.file.length).toBeGreaterThan(50);
    expect(streamed).toEqual(whole);
    // A repeated field is encoded element by element, and the capabilities come before the files
    // in field order: the parts written one by one are the whole response's bytes.
    expect(Buffer.compare(run.stdout, toBinary(CodeGeneratorResponseSchema, whole))).toBe(0);
  });

  it("keeps its stdout blocking, so that a write on a full pipe wakes as soon as the reader makes room", async () => {
    // Node makes a pipe non-blocking when this thread creates process.stdout (its default for a
    // worker's output); the worker's synchronous writes would then poll a full pipe on a timer.
    const example = toBinary(CodeGeneratorRequestSchema, requestOf(compileExample(), exampleParameter()));
    const child = spawn(process.execPath, [bin], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] });
    const flagsWhileWriting = new Promise<number>((resolve) =>
      child.stdout.once("data", () => resolve(Number.parseInt(/^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/${child.pid}/fdinfo/1`, "utf8"))![1], 8))),
    );
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.end(example);
    const flags = await flagsWhileWriting;
    expect(await exited).toBe(0);
    expect(flags & O_NONBLOCK).toBe(0);
    expect(fromBinary(CodeGeneratorResponseSchema, Buffer.concat(chunks)).file.length).toBeGreaterThan(50);
  });

  it("writes nothing on stdout for a rejected contract, and says why on stderr", () => {
    const source = proto3("message Thing {\n  option (entity.v1.entity) = {};\n  string id = 1;\n  string operation = 2;\n}\n");
    const run = runBin([], toBinary(CodeGeneratorRequestSchema, requestOf(compileProtos({ "test/v1/thing.proto": source }), "project=test-project")));
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^protoc-gen-entity: /);
    expect(run.stderr).toContain(`test/v1/thing.proto:${positionOf(source, "string operation")}`);
  });

  it("writes nothing on stdout when a format rejects the contract, though other entities are fine", () => {
    // The model accepts both Items; the TypeScript emitter's check does not (one event file for two).
    const source = proto3(
      ["Outer", "Other"].map((outer) => `message ${outer} {\n  message Item {\n    option (entity.v1.entity) = {topic: "${outer.toLowerCase()}_items"};\n    string id = 1;\n  }\n}\n`).join("\n") +
        'message Fine {\n  option (entity.v1.entity) = {};\n  string id = 1;\n}\n',
    );
    const run = runBin([], toBinary(CodeGeneratorRequestSchema, requestOf(compileProtos({ "test/v1/items.proto": source }), "project=test-project")));
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toContain("ts/src/test/v1/item_event.ts, which test.v1.Outer.Item already takes");
  });

  it("writes nothing on stdout for an unknown plugin option", () => {
    const run = runBin([], toBinary(CodeGeneratorRequestSchema, requestOf(compileExample(), `${exampleParameter()},colour=red`)));
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toContain('unknown plugin option "colour"');
  });

  it("prints its version, and refuses arguments it does not know", () => {
    const version = JSON.parse(readFileSync(join(REPO_ROOT, "plugin/package.json"), "utf8")).version;
    expect(runBin(["--version"]).stdout.toString()).toBe(`protoc-gen-entity v${version}\n`);
    const unknown = runBin(["--colour"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown command "--colour"');
  });
});
