/**
 * The CHANGELOG.md entry of a release of the generated package: per entity, the fields added and
 * removed, the columns added, the entities new or retired, and the BigQuery migrations the release
 * brings (all from the lock before and after it); then the API lines removed and added (from the
 * API reports). Producers read it to know what to change before they upgrade.
 */
import type { LockedEntity, LockedScope, LockFile } from "../evolution/lock.js";
import type { BigQueryField } from "../physical/table-schema.js";
import type { ApiDiff, Bump } from "./api-diff.js";

export interface ChangelogInput {
  readonly version: string;
  /** YYYY-MM-DD */
  readonly date: string;
  /** undefined for the package's first release. */
  readonly bump: Bump | undefined;
  readonly previousVersion: string | undefined;
  readonly api: ApiDiff;
  readonly released: LockFile | undefined;
  readonly next: LockFile;
}

const SUMMARY: Record<Bump, string> = {
  major: "Breaking: API that consumers use was removed or changed (lines marked − below). Update the code that uses it before upgrading.",
  minor: "New API, nothing removed: upgrading needs no code change.",
  patch: "Documentation only (the contracts' comments): the API is the same.",
};

export function changelogEntry(input: ChangelogInput): string {
  const lines = [`## ${input.version} (${input.date})`, ""];
  lines.push(input.bump === undefined ? "First release of the package." : `${input.bump[0]!.toUpperCase()}${input.bump.slice(1)} release after ${input.previousVersion}. ${SUMMARY[input.bump]}`, "");
  for (const name of Object.keys(input.next.entities).sort()) {
    const changes = entityChanges(input.released?.entities[name], input.next.entities[name]!);
    const migrations = input.next.migrations
      .filter((m) => m.entity === name && !input.released?.migrations.some((r) => r.dataset === m.dataset && r.number === m.number))
      .map((m) => `- migration: \`bigquery/${m.dataset}/migrations/${m.sql.file}\`${m.schemaPatch === undefined ? "" : ` (then \`bq update\` with \`${m.schemaPatch.file}\`)`}`);
    if (changes.length + migrations.length === 0) continue;
    lines.push(`### ${name}`, "", ...changes, ...migrations, "");
  }
  if (input.api.removed.length + input.api.added.length > 0) {
    lines.push("### API", "", "```diff", ...input.api.removed.map((e) => `- ${e}`), ...input.api.added.map((e) => `+ ${e}`), "```", "");
  }
  return lines.join("\n");
}

/** Adds the entry at the top of the changelog (under its title), or starts one. */
export function prependEntry(changelog: string | undefined, packageName: string, entry: string): string {
  const title = `# Changelog of ${packageName}\n\nWritten by \`protoc-gen-entity release\`, newest first.\n\n`;
  if (changelog === undefined) return title + entry;
  const at = changelog.indexOf("\n## ");
  return at < 0 ? `${changelog.trimEnd()}\n\n${entry}` : `${changelog.slice(0, at + 1)}${entry}\n${changelog.slice(at + 1)}`;
}

function entityChanges(released: LockedEntity | undefined, next: LockedEntity): string[] {
  if (next.retired === true) return released?.retired === true ? [] : [`- retired: no more events; the table \`${next.dataset}.${next.table}\` keeps its history`];
  if (released === undefined) return [`- new entity: topic \`${next.topic}\`, table \`${next.dataset}.${next.table}\``];
  const before = fieldPaths(released.topicSchema);
  const after = fieldPaths(next.topicSchema);
  const out: string[] = [];
  for (const [path] of after) if (!before.has(path)) out.push(`- field added: \`${path}\``);
  for (const [path, number] of before) {
    if (!after.has(path)) out.push(`- field removed: \`${path}\` (number ${number} stays reserved; its column keeps the released rows)`);
  }
  const columnsBefore = new Set(columnPaths(released.columns));
  for (const column of columnPaths(next.columns)) if (!columnsBefore.has(column)) out.push(`- column added: \`${column}\``);
  return out;
}

/** Field paths (`price.amount`) with their numbers. */
function fieldPaths(scope: LockedScope, prefix = ""): Map<string, number> {
  const out = new Map<string, number>();
  for (const field of scope.fields) {
    out.set(prefix + field.name, field.number);
    if (field.message !== undefined) for (const [path, number] of fieldPaths(field.message, `${prefix}${field.name}.`)) out.set(path, number);
  }
  return out;
}

function columnPaths(columns: readonly BigQueryField[], prefix = ""): string[] {
  return columns.flatMap((c) => [prefix + c.name, ...(c.fields === undefined ? [] : columnPaths(c.fields, `${prefix}${c.name}.`))]);
}
