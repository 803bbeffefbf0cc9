/**
 * The analyzer is a real check: generated statements broken on purpose (a wrong type, an unknown
 * column, a missing table, ...) must be rejected with ZetaSQL's reason, while the unbroken ones
 * are accepted in the same catalog.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlString } from "../../plugin/src/printers/sql-text.js";
import { HOSTILE_OPTION_DESCRIPTION } from "../support/hostile.js";
import { generateExample } from "../harness/buf/protos.js";
import { startZetaSql, ZetaSqlError, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { catalogTables, generatedBigQuery, type GeneratedBigQuery } from "../harness/zetasql/generated-bigquery.js";

const PROJECT = "acme-energy";
let zetasql: ZetaSqlSession;
let generated: GeneratedBigQuery;

beforeAll(async () => {
  zetasql = await startZetaSql();
  generated = generatedBigQuery(generateExample());
  await zetasql.registerTables(catalogTables(PROJECT, generated));
});

afterAll(async () => {
  await zetasql?.stop();
});

function sqlOf(file: string): string {
  const sql = generated.tables.get(file) ?? generated.views.get(file) ?? generated.freshness.get(file);
  if (sql === undefined) throw new Error(`no generated ${file}`);
  return sql;
}

/** `file` with `from` replaced by `to` once; fails when `from` is not there (the test would prove nothing). */
function broken(file: string, from: string | RegExp, to: string): string {
  const original = sqlOf(file);
  const changed = original.replace(from, to);
  expect(changed).not.toBe(original);
  return changed;
}

async function expectRejected(sql: string, reason: RegExp): Promise<void> {
  const error = await zetasql.analyze(sql).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZetaSqlError);
  expect((error as ZetaSqlError).analyzerMessage).toMatch(reason);
}

describe("ZetaSQL rejects broken statements", () => {
  it("accepts the unbroken originals", async () => {
    for (const file of ["bigquery/energy_customer_v1/user.sql", "bigquery/energy_customer_v1/user_latest.sql", "bigquery/energy_customer_v1/entity_freshness.sql"]) {
      await expect(zetasql.analyze(sqlOf(file))).resolves.toBeDefined();
    }
  });

  it("a column of an unknown type", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user.sql", "`email` STRING", "`email` STRNG"), /Type not found: STRNG/);
  });

  it("an array of arrays (BigQuery has none)", async () => {
    await expectRejected(
      broken("bigquery/energy_customer_v1/user.sql", "`phone_numbers` ARRAY<STRING>", "`phone_numbers` ARRAY<ARRAY<STRING>>"),
      /Arrays of arrays are not supported/,
    );
  });

  it("partitioning by a column the table does not have", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user.sql", "TIMESTAMP_TRUNC(`publish_time`", "TIMESTAMP_TRUNC(`published`"), /Unrecognized name: published/);
  });

  it("a partitioning function applied to the wrong type", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user.sql", "TIMESTAMP_TRUNC(`publish_time`, DAY)", "DATETIME_TRUNC(`id`, DAY)"), /No matching signature/);
  });

  it("a view reading an unknown column", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user_latest.sql", "PARTITION BY `id`", "PARTITION BY `user_id`"), /Unrecognized name: user_id/);
  });

  it("a view comparing the operation with a number", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user_latest.sql", 'IS DISTINCT FROM "DELETED"', "IS DISTINCT FROM 3"), /No matching signature for operator IS DISTINCT FROM for argument types: STRING, INT64/);
  });

  it("a view ordering by a JSON column", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user_events.sql", "ORDER BY `publish_time`", "ORDER BY `attributes`"), /Ordering by expressions of type JSON is not allowed/);
  });

  it("a view on a table that is not in the catalog", async () => {
    await expectRejected(broken("bigquery/energy_customer_v1/user_events.sql", "energy_customer_v1.user`", "energy_customer_v1.users`"), /Table not found/);
  });

  it("a freshness view whose branches disagree on a column type", async () => {
    // House sets no warn_after: its branch holds a typed NULL.
    await expectRejected(
      broken("bigquery/energy_customer_v1/entity_freshness.sql", "CAST(NULL AS INT64) AS warn_after_seconds", "CAST(NULL AS STRING) AS warn_after_seconds"),
      /in UNION ALL has incompatible types: INT64, STRING/,
    );
  });

  it("a description quoted without escaping, while the escaped one is accepted", async () => {
    const ddl = (literal: string) => `CREATE TABLE \`p.d.t\` (a STRING OPTIONS(description=${literal}))`;
    await expectRejected(ddl(`"${HOSTILE_OPTION_DESCRIPTION}"`), /Syntax error/);
    const accepted = await zetasql.analyze(ddl(sqlString(HOSTILE_OPTION_DESCRIPTION)));
    expect(accepted.columns[0].description).toBe(HOSTILE_OPTION_DESCRIPTION);
  });
});
