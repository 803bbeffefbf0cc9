/**
 * Emits generated/ts/: an npm package with one typed event class per entity, next to the message
 * types protoc-gen-es writes into ts/src (buf.gen.yaml runs it with out generated/ts/src).
 */
import type { Emitter, OutputFile } from "../emitter.js";
import { generatedHeader } from "../header.js";
import { writeEventFile } from "./event-file.js";
import { esNames } from "./names.js";
import { gitignore, indexSource, packageJson, readme, registrySource, tsconfigJson } from "./package-files.js";
import { RUNTIME_SOURCE } from "./runtime-source.js";

export const typescriptEmitter: Emitter = {
  name: "typescript",
  emit({ model, options }) {
    if (model.entities.length === 0) return [];
    const names = esNames();
    const events = model.entities.map((entity) => writeEventFile(entity, names));
    const paths = new Map<string, string>();
    for (const [i, file] of events.entries()) {
      const other = paths.get(file.path);
      if (other !== undefined) {
        throw new Error(`${model.entities[i]!.typeName} and ${other} would both get the event file ts/src/${file.path}; give one of them another message name.`);
      }
      paths.set(file.path, model.entities[i]!.typeName);
    }
    return [
      { name: "ts/package.json", content: packageJson(model, options) },
      { name: "ts/tsconfig.json", content: tsconfigJson() },
      { name: "ts/README.md", content: readme(model, options) },
      { name: "ts/.gitignore", content: gitignore() },
      { name: "ts/src/index.ts", content: indexSource(model, names) },
      { name: "ts/src/registry.ts", content: registrySource(model, names) },
      { name: "ts/src/runtime.ts", content: `// ${generatedHeader()}\n\n${RUNTIME_SOURCE}` },
      ...events.map((file) => ({ name: `ts/src/${file.path}`, content: file.content })),
    ] satisfies OutputFile[];
  },
};
