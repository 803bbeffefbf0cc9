/**
 * How entity tables are read (docs/bigquery.md, "Reading the tables"), executed on ZetaSQL's
 * reference engine over rows chosen to be hard: duplicates, out-of-order and tied events, delete
 * then re-create, NULL occurred_at, enum text no contract knows, days without any row. The
 * generated files are run as generated: table functions' bodies with their parameters bound, the
 * latest-state MERGE run twice and then after late rows, the freshness and activity views.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type Row, type TableRows, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { analyzeAll, generatedBigQuery, tableSchema } from "../harness/zetasql/generated-bigquery.js";
import { HOUR_MS, SHOP, viewQuery } from "./support.js";

const PROJECT = "test-project";
const DATASET = "shop_v1";


let zetasql: ZetaSqlSession;
let files: Map<string, string>;

beforeAll(async () => {
  zetasql = await startZetaSql();
  files = runPlugin(compileProtos({ "shop/v1/shop.proto": SHOP }), `project=${PROJECT}`);
  // Every generated statement is accepted by ZetaSQL (tables, table functions, MERGE, views).
  await analyzeAll(zetasql, PROJECT, generatedBigQuery(files));
});

afterAll(async () => {
  await zetasql?.stop();
});

const sqlOf = (name: string) => {
  const text = files.get(`bigquery/${DATASET}/${name}.sql`);
  if (text === undefined) throw new Error(`no bigquery/${DATASET}/${name}.sql`);
  return text;
};
const tableOf = (table: string, rows: readonly Record<string, unknown>[]): TableRows => ({
  name: `${PROJECT}.${DATASET}.${table}`,
  schema: tableSchema(files, DATASET, table),
  rows,
});

/** A table function's body with its parameters as query parameters, run over `rows`. */
async function callFunction(name: string, table: TableRows, from: Date, to: Date): Promise<Row[]> {
  const text = sqlOf(name);
  expect(text).toMatch(/CREATE OR REPLACE TABLE FUNCTION `[^`]+`\(`from_ts` TIMESTAMP, `to_ts` TIMESTAMP\)/);
  const body = text.slice(text.indexOf("\nAS\n") + 4, text.lastIndexOf(";"));
  return zetasql.evaluate(body.replaceAll("`from_ts`", "@from_ts").replaceAll("`to_ts`", "@to_ts"), [table], { from_ts: from, to_ts: to });
}

const T0 = Date.UTC(2025, 2, 10);
const at = (hours: number) => new Date(T0 + hours * HOUR_MS);

describe("which relations each entity is read through", () => {
  it("generates views only where BigQuery can run them, table functions for all, latest state only for what changes", () => {
    const names = [...files.keys()].filter((n) => n.startsWith(`bigquery/${DATASET}/`)).map((n) => n.slice(`bigquery/${DATASET}/`.length)).sort();
    expect(names).toEqual([
      "click.schema.json",
      "click.sql",
      "click_events.sql",
      "click_events_between.sql",
      "customer.schema.json",
      "customer.sql",
      "customer_events.sql",
      "customer_events_between.sql",
      "customer_latest.sql",
      "customer_latest_between.sql",
      "entity_activity.sql",
      "entity_freshness.sql",
      "order.schema.json",
      "order.sql",
      "order_events_between.sql",
      "order_latest.sql",
      "order_latest_between.sql",
      "order_latest_state.merge.sql",
      "order_latest_state.schema.json",
      "order_latest_state.sql",
    ]);
    // The latest view of Order reads the latest-state table, never the table that requires a filter.
    expect(viewQuery(sqlOf("order_latest"))).toContain(`\`${PROJECT}.${DATASET}.order_latest_state\``);
    expect(viewQuery(sqlOf("order_latest"))).not.toContain(`\`${PROJECT}.${DATASET}.order\``);
  });

  it("reads a table that requires a partition filter only through a filter on its partitioning column", async () => {
    const readers = ["order_events_between", "order_latest_between", "order_latest_state.merge", "entity_freshness", "entity_activity"];
    for (const name of readers) {
      const text = sqlOf(name);
      const tables = await zetasql.referencedTables(text.replace(/^--.*\n/, ""));
      if (!tables.includes(`${PROJECT}.${DATASET}.order`)) continue;
      // Every SELECT over the order table has a WHERE on publish_time right after its FROM.
      const reads = text.split(`FROM \`${PROJECT}.${DATASET}.order\``).slice(1);
      expect(reads.length).toBeGreaterThan(0);
      for (const after of reads) expect(after).toMatch(/^\s*(-- [^\n]*\n\s*)?WHERE \(*`publish_time` (>=|>) /);
    }
  });

  it("gives Terraform, dbt and LookML the same relations", () => {
    const order = JSON.parse(files.get("terraform/shop_v1__order.tf.json")!) as { resource: Record<string, Record<string, unknown>> };
    expect(Object.keys(order.resource.google_bigquery_table!).sort()).toEqual(["shop_v1__order", "shop_v1__order__dead_letter", "shop_v1__order__latest", "shop_v1__order__latest_state"]);
    expect(Object.keys(order.resource.google_bigquery_data_transfer_config!)).toEqual(["shop_v1__order__latest_state"]);
    const click = JSON.parse(files.get("terraform/shop_v1__click.tf.json")!) as { resource: Record<string, Record<string, unknown>> };
    expect(Object.keys(click.resource.google_bigquery_table!).sort()).toEqual(["shop_v1__click", "shop_v1__click__dead_letter", "shop_v1__click__events"]);
    expect(click.resource.google_bigquery_data_transfer_config).toBeUndefined();

    const sources = files.get(`dbt/${DATASET}/_${DATASET}__sources.yml`)!;
    const tableNames = [...sources.matchAll(/^      - name: (\S+)$/gm)].map((m) => m[1]);
    expect(tableNames.sort()).toEqual(["click", "click_events", "customer", "customer_events", "customer_latest", "entity_freshness", "order", "order_latest"].sort());

    const lookml = [...files].filter(([n]) => n.startsWith("lookml/")).map(([, t]) => t).join("\n");
    expect(lookml).not.toMatch(/click_latest/);
    expect(lookml).not.toMatch(/order_events`/);
    expect(lookml).toMatch(/explore: order_latest \{/);
  });
});

describe("the table functions", () => {
  const orders = (rows: Record<string, unknown>[]) => tableOf("order", rows);

  it("events_between: one row per event in [from_ts, to_ts), the first delivery, across days without rows", async () => {
    const rows = [
      { event_id: "e1", message_id: "m1", publish_time: at(1), id: "A" },
      { event_id: "e1", message_id: "m2", publish_time: at(2), id: "A" }, // redelivery: the first wins
      { event_id: "e2", message_id: "m3", publish_time: at(5 * 24), id: "B" }, // four days later, nothing in between
      { event_id: null, message_id: "m4", publish_time: at(5 * 24 + 1), id: "C" },
      { event_id: null, message_id: "m4", publish_time: at(5 * 24 + 1), id: "C" },
      { event_id: "e3", message_id: "m5", publish_time: at(-1), id: "D" }, // before the range
      { event_id: "e4", message_id: "m6", publish_time: at(6 * 24), id: "E" }, // at to_ts: excluded
    ];
    const out = await callFunction("order_events_between", orders(rows), at(0), at(6 * 24));
    expect(out.map((r) => `${r.event_id}/${r.message_id}`).sort()).toEqual(["e1/m1", "e2/m3", "null/m4"]);
  });

  it("latest_between: each id's latest event in the range, DELETED left out, whatever the order of arrival", async () => {
    const row = (id: string, event: string, operation: string | null, occurred: number | null, published: number, extra: Record<string, unknown> = {}) => ({
      id,
      event_id: event,
      message_id: `m-${event}`,
      operation,
      occurred_at: occurred === null ? null : at(occurred),
      publish_time: at(published),
      ...extra,
    });
    const rows = [
      // Out of order: the later change arrived first.
      row("A", "a2", "UPDATED", 3, 4, { name: "new" }),
      row("A", "a1", "CREATED", 1, 6, { name: "old" }),
      // Tied occurred_at and publish_time: event_id decides.
      row("B", "b1", "CREATED", 2, 3, { name: "b1" }),
      row("B", "b2", "UPDATED", 2, 3, { name: "b2" }),
      // Deleted, then created again.
      row("C", "c1", "CREATED", 1, 1),
      row("C", "c2", "DELETED", 2, 2),
      row("C", "c3", "CREATED", 3, 3, { name: "again" }),
      // Deleted for good.
      row("D", "d1", "CREATED", 1, 1),
      row("D", "d2", "DELETED", 2, 2),
      // NULL occurred_at is the earliest: it never beats a timed event.
      row("E", "e1", "UPDATED", 2, 2, { name: "timed" }),
      row("E", "e2", "UPDATED", null, 5, { name: "untimed" }),
      // Enum text no contract version knows passes through as written.
      row("F", "f1", "CREATED", 1, 1, { favourite_state: "ORDER_STATE_REFUNDED" }),
      // Outside the range: its later event is not seen.
      row("A", "a3", "DELETED", 9, 30),
    ];
    const customers = tableOf("customer", rows);
    const orders = [rows, [...rows].reverse(), rows.map((_, i) => rows[(i * 5 + 3) % rows.length]!)];
    for (const order of orders) {
      const out = await callFunction("customer_latest_between", { ...customers, rows: order }, at(0), at(24));
      expect(out.map((r) => `${r.id}:${r.event_id}:${r.name ?? ""}:${r.favourite_state ?? ""}`).sort()).toEqual([
        "A:a2:new:",
        "B:b2:b2:",
        "C:c3:again:",
        "E:e1:timed:",
        "F:f1::ORDER_STATE_REFUNDED",
      ]);
    }
    // The view over all rows agrees, except that it also sees A's deletion.
    const all = await zetasql.evaluate(viewQuery(sqlOf("customer_latest")), [customers]);
    expect(all.map((r) => `${r.id}:${r.event_id}`).sort()).toEqual(["B:b2", "C:c3", "E:e1", "F:f1"]);
  });
});

/**
 * ZetaSQL's reference evaluator runs INSERT, UPDATE and DELETE but not MERGE ("Evaluator does not
 * support statement kind: MergeStmt"). The generated MERGE (analyzed whole by ZetaSQL in beforeAll)
 * is taken apart into its clauses, each run verbatim inside the query that MERGE's semantics give:
 * every target row, replaced by its matched source row when the WHEN MATCHED condition holds, and
 * the source rows that match no target row, inserted with the INSERT's values.
 */
function mergeAsQuery(merge: string): { query: string; source: string } {
  const parts =
    /^MERGE (?<target>`[^`]+`) AS `target`\nUSING \(\n(?<source>[\s\S]*?)\n\) AS `source`\nON (?<on>.*)\nWHEN MATCHED AND \(\n(?<condition>[\s\S]*?)\n\) THEN UPDATE SET\n(?<set>[\s\S]*?)\nWHEN NOT MATCHED BY TARGET THEN INSERT \((?<columns>.*)\)\n {2}VALUES \((?<values>.*)\);\n$/m.exec(
      merge.replace(/^--.*\n/, ""),
    )?.groups;
  if (parts === undefined) throw new Error(`not the MERGE layout this test reads:\n${merge}`);
  const { target, source, on, condition, set, columns, values } = parts as Record<string, string>;
  const assignments = set.split(",\n").map((line) => /^ {2}(`[^`]+`) = (.*)$/.exec(line)!.slice(1) as [string, string]);
  const inserted = columns.split(", ");
  const insertedValues = values.split(", ");
  expect(insertedValues).toHaveLength(inserted.length);
  expect(assignments.map(([column]) => column)).toEqual(inserted);
  const query = [
    "SELECT",
    assignments.map(([column, value]) => `  IF(\`source\`.__matched AND (${condition}), ${value}, \`target\`.${column}) AS ${column}`).join(",\n"),
    `FROM ${target} AS \`target\``,
    `LEFT JOIN (SELECT *, TRUE AS __matched FROM (\n${source}\n)) AS \`source\``,
    `ON ${on}`,
    "UNION ALL",
    "SELECT",
    inserted.map((column, i) => `  ${insertedValues[i]} AS ${column}`).join(",\n"),
    `FROM (\n${source}\n) AS \`source\``,
    `WHERE NOT EXISTS (SELECT 1 FROM ${target} AS \`target\` WHERE ${on})`,
  ].join("\n");
  return { query, source };
}

describe("the latest-state MERGE", () => {
  const now = Date.now();
  const ago = (hours: number) => new Date(now - hours * HOUR_MS);
  const STATE = `${PROJECT}.${DATASET}.order_latest_state`;
  const row = (id: string, event: string, operation: string, occurredHoursAgo: number | null, publishedHoursAgo: number, extra: Record<string, unknown> = {}) => ({
    id,
    event_id: event,
    message_id: `m-${event}`,
    operation,
    occurred_at: occurredHoursAgo === null ? null : ago(occurredHoursAgo),
    publish_time: ago(publishedHoursAgo),
    ...extra,
  });
  const merge = async (events: readonly Record<string, unknown>[], state: readonly Record<string, unknown>[]) => {
    const tables = [tableOf("order", events), { ...tableOf("order_latest_state", state), name: STATE }];
    const { query, source } = mergeAsQuery(sqlOf("order_latest_state.merge"));
    // MERGE fails when two source rows match one target row; the source must hold each id once.
    const ids = (await zetasql.evaluate(source, tables)).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    return zetasql.evaluate(query, tables);
  };
  const summary = (rows: readonly Row[]) => rows.map((r) => `${r.id}:${r.event_id}:${r.operation}:${r.state ?? ""}:${r.total_cents ?? ""}`).sort();

  const first = [
    row("A", "a1", "CREATED", 10, 10, { state: "ORDER_STATE_OPEN", total_cents: 100 }),
    row("A", "a2", "UPDATED", 5, 5, { state: "ORDER_STATE_PAID", total_cents: 100 }),
    row("A", "a2", "UPDATED", 5, 5, { state: "ORDER_STATE_PAID", total_cents: 100 }), // duplicate delivery
    row("B", "b1", "CREATED", 8, 8, { state: "ORDER_STATE_OPEN", total_cents: 200 }),
    row("C", "c1", "CREATED", 9, 9, { total_cents: 300 }),
    row("C", "c2", "DELETED", 7, 7),
    row("D", "d1", "CREATED", 6, 6, { total_cents: 400 }),
    // Older than the MERGE's window (3 days): left to the backfill.
    row("Z", "z1", "CREATED", 24 * 10, 24 * 10),
  ];

  it("fills the table from recent partitions, keeps tombstones, and changes nothing when run again", async () => {
    const once = await merge(first, []);
    expect(summary(once)).toEqual(["A:a2:UPDATED:ORDER_STATE_PAID:100", "B:b1:CREATED:ORDER_STATE_OPEN:200", "C:c2:DELETED::", "D:d1:CREATED::400"]);
    const twice = await merge(first, once);
    expect(summary(twice)).toEqual(summary(once));
  });

  it("takes late and out-of-order rows only when they are later in the events' order", async () => {
    const once = await merge(first, []);
    // The next run: the first rows have left the MERGE's window (or not: see the end), these arrive.
    const late = [
      // An older change of A arriving now: A keeps a2.
      row("A", "a0", "UPDATED", 20, 0.5, { state: "ORDER_STATE_OPEN", total_cents: 1 }),
      // A newer change of B.
      row("B", "b2", "UPDATED", 1, 1, { state: "ORDER_STATE_PAID", total_cents: 250 }),
      // C is created again after its deletion.
      row("C", "c3", "CREATED", 2, 2, { total_cents: 333 }),
      // An event of D without occurred_at never beats a timed one.
      row("D", "d2", "UPDATED", null, 0.2, { total_cents: 999 }),
      // A tie with T's event on occurred_at, published later: it wins.
      row("T", "t2", "UPDATED", 6, 3, { total_cents: 444 }),
      // A new id whose first event is a deletion: a tombstone only.
      row("E", "e1", "DELETED", 1, 1),
    ];
    const before = await merge([row("T", "t1", "CREATED", 6, 6, { total_cents: 440 })], once);
    const after = await merge(late, before);
    const expected = [
      "A:a2:UPDATED:ORDER_STATE_PAID:100",
      "B:b2:UPDATED:ORDER_STATE_PAID:250",
      "C:c3:CREATED::333",
      "D:d1:CREATED::400",
      "E:e1:DELETED::",
      "T:t2:UPDATED::444",
    ];
    expect(summary(after)).toEqual(expected);
    // All of them in the window at once, and run again: the same state.
    const everything = [...first, row("T", "t1", "CREATED", 6, 6, { total_cents: 440 }), ...late];
    expect(summary(await merge(everything, after))).toEqual(expected);
    expect(summary(await merge(everything, []))).toEqual(expected);

    // The latest view over the table leaves the tombstones out, and agrees with the table function
    // over the same window.
    const view = await zetasql.evaluate(viewQuery(sqlOf("order_latest")), [{ ...tableOf("order_latest_state", after), name: STATE }]);
    const live = expected.filter((r) => !r.includes(":DELETED:"));
    expect(summary(view)).toEqual(live);
    const window = await callFunction("order_latest_between", tableOf("order", everything), ago(72), ago(-1));
    expect(summary(window)).toEqual(live);
  });
});

describe("the freshness view", () => {
  it("gives silence the loudest status the contract has, flags stale entities and counts them", async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    const out = await zetasql.evaluate(viewQuery(sqlOf("entity_freshness")), [
      // Order warns after 1h and has no event in its 2h window (one older row is not read).
      tableOf("order", [{ publish_time: ago(30 * HOUR_MS) }]),
      tableOf("click", [{ publish_time: ago(HOUR_MS / 2) }]),
      tableOf("customer", []),
    ]);
    const byEntity = new Map(out.map((r) => [r.entity as string, r]));
    expect(byEntity.get("shop.v1.Order")).toMatchObject({
      status: "WARN",
      is_stale: true,
      data_in_window: false,
      lag_seconds: 7200,
      lookback_seconds: 7200,
      last_publish_time: null,
      stale_entities: 1,
    });
    expect(byEntity.get("shop.v1.Click")).toMatchObject({ status: "OK", is_stale: false, data_in_window: true, stale_entities: 1 });
    expect(byEntity.get("shop.v1.Customer")).toMatchObject({ status: "NO_EXPECTATION", is_stale: false, data_in_window: false, stale_entities: 1 });
  });
});

describe("the activity view", () => {
  it("compares the last hour with the same hour of the previous weeks, and pages only with a baseline", async () => {
    const now = Date.now();
    const WEEK_MS = 7 * 24 * HOUR_MS;
    /** `count` distinct events `weeks` weeks ago, half an hour into the compared hour. */
    const events = (prefix: string, weeks: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        event_id: `${prefix}-${weeks}-${i}`,
        message_id: `m-${prefix}-${weeks}-${i}`,
        publish_time: new Date(now - weeks * WEEK_MS - HOUR_MS / 2 + i * 1000),
      }));
    const orders = [...events("o", 0, 2), ...events("o", 1, 20), ...events("o", 2, 24), ...events("o", 3, 18), ...events("o", 4, 40)];
    // The same hour's redeliveries count once; an event of another hour does not count.
    const clicks = [
      ...events("c", 0, 12),
      ...events("c", 0, 12).map((e) => ({ ...e, message_id: `${e.message_id}-again` })),
      ...events("c", 1, 15),
      ...events("c", 2, 15),
      ...events("c", 4, 12),
      { event_id: "elsewhere", message_id: "x", publish_time: new Date(now - WEEK_MS - 3 * HOUR_MS) },
    ];
    // A new entity: two weeks of history only, nothing now.
    const customers = [...events("u", 1, 50), ...events("u", 2, 50)];
    const out = await zetasql.evaluate(viewQuery(sqlOf("entity_activity")), [tableOf("order", orders), tableOf("click", clicks), tableOf("customer", customers)]);
    const byEntity = new Map(out.map((r) => [r.entity as string, r]));
    expect(byEntity.get("shop.v1.Order")).toMatchObject({
      events: 2,
      previous_weeks: [20, 24, 18, 40],
      usual_events: 22,
      weeks_with_events: 4,
      status: "LOW",
      is_low: true,
      low_entities: 1,
      window_seconds: 3600,
    });
    expect(byEntity.get("shop.v1.Click")).toMatchObject({ events: 12, previous_weeks: [15, 15, 0, 12], usual_events: 13.5, weeks_with_events: 3, status: "OK", is_low: false });
    expect(byEntity.get("shop.v1.Customer")).toMatchObject({ events: 0, previous_weeks: [50, 50, 0, 0], weeks_with_events: 2, status: "NO_BASELINE", is_low: false, low_entities: 1 });
  });
});
