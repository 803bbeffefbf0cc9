/**
 * Emits generated/bigquery/<dataset>/migrations/: every released migration (from the lock, as it
 * was released) and one numbered migration per entity changed since the release, with its JSON
 * schema patch when DDL cannot make the change. Without the plugin option `lock=` it emits nothing.
 */
import type { ChangeSet, Evolution } from "../../evolution/evolution.js";
import { LOCK_VERSION, printLock, type LockedMigration } from "../../evolution/lock.js";
import { RELEASE_FILE, type ReleaseTransport } from "../../evolution/release.js";
import { planned, type Emitter, type PlannedFile } from "../emitter.js";
import { migrationStem } from "../../physical/artifact-names.js";
import { migrationBody, migrationHeader } from "./migration-sql.js";

export const migrationsEmitter: Emitter = {
  name: "migrations",
  plan({ options, evolution }) {
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

function migrationFiles(migration: LockedMigration): PlannedFile[] {
  const dir = `bigquery/${migration.dataset}/migrations`;
  const files: PlannedFile[] = [
    planned(`${dir}/${migration.sql.file}`, () => `${migrationHeader(migration.sql.source)}\n${migration.sql.lines.join("\n")}\n`),
  ];
  // `bq update` takes the bare array of fields, so this JSON file has no generatedBy key; its SQL file says where it comes from.
  const patch = migration.schemaPatch;
  if (patch !== undefined) files.push(planned(`${dir}/${patch.file}`, () => `${JSON.stringify(patch.fields, null, 2)}\n`));
  return files;
}

function releaseFile(evolution: Evolution, migrations: readonly LockedMigration[], lockPath: string): PlannedFile {
  // The package's released version stays as it was; `protoc-gen-entity release` derives the next one.
  const released = evolution.released.package;
  const lockText = printLock({ lockVersion: LOCK_VERSION, entities: evolution.nextEntities, migrations, ...(released === undefined ? {} : { package: released }) });
  const transport: ReleaseTransport = { lockPath, lockText };
  return planned(RELEASE_FILE, () => `${JSON.stringify(transport)}\n`);
}
