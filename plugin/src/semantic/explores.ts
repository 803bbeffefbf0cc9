/**
 * Explores: the base view, its child views joined with `LEFT JOIN UNNEST`, and the latest state
 * of every entity a field references, joined many-to-one on its id.
 */
import type { NameLookup, UnnestJoin } from "./fields.js";
import { freeName, isReservedWord } from "./fields.js";
import { atom, atomList, block, param, sql, str, stringList, stringValue, type LookmlBlock, type LookmlNode } from "../printers/lookml-text.js";
import { PII_ACCESS_GRANT } from "./lookml-names.js";

/** A join of another entity's latest-state view on a field that holds its id. */
export interface ReferenceJoin {
  /** View and dimension of the referencing field. */
  readonly view: string;
  readonly dimension: string;
  /** The field's path from the explore's base view (`lines__buyer_id`), for the join's name. */
  readonly path: string;
  /** The referenced entity's latest view and its id dimension. */
  readonly targetView: string;
  readonly targetKey: string;
}

export interface ExploreSpec {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly unnestJoins: readonly UnnestJoin[];
  readonly referenceJoins: readonly ReferenceJoin[];
  /**
   * Names a join alias must not take: the explore's views and every view of the model. A list of
   * sets, looked up in turn, because copying the model's views for every explore is quadratic.
   */
  readonly reservedNames: readonly ReadonlySet<string>[];
  /** `view.field` → filter expression, required on every query (partition filters). */
  readonly alwaysFilter: readonly (readonly [string, string])[];
  /** `persist_for`, for an explore that must not use the model's caching. */
  readonly persistFor: string | undefined;
}

export function exploreBlock(spec: ExploreSpec): LookmlBlock {
  const aliases = new Set<string>();
  const taken: NameLookup = { has: (name) => aliases.has(name) || spec.reservedNames.some((names) => names.has(name)) };
  const body: (LookmlNode | false)[] = [
    str("label", spec.label),
    // Explore descriptions are not rendered as Liquid, unlike field descriptions.
    spec.description !== "" && str("description", spec.description),
    spec.tags.length > 0 && stringList("tags", spec.tags),
    spec.persistFor !== undefined && str("persist_for", spec.persistFor),
    spec.alwaysFilter.length > 0 &&
      block("always_filter", undefined, [param("filters", { kind: "map", entries: spec.alwaysFilter.map(([field, value]) => [field, stringValue(value)]) })]),
    ...spec.unnestJoins.map((join) => unnestJoin(join, spec.name)),
    ...spec.referenceJoins.map((join) => {
      const alias = referenceAlias(join, taken);
      aliases.add(alias);
      return referenceJoin(join, alias, spec.name);
    }),
  ];
  return block("explore", spec.name, body);
}

function unnestJoin(join: UnnestJoin, baseView: string): LookmlBlock {
  return block("join", join.view, [
    sql("sql", `LEFT JOIN UNNEST(\${${join.parentView}.${join.container}}) AS ${join.view} WITH OFFSET AS ${join.offsetAlias}`),
    atom("relationship", "one_to_many"),
    // Looker finds the parent of a nested array only through this.
    join.parentView !== baseView && atomList("required_joins", [join.parentView]),
    join.pii && atomList("required_access_grants", [PII_ACCESS_GRANT]),
  ]);
}

function referenceJoin(join: ReferenceJoin, alias: string, baseView: string): LookmlBlock {
  return block("join", alias, [
    atom("from", join.targetView),
    atom("type", "left_outer"),
    sql("sql_on", `\${${join.view}.${join.dimension}} = \${${alias}.${join.targetKey}}`),
    atom("relationship", "many_to_one"),
    join.view !== baseView && atomList("required_joins", [join.view]),
  ]);
}

/** `owner_user_id` → `owner_user`, `lines__buyer_id` → `lines__buyer`; otherwise the field and the view it leads to. */
function referenceAlias(join: ReferenceJoin, taken: NameLookup): string {
  const stripped = /^(.+)_id$/.exec(join.path)?.[1];
  // Looker writes the join's name as the SQL alias, unquoted: `group` or `order` would not parse.
  if (stripped !== undefined && !taken.has(stripped) && !isReservedWord(stripped)) return stripped;
  return freeName(`${join.path}__${join.targetView}`, taken);
}
