/**
 * Emits generated/ts/: an npm package with one typed event class per entity, next to the message
 * types protoc-gen-es writes into ts/src (buf.gen.yaml runs it with out generated/ts/src).
 */
import { Problems } from "../../model/errors.js";
import type { Entity } from "../../model/types.js";
import { planned, type Emitter } from "../emitter.js";
import { generatedHeader } from "../../printers/header.js";
import { eventFilePath, writeEventFile } from "./event-file.js";
import { esNames } from "../../physical/typescript-names.js";
import { gitignore, indexSource, packageJson, readme, registrySource, tsconfigJson } from "./package-files.js";
import { RUNTIME_SOURCE } from "./runtime-module.js";

export const typescriptEmitter: Emitter = {
  name: "typescript",
  readsDescriptors: true,
  check({ model }) {
    assertDistinctEventFiles(model.entities);
  },
  plan({ model, options, evolution, physical }) {
    if (model.entities.length === 0) return [];
    const names = esNames();
    return [
      planned("ts/package.json", () => packageJson(model, options, evolution)),
      planned("ts/tsconfig.json", tsconfigJson),
      planned("ts/README.md", () => readme(model, options)),
      planned("ts/.gitignore", gitignore),
      planned("ts/src/index.ts", () => indexSource(model, names)),
      planned("ts/src/registry.ts", () => registrySource(model, names)),
      planned("ts/src/runtime.ts", () => `// ${generatedHeader()}\n\n${RUNTIME_SOURCE}`),
      ...model.entities.map((entity) =>
        planned(`ts/src/${eventFilePath(entity)}`, () => writeEventFile(entity, names, physical.of(entity).topicSchema.schema).content),
      ),
    ];
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
