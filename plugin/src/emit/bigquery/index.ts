/**
 * Emits generated/bigquery/<dataset>/: per entity its table (DDL and JSON schema), its
 * deduplicated event log and latest-state views; per dataset the freshness view.
 */
import type { Entity } from "../../model/types.js";
import { planned, type Emitter, type PlannedFile } from "../emitter.js";
import { entitiesByDataset, protoFilesOf } from "../../physical/datasets.js";
import { generatedHeader } from "../../printers/header.js";
import { freshnessViewStatement } from "../../physical/freshness-view.js";
import { FRESHNESS_VIEW } from "../../physical/bigquery-names.js";
import { lineComment } from "../../printers/sql.js";
import { createTableStatement } from "./table-ddl.js";
import type { EntityPhysical } from "../../physical/entity-physical.js";
import { eventsViewStatement, latestViewStatement } from "../../physical/views.js";
import { erasureStatement } from "../../physical/erasure.js";

/** The erasure statement's file: not a BigQuery object, a statement to run per erasure request. */
export function erasureFileName(table: string): string {
  return `${table}_erase_pii`;
}

export const bigqueryEmitter: Emitter = {
  name: "bigquery",
  plan({ model, physical }) {
    return [
      ...model.entities.flatMap((entity) => entityFiles(entity, physical.of(entity))),
      ...[...entitiesByDataset(model.entities)].map(([dataset, entities]) =>
        sqlFile(`${dataset}/${FRESHNESS_VIEW}`, protoFilesOf(entities), () => freshnessViewStatement(model.project, dataset, entities)),
      ),
    ];
  },
};

function entityFiles(entity: Entity, physical: EntityPhysical): PlannedFile[] {
  const { names } = physical;
  const dir = entity.dataset;
  const erasure = erasureStatement(entity);
  return [
    sqlFile(`${dir}/${names.table}`, entity.protoFile, () => createTableStatement(entity, physical.tableSchema)),
    planned(`bigquery/${dir}/${names.table}.schema.json`, () => JSON.stringify(physical.tableSchema, null, 2) + "\n"),
    sqlFile(`${dir}/${names.eventsView}`, entity.protoFile, () => eventsViewStatement(entity)),
    sqlFile(`${dir}/${names.latestView}`, entity.protoFile, () => latestViewStatement(entity)),
    ...(erasure === undefined ? [] : [sqlFile(`${dir}/${erasureFileName(names.table)}`, entity.protoFile, () => erasure)]),
  ];
}

function sqlFile(path: string, source: string, statement: () => string): PlannedFile {
  return planned(`bigquery/${path}.sql`, () => `${lineComment(generatedHeader(source)).text}\n${statement()}`);
}
