/**
 * What each entity becomes physically, defined once and shared by every emitter: its
 * BigQuery names, its table's columns (as the DDL creates them and in the order production holds
 * them), its topic schema and the topic schema's text.
 *
 * Each part has one definition here, and only the names are kept: the table schema and the topic
 * schema's text are made when a format asks. Holding them for every entity from the first format
 * to the last (the Terraform module, the catalog) raised the 1,000-entity run's peak memory by
 * 25–35 MB; making them again costs less than that run's noise in time.
 */
import type { Entity } from "../model/types.js";
import { bigQueryNames, type BigQueryNames } from "./bigquery-names.js";
import { tableSchema, type BigQueryField, type RetiredColumn } from "./table-schema.js";
import { printTopicSchema } from "./topic-schema-text.js";
import { entityTopicSchema, type EntityTopicSchema, type EnvelopePresence } from "./topic-schema.js";

/**
 * What the released state says about an entity's table; the evolution stage provides it (plugin
 * option `lock=`), and without a release every table is as its contract declares it.
 */
export interface ReleasedLayout {
  /** Columns of removed fields that the table keeps. */
  retiredColumns(entity: Entity): readonly RetiredColumn[];
  /** The table's columns in production's order after this run's changes; undefined when nothing was released. */
  liveColumns(entity: Entity): readonly BigQueryField[] | undefined;
  /** How the topic schema declares the envelope: as released, or required for an entity not released yet. */
  envelope(entity: Entity): EnvelopePresence;
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

/** The layer of one run: an entity's names are kept, its other parts made on every read. */
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
  // Without a lock nothing was released: every topic schema is new and gets the required envelope.
  const envelope = released?.envelope(entity) ?? "required";
  const physical: EntityPhysical = {
    names: bigQueryNames(entity),
    get tableSchema() {
      return tableSchema(entity, released?.retiredColumns(entity) ?? []);
    },
    get liveTableSchema() {
      return released?.liveColumns(entity) ?? physical.tableSchema;
    },
    get topicSchema() {
      return entityTopicSchema(entity, envelope);
    },
    get topicSchemaText() {
      return printTopicSchema(entityTopicSchema(entity, envelope).schema);
    },
  };
  return physical;
}
