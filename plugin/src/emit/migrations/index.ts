/**
 * Emits generated/bigquery/<dataset>/migrations/: every released migration (from the lock, as it
 * was released) and one numbered migration per entity changed since the release, with its JSON
 * schema patch when DDL cannot make the change. Without the plugin option `lock=` it emits nothing.
 */
import type { ChangeSet, Evolution } from "../../evolution/evolution.js";
import { LOCK_VERSION, printLock, type LockedMigration } from "../../evolution/lock.js";
import { RELEASE_FILE, type ReleaseTransport } from "../../evolution/release.js";
import type { Emitter, OutputFile } from "../emitter.js";
import { migrationStem } from "../../physical/artifact-names.js";
import { migrationBody, migrationHeader } from "./migration-sql.js";

export const migrationsEmitter: Emitter = {
  name: "migrations",
  emit({ options, evolution }) {
    if (evolution === undefined) return [];
    const migrations = [...evolution.released.migrations, ...evolution.changeSets.map(pendingMigration)];
    const files = migrations.flatMap(migrationFiles);
    if (options.release && options.lock !== undefined) files.push(releaseFile(evolution, migrations, options.lock));
    return files;
  },
};

/** A change set in the form the lock keeps it once released. */
function pendingMigration(changeSet: ChangeSet): LockedMigration {
  const stem = migrationStem(changeSet.number, changeSet.entity);
  const migration: LockedMigration = {
    dataset: changeSet.entity.dataset,
    number: changeSet.number,
    entity: changeSet.entity.typeName,
    sql: { file: `${stem}.sql`, source: changeSet.entity.protoFile, lines: migrationBody(changeSet).replace(/\n$/, "").split("\n") },
  };
  return changeSet.schemaPatch === undefined ? migration : { ...migration, schemaPatch: { file: `${stem}.schema.json`, fields: changeSet.schemaPatch } };
}

function migrationFiles(migration: LockedMigration): OutputFile[] {
  const dir = `bigquery/${migration.dataset}/migrations`;
  const files: OutputFile[] = [
    { name: `${dir}/${migration.sql.file}`, content: `${migrationHeader(migration.sql.source)}\n${migration.sql.lines.join("\n")}\n` },
  ];
  // `bq update` takes the bare array of fields, so this JSON file has no generatedBy key; its SQL file says where it comes from.
  if (migration.schemaPatch !== undefined) {
    files.push({ name: `${dir}/${migration.schemaPatch.file}`, content: `${JSON.stringify(migration.schemaPatch.fields, null, 2)}\n` });
  }
  return files;
}

function releaseFile(evolution: Evolution, migrations: readonly LockedMigration[], lockPath: string): OutputFile {
  // The package's released version stays as it was; `protoc-gen-entity release` derives the next one.
  const released = evolution.released.package;
  const lockText = printLock({ lockVersion: LOCK_VERSION, entities: evolution.nextEntities, migrations, ...(released === undefined ? {} : { package: released }) });
  const transport: ReleaseTransport = { lockPath, lockText };
  return { name: RELEASE_FILE, content: `${JSON.stringify(transport)}\n` };
}
