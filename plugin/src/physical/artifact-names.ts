/**
 * Names of the files and objects the formats give an entity, for the formats that refer to each
 * other's output: the catalog links every file, Terraform configures the subscription the Pub/Sub
 * check assumes. Each format takes its names from here, so a link cannot drift from the file.
 */
import type { Entity } from "../model/types.js";

/** How the Terraform module configures every entity's BigQuery subscription; the Pub/Sub check assumes the same. */
export const SUBSCRIPTION_SETTINGS: { readonly writeMetadata: boolean; readonly dropUnknownFields: boolean } = { writeMetadata: true, dropUnknownFields: false };

/** The folder of the LookML project under the output directory. */
export const LOOKML_DIR = "lookml";

/** Terraform resource key of everything that belongs to one entity: `<dataset>__<table>`. */
export function entityKey(entity: Entity): string {
  return resourceKey(`${entity.dataset}__${entity.table}`);
}

/** A Terraform identifier: letters, digits, `_` and `-`, not starting with a digit. */
export function resourceKey(name: string): string {
  const key = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(key) ? key : `_${key}`;
}

/** The dbt source that holds a dataset's tables (one source per dataset). */
export function sourceName(dataset: string): string {
  return dataset;
}

/** The dbt sources file of a dataset. */
export function sourcesFileName(dataset: string): string {
  return `dbt/${dataset}/_${dataset}__sources.yml`;
}

/** `0002_invoice`: the migration number within the dataset, then the table. */
export function migrationStem(number: number, entity: Entity): string {
  return `${String(number).padStart(4, "0")}_${entity.table}`;
}
