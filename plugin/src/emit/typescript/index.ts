/**
 * Emits generated/ts/: an npm package with one typed event class per entity, next to the message
 * types protoc-gen-es writes into ts/src (buf.gen.yaml runs it with out generated/ts/src).
 */
import { Problems } from "../../model/errors.js";
import type { Entity } from "../../model/types.js";
import type { Emitter } from "../emitter.js";
import { generatedHeader } from "../header.js";
import { eventFilePath, writeEventFile } from "./event-file.js";
import { esNames } from "./names.js";
import { gitignore, indexSource, packageJson, readme, registrySource, tsconfigJson } from "./package-files.js";
import { RUNTIME_SOURCE } from "./runtime-module.js";

export const typescriptEmitter: Emitter = {
  name: "typescript",
  check({ model }) {
    assertDistinctEventFiles(model.entities);
  },
  *emit({ model, options }) {
    if (model.entities.length === 0) return;
    const names = esNames();
    yield { name: "ts/package.json", content: packageJson(model, options) };
    yield { name: "ts/tsconfig.json", content: tsconfigJson() };
    yield { name: "ts/README.md", content: readme(model, options) };
    yield { name: "ts/.gitignore", content: gitignore() };
    yield { name: "ts/src/index.ts", content: indexSource(model, names) };
    yield { name: "ts/src/registry.ts", content: registrySource(model, names) };
    yield { name: "ts/src/runtime.ts", content: `// ${generatedHeader()}\n\n${RUNTIME_SOURCE}` };
    for (const entity of model.entities) {
      const file = writeEventFile(entity, names);
      yield { name: `ts/src/${file.path}`, content: file.content };
    }
  },
};

function assertDistinctEventFiles(entities: readonly Entity[]): void {
  const problems = new Problems();
  const owners = new Map<string, string>();
  for (const entity of entities) {
    const path = eventFilePath(entity);
    const other = owners.get(path);
    if (other !== undefined) {
      problems.add(
        entity.location,
        entity.typeName,
        `its event class would be written to ts/src/${path}, which ${other} already takes (the file is named after the message, in snake_case)`,
        "rename one of the two messages, or move one into a .proto file of its own",
      );
    }
    owners.set(path, entity.typeName);
  }
  problems.throwIfAny();
}
