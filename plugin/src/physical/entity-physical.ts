/**
 * What each entity becomes physically, worked out once per run and shared by every emitter: its
 * BigQuery names, its table's columns (as the DDL creates them and in the order production holds
 * them), its topic schema and the topic schema's text.
 *
 * The table schema is made once and kept (most formats read it). The topic schema's text is
 * printed when asked for: holding every entity's text from the Pub/Sub check to the Terraform
 * module costs more memory than printing it again costs time.
 */
import type { Entity } from "../model/types.js";
import { bigQueryNames, type BigQueryNames } from "./bigquery-names.js";
import { tableSchema, type BigQueryField, type RetiredColumn } from "./table-schema.js";
import { printTopicSchema } from "./topic-schema-text.js";
import { entityTopicSchema, type EntityTopicSchema } from "./topic-schema.js";

/**
 * What the released state says about an entity's table; the evolution stage provides it (plugin
 * option `lock=`), and without a release every table is as its contract declares it.
 */
export interface ReleasedLayout {
  /** Columns of removed fields that the table keeps. */
  retiredColumns(entity: Entity): readonly RetiredColumn[];
  /** The table's columns in production's order after this run's changes; undefined when nothing was released. */
  liveColumns(entity: Entity): readonly BigQueryField[] | undefined;
}

export interface EntityPhysical {
  readonly names: BigQueryNames;
  /** The table as the DDL and the JSON schema create it: the contract's order, retired columns at the end of their level. */
  readonly tableSchema: readonly BigQueryField[];
  /** The table in the live table's column order (BigQuery appends added columns); `tableSchema` before any release. */
  readonly liveTableSchema: readonly BigQueryField[];
  readonly topicSchema: EntityTopicSchema;
  /** The topic schema as .proto text, the definition Pub/Sub is given (printed on every read). */
  readonly topicSchemaText: string;
}

export interface PhysicalLayer {
  of(entity: Entity): EntityPhysical;
}

/** The layer of one run; each part of an entity is computed when first asked for, then kept. */
export function physicalLayer(released?: ReleasedLayout): PhysicalLayer {
  const entities = new Map<Entity, EntityPhysical>();
  return {
    of(entity) {
      let physical = entities.get(entity);
      if (physical === undefined) {
        physical = entityPhysical(entity, released);
        entities.set(entity, physical);
      }
      return physical;
    },
  };
}

function entityPhysical(entity: Entity, released: ReleasedLayout | undefined): EntityPhysical {
  let table: readonly BigQueryField[] | undefined;
  const physical: EntityPhysical = {
    names: bigQueryNames(entity),
    get tableSchema() {
      return (table ??= tableSchema(entity, released?.retiredColumns(entity) ?? []));
    },
    get liveTableSchema() {
      return released?.liveColumns(entity) ?? physical.tableSchema;
    },
    get topicSchema() {
      return entityTopicSchema(entity);
    },
    get topicSchemaText() {
      return printTopicSchema(entityTopicSchema(entity).schema);
    },
  };
  return physical;
}
