/**
 * The generic dbt tests of each documented column, in dbt 1.10's layout (`data_tests`, arguments
 * under `arguments`, severity and `where` under `config`). Each test states something that holds
 * on correct data, so that a failure means broken data and never the normal working of the
 * pipeline:
 *
 * - The table the subscription writes holds every delivery: Pub/Sub delivers at least once, so an
 *   event_id may repeat there and nothing is unique. Only what the presence rule guarantees is
 *   checked: the envelope (event_id, operation, occurred_at) and the id are never NULL. These tests
 *   read the last day of partitions (`config.where` on the partitioning column), so a daily run
 *   prunes instead of scanning the whole history.
 * - Uniqueness is checked where it holds: event_id in the deduplicated event log, the id in the
 *   latest state.
 * - An enum value outside the contract is a warning: a newer producer may already send a value
 *   this contract does not know yet.
 * - A reference must name a live parent: the child's latest state against the parent's latest
 *   state (deleted parents left out, NULL references skipped by dbt), at severity warn (see
 *   relationshipTest). A child without a readable latest state (its table requires a partition
 *   filter) is checked on its recent events instead.
 */
import type { ENVELOPE_FIELD_NUMBERS } from "../../model/envelope.js";
import type { Entity } from "../../model/types.js";
import { bigQueryNames } from "../../physical/bigquery-names.js";
import { sourceName } from "../../physical/artifact-names.js";
import type { DocumentedColumn } from "./columns.js";
import { liveEventsFilter, recentChildrenFilter, testWindowFilter } from "./freshness.js";
import type { YamlMapping, YamlValue } from "../../printers/yaml-text.js";

type EnvelopeColumnName = keyof typeof ENVELOPE_FIELD_NUMBERS;
const EVENT_ID: EnvelopeColumnName = "event_id";
const OPERATION: EnvelopeColumnName = "operation";
/** Envelope columns every event carries (the presence rule): never NULL in a correct table. */
const ALWAYS_PRESENT: readonly EnvelopeColumnName[] = ["event_id", "operation", "occurred_at"];

/** One test: `not_null`, or `{unique: {arguments: ..., config: ...}}`. */
function test(name: string, args?: YamlMapping, config?: YamlMapping): YamlValue {
  if (args === undefined && config === undefined) return name;
  return { [name]: { arguments: args, config } };
}

/** Entities by fully qualified message name, to resolve `references`. */
export type EntityIndex = ReadonlyMap<string, Entity>;

/**
 * The relation that holds one row per live entity, as the dbt sources name it; undefined when no
 * such relation can be read without a partition filter. The one place that chooses it: the
 * uniqueness tests and the relationships tests (on both sides) follow it.
 */
export function latestStateRelation(entity: Entity): string | undefined {
  return viewsAreTestable(entity) ? bigQueryNames(entity).latestView : undefined;
}

/**
 * The tests of each column of an entity's table and views. What is the same for every column (the
 * id column, the latest-state relation, the test window) is worked out once per entity, not once
 * per column and relation.
 */
export interface EntityColumnTests {
  /** The table the subscription writes: not-null and accepted values, on recent partitions. */
  table(column: DocumentedColumn): readonly YamlValue[];
  /**
   * The deduplicated event log view: one row per event. None when the table requires a
   * partition filter: a filter on the view cannot reach the table through the view's
   * deduplication, so BigQuery would refuse the query; the table's own tests cover it instead.
   */
  eventsView(column: DocumentedColumn): readonly YamlValue[];
  /**
   * The latest-state relation: one row per entity id, and references that name a live parent
   * (none, as above, when the table requires a partition filter).
   */
  latestView(column: DocumentedColumn): readonly YamlValue[];
}

const NO_TESTS: readonly YamlValue[] = [];

