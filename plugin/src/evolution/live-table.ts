/**
 * The table schema in the live table's column order. BigQuery appends every added column at the
 * end of its level, so after a release the table's order differs from the contract's declaration
 * order; a deployment tool that is given another order (Terraform compares the schema column by
 * column) shows a permanent diff or plans a replacement. The lock knows the live order.
 */
import { tableSchema, type BigQueryField } from "../physical/table-schema.js";
import type { Entity, Model } from "../model/types.js";

/** The entity's table after this run's change set, columns in production's order; the contract's order before any release. */
export function liveTableSchema(model: Model, entity: Entity): readonly BigQueryField[] {
  return model.evolution?.nextEntities[entity.typeName]?.columns ?? tableSchema(entity);
}
