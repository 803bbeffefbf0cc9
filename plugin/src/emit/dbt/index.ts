/**
 * Emits generated/dbt/: one sources file per BigQuery dataset, so that dbt models build on the
 * entity tables and views with `source()`, and `dbt test` / `dbt source freshness` check them.
 */
import type { RetiredEntity } from "../../evolution/evolution.js";
import type { Entity } from "../../model/types.js";
import { planned, type Emitter, type PlannedFile } from "../emitter.js";
import { entitiesByDataset, protoFilesOf } from "../../physical/datasets.js";
import { generatedHeader } from "../../printers/header.js";
import { sourcesFileName } from "../../physical/artifact-names.js";
import type { EntityIndex } from "./data-tests.js";
import { datasetDocument } from "./sources.js";
import { yamlDocument } from "../../printers/yaml-text.js";

/** The layout needs config-level loaded_at_field (1.10.3) and test `arguments` by default (1.10.8). */
export const MIN_DBT_CORE_VERSION = "1.10.8";

export const dbtEmitter: Emitter = {
  name: "dbt",
  plan({ model, evolution }) {
    const index: EntityIndex = new Map(model.entities.map((e) => [e.typeName, e]));
    // Sorted by dataset, then table, so that the files do not change when protos are reordered.
    const sorted = [...model.entities].sort((a, b) => compare(a.dataset, b.dataset) || compare(a.table, b.table));
    const byDataset = entitiesByDataset(sorted);
    const retiredByDataset = new Map<string, RetiredEntity[]>();
    for (const retired of evolution?.retired ?? []) {
      retiredByDataset.set(retired.released.dataset, [...(retiredByDataset.get(retired.released.dataset) ?? []), retired]);
    }
    const datasets = [...new Set([...byDataset.keys(), ...retiredByDataset.keys()])].sort(compare);
    return datasets.map((dataset) => sourcesFile(dataset, model.project, byDataset.get(dataset) ?? [], retiredByDataset.get(dataset) ?? [], index));
  },
};

function sourcesFile(dataset: string, project: string, entities: readonly Entity[], retired: readonly RetiredEntity[], index: EntityIndex): PlannedFile {
  const protoFiles = [protoFilesOf(entities), ...(entities.length === 0 ? ["the lock's retired entities"] : [])].filter((s) => s !== "").join(", ");
  const header = [
    `# ${generatedHeader(protoFiles.replace(/[\r\n\u0085\u2028\u2029]+/g, " "))}`,
    `# dbt sources of the BigQuery dataset ${dataset}; needs dbt Core ${MIN_DBT_CORE_VERSION} or later, or dbt Fusion.`,
  ].join("\n");
  return planned(sourcesFileName(dataset), () => `${header}\n${yamlDocument(datasetDocument(dataset, project, entities, retired, index))}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
