/**
 * Emits generated/bigquery/<dataset>/: per entity its table (DDL and JSON schema), its
 * deduplicated event log and latest-state views; per dataset the freshness view.
 */
import type { Entity } from "../../model/types.js";
import type { Emitter, OutputFile } from "../emitter.js";
import { entitiesByDataset, protoFilesOf } from "../datasets.js";
import { generatedHeader } from "../header.js";
import { freshnessViewStatement } from "./freshness-view.js";
import { bigQueryNames, FRESHNESS_VIEW } from "./names.js";
import { sqlLineComment } from "./sql-text.js";
import { createTableStatement } from "./table-ddl.js";
import { tableSchema } from "./table-schema.js";
import { eventsViewStatement, latestViewStatement } from "./views.js";

export const bigqueryEmitter: Emitter = {
  name: "bigquery",
  *emit({ model }) {
    for (const entity of model.entities) yield* entityFiles(entity);
    for (const [dataset, entities] of entitiesByDataset(model.entities)) {
      yield sqlFile(`${dataset}/${FRESHNESS_VIEW}`, protoFilesOf(entities), freshnessViewStatement(model.project, dataset, entities));
    }
  },
};

function entityFiles(entity: Entity): OutputFile[] {
  const names = bigQueryNames(entity);
  const dir = entity.dataset;
  return [
    sqlFile(`${dir}/${names.table}`, entity.protoFile, createTableStatement(entity)),
    { name: `bigquery/${dir}/${names.table}.schema.json`, content: JSON.stringify(tableSchema(entity), null, 2) + "\n" },
    sqlFile(`${dir}/${names.eventsView}`, entity.protoFile, eventsViewStatement(entity)),
    sqlFile(`${dir}/${names.latestView}`, entity.protoFile, latestViewStatement(entity)),
  ];
}

function sqlFile(path: string, source: string, statement: string): OutputFile {
  return { name: `bigquery/${path}.sql`, content: `${sqlLineComment(generatedHeader(source))}\n${statement}` };
}
