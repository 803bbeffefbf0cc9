/**
 * The measures run on rows, on ZetaSQL's reference engine, through the SQL Looker would generate
 * for them (test/lookml/compose.ts): rows Pub/Sub delivered twice, a producer's retry and rows
 * without an event_id are each counted, summed and averaged once; Money is totalled per currency;
 * the freshness alert's number counts stale entities and is 0, not empty, when there are none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateExample } from "../harness/buf/protos.js";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { startZetaSql, type Row, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { tableSchema } from "../harness/zetasql/generated-bigquery.js";
import { composeFieldsQuery } from "../harness/lookml/compose.js";
import { lookmlFiles, parseProject, type LookmlObject } from "../harness/lookml/lookml.js";

let zetasql: ZetaSqlSession;
let model: LookmlObject;

beforeAll(async () => {
  zetasql = await startZetaSql();
  model = Object.values((await parseProject(lookmlFiles(generateExample()))).model)[0];
});
afterAll(async () => {
  await zetasql?.stop();
});

/** Within the explores' required "last 7 days" partition filter. */
const RECENT = new Date(Date.now() - 3_600_000);

function tableName(view: string): string {
  return model.view[view].sql_table_name.trim().replace(/`/g, "");
}

async function run(explore: string, fields: readonly string[], table: { schema: readonly BigQueryField[]; rows: readonly Record<string, unknown>[] }): Promise<Row[]> {
  const sql = composeFieldsQuery(model, explore, fields);
  return zetasql.evaluate(sql, [{ name: tableName(model.explore[explore].from ?? explore), schema: table.schema, rows: table.rows }]);
}

describe("meter reading events with repeated deliveries", () => {
  const reading = (event: string | null, message: string, net: number | null, power: number | null) => ({
    event_id: event,
    message_id: message,
    publish_time: RECENT,
    operation: "CREATED",
    reading_id: `r-${event ?? message}`,
    net_energy_wh: net,
    power_w: power,
  });
  // Four events: e1 delivered twice by Pub/Sub and retried once by its producer, e2 once, a row of
  // another producer (no event_id) delivered twice, and e3 without values.
  const distinct = [reading("e1", "m1", 100, 10), reading("e2", "m3", -40, 30), reading(null, "m4", 25, 20), reading("e3", "m5", null, null)];
  const delivered = [...distinct, reading("e1", "m1", 100, 10), reading("e1", "m2", 100, 10), reading(null, "m4", 25, 20)];
  const fields = ["meter_readings_events.total_net_energy_wh", "meter_readings_events.average_power_w", "meter_readings_events.max_power_w", "meter_readings_events.count"];
  let schema: BigQueryField[];
  beforeAll(() => {
    schema = tableSchema(generateExample(), "energy_metering_v1", "meter_readings");
  });

  it("sum_distinct and average_distinct over the duplicated rows equal the plain sum and average over distinct events", async () => {
    const [duplicated] = await run("meter_readings_events", fields, { schema, rows: delivered });
    const [once] = await run("meter_readings_events", fields, { schema, rows: distinct });
    expect(duplicated).toEqual(once);
    const values = (key: "net_energy_wh" | "power_w") => distinct.map((r) => r[key]).filter((v): v is number => v !== null);
    expect(Object.values(duplicated)).toEqual([
      values("net_energy_wh").reduce((a, b) => a + b, 0),
      values("power_w").reduce((a, b) => a + b, 0) / values("power_w").length,
      Math.max(...values("power_w")),
      distinct.length,
    ]);
    // What a plain SUM would have said: the duplicates counted again.
    const [plain] = await zetasql.evaluate(`SELECT SUM(net_energy_wh) AS total FROM \`${tableName("meter_readings_events")}\``, [
      { name: tableName("meter_readings_events"), schema, rows: delivered },
    ]);
    expect(plain.total).not.toBe(duplicated.f0);
  });

  it("the primary key is never NULL and takes one value per event, however often it was delivered", async () => {
    const key = Object.entries<LookmlObject>(model.view.meter_readings_events.dimension).find(([, d]) => d.primary_key === true)![0];
    const rows = await run("meter_readings_events", [`meter_readings_events.${key}`], { schema, rows: delivered });
    expect(rows.map((r) => r.f0)).not.toContain(null);
    expect(rows).toHaveLength(distinct.length);
  });
});

