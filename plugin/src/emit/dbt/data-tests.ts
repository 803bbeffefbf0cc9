/**
 * The generic dbt tests of each documented column: the checks a team would write by hand for an
 * event table, in dbt 1.10's layout (`data_tests`, arguments under `arguments`).
 */
import type { ENVELOPE_FIELD_NUMBERS } from "../../model/envelope.js";
import type { Entity } from "../../model/types.js";
import { bigQueryNames } from "../../physical/bigquery-names.js";
import { sourceName } from "../../physical/artifact-names.js";
import type { DocumentedColumn } from "./columns.js";
import { testWindowFilter } from "./freshness.js";
import type { YamlMapping, YamlValue } from "../../printers/yaml-text.js";

type EnvelopeColumnName = keyof typeof ENVELOPE_FIELD_NUMBERS;
const EVENT_ID: EnvelopeColumnName = "event_id";
const OPERATION: EnvelopeColumnName = "operation";

/** One test: `not_null`, or `{unique: {arguments: ..., config: ...}}`. */
function test(name: string, args?: YamlMapping, config?: YamlMapping): YamlValue {
  if (args === undefined && config === undefined) return name;
  return { [name]: { arguments: args, config } };
}

/** Entities by fully qualified message name, to resolve `references`. */
export type EntityIndex = ReadonlyMap<string, Entity>;

/** Tests of a column of the table the subscription writes. */
export function tableColumnTests(entity: Entity, column: DocumentedColumn, entities: EntityIndex): YamlValue[] {
  const config = windowConfig(entity);
  const tests: YamlValue[] = [];
  const isEnvelope = column.origin.kind === "envelope";
  if (isEnvelope && column.name === EVENT_ID) {
    // Pub/Sub delivers at least once, so duplicates are expected here; the events view must have none.
    tests.push(test("not_null", undefined, config), test("unique", undefined, { severity: "warn", ...config }));
  }
  if ((isEnvelope && column.name === OPERATION) || column.name === idColumnName(entity)) {
    tests.push(test("not_null", undefined, config));
  }
  // An array column cannot be compared with a list of values; its elements would need UNNEST.
  if (column.enumValues !== undefined && column.mode !== "REPEATED") {
    tests.push(test("accepted_values", { values: [...column.enumValues] }, config));
  }
  const relationship = column.references !== undefined && column.mode !== "REPEATED" ? relationshipTest(column.references, entities, config) : undefined;
  if (relationship !== undefined) tests.push(relationship);
  return tests;
}

/**
 * Tests of a column of the deduplicated event log view: one row per event. None when the table
 * requires a partition filter: a filter on the view cannot reach the table through the view's
 * deduplication, so BigQuery would refuse the query; the table's own tests cover it instead.
 */
export function eventsViewColumnTests(entity: Entity, column: DocumentedColumn): YamlValue[] {
  if (!viewsAreTestable(entity) || column.origin.kind !== "envelope" || column.name !== EVENT_ID) return [];
  return [test("not_null"), test("unique")];
}

/** Tests of a column of the latest-state view: one row per entity id (none, as above, when the table requires a partition filter). */
export function latestViewColumnTests(entity: Entity, column: DocumentedColumn): YamlValue[] {
  if (!viewsAreTestable(entity) || column.name !== idColumnName(entity)) return [];
  return [test("not_null"), test("unique")];
}

/** Whether BigQuery lets a query read the entity's views without a partition filter. */
export function viewsAreTestable(entity: Entity): boolean {
  return !entity.partitioning.requirePartitionFilter;
}

export function idColumnName(entity: Entity): string {
  return entity.idColumn.path.join(".");
}

/**
 * The referenced entity's table holds every id ever published, deleted entities included, so
 * events that name an entity deleted since do not fail; and BigQuery reads only the id column.
 * dbt's relationships test cannot filter the referenced side, so there is none when that table
 * requires a partition filter.
 */
function relationshipTest(typeName: string, entities: EntityIndex, config: YamlMapping | undefined): YamlValue | undefined {
  const target = entities.get(typeName);
  // The model has already reported a reference to a message that is not an entity.
  if (target === undefined) throw new Error(`dbt: ${typeName} is referenced but is not an entity`);
  if (!referenceIsTestable(target)) return undefined;
  const to = `source('${sourceName(target.dataset)}', '${bigQueryNames(target).table}')`;
  return test("relationships", { to, field: idColumnName(target) }, config);
}

/** Whether a relationships test can read the referenced entity's table. */
function referenceIsTestable(target: Entity): boolean {
  return !target.partitioning.requirePartitionFilter;
}

function windowConfig(entity: Entity): YamlMapping | undefined {
  const where = testWindowFilter(entity);
  return where === undefined ? undefined : { where };
}
