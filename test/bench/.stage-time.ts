/**
 * Dev harness (not committed): times the setup stages and each emitter's plan, check and
 * render+encode on the 1,000-entity request, in-process, the way the executable pays them: each
 * file is rendered AND encoded into its response part (protocol/response.ts filePartInto, which
 * flattens a rope string: a text built from many small pieces costs far more to encode than a
 * flat one). Prints a digest of the encoded parts per emitter (must not change).
 *   node test/bench/.stage-time-build.mjs && node /tmp/stage-time-<worktree>.js [/tmp/req.bin] [emitter|all] [rounds]
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import v8 from "node:v8";
import { readRequest } from "../../plugin/src/protocol/request.js";
import { EMITTERS } from "../../plugin/src/emit/index.js";
import { buildModel } from "../../plugin/src/model/build-model.js";
import { parsePluginOptions, splitParameter } from "../../plugin/src/options/plugin-options.js";
import { requestDescriptors } from "../../plugin/src/protocol/descriptors.js";
import { emitContext } from "../../plugin/src/plugin.js";
import { filePartInto } from "../../plugin/src/protocol/response.js";

v8.setFlagsFromString("--heap-growing-percent=25");
const [path = "/tmp/req.bin", only = "all", roundsText = "1"] = process.argv.slice(2);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const line = (label: string, wall: number, cpuMs: number) =>
  console.log(`${label.padEnd(30)} wall ${wall.toFixed(0).padStart(6)} ms  cpu ${cpuMs.toFixed(0).padStart(6)} ms`);
function stage<T>(label: string, run: () => T): T {
  const w = performance.now(), c = cpu();
  const result = run();
  line(label, performance.now() - w, cpu() - c);
  return result;
}
const bytes = readFileSync(path);
const request = stage("readRequest", () => readRequest(bytes));
const options = parsePluginOptions(splitParameter(request.parameter));
const { files, allFiles } = stage("requestDescriptors", () => requestDescriptors(request));
const model = stage("buildModel", () => buildModel({ files, allFiles, options }));
const context = emitContext(model, options, undefined);
for (const file of [...request.protoFile, ...request.sourceFileDescriptors]) file.sourceCodeInfo = undefined;
const rounds = Number(roundsText);
let scratch = Buffer.allocUnsafe(1 << 20);
for (let round = 0; round < rounds; round++) {
  for (const emitter of EMITTERS) {
    if (only !== "all" && emitter.name !== only) continue;
    const planned = stage(`${emitter.name} plan`, () => emitter.plan(context));
    stage(`${emitter.name} check`, () => emitter.check?.(context, planned));
    const hash = createHash("sha256");
    let size = 0, wall = 0, cpuMs = 0;
    for (const file of planned) {
      const w = performance.now(), c = cpu();
      const part = filePartInto({ name: file.name, content: file.render() }, scratch);
      wall += performance.now() - w; cpuMs += cpu() - c;
      if (part.buffer !== scratch.buffer) scratch = part;
      size += part.length;
      hash.update(part);
    }
    line(`${emitter.name} render+encode (${planned.length})`, wall, cpuMs);
    console.log(`${emitter.name} digest ${hash.digest("hex").slice(0, 16)} ${(size / 1e6).toFixed(1)} MB`);
  }
}
const hwm = readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+)/)![1];
console.log(`VmHWM ${((Number(hwm) * 1024) / 1e6).toFixed(0)} MB (main thread, default young generation)`);
