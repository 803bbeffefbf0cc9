/**
 * The rules a change to a released entity must keep (reference pubsub-bigquery.md §1, §2, §4),
 * quoted in every error so that the reader sees which system refuses the change, and the ways
 * out of a forbidden change.
 */
import type { Entity } from "../model/types.js";

export const RULES = {
  pubsubRevision:
    'Pub/Sub revision rule: "a new revision of a Protocol Buffer schema may only add or remove optional fields; ' +
    'other fields cannot be added or removed, and existing fields cannot be edited"',
  fieldNumbers:
    'Protobuf field number rule: "a number, once used, is never given to another field" — messages published ' +
    "before the release (in the backlog, the dead-letter topic, replays) still carry the old field under that number",
  setDataType:
    'BigQuery ALTER rule: "ALTER COLUMN SET DATA TYPE only widens — INT64 to NUMERIC, BIGNUMERIC or FLOAT64, ' +
    'NUMERIC to BIGNUMERIC or FLOAT64 — and only top-level columns"',
  mode: 'BigQuery ALTER rule: "a column cannot change between NULLABLE and REPEATED"',
  partitioning:
    'BigQuery ALTER rule: "the partitioning of an existing table cannot change; changing the partition column means copying into a new table"',
  absentColumn:
    'Pub/Sub BigQuery subscription rule: "BigQuery columns absent from the topic schema must be NULLABLE", ' +
    "and BigQuery cannot turn a REPEATED column into a NULLABLE one",
  moved:
    "Pub/Sub and BigQuery rule: a topic, and a table, cannot be renamed; the released subscription keeps " +
    "writing the released topic into the released table",
} as const;

/** BigQuery JSON-schema types (INTEGER, FLOAT) to which SET DATA TYPE can widen a column. */
const WIDENINGS: Readonly<Record<string, readonly string[]>> = {
  INTEGER: ["NUMERIC", "BIGNUMERIC", "FLOAT"],
  NUMERIC: ["BIGNUMERIC", "FLOAT"],
};

/** Whether ALTER COLUMN SET DATA TYPE can turn a column of type `from` into `to`. */
export function isWidening(from: string, to: string): boolean {
  return WIDENINGS[from]?.includes(to) ?? false;
}

/** The way out that always works: a new major version of the entity, beside the released one. */
export function majorVersionWayOut(entity: Entity): string {
  const next = nextMajorVersion(entity.protoPackage);
  return (
    `or start a new major version: copy ${entity.messageName} to package ${next.package} ` +
    `with its own topic and table ((entity.v1.entity) = {topic: "${entity.topic}_v${next.version}", table: "${entity.table}_v${next.version}"}), ` +
    `publish to both while consumers move, then retire ${entity.typeName}.`
  );
}

function nextMajorVersion(protoPackage: string): { package: string; version: number } {
  const match = /^(.*?)(?:^|\.)v(\d+)$/.exec(protoPackage);
  if (match === null) return { package: protoPackage === "" ? "v2" : `${protoPackage}.v2`, version: 2 };
  const version = Number(match[2]) + 1;
  return { package: `${match[1]}${match[1] === "" ? "" : "."}v${version}`, version };
}
