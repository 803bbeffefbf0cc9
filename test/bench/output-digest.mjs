/**
 * `node test/bench/output-digest.mjs`: prints the digests of two outputs of the plugin as it is in
 * this tree, so that a restructure can show it left them byte-for-byte unchanged (run it before
 * and after, compare the lines):
 *   - the example: proto/ with buf.gen.yaml's options, as `npm run generate` produces generated/;
 *   - the generation benchmark's 1,000-entity domain with its options (project=bench-project).
 * The plugin runs as buf runs it, its own process from a private build of the current sources
 * (plugin/dist is left alone), request on stdin. Digest: see support/output-digest.mjs.
 */
import { register } from "tsx/esm/api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema } from "@bufbuild/protobuf/wkt";
import { outputDigest } from "./support/output-digest.mjs";
import { runPluginProcess } from "./support/plugin-process.mjs";
import { BENCH_DOMAIN_SIZE, BENCH_PARAMETER } from "./support/bench-domain.mjs";
import { synthesizeDomain } from "./support/synthetic-domain.mjs";

// The harnesses are TypeScript; tsx loads them when this runs under plain node, and the plugin's
// sources import their runtime module as text (`?raw`), which the second hook serves.
register();
await import("../../plugin/scripts/register-raw-text.mjs");
const { compileExample, compileProtos, exampleParameter, REPO_ROOT, requestOf } = await import("../harness/buf/protos.ts");
const { buildPluginInto } = await import("../harness/buf/plugin-build.ts");

const buildDir = mkdtempSync(join(tmpdir(), "entity-digest-"));
try {
  const plugin = buildPluginInto(buildDir);
  const cases = [
    ["example (proto/, buf.gen.yaml)", () => requestOf(compileExample(), exampleParameter())],
    ["1,000-entity benchmark", () => requestOf(compileProtos(synthesizeDomain(BENCH_DOMAIN_SIZE).sources), BENCH_PARAMETER)],
  ];
  for (const [label, request] of cases) {
    const { response } = await runPluginProcess(plugin, toBinary(CodeGeneratorRequestSchema, request()), { cwd: REPO_ROOT });
    console.log(`${outputDigest(response.file)}  ${response.file.length} files  ${label}`);
  }
} finally {
  rmSync(buildDir, { recursive: true, force: true });
}
