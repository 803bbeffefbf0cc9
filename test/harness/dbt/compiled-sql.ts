/**
 * The SQL dbt runs for the generated sources files: each generic test as dbt's built-in test
 * macros compile it for BigQuery, and the query of `dbt source freshness`. The suites analyze it
 * with ZetaSQL against the generated tables and views.
 */
import { expect } from "vitest";
import { testParts, type DbtSource, type DbtTable, type DbtTest, type LocatedTable } from "./dbt.js";

/** `{{ source(...) }}` as dbt-bigquery renders it. */
export function relation(source: DbtSource, table: DbtTable): string {
  return `\`${source.database}.${source.schema}.${table.identifier ?? table.name}\``;
}

/** A test's relation: with `config.where`, dbt wraps it in a filtered subquery. */
function testedRelation(source: DbtSource, table: DbtTable, where: unknown): string {
  return typeof where === "string" ? `(select * from ${relation(source, table)} where ${where}) dbt_subquery` : relation(source, table);
}

function resolveSource(all: readonly LocatedTable[], to: string): LocatedTable {
  const match = /^source\('([^']+)', '([^']+)'\)$/.exec(to);
  expect(match, `relationships to: ${to}`).not.toBeNull();
  const found = all.find(({ source, table }) => source.name === match![1] && table.name === match![2]);
  expect(found, `${to} is a table of a generated source`).toBeDefined();
  return found!;
}

/** The query dbt runs for a generic test (the same shape as dbt's built-in test macros). */
export function compileTest(all: readonly LocatedTable[], { source, table }: LocatedTable, column: string, test: DbtTest): string {
  const { name, args, config } = testParts(test);
  const model = testedRelation(source, table, config.where);
  switch (name) {
    case "not_null":
      return `select ${column} from ${model} where ${column} is null`;
    case "unique":
      return `select ${column} as unique_field, count(*) as n_records from ${model} where ${column} is not null group by ${column} having count(*) > 1`;
    case "accepted_values": {
      const values = (args.values as string[]).map((v) => `'${v}'`).join(", ");
      return (
        `with all_values as (select ${column} as value_field, count(*) as n_records from ${model} group by ${column}) ` +
        `select * from all_values where value_field not in (${values})`
      );
    }
    case "relationships": {
      const parent = resolveSource(all, args.to as string);
      return (
        `with child as (select ${column} as from_field from ${model} where ${column} is not null), ` +
        `parent as (select ${args.field as string} as to_field from ${relation(parent.source, parent.table)}) ` +
        `select from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null`
      );
    }
    default:
      throw new Error(`unexpected test ${name}`);
  }
}

/** The query of `dbt source freshness` for a table. */
export function freshnessQuery({ source, table }: LocatedTable): string {
  const filter = table.config.freshness?.filter;
  return (
    `select max(${source.config.loaded_at_field}) as max_loaded_at, current_timestamp() as snapshotted_at ` +
    `from ${relation(source, table)}${filter === undefined ? "" : ` where ${filter}`}`
  );
}

export function compiledTests(all: readonly LocatedTable[]): { label: string; sql: string }[] {
  return all.flatMap((located) =>
    (located.table.columns ?? []).flatMap((column) =>
      (column.data_tests ?? []).map((test) => ({
        label: `${located.table.name}.${column.name} ${testParts(test).name}`,
        sql: compileTest(all, located, column.name, test),
      })),
    ),
  );
}
