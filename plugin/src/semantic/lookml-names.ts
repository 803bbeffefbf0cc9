/**
 * Names of the LookML files, views and explores. View names share one namespace per Looker model,
 * so an entity's views are named after its table, with the dataset in front only when two
 * datasets hold a table of the same name.
 */
import type { Entity } from "../model/types.js";
import { FRESHNESS_VIEW } from "../physical/bigquery-names.js";

export interface EntityLookmlNames {
  /** File stem: `user` → `user.view.lkml`, `user.explore.lkml`. */
  readonly file: string;
  /** View and explore over the table (one row per delivered event). */
  readonly eventsView: string;
  /** View and explore over the latest-state view (one row per entity). */
  readonly latestView: string;
  /**
   * The fields both relations have (`extension: required`), which the events' and latest state's
   * views extend; only an entity with a latest state has it.
   */
  readonly fieldsView: string;
}

export function entityLookmlNames(entities: readonly Entity[]): Map<Entity, EntityLookmlNames> {
  const datasetsByTable = new Map<string, Set<string>>();
  for (const e of entities) {
    const key = lookmlName(e.table);
    datasetsByTable.set(key, (datasetsByTable.get(key) ?? new Set()).add(e.dataset));
  }
  return new Map(
    entities.map((e) => {
      const table = lookmlName(e.table);
      const stem = datasetsByTable.get(table)!.size > 1 ? `${lookmlName(e.dataset)}__${table}` : table;
      return [e, { file: stem, eventsView: `${stem}_events`, latestView: `${stem}_latest`, fieldsView: `${stem}_fields` }];
    }),
  );
}

/** The freshness view and explore of a dataset, and its file stem. */
export function freshnessLookmlName(dataset: string): string {
  return `${lookmlName(dataset)}__${FRESHNESS_VIEW}`;
}

/**
 * Manifest constants of the generated project (prefixed with the project's name, so they do not
 * collide with a team's own constants when the project is imported). Every `sql_table_name`,
 * the connection and the dashboards' model read them, so an importing project can point the
 * same LookML at another connection, project or dataset.
 */
export const CONSTANTS = {
  connection: "entities_connection",
  gcpProject: "entities_gcp_project",
  model: "entities_model",
  dataset: (dataset: string) => `entities_dataset_${lookmlName(dataset)}`,
} as const;

/** `@{name}`: a constant's value, substituted by Looker wherever it appears. */
export function constantRef(name: string): string {
  return `@{${name}}`;
}

/** A table or view of a dataset as `sql_table_name` names it, through the manifest's constants. */
export function lookmlTableName(dataset: string, name: string): string {
  return `\`${constantRef(CONSTANTS.gcpProject)}.${constantRef(CONSTANTS.dataset(dataset))}.${name}\``;
}

/** The project's name in manifest.lkml: what an importing project's dependency is called. */
export const PROJECT_NAME = "entities";

/** The datagroup caching the explores of a dataset. */
export function datagroupName(dataset: string): string {
  return `${lookmlName(dataset)}__new_events`;
}

/** The model: `entities.model.lkml`, explores at `/explore/entities/<explore>`. */
export const MODEL_NAME = "entities";

/** The one access grant that PII fields require. */
export const PII_ACCESS_GRANT = "pii_access";
/** Value of the user attribute that opens the grant. */
export const PII_ALLOWED_VALUE = "yes";
/** Field tag of PII fields, for content validators and data catalogs. */
export const PII_TAG = "pii";

/** LookML names are lowercase; BigQuery names are case-insensitive, so nothing is lost. */
export function lookmlName(name: string): string {
  return name.toLowerCase();
}

/**
 * `meter_reading`, `MeterReading` → `Meter Reading`: words split at `_`, white space and where a
 * capital follows a lowercase letter or a digit, each capitalized. One pass over an ASCII name
 * (LookML labels call this for every field, hundreds of thousands of times per run); any other
 * text takes the general rule below, which says the same with regular expressions.
 */
export function titleCase(name: string): string {
  let text = titleCases.get(name);
  if (text === undefined) {
    text = titleCaseOf(name);
    titleCases.set(name, text);
  }
  return text;
}

/**
 * Field and group names repeat across a view's fields and across entities (`address`, `amount`):
 * each is spelled out once. The texts come from the contracts, so there are as many as their names.
 */
const titleCases = new Map<string, string>();

function titleCaseOf(name: string): string {
  let text = "";
  let wordStarts = true;
  let afterLowerOrDigit = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0x80) return titleCaseOfAnyText(name);
    if (code === UNDERSCORE || code === SPACE || (code >= TAB && code <= CARRIAGE_RETURN)) {
      wordStarts = true;
      afterLowerOrDigit = false;
      continue;
    }
    const lower = code >= LOWER_A && code <= LOWER_Z;
    if (afterLowerOrDigit && code >= UPPER_A && code <= UPPER_Z) wordStarts = true;
    if (wordStarts) {
      if (text !== "") text += " ";
      text += lower ? String.fromCharCode(code - (LOWER_A - UPPER_A)) : name[i];
      wordStarts = false;
    } else {
      text += name[i];
    }
    afterLowerOrDigit = lower || (code >= DIGIT_0 && code <= DIGIT_9);
  }
  return text;
}

const [UNDERSCORE, SPACE, TAB, CARRIAGE_RETURN] = [0x5f, 0x20, 0x09, 0x0d];
const [LOWER_A, LOWER_Z, UPPER_A, UPPER_Z, DIGIT_0, DIGIT_9] = [0x61, 0x7a, 0x41, 0x5a, 0x30, 0x39];

function titleCaseOfAnyText(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[_\s]+/)
    .filter((w) => w !== "")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}
