/**
 * Emits generated/dbt/: one sources file per BigQuery dataset, so that dbt models build on the
 * entity tables and views with `source()`, and `dbt test` / `dbt source freshness` check them.
 */
import type { Entity } from "../../model/types.js";
import type { Emitter, OutputFile } from "../emitter.js";
import { generatedHeader } from "../header.js";
import type { EntityIndex } from "./data-tests.js";
import { datasetDocument } from "./sources.js";
import { yamlDocument } from "./yaml-text.js";

/** The layout needs config-level loaded_at_field (1.10.3) and test `arguments` by default (1.10.8). */
export const MIN_DBT_CORE_VERSION = "1.10.8";

export const dbtEmitter: Emitter = {
  name: "dbt",
  *emit({ model }) {
    const index: EntityIndex = new Map(model.entities.map((e) => [e.typeName, e]));
    for (const [dataset, entities] of byDataset(model.entities)) yield sourcesFile(dataset, model.project, entities, index);
  },
};

export function sourcesFileName(dataset: string): string {
  return `dbt/${dataset}/_${dataset}__sources.yml`;
}

function sourcesFile(dataset: string, project: string, entities: readonly Entity[], index: EntityIndex): OutputFile {
  const protoFiles = [...new Set(entities.map((e) => e.protoFile))].sort().join(", ");
  const header = [
    `# ${generatedHeader(protoFiles.replace(/[\r\n\u0085\u2028\u2029]+/g, " "))}`,
    `# dbt sources of the BigQuery dataset ${dataset}; needs dbt Core ${MIN_DBT_CORE_VERSION} or later, or dbt Fusion.`,
  ].join("\n");
  return { name: sourcesFileName(dataset), content: `${header}\n${yamlDocument(datasetDocument(dataset, project, entities, index))}` };
}

/** Entities grouped by dataset, datasets and entities sorted by name so the output is stable. */
function byDataset(entities: readonly Entity[]): Map<string, Entity[]> {
  const groups = new Map<string, Entity[]>();
  for (const entity of [...entities].sort((a, b) => compare(a.dataset, b.dataset) || compare(a.table, b.table))) {
    const group = groups.get(entity.dataset) ?? [];
    group.push(entity);
    groups.set(entity.dataset, group);
  }
  return groups;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
