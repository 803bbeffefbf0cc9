/**
 * Emits generated/bigquery/<dataset>/: per entity its table (DDL and JSON schema), its
 * deduplicated event log and latest-state views; per dataset the freshness view.
 */
import type { Entity } from "../../model/types.js";
import type { Emitter, OutputFile } from "../emitter.js";
import { entitiesByDataset, protoFilesOf } from "../../physical/datasets.js";
import { generatedHeader } from "../../printers/header.js";
import { freshnessViewStatement } from "../../physical/freshness-view.js";
import { FRESHNESS_VIEW } from "../../physical/bigquery-names.js";
import { sqlLineComment } from "../../printers/sql-text.js";
import { createTableStatement } from "./table-ddl.js";
import type { EntityPhysical } from "../../physical/entity-physical.js";
import { eventsViewStatement, latestViewStatement } from "../../physical/views.js";

export const bigqueryEmitter: Emitter = {
  name: "bigquery",
  *emit({ model, physical }) {
    for (const entity of model.entities) yield* entityFiles(entity, physical.of(entity));
    for (const [dataset, entities] of entitiesByDataset(model.entities)) {
      yield sqlFile(`${dataset}/${FRESHNESS_VIEW}`, protoFilesOf(entities), freshnessViewStatement(model.project, dataset, entities));
    }
  },
};

function entityFiles(entity: Entity, { names, tableSchema }: EntityPhysical): OutputFile[] {
  const dir = entity.dataset;
  return [
    sqlFile(`${dir}/${names.table}`, entity.protoFile, createTableStatement(entity, tableSchema)),
    { name: `bigquery/${dir}/${names.table}.schema.json`, content: JSON.stringify(tableSchema, null, 2) + "\n" },
    sqlFile(`${dir}/${names.eventsView}`, entity.protoFile, eventsViewStatement(entity)),
    sqlFile(`${dir}/${names.latestView}`, entity.protoFile, latestViewStatement(entity)),
  ];
}

function sqlFile(path: string, source: string, statement: string): OutputFile {
  return { name: `bigquery/${path}.sql`, content: `${sqlLineComment(generatedHeader(source))}\n${statement}` };
}
