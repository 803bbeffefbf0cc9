/**
 * What the table and its views say about themselves in BigQuery: description and labels. The DDL,
 * the views and the Terraform module set the same ones.
 */
import type { Entity } from "../model/types.js";
import { PLUGIN_NAME } from "../version.js";

/** The table's description: the entity's, else what the table is. */
export function tableDescription(entity: Entity): string {
  return entity.description !== "" ? entity.description : `Events of ${entity.typeName}, written by the Pub/Sub topic ${entity.topic}.`;
}

const LABEL_MAX_LENGTH = 63;

/**
 * A BigQuery label value: lowercase letters, digits, `_` and `-`, at most 63 characters
 * (`energy.customer.v1` → `energy_customer_v1`).
 */
export function labelValue(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, LABEL_MAX_LENGTH);
}

/** Labels shared by the table and its views, so that billing and inventory can group them. */
export function entityLabels(entity: Entity): [string, string][] {
  return [
    ...(entity.owner !== undefined ? [["owner", labelValue(entity.owner)] as [string, string]] : []),
    ["proto_package", labelValue(entity.protoPackage)],
    ["generated_by", labelValue(PLUGIN_NAME)],
  ];
}
