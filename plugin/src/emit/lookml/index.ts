/**
 * Emits generated/lookml/: per entity a view file and an explore file, per dataset the freshness
 * view and explore, and one model file that a Looker project uses as it is. The files sit in one
 * folder and include each other by relative name, so the folder can live anywhere in the project.
 */
import { readRelations } from "../../physical/bigquery-names.js";
import type { PluginOptions } from "../../options/plugin-options.js";
import { LOOKML_DIR } from "../../physical/artifact-names.js";
import { planned, type Emitter, type PlannedFile } from "../emitter.js";
import { entitiesByDataset, protoFilesOf } from "../../physical/datasets.js";
import { generatedHeader } from "../../printers/header.js";
import { exploreFile, exploreSourceOf, includeParams, writeViewFile, type EntityExploreSource } from "../../semantic/entity-views.js";
import { lookmlSemantics } from "../../semantic/lookml-semantics.js";
import { datagroupBlock } from "./caching.js";
import { activityDashboard, freshnessDashboard } from "./dashboards.js";
import { freshnessLookml } from "./freshness.js";
import { block, printLookml, str, atom, stringList, LookmlWriter, type LookmlNode } from "../../printers/lookml-text.js";
import {
  CONSTANTS,
  constantRef,
  datagroupName,
  type EntityLookmlNames,
  freshnessLookmlName,
  MODEL_NAME,
  PII_ACCESS_GRANT,
  PII_ALLOWED_VALUE,
  PROJECT_NAME,
} from "../../semantic/lookml-names.js";
import type { Entity, Model } from "../../model/types.js";


export const lookmlEmitter: Emitter = {
  name: "lookml",
  plan({ model, options }) {
    if (model.entities.length === 0) return [];
    const semantics = lookmlSemantics(model);
    const names = semantics.names;
    const datasets = entitiesByDataset(model.entities);
    // Every view name of the Looker model, checked here, before any file is written: the explores need them all.
    const modelViews = new Set<string>();
    const addViews = (views: readonly string[], where: string) => {
      for (const view of views) {
        if (modelViews.has(view)) {
          throw new Error(`${where}: LookML view "${view}" would be generated twice.\n  fix: give one of the tables another name with (entity.v1.entity).table.`);
        }
        modelViews.add(view);
      }
    };
    const files: PlannedFile[] = [];
    const seen = new Set<string>();
    const add = (file: PlannedFile) => {
      if (seen.has(file.name)) throw new Error(`LookML file ${file.name} would be generated twice.\n  fix: give one of the tables another name with (entity.v1.entity).table.`);
      seen.add(file.name);
      files.push(file);
    };

    // What the explores and dashboards need of an entity's views (its source) is kept from its
    // view file, which makes the views anyway, to the end of the LookML files; the plan only checks
    // the field names and names the views, so no entity's views are made twice and nothing is held
    // while the other formats are written. A file written without its view file first makes it.
    const entityByType = new Map(model.entities.map((e) => [e.typeName, e]));
    const sources = new Map<string, EntityExploreSource>();
    const sourceOf = (typeName: string): EntityExploreSource | undefined => {
      let source = sources.get(typeName);
      if (source === undefined) {
        const entity = entityByType.get(typeName);
        if (entity === undefined) return undefined;
        source = semantics.source(entity);
        sources.set(typeName, source);
      }
      return source;
    };

    // Views first; the explores need every view name.
    for (const entity of model.entities) {
      const entityNames = names.get(entity)!;
      addViews(semantics.viewNames(entity), `${entity.protoFile}: ${entity.typeName}`);
      const sharedFieldsView = readRelations(entity).latestView ? entityNames.fieldsView : undefined;
      add(lookmlFile(`${entityNames.file}.view.lkml`, entity.protoFile, entityNames.eventsView, (w) => {
        const lookml = semantics.views(entity);
        if (!sources.has(entity.typeName)) sources.set(entity.typeName, exploreSourceOf(lookml));
        writeViewFile(w, lookml);
      }, "view", sharedFieldsView));
    }
    for (const dataset of datasets.keys()) addViews([freshnessLookmlName(dataset)], `dataset ${dataset}`);

    const exploreFiles: string[] = [];
    const dashboardFiles: string[] = [];
    for (const entity of model.entities) {
      const entityNames = names.get(entity)!;
      const source = () => sourceOf(entity.typeName)!;
      exploreFiles.push(`${entityNames.file}.explore.lkml`);
      add(lookmlFile(`${entityNames.file}.explore.lkml`, entity.protoFile, entityNames.eventsView, (w) => {
        const { includes, explores } = exploreFile(source(), sourceOf, modelViews);
        w.nodes(includeParams(includes));
        w.nodes(explores);
      }, "explore"));
      dashboardFiles.push(`${entityNames.file}.dashboard.lookml`);
      add(dashboardFile(`${entityNames.file}.dashboard.lookml`, entity.protoFile, () => activityDashboard(source()).text));
    }
    for (const [dataset, entities] of datasets) {
      const name = freshnessLookmlName(dataset);
      const sources = protoFilesOf(entities);
      // The view, the explore and the dashboard are made together; the first file to be written makes them.
      let made: ReturnType<typeof freshnessLookml> | undefined;
      const freshness = () => (made ??= freshnessLookml(name, model.project, dataset, entities));
      add(lookmlFile(`${name}.view.lkml`, sources, name, (w) => freshness().writeView(w)));
      exploreFiles.push(`${name}.explore.lkml`);
      add(lookmlFile(`${name}.explore.lkml`, sources, name, (w) => w.nodes([...includeParams([`${name}.view.lkml`]), freshness().explore]), "explore"));
      dashboardFiles.push(`${name}.dashboard.lookml`);
      add(dashboardFile(`${name}.dashboard.lookml`, sources, () => freshnessDashboard(name, dataset, entities, freshness().lastPublishGroup).text));
    }
    add(modelFile(exploreFiles, dashboardFiles, datasets, names, options));
    add(manifestFile(model, datasets, options));
    return files;
  },
};