export function entityColumnTests(entity: Entity, entities: EntityIndex): EntityColumnTests {
  const idColumn = idColumnName(entity);
  const hasLatestState = latestStateRelation(entity) !== undefined;
  const testable = viewsAreTestable(entity);
  // Every column but the partitioning column shares the table tests' window; made only when a test needs it.
  let sharedWindow: string | undefined;
  const windowOf = (column: string) =>
    column === entity.partitioning.column ? testWindowFilter(entity, column) : (sharedWindow ??= testWindowFilter(entity, column));
  return {
    table(column) {
      const isEnvelope = column.origin.kind === "envelope";
      const notNull = (isEnvelope && ALWAYS_PRESENT.includes(column.name as EnvelopeColumnName)) || column.name === idColumn;
      // An array column cannot be compared with a list of values; its elements would need UNNEST.
      const enumTest = column.enumValues !== undefined && column.mode !== "REPEATED";
      // Without a latest state, the recent events name their parents instead (tombstones left out).
      const referenceTest = !hasLatestState && column.references !== undefined && column.mode !== "REPEATED";
      // Most columns get no test.
      if (!notNull && !enumTest && !referenceTest) return NO_TESTS;
      const where = windowOf(column.name);
      const tests: YamlValue[] = [];
      if (notNull) tests.push(test("not_null", undefined, { where }));
      if (enumTest) {
        // The operation drives the views (DELETED): a value outside the three is an error. An entity
        // enum may gain values before this contract is regenerated: a warning.
        const severity = isEnvelope && column.name === OPERATION ? {} : { severity: "warn" };
        tests.push(test("accepted_values", { values: [...column.enumValues!] }, { ...severity, where }));
      }
      if (referenceTest) {
        const relationship = relationshipTest(column.references!, entities, [where, LIVE_EVENTS_FILTER()]);
        if (relationship !== undefined) tests.push(relationship);
      }
      return tests;
    },
    eventsView(column) {
      if (!testable || column.origin.kind !== "envelope" || column.name !== EVENT_ID) return NO_TESTS;
      return [test("not_null"), test("unique")];
    },
    latestView(column) {
      if (!hasLatestState) return NO_TESTS;
      if (column.name === idColumn) return [test("not_null"), test("unique")];
      const relationship = column.references !== undefined && column.mode !== "REPEATED" ? relationshipTest(column.references, entities, []) : undefined;
      return relationship === undefined ? NO_TESTS : [relationship];
    },
  };
}

/** SQL that is the same for every test: printed once per run, when a test first needs it. */
function once(make: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= make());
}

const LIVE_EVENTS_FILTER = once(liveEventsFilter);
const RECENT_CHILDREN_FILTER = once(recentChildrenFilter);

/** Whether BigQuery lets a query read the entity's views without a partition filter. */
export function viewsAreTestable(entity: Entity): boolean {
  return !entity.partitioning.requirePartitionFilter;
}

export function idColumnName(entity: Entity): string {
  return entity.idColumn.path.join(".");
}

/**
 * The child's latest state against the parent's latest state: a live child must name a live
 * parent. Deleted children are not in the child's latest state, deleted parents not in the
 * parent's, and dbt skips NULL references (an unset reference is NULL by the presence rule).
 *
 * Two things make a dangling reference normal for a while, so the test warns instead of failing
 * the run: the parent's and the child's events travel on different topics and subscriptions, so a
 * child can land before the parent it names (children changed in the last hour are left out,
 * `config.where`); and a parent may be deleted before its children are. A warning that persists
 * is a real orphan.
 */
function relationshipTest(typeName: string, entities: EntityIndex, childFilters: readonly string[]): YamlValue | undefined {
  const target = entities.get(typeName);
  // The model has already reported a reference to a message that is not an entity.
  if (target === undefined) throw new Error(`dbt: ${typeName} is referenced but is not an entity`);
  const parent = latestStateRelation(target);
  if (parent === undefined) return undefined;
  const to = `source('${sourceName(target.dataset)}', '${parent}')`;
  const where = [...childFilters, RECENT_CHILDREN_FILTER()].join(" AND ");
  return test("relationships", { to, field: idColumnName(target) }, { severity: "warn", where });
}
