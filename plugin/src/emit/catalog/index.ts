/**
 * Emits generated/catalog/: a static site analysts open in a browser, one page per entity and an
 * index to search and filter them. It needs no server and loads nothing from elsewhere: pages,
 * one stylesheet and one script, linked relatively, so file:// and any static host serve it.
 */
import { posix } from "node:path";
import type { Entity } from "../../model/types.js";
import { planned, type Emitter } from "../emitter.js";
import { entitiesByDataset } from "../../physical/datasets.js";
import { generatedHeader } from "../../printers/header.js";
import { lookmlSemantics } from "../../semantic/lookml-semantics.js";
import { esNames, topicKeys } from "../../physical/typescript-names.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "../../version.js";
import { entityPage, type EntityPage, type RunContext } from "./entity-page.js";
import { RepeatedHtml } from "./columns.js";
import { CATALOG_DIR, entityPagePath, FROM_ENTITY_PAGE_TO_CATALOG, INDEX_PAGE, SCRIPT, STYLESHEET } from "./names.js";
import { SCRIPT_TEXT } from "./script.js";
import { STYLESHEET_TEXT } from "./stylesheet.js";
import { catalogTemplates } from "./templates.js";

export const catalogEmitter: Emitter = {
  name: "catalog",
  readsDescriptors: true,
  plan({ model, options, evolution, physical }) {
    if (model.entities.length === 0) return [];
    const semantics = lookmlSemantics(model);
    let templates: ReturnType<typeof catalogTemplates> | undefined;
    const template = () => (templates ??= catalogTemplates());
    const byTypeName = new Map(model.entities.map((e) => [e.typeName, e]));
    const run: RunContext = {
      options,
      evolution,
      physical,
      lookmlNames: semantics.names,
      topicKeys: topicKeys(model.entities),
      esNames: esNames(),
      repeatedHtml: new RepeatedHtml(),
      referenceHref(from, typeName) {
        const target = byTypeName.get(typeName);
        return target === undefined ? "" : posix.relative(posix.dirname(entityPagePath(from)), entityPagePath(target));
      },
    };
    const shared = { header: generatedHeader(), generator: `${PLUGIN_NAME} ${PLUGIN_VERSION}`, project: model.project };
    // The index needs a summary of every entity: each page leaves its summary when it is written,
    // and the index (written after them) makes any that is missing.
    const summaries = new Map<Entity, IndexEntry>();
    const pageOf = (entity: Entity) => entityPage(entity, run, semantics.eventsFieldOf(entity));
    const pages = model.entities.map((entity) =>
      planned(`${CATALOG_DIR}/${entityPagePath(entity)}`, () => {
        const page = pageOf(entity);
        summaries.set(entity, indexEntry(page));
        return template().entity({
          ...shared,
          ...pageData(page),
          columnRows: template().columnRows(page.columns),
          root: FROM_ENTITY_PAGE_TO_CATALOG,
          pageTitle: `${page.title} · Data catalog`,
          searchLabel: "Filter columns",
        });
      }),
    );
    const index = planned(`${CATALOG_DIR}/${INDEX_PAGE}`, () => {
      const entries = model.entities.map((entity) => summaries.get(entity) ?? indexEntry(pageOf(entity)));
      return template().index({
        ...shared,
        root: "",
        pageTitle: `Data catalog · ${model.project}`,
        searchLabel: "Search entities and columns",
        entities: entries,
        datasets: [...entitiesByDataset(model.entities)].map(([name, entities]) => ({ name, count: entities.length })).sort((a, b) => compare(a.name, b.name)),
        owners: owners(model.entities),
        columnCount: entries.reduce((sum, s) => sum + s.columns.length, 0).toLocaleString("en"),
      });
    });
    return [
      ...pages,
      index,
      planned(`${CATALOG_DIR}/${STYLESHEET}`, () => `/* ${generatedHeader()} */\n${STYLESHEET_TEXT}`),
      planned(`${CATALOG_DIR}/${SCRIPT}`, () => `// ${generatedHeader()}\n${SCRIPT_TEXT}`),
    ];
  },
};

/**
 * The page's data for the template: every name the template reads is present (strict mode). The
 * column rows are made as the template reads them (columnRows), not copied here once more.
 */
function pageData(page: EntityPage): object {
  return {
    ...page,
    history: {
      ...page.history,
      entries: page.history.entries.map((e) => ({ ...e, pending: e.status === "pending", statusLabel: e.status === "pending" ? "not released" : "released" })),
    },
  };
}

interface IndexEntry {
  readonly entity: Entity;
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly dataset: string;
  readonly owner: string;
  /** The owner filter's value: the owner, or NO_OWNER. */
  readonly ownerKey: string;
  readonly piiColumns: number;
  readonly freshness: EntityPage["freshness"];
  /** Column paths: the script turns those a search matches into links to their rows. */
  readonly columns: readonly string[];
}

/** What the index keeps of a page: its card, and the columns a search can lead to. */
function indexEntry(page: EntityPage): IndexEntry {
  return {
    entity: page.entity,
    path: page.path,
    title: page.title,
    description: page.description,
    dataset: page.dataset,
    owner: page.owner,
    ownerKey: page.owner === "" ? NO_OWNER : page.owner,
    piiColumns: page.piiColumns,
    freshness: page.freshness,
    columns: page.columns.map((c) => c.path),
  };
}

/** An owner name cannot be empty, so the empty text stands for "none" in the owner filter. */
const NO_OWNER = " ";

function owners(entities: readonly Entity[]): { name: string; label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of entities) counts.set(e.owner ?? NO_OWNER, (counts.get(e.owner ?? NO_OWNER) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, label: name === NO_OWNER ? "No owner" : name, count }))
    .sort((a, b) => compare(a.label, b.label));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
