/**
 * Emits generated/bigquery/<dataset>/: per entity its table (DDL and JSON schema), the relations
 * it is read through (`readRelations`: the deduplicated event log and latest-state views, the
 * time-bounded table functions, the latest-state table and its MERGE); per dataset the freshness
 * and activity views.
 */
import type { Entity } from "../../model/types.js";
import { planned, type Emitter, type PlannedFile } from "../emitter.js";
import { entitiesByDataset, protoFilesOf } from "../../physical/datasets.js";
import { generatedHeader } from "../../printers/header.js";
import { freshnessViewStatement } from "../../physical/freshness-view.js";
import { ACTIVITY_VIEW, FRESHNESS_VIEW, readRelations } from "../../physical/bigquery-names.js";
import { activityViewStatement } from "../../physical/activity-view.js";
import { lineComment } from "../../printers/sql.js";
import { createTableStatement } from "./table-ddl.js";
import type { EntityPhysical } from "../../physical/entity-physical.js";
import type { BigQueryField } from "../../physical/table-schema.js";
import {
  eventsFunctionStatement,
  eventsViewStatement,
  latestFunctionStatement,
  latestStateMergeStatement,
  latestStateTableStatement,
  latestViewStatement,
} from "../../physical/views.js";
import { erasureStatement, holdsPersonalData } from "../../physical/erasure.js";

/** The erasure statement's file: not a BigQuery object, a statement to run per erasure request. */
export function erasureFileName(table: string): string {
  return `${table}_erase_pii`;
}

export const bigqueryEmitter: Emitter = {
  name: "bigquery",
  plan({ model, physical }) {
    return [
      ...model.entities.flatMap((entity) => entityFiles(entity, physical.of(entity))),
      ...[...entitiesByDataset(model.entities)].flatMap(([dataset, entities]) => [
        sqlFile(`${dataset}/${FRESHNESS_VIEW}`, protoFilesOf(entities), () => freshnessViewStatement(model.project, dataset, entities)),
        sqlFile(`${dataset}/${ACTIVITY_VIEW}`, protoFilesOf(entities), () => activityViewStatement(model.project, dataset, entities)),
      ]),
    ];
  },
};

function entityFiles(entity: Entity, physical: EntityPhysical): PlannedFile[] {
  const { names } = physical;
  const dir = entity.dataset;
  const reads = readRelations(entity);
  return [
    sqlFile(`${dir}/${names.table}`, entity.protoFile, () => createTableStatement(entity, physical.tableSchema)),
    planned(`bigquery/${dir}/${names.table}.schema.json`, () => schemaJson(physical.tableSchema)),
    ...(reads.eventsView ? [sqlFile(`${dir}/${names.eventsView}`, entity.protoFile, () => eventsViewStatement(entity))] : []),
    sqlFile(`${dir}/${names.eventsFunction}`, entity.protoFile, () => eventsFunctionStatement(entity)),
    ...(reads.latest === "table"
      ? [
          sqlFile(`${dir}/${names.latestStateTable}`, entity.protoFile, () => latestStateTableStatement(entity, physical.tableSchema)),
          planned(`bigquery/${dir}/${names.latestStateTable}.schema.json`, () => schemaJson(physical.tableSchema)),
          sqlFile(`${dir}/${names.latestStateTable}.merge`, entity.protoFile, () => latestStateMergeStatement(entity, physical.tableSchema)),
        ]
      : []),
    ...(reads.latestView ? [sqlFile(`${dir}/${names.latestView}`, entity.protoFile, () => latestViewStatement(entity))] : []),
    ...(reads.latest !== "none" ? [sqlFile(`${dir}/${names.latestFunction}`, entity.protoFile, () => latestFunctionStatement(entity))] : []),
    // Planned by a predicate and printed when written: the plan holds no statement text.
    ...(holdsPersonalData(entity) ? [sqlFile(`${dir}/${erasureFileName(names.table)}`, entity.protoFile, () => erasureStatement(entity))] : []),
  ];
}

/**
 * The JSON schema file's text. The table and the latest-state table of an entity have the same
 * schema, written a few files apart: the text of the schema last printed is kept for the second.
 */
let lastSchema: { readonly schema: readonly BigQueryField[]; readonly text: string } | undefined;

function schemaJson(schema: readonly BigQueryField[]): string {
  if (lastSchema?.schema !== schema) lastSchema = { schema, text: JSON.stringify(schema, null, 2) + "\n" };
  return lastSchema.text;
}

function sqlFile(path: string, source: string, statement: () => string): PlannedFile {
  return planned(`bigquery/${path}.sql`, () => `${headerComment(source)}\n${statement()}`);
}

/** An entity's files are written one after the other: its header comment is printed once for all of them. */
let lastHeader: { readonly source: string; readonly text: string } | undefined;

function headerComment(source: string): string {
  if (lastHeader?.source !== source) lastHeader = { source, text: lineComment(generatedHeader(source)).text };
  return lastHeader.text;
}
