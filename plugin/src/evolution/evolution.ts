/** What comparing the contracts with the released state yields: change sets and the next lock. */
import type { BigQueryField, BigQueryJsonType, RetiredColumn } from "../physical/table-schema.js";
import type { Entity } from "../model/types.js";
import type { LockedEntity, LockFile } from "./lock.js";

export interface Evolution {
  /** The lock as read (empty when nothing was released yet). */
  readonly released: LockFile;
  /** One per entity whose table must change since the release, numbered per dataset. */
  readonly changeSets: readonly ChangeSet[];
  /** The lock's entities after releasing these contracts (released entities no longer declared are kept). */
  readonly nextEntities: Readonly<Record<string, LockedEntity>>;
  /** Released entities whose contract is gone on purpose: their tables stay, documented as retired. */
  readonly retired: readonly RetiredEntity[];
  /** Per entity, the columns of released fields removed from its contract: its table keeps them. */
  readonly retiredColumns: ReadonlyMap<Entity, readonly RetiredColumn[]>;
}

export interface RetiredEntity {
  readonly typeName: string;
  /** As last released. */
  readonly released: LockedEntity;
}

/** What one release changes in one entity's table, applied in this order: statements, then the schema patch. */
export interface ChangeSet {
  readonly entity: Entity;
  /** Migration number within the dataset, after the released ones. */
  readonly number: number;
  readonly statements: readonly TableChange[];
  /**
   * The table's whole schema after the statements, when some change is beyond DDL (a field
   * added inside a STRUCT, a nested description, a policy tag): `bq update` applies it.
   */
  readonly schemaPatch: readonly BigQueryField[] | undefined;
  /** One line per change, for the migration's header. */
  readonly summary: readonly string[];
  /** The topic schema gained or lost fields: commit it as a new revision after the table changed. */
  readonly newTopicRevision: boolean;
}

export type TableChange =
  /** `ADD COLUMN IF NOT EXISTS`: appended at the end of the table. */
  | { readonly kind: "addColumn"; readonly column: BigQueryField }
  /** `ALTER COLUMN SET DATA TYPE`: a widening of a top-level column. */
  | { readonly kind: "setDataType"; readonly name: string; readonly from: BigQueryJsonType; readonly to: BigQueryJsonType }
  /** `ALTER COLUMN SET OPTIONS (description=...)`. */
  | { readonly kind: "setDescription"; readonly name: string; readonly description: string };
