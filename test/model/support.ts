/**
 * Model test support: build the normalized model straight from .proto sources, the way the plugin
 * does (same registry, same option parsing), so that tests can assert on columns rather than on
 * generated text.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "vitest";
import type { LockFile } from "../../plugin/src/evolution/lock.js";
import { evolve } from "../../plugin/src/evolution/evolve.js";
import { buildModel } from "../../plugin/src/model/build-model.js";
import type { Column, Entity, Model } from "../../plugin/src/model/types.js";
import { parsePluginOptions, splitParameter } from "../../plugin/src/options/plugin-options.js";
import { requestDescriptors } from "../../plugin/src/protocol/descriptors.js";
import { compileProtos, requestOf, runPlugin, writeWorkspace, type CompiledProtos } from "../harness/buf/protos.js";

export { writeWorkspace };

export const PROJECT = "project=test-project";
/** Where an error about the plugin options points. */
export const PLUGIN_OPTIONS = "buf.gen.yaml (plugin options)";

/**
 * The model of already compiled files, read as the plugin reads a request: the same descriptors,
 * the plugin parameter as buf passes it, and the released state when there is one.
 */
export function modelOfCompiled(compiled: CompiledProtos, parameter = PROJECT, lock?: LockFile): Model {
  const { files, allFiles } = requestDescriptors(requestOf(compiled, parameter));
  const options = parsePluginOptions(splitParameter(parameter));
  const model = buildModel({ files, allFiles, options });
  // The evolution stage, for its contract errors; the model itself holds nothing of the release.
  if (lock !== undefined) evolve(model, lock, options.retire, options.widen);
  return model;
}

/** Compiles the sources and builds their model. */
export function modelOf(sources: Record<string, string>, parameter = PROJECT): Model {
  return modelOfCompiled(compileProtos(sources), parameter);
}

/** A proto3 file in package `test.v1` with the options import; `body` holds its declarations. */
export function proto3(body: string, imports: readonly string[] = []): string {
  return [
    'syntax = "proto3";',
    "",
    "package test.v1;",
    "",
    'import "entity/v1/options.proto";',
    ...imports.map((i) => `import "${i}";`),
    "",
    body,
  ].join("\n");
}

export function entityNamed(model: Model, messageName: string): Entity {
  const entity = model.entities.find((e) => e.messageName === messageName);
  if (entity === undefined) throw new Error(`no entity ${messageName} in [${model.entities.map((e) => e.messageName).join(", ")}]`);
  return entity;
}

/** The column at `path` (top-level name, then nested names). */
export function columnAt(entity: Entity, ...path: string[]): Column {
  let columns: readonly Column[] = entity.columns;
  let found: Column | undefined;
  for (const name of path) {
    found = columns.find((c) => c.name === name);
    if (found === undefined) {
      throw new Error(`no column ${path.join(".")} in ${entity.messageName} (at ${name}: [${columns.map((c) => c.name).join(", ")}])`);
    }
    columns = found.fields;
  }
  return found!;
}

export function names(columns: readonly Column[]): string[] {
  return columns.map((c) => c.name);
}

/** Every column of a tree, depth first. */
export function allColumns(columns: readonly Column[]): Column[] {
  return columns.flatMap((c) => [c, ...allColumns(c.fields)]);
}

/**
 * Runs the plugin in-process and returns its error text. Fails the test when the plugin returns
 * files instead: an error must leave nothing to write.
 */
export function pluginError(compiled: CompiledProtos, parameter = PROJECT): string {
  let files: Map<string, string> | undefined;
  try {
    files = runPlugin(compiled, parameter);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  expect.fail(`the plugin wrote ${files.size} file(s) instead of failing: ${[...files.keys()].join(", ")}`);
}

/**
 * `line:column` (1-based) where `snippet` starts in `source`: where the compiler places the
 * declaration that begins with it. The snippet must occur exactly once.
 */
export function positionOf(source: string, snippet: string): string {
  const index = source.indexOf(snippet);
  if (index < 0 || source.indexOf(snippet, index + 1) >= 0) throw new Error(`snippet "${snippet}" must occur exactly once`);
  const before = source.slice(0, index).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

export const execFileAsync = promisify(execFile);

/** An entity with `total` columns in its table (envelope and metadata columns included). */
export function wideEntity(total: number): string {
  const innerFields = 99;
  const fixed = 3 + 4 + 1; // envelope, metadata, id
  const structs = Math.floor((total - fixed) / (innerFields + 1));
  const scalars = total - fixed - structs * (innerFields + 1);
  const fields = [
    ...Array.from({ length: structs }, (_, i) => `  Wide s${i} = ${i + 2};`),
    ...Array.from({ length: scalars }, (_, i) => `  int32 x${i} = ${structs + i + 2};`),
  ];
  return proto3(`message Huge {
  option (entity.v1.entity) = {};
  string id = 1;
${fields.join("\n")}
}

message Wide {
${Array.from({ length: innerFields }, (_, i) => `  int32 f${i} = ${i + 1};`).join("\n")}
}
`);
}
