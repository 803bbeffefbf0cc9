/**
 * Where the catalog's files are, inside the plugin's output directory and relative to each other.
 * Pages link to each other and to the other generated files by relative paths, so that the
 * catalog works from the file system (file://) and from any static host that serves generated/.
 */
import type { Entity } from "../../model/types.js";

/** The catalog's folder in the output directory. */
export const CATALOG_DIR = "catalog";

/** The page every other one links back to. */
export const INDEX_PAGE = "index.html";
export const STYLESHEET = "catalog.css";
export const SCRIPT = "catalog.js";

/** An entity's page, relative to the catalog folder: named after the message, which is unique in a run. */
export function entityPagePath(entity: Entity): string {
  return `entities/${entity.typeName}.html`;
}

/** From an entity page to the catalog folder. */
export const FROM_ENTITY_PAGE_TO_CATALOG = "../";
/** From an entity page to the output directory, where the other generated files are. */
export const FROM_ENTITY_PAGE_TO_OUTPUT = "../../";

export const COLUMN_ANCHOR_PREFIX = "col-";

/** The anchor of a column's row on its entity page (`#col-address.city`). */
export function columnAnchor(path: string): string {
  return `${COLUMN_ANCHOR_PREFIX}${path}`;
}