describe("Money", () => {
  it("is totalled per currency (the currency is a required field), each invoice event once", async () => {
    const schema = tableSchema(generateExample(), "billing", "invoice");
    const invoice = (event: string, message: string, currency: string, amount: string) => ({
      event_id: event,
      message_id: message,
      publish_time: RECENT,
      operation: "CREATED",
      total: { currency_code: currency, amount },
    });
    const rows = [invoice("e1", "m1", "EUR", "10.50"), invoice("e1", "m1", "EUR", "10.50"), invoice("e2", "m2", "EUR", "4.25"), invoice("e3", "m3", "USD", "7")];
    expect(model.view.invoice_events.measure.total_total.required_fields).toEqual(["total__currency_code"]);
    const result = await run("invoice_events", ["invoice_events.total_total"], { schema, rows });
    // The currency was added to the query: one row per currency.
    expect(new Map(result.map((r) => [r.f0, r.f1]))).toEqual(new Map([["EUR", 14.75], ["USD", 7]]));
  });
});

describe("invoice lines (a child view) under repeated deliveries and the join's fan-out", () => {
  const line = (description: string, quantity: number, amount: string) => ({ description, quantity, amount: { currency_code: "EUR", amount } });
  const invoice = (event: string, message: string, total: string, lines: unknown[]) => ({
    event_id: event,
    message_id: message,
    publish_time: RECENT,
    operation: "CREATED",
    total: { currency_code: "EUR", amount: total },
    lines,
  });
  const first = invoice("e1", "m1", "30", [line("a", 2, "10"), line("b", 1, "20")]);
  const second = invoice("e2", "m2", "5", [line("c", 4, "5")]);
  const distinct = [first, second];
  const delivered = [first, first, invoice("e1", "m9", "30", first.lines), second];

  it("entries keep one non-NULL key each, however often their invoice was delivered", async () => {
    const schema = tableSchema(generateExample(), "billing", "invoice");
    const keys = await run("invoice_events", ["invoice_events__lines.pk"], { schema, rows: delivered });
    expect(keys.map((r) => r.f0)).not.toContain(null);
    expect(keys).toHaveLength(3);
  });

  it("totals of the invoices and of their lines, in one query, count each invoice and each line once", async () => {
    const schema = tableSchema(generateExample(), "billing", "invoice");
    const fields = ["invoice_events.total_total", "invoice_events__lines.total_quantity", "invoice_events__lines.count", "invoice_events.count"];
    const [duplicated] = await run("invoice_events", fields, { schema, rows: delivered });
    const [once] = await run("invoice_events", fields, { schema, rows: distinct });
    expect(duplicated).toEqual(once);
    // Grouped by the currency the Money total requires; the join repeats each invoice per line.
    expect(Object.values(duplicated)).toEqual(["EUR", 35, 7, 3, 2]);
  });
});

describe("the freshness alert's number", () => {
  const view = "energy_metering_v1__entity_freshness";
  const schema: BigQueryField[] = [
    { name: "entity", type: "STRING", mode: "NULLABLE" },
    { name: "status", type: "STRING", mode: "NULLABLE" },
    { name: "is_stale", type: "BOOL", mode: "NULLABLE" },
    { name: "lag_seconds", type: "INT64", mode: "NULLABLE" },
  ] as BigQueryField[];
  const fields = [`${view}.stale_entities`];

  it("counts stale entities (WARN, ERROR), not OK or NO_EXPECTATION ones", async () => {
    const statuses = ["OK", "WARN", "ERROR", "ERROR", "NO_EXPECTATION", "OK"];
    const rows = statuses.map((status, i) => ({ entity: `e${i}`, status, is_stale: status === "WARN" || status === "ERROR", lag_seconds: i * 100 }));
    const [row] = await run(view, fields, { schema, rows });
    expect(row.f0).toBe(3);
  });

  it("is 0, not empty, when every stream is on time or there are no rows", async () => {
    expect((await run(view, fields, { schema, rows: [{ entity: "a", status: "OK", is_stale: false, lag_seconds: 5 }] }))[0].f0).toBe(0);
    expect((await run(view, fields, { schema, rows: [] }))[0].f0).toBe(0);
  });
});
