/**
 * Personal data in the warehouse: BigQuery's column-level security protects only columns that
 * carry a policy tag; any other column is readable by everyone who can read the table, through
 * every view that selects it (`SELECT *` included). So every column of a `pii` field gets one:
 * its own `(entity.v1.field).policy_tag`, else the nearest enclosing field's, else the plugin
 * option `pii_policy_tag=`. A pii field that none of them covers is a contract error.
 *
 * The tag goes on the leaves: a pii message field (a postal address, a LatLng) tags each of its
 * sub-columns, which is where BigQuery checks column access.
 */
import type { Problems } from "./errors.js";
import type { Column, SourceLocation } from "./types.js";

export interface PiiTagging {
  /** The plugin option `pii_policy_tag=`, if set. */
  readonly defaultTag: string | undefined;
  readonly problems: Problems;
  /** Where an entity column that is not a field (the nest_under STRUCT) is declared. */
  readonly entityLocation: SourceLocation;
  readonly entityName: string;
}

export function withPiiPolicyTags(columns: readonly Column[], tagging: PiiTagging): Column[] {
  return columns.map((c) => tagged(c, undefined, false, tagging));
}

function tagged(column: Column, inheritedTag: string | undefined, insidePii: boolean, tagging: PiiTagging): Column {
  const pii = insidePii || column.pii;
  const tag = column.policyTag ?? inheritedTag;
  if (column.pii && !insidePii && tag === undefined && tagging.defaultTag === undefined) reportUntagged(column, tagging);
  if (column.fields.length > 0) {
    const fields = taggedFields(column.fields, tag, pii, tagging);
    return fields === column.fields ? column : { ...column, fields };
  }
  const leafTag = pii ? (tag ?? tagging.defaultTag) : undefined;
  return leafTag === undefined || leafTag === column.policyTag ? column : { ...column, policyTag: leafTag };
}

/**
 * The fields tagged; the same list when none changed (most: no pii inside), a new one only
 * otherwise, copied whole and then changed in place so that it is no larger than needed (the
 * model keeps it for the whole run; pushing would leave room for more).
 */
function taggedFields(fields: readonly Column[], inheritedTag: string | undefined, insidePii: boolean, tagging: PiiTagging): readonly Column[] {
  let changed: Column[] | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const result = tagged(field, inheritedTag, insidePii, tagging);
    if (result === field) continue;
    changed ??= fields.slice();
    changed[i] = result;
  }
  return changed ?? fields;
}

function reportUntagged(column: Column, tagging: PiiTagging): void {
  const { location, subject } =
    column.source.kind === "field"
      ? { location: column.source.location, subject: column.source.fieldName }
      : { location: tagging.entityLocation, subject: tagging.entityName };
  tagging.problems.add(
    location,
    subject,
    `is personal data (pii), but no BigQuery policy tag protects its column ${column.path.join(".")}: anyone who can read the table reads it, through every view.`,
    'set [(entity.v1.field).policy_tag = "projects/<project>/locations/<location>/taxonomies/<taxonomy>/policyTags/<tag>"] on the field, ' +
      "or the plugin option pii_policy_tag=<that resource name> in buf.gen.yaml for every pii field without its own.",
  );
}
