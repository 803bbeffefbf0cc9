/**
 * Contract errors end to end: `buf generate` with protoc-gen-es and the built plugin, as a user runs
 * it. Every error case of test/cases/errors/ must fail the run, print its expected message on
 * stderr and leave both output directories unwritten.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPluginInto } from "../harness/buf/plugin-build.js";
import { BUF, REPO_ROOT } from "../harness/buf/protos.js";
import { errorFixtures, type ErrorFixture } from "../cases/error-fixtures.js";
import { execFileAsync, PROJECT, proto3, writeWorkspace } from "./support.js";

const PROTOC_GEN_ES = join(REPO_ROOT, "node_modules/.bin/protoc-gen-es");
/** A private build of the plugin (see buildPluginInto). */
let build: string;
const protocGenEntity = () => join(build, "bin/protoc-gen-entity");
const ES_OUT = "out/es";
const ENTITY_OUT = "out/entity";

function bufGenYaml(parameter: string): string {
  const options = parameter === "" ? [] : parameter.split(",");
  return [
    "version: v2",
    "plugins:",
    `  - local: ${JSON.stringify(PROTOC_GEN_ES)}`,
    `    out: ${ES_OUT}`,
    "    opt: [target=ts]",
    `  - local: ${JSON.stringify(protocGenEntity())}`,
    `    out: ${ENTITY_OUT}`,
    "    strategy: all",
    `    opt: ${JSON.stringify(options)}`,
    "",
  ].join("\n");
}

interface GenerateResult {
  readonly exitCode: number;
  readonly stderr: string;
  /** Files under each out directory; undefined when the directory does not exist. */
  readonly esFiles: string[] | undefined;
  readonly entityFiles: string[] | undefined;
}

async function bufGenerate(files: Readonly<Record<string, string>>, parameter: string): Promise<GenerateResult> {
  const dir = mkdtempSync(join(tmpdir(), "entity-e2e-"));
  try {
    writeWorkspace(dir, files);
    writeFileSync(join(dir, "buf.gen.yaml"), bufGenYaml(parameter));
    const args = ["generate", ...Object.keys(files).flatMap((p) => ["--path", p])];
    let exitCode = 0;
    let stderr = "";
    try {
      ({ stderr } = await execFileAsync(BUF, args, { cwd: dir }));
    } catch (error) {
      const failure = error as { code?: number; stderr?: string };
      exitCode = typeof failure.code === "number" ? failure.code : -1;
      stderr = failure.stderr ?? "";
    }
    const list = (out: string) => (existsSync(join(dir, out)) ? readdirSync(join(dir, out), { recursive: true }).map(String) : undefined);
    return { exitCode, stderr, esFiles: list(ES_OUT), entityFiles: list(ENTITY_OUT) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the plugin printed: from its `protoc-gen-entity: ` line up to buf's own `Failure:` line. */
function pluginMessage(stderr: string): string {
  const start = stderr.search(/^protoc-gen-entity: /m);
  expect(start, `the plugin's message on stderr:\n${stderr}`).toBeGreaterThanOrEqual(0);
  const rest = stderr.slice(start + "protoc-gen-entity: ".length);
  const end = rest.search(/^Failure:/m);
  return (end < 0 ? rest : rest.slice(0, end)).trimEnd();
}

beforeAll(() => {
  build = mkdtempSync(join(tmpdir(), "entity-e2e-build-"));
  buildPluginInto(build);
});

afterAll(() => {
  if (build !== undefined) rmSync(build, { recursive: true, force: true });
});

describe("buf generate", () => {
  it("writes both plugins' output for a valid contract (the harness works)", async () => {
    const files = { "test/v1/fine.proto": proto3("message Fine {\n  option (entity.v1.entity) = {};\n  string id = 1;\n}\n") };
    const result = await bufGenerate(files, PROJECT);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.esFiles?.length).toBeGreaterThan(0);
    expect(result.entityFiles).toContain(join("pubsub", "fine.proto"));
  });

  it.concurrent.each(errorFixtures().map((c) => [c.name, c] as const))("fails and writes nothing: %s", async (_name, errorCase: ErrorFixture) => {
    const result = await bufGenerate(errorCase.files, errorCase.parameter);
    expect(result.exitCode, result.stderr).not.toBe(0);
    expect(pluginMessage(result.stderr)).toBe(readFileSync(errorCase.expectedPath, "utf8").trimEnd());
    // buf writes nothing when a plugin fails: not the failing plugin's files, not protoc-gen-es's.
    expect(result.esFiles ?? []).toEqual([]);
    expect(result.entityFiles ?? []).toEqual([]);
  });
});