/** A dashboard's YAML with the generated header as `#` comments (YAML comments). */
function dashboardFile(name: string, source: string | undefined, text: () => string): PlannedFile {
  const head = [
    `# ${generatedHeader(source)}`,
    "# Regenerating replaces this file. To change the dashboard, copy it into a dashboard of your own",
    "# (in Looker: Edit > Copy LookML, or extends: in a LookML dashboard of yours).",
    "",
  ].join("\n");
  return planned(`${LOOKML_DIR}/${name}`, () => head + text());
}

/**
 * manifest.lkml: the folder is a Looker project of its own, which a team's project imports with
 * `local_dependency` or `remote_dependency`, overriding the constants to point it elsewhere.
 */
function manifestFile(model: Model, datasets: ReadonlyMap<string, readonly Entity[]>, options: PluginOptions): PlannedFile {
  const constant = (name: string, value: string) => block("constant", name, [str("value", value), atom("export", "override_optional")]);
  const nodes: LookmlNode[] = [
    str("project_name", PROJECT_NAME),
    constant(CONSTANTS.connection, options.lookerConnection),
    constant(CONSTANTS.gcpProject, model.project),
    constant(CONSTANTS.model, MODEL_NAME),
    ...[...datasets.keys()].map((dataset) => constant(CONSTANTS.dataset(dataset), dataset)),
  ];
  const text = [
    `# ${generatedHeader()}`,
    "# Regenerating replaces this file. The constants are exported: a project that imports this one",
    "# (local_dependency or remote_dependency) overrides them with override_constant in its own manifest.",
    "",
  ].join("\n");
  return planned(`${LOOKML_DIR}/manifest.lkml`, () => text + printLookml(nodes));
}

/**
 * A `#` comment header: generated, and how to change it without editing it; in a view file with
 * shared fields, that refining their view changes both relations' views.
 */
function header(source: string | undefined, example: string, kind: "view" | "explore", sharedFieldsView: string | undefined): string {
  return [
    `# ${generatedHeader(source)}`,
    "# Regenerating replaces this file. To change or extend it, write a refinement in a file of your",
    `# own, included after this one: \`${kind}: +${example} { ... }\`. Refinements survive regeneration.`,
    ...(sharedFieldsView === undefined ? [] : [`# The fields both views have are in ${sharedFieldsView}, which they extend: \`view: +${sharedFieldsView} { ... }\` changes both.`]),
    "",
  ].join("\n");
}

function lookmlFile(
  name: string,
  source: string | undefined,
  example: string,
  write: (writer: LookmlWriter) => void,
  kind: "view" | "explore" = "view",
  sharedFieldsView?: string,
): PlannedFile {
  return planned(`${LOOKML_DIR}/${name}`, () => {
    const writer = new LookmlWriter();
    write(writer);
    return header(source, example, kind, sharedFieldsView) + writer.text();
  });
}

/**
 * The model: connection, the explores and dashboards, a datagroup per dataset with the explores
 * that use it (refinements here, so the explore files stay usable in a team's own model), and the
 * access grant that PII fields require.
 */
function modelFile(
  exploreFiles: readonly string[],
  dashboardFiles: readonly string[],
  datasets: ReadonlyMap<string, readonly Entity[]>,
  names: ReadonlyMap<Entity, EntityLookmlNames>,
  options: PluginOptions,
): PlannedFile {
  const nodes: LookmlNode[] = [
    str("connection", constantRef(CONSTANTS.connection)),
    ...includeParams(exploreFiles),
    ...includeParams(dashboardFiles),
    ...[...datasets].flatMap(([dataset, entities]) => [
      datagroupBlock(dataset, entities),
      ...entities.flatMap((e) => [names.get(e)!.eventsView, ...(readRelations(e).latestView ? [names.get(e)!.latestView] : [])]).map((explore) => block("explore", `+${explore}`, [atom("persist_with", datagroupName(dataset))])),
    ]),
    block("access_grant", PII_ACCESS_GRANT, [atom("user_attribute", options.lookerPiiUserAttribute), stringList("allowed_values", [PII_ALLOWED_VALUE])]),
  ];
  const text = [
    `# ${generatedHeader()}`,
    "# Regenerating replaces this file. Use it as it is, or include the *.explore.lkml files in a model",
    "# of your own (with the access_grant below) to refine them there: `explore: +name { ... }`.",
    `# Fields tagged "pii" require the access grant ${PII_ACCESS_GRANT}: users whose user attribute`,
    `# ${options.lookerPiiUserAttribute} is "${PII_ALLOWED_VALUE}" see them; for everyone else they do not exist.`,
    "",
  ].join("\n");
  return planned(`${LOOKML_DIR}/${MODEL_NAME}.model.lkml`, () => text + printLookml(nodes));
}
