/**
 * What the emitters need to know of the released state about each table, handed to the physical
 * layer. BigQuery appends every added column at the end of its level, so after a release the
 * table's order differs from the contract's declaration order; a deployment tool that is given
 * another order (Terraform compares the schema column by column) shows a permanent diff or plans
 * a replacement. The lock knows the live order.
 */
import type { ReleasedLayout } from "../physical/entity-physical.js";
import type { Evolution } from "./evolution.js";
import { envelopePresence } from "./envelope-presence.js";

export function releasedLayout(evolution: Evolution): ReleasedLayout {
  return {
    retiredColumns: (entity) => evolution.retiredColumns.get(entity) ?? [],
    liveColumns: (entity) => evolution.nextEntities[entity.typeName]?.columns,
    envelope: (entity) => envelopePresence(evolution.released.entities[entity.typeName]),
  };
}
