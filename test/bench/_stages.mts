import { readFileSync } from "node:fs";
import { readRequest } from "../../plugin/src/protocol/request.ts";
import { requestDescriptors } from "../../plugin/src/protocol/descriptors.ts";
import { buildModel } from "../../plugin/src/model/build-model.ts";
import { parsePluginOptions, splitParameter } from "../../plugin/src/options/plugin-options.ts";
import { emitContext } from "../../plugin/src/plugin.ts";
import { EMITTERS } from "../../plugin/src/emit/index.ts";
const mb = () => { (globalThis as any).gc(); (globalThis as any).gc(); return (process.memoryUsage().heapUsed / 1e6).toFixed(1) + "MB heap, rss " + (process.memoryUsage().rss/1e6).toFixed(0); };
const keep: any[] = [];
console.log("start", mb());
let bytes: Buffer | undefined = readFileSync("/tmp/perf/ours.bin");
console.log("bytes", mb());
const request = readRequest(bytes); bytes = undefined;
console.log("request", mb());
const options = parsePluginOptions(splitParameter(request.parameter));
const { files, allFiles } = requestDescriptors(request);
console.log("registry", mb());
const model = buildModel({ files, allFiles, options });
console.log("model", mb());
for (const file of [...request.protoFile, ...request.sourceFileDescriptors]) file.sourceCodeInfo = undefined;
console.log("no source info", mb());
const context = emitContext(model, options, undefined);
const plans = EMITTERS.map((emitter) => { const t = Date.now(); const files = emitter.plan(context); const r = { emitter, files }; console.log("plan", emitter.name, files.length, Date.now() - t, "ms", mb()); return r; });
for (const { emitter, files } of plans) { const t = Date.now(); emitter.check?.(context, files); console.log("check", emitter.name, Date.now() - t, "ms"); }
console.log("checked", mb());
(request as any).protoFile = []; (request as any).sourceFileDescriptors = [];
console.log("request arrays dropped", mb());
const cpu0 = process.cpuUsage();
for (const { emitter, files } of plans) {
  const t = Date.now(); let bytes = 0;
  for (let i = 0; i < files.length; i++) { bytes += files[i].render().length; (files as any)[i] = undefined; }
  console.log("render", emitter.name, files.length, Date.now() - t, "ms", (bytes / 1e6).toFixed(1), "MB chars", mb());
}
console.log("end", mb(), keep.length, request.protoFile.length);
