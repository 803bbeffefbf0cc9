/**
 * The example domain's generated/bigquery/, checked by ZetaSQL: every table, view and freshness
 * view analyzed against tables registered from the JSON schemas; the DDL read back and compared
 * with the JSON schema and the contract; the views' behaviour run on ZetaSQL's reference engine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITY_VIEW, bigQueryNames, FRESHNESS_VIEW, readRelations } from "../../plugin/src/physical/bigquery-names.js";
import { tableSchema, type BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { GENERATED_HEADER_PATTERN } from "../../plugin/src/printers/header.js";
import type { Column, Entity, Model } from "../../plugin/src/model/types.js";
import { modelOfCompiled } from "../model/support.js";
import { compileExample, exampleParameter, generateExample } from "../harness/buf/protos.js";
import { startZetaSql, type AnalyzedStatement, type Row, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { analyzeAll, generatedBigQuery, type GeneratedBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { asSchema, expectValidLabels, HOUR_MS, schemaShape, viewQuery } from "./support.js";

let zetasql: ZetaSqlSession;
let files: Map<string, string>;
let model: Model;
let generated: GeneratedBigQuery;
let analyzed: Map<string, AnalyzedStatement>;

beforeAll(async () => {
  zetasql = await startZetaSql();
  files = generateExample();
  model = modelOfCompiled(compileExample(), exampleParameter());
  generated = generatedBigQuery(files);
  analyzed = await analyzeAll(zetasql, model.project, generated);
});

afterAll(async () => {
  await zetasql?.stop();
});

const hasPii = (columns: readonly Column[]): boolean => columns.some((c) => c.pii || hasPii(c.fields));
const fileOf = (entity: Entity, name: string, ext = ".sql") => `bigquery/${entity.dataset}/${name}${ext}`;
const entity = (messageName: string) => model.entities.find((e) => e.messageName === messageName)!;
const schemaOf = (e: Entity) => JSON.parse(files.get(fileOf(e, bigQueryNames(e).table, ".schema.json"))!) as BigQueryField[];

describe("generated/bigquery of the example domain", () => {
  /** The SQL files of an entity: its table, what it is read through (readRelations), its erasure statement. */
  const readFiles = (e: Entity) => {
    const names = bigQueryNames(e);
    const reads = readRelations(e);
    return [
      ...(reads.eventsView ? [names.eventsView] : []),
      names.eventsFunction,
      ...(reads.latest === "table" ? [names.latestStateTable, `${names.latestStateTable}.merge`] : []),
      ...(reads.latestView ? [names.latestView, names.latestFunction] : []),
      ...(hasPii(e.columns) ? [`${names.table}_erase_pii`] : []),
    ];
  };

  it("has a table, its JSON schema, its read relations and (with personal data) an erasure statement per entity, and a freshness and an activity view per dataset", () => {
    const expected = model.entities.flatMap((e) => {
      const names = bigQueryNames(e);
      return [fileOf(e, names.table), fileOf(e, names.table, ".schema.json"), ...readFiles(e).map((n) => fileOf(e, n))];
    });
    const datasets = [...new Set(model.entities.map((e) => e.dataset))];
    expected.push(...datasets.flatMap((d) => [`bigquery/${d}/${FRESHNESS_VIEW}.sql`, `bigquery/${d}/${ACTIVITY_VIEW}.sql`]));
    expect([...files.keys()].filter((n) => n.startsWith("bigquery/") && !n.includes("/migrations/")).sort()).toEqual(expected.sort());
    expect(datasets.length).toBeGreaterThan(1);
    // MeterReading is append-only and requires a partition filter: its event log is the table function only.
    expect(readFiles(entity("MeterReading"))).toEqual(["meter_readings_events_between"]);
  });

  it("starts every SQL file with the generated-code header as a line comment", () => {
    const sql = [...files].filter(([n]) => n.startsWith("bigquery/") && !n.includes("/migrations/") && n.endsWith(".sql"));
    expect(model.entities.filter((e) => hasPii(e.columns)).length).toBe(3);
    expect(sql.length).toBe(model.entities.reduce((n, e) => n + 1 + readFiles(e).length, 0) + 2 * new Set(model.entities.map((e) => e.dataset)).size);
    for (const [, content] of sql) {
      const first = content.split("\n")[0];
      expect(first.startsWith("-- ")).toBe(true);
      expect(first).toMatch(GENERATED_HEADER_PATTERN);
    }
  });

  it("is accepted by ZetaSQL, statement by statement, each creating the object its file is named after", () => {
    for (const e of model.entities) {
      const names = bigQueryNames(e);
      const reads = readRelations(e);
      const qualified = (name: string) => `${model.project}.${e.dataset}.${name}`;
      expect(analyzed.get(fileOf(e, names.table))).toMatchObject({ kind: "createTable", name: qualified(names.table) });
      if (reads.eventsView) expect(analyzed.get(fileOf(e, names.eventsView))).toMatchObject({ kind: "createView", name: qualified(names.eventsView) });
      if (reads.latestView) expect(analyzed.get(fileOf(e, names.latestView))).toMatchObject({ kind: "createView", name: qualified(names.latestView) });
      expect(analyzed.get(fileOf(e, names.eventsFunction))).toBeDefined();
      expect(analyzed.get(fileOf(e, FRESHNESS_VIEW))).toMatchObject({ kind: "createView", name: qualified(FRESHNESS_VIEW) });
      expect(analyzed.get(fileOf(e, ACTIVITY_VIEW))).toMatchObject({ kind: "createView", name: qualified(ACTIVITY_VIEW) });
    }
  });

  it("declares in DDL exactly the JSON schema's columns: names, types, modes, nested fields and descriptions", () => {
    for (const e of model.entities) {
      const ddl = analyzed.get(fileOf(e, bigQueryNames(e).table))!;
      expect(asSchema(ddl.columns)).toEqual(schemaShape(schemaOf(e)));
    }
  });

  it("writes the model's table as the JSON schema, with only the keys BigQuery knows and policy tags on tagged columns", () => {
    const known = new Set(["name", "type", "mode", "description", "fields", "policyTags"]);
    const walk = (fields: readonly BigQueryField[], visit: (f: BigQueryField) => void): void =>
      fields.forEach((f) => (visit(f), walk(f.fields ?? [], visit)));
    let tagged = 0;
    for (const e of model.entities) {
      const schema = schemaOf(e);
      expect(schema).toEqual(tableSchema(e));
      expect(schema.map((f) => f.name).slice(-4)).toEqual(["subscription_name", "message_id", "publish_time", "attributes"]);
      walk(schema, (f) => {
        for (const key of Object.keys(f)) expect(known.has(key)).toBe(true);
        if (f.policyTags !== undefined) {
          tagged++;
          expect(f.policyTags.names).toHaveLength(1);
          expect(f.policyTags.names[0]).toMatch(/^projects\/[^/]+\/locations\/[^/]+\/taxonomies\/[^/]+\/policyTags\/[^/]+$/);
        }
      });
    }
    // The example tags User.email (see proto/energy/customer/v1/user.proto).
    expect(schemaOf(entity("User")).find((f) => f.name === "email")?.policyTags?.names).toHaveLength(1);
    expect(tagged).toBeGreaterThan(0);
  });

  it("sets the table description, valid labels, retention and the partition filter from the contract", () => {
    for (const e of model.entities) {
      const { options } = analyzed.get(fileOf(e, bigQueryNames(e).table))!;
      if (e.description !== "") expect(options.description).toBe(e.description);
      else expect(options.description).toContain(e.typeName);
      expectValidLabels(options.labels);
      const labels = new Map(options.labels as [string, string][]);
      expect(labels.get("proto_package")).toBe(e.protoPackage.replaceAll(".", "_"));
      expect(labels.get("generated_by")).toBe("protoc-gen-entity");
      expect(labels.get("owner")).toBe(e.owner);
      expect(options.partition_expiration_days).toBe(e.partitioning.expirationDays === undefined ? undefined : BigInt(e.partitioning.expirationDays));
      expect(options.require_partition_filter).toBe(e.partitioning.requirePartitionFilter ? true : undefined);
    }
    // Spot checks against the .proto files themselves.
    expect(analyzed.get("bigquery/energy_customer_v1/user.sql")!.options.partition_expiration_days).toBe(3650n);
    expect(analyzed.get("bigquery/energy_metering_v1/meter_readings.sql")!.options.require_partition_filter).toBe(true);
  });

  it("partitions and clusters as the contracts say (compared with hand-written DDL through ZetaSQL)", async () => {
    const reference = async (columns: string, partitionBy: string) =>
      (await zetasql.analyze(`CREATE TABLE \`p.d.reference\` (${columns}) PARTITION BY ${partitionBy}`)).partitionBy;
    // user.proto: no partitioning option → by day of publish_time.
    expect(analyzed.get("bigquery/energy_customer_v1/user.sql")!.partitionBy).toEqual(
      await reference("publish_time TIMESTAMP", "TIMESTAMP_TRUNC(publish_time, DAY)"),
    );
    // meter_reading.proto: GRANULARITY_HOUR.
    expect(analyzed.get("bigquery/energy_metering_v1/meter_readings.sql")!.partitionBy).toEqual(
      await reference("publish_time TIMESTAMP", "TIMESTAMP_TRUNC(publish_time, HOUR)"),
    );
    // smart_meter.proto: occurred_at by month, clustered by id and house_id.
    const smartMeter = analyzed.get("bigquery/energy_metering_v1/smart_meter.sql")!;
    expect(smartMeter.partitionBy).toEqual(await reference("occurred_at TIMESTAMP", "TIMESTAMP_TRUNC(occurred_at, MONTH)"));
    expect(smartMeter.clusterBy).toEqual(["id", "house_id"]);
    for (const e of model.entities) {
      const table = analyzed.get(fileOf(e, bigQueryNames(e).table))!;
      expect(table.clusterBy).toEqual(e.clustering);
      expect(table.clusterBy.length).toBeLessThanOrEqual(4);
      expect(table.partitionBy).toHaveLength(1);
      expect(table.partitionBy[0]).toContain(e.partitioning.column);
    }
  });

  it("gives the views exactly the table's columns", () => {
    let views = 0;
    for (const e of model.entities) {
      const names = bigQueryNames(e);
      const reads = readRelations(e);
      const columns = (file: string) => analyzed.get(fileOf(e, file))!.columns.map((c) => `${c.name} ${c.type}`);
      for (const view of [...(reads.eventsView ? [names.eventsView] : []), ...(reads.latestView ? [names.latestView] : [])]) {
        expect(columns(view)).toEqual(columns(names.table));
        views++;
      }
    }
    expect(views).toBeGreaterThan(model.entities.length);
  });

  it("gives the freshness view its documented columns, reading exactly the tables of its dataset", async () => {
    const datasets = new Map<string, Entity[]>();
    for (const e of model.entities) datasets.set(e.dataset, [...(datasets.get(e.dataset) ?? []), e]);
    for (const [dataset, entities] of datasets) {
      const file = `bigquery/${dataset}/${FRESHNESS_VIEW}.sql`;
      expect(analyzed.get(file)!.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        "entity STRING",
        "topic STRING",
        "table_name STRING",
        "last_publish_time TIMESTAMP",
        "last_occurred_at TIMESTAMP",
        "lag_seconds INT64",
        "warn_after_seconds INT64",
        "error_after_seconds INT64",
        "lookback_seconds INT64",
        "data_in_window BOOL",
        "status STRING",
        "is_stale BOOL",
        "stale_entities INT64",
        "checked_at TIMESTAMP",
      ]);
      const read = await zetasql.referencedTables(files.get(file)!);
      expect(read.sort()).toEqual(entities.map((e) => `${model.project}.${dataset}.${bigQueryNames(e).table}`).sort());
    }
  });
});

describe("the views, run on ZetaSQL's reference engine", () => {
  const invoice = () => entity("Invoice");
  const T0 = Date.UTC(2025, 0, 1);
  const at = (seconds: number) => new Date(T0 + seconds * 1000);

  function invoiceRows(rows: readonly Record<string, unknown>[]) {
    const e = invoice();
    return [{ name: `${model.project}.${e.dataset}.${e.table}`, schema: schemaOf(e), rows }];
  }

  async function run(view: "eventsView" | "latestView", rows: readonly Record<string, unknown>[]): Promise<Row[]> {
    const e = invoice();
    const query = viewQuery(files.get(fileOf(e, bigQueryNames(e)[view]))!);
    return zetasql.evaluate(query, invoiceRows(rows));
  }

  /** The same rows in other orders: the result must not depend on how BigQuery scans them. */
  const orders = <T>(rows: readonly T[]): T[][] => [
    [...rows],
    [...rows].reverse(),
    rows.map((_, i) => rows[(i * 5 + 3) % rows.length]),
  ];

  it("keeps one row per event_id, the first delivery, whatever the scan order", async () => {
    const rows = [
      { event_id: "e1", message_id: "m1", publish_time: at(50), payment_state: "second" },
      { event_id: "e1", message_id: "m2", publish_time: at(100), payment_state: "third" },
      { event_id: "e1", message_id: "m0", publish_time: at(50), payment_state: "first" },
      { event_id: "e2", message_id: "m3", publish_time: at(70), payment_state: "only" },
      // No event_id (not a generated producer): only redeliveries of one Pub/Sub message collapse.
      { event_id: null, message_id: "m5", publish_time: at(80) },
      { event_id: null, message_id: "m5", publish_time: at(80) },
      { event_id: null, message_id: "m6", publish_time: at(90) },
    ];
    expect(orders(rows)).toHaveLength(3);
    for (const order of orders(rows)) {
      const out = await run("eventsView", order);
      expect(out.map((r) => `${r.event_id}/${r.message_id}/${r.payment_state}`).sort()).toEqual([
        "e1/m0/first",
        "e2/m3/only",
        "null/m5/null",
        "null/m6/null",
      ]);
    }
  });

  it("keeps the latest event per id: occurred_at, then publish_time, then event_id; deleted ids left out", async () => {
    const rows = [
      { number: "A", event_id: "a1", operation: "CREATED", occurred_at: at(10), publish_time: at(11), message_id: "1" },
      // Same occurred_at: the later publication wins, though its event_id sorts lower.
      { number: "A", event_id: "a9", operation: "UPDATED", occurred_at: at(20), publish_time: at(21), message_id: "2", payment_state: "stale" },
      { number: "A", event_id: "a3", operation: "UPDATED", occurred_at: at(20), publish_time: at(25), message_id: "3", payment_state: "latest" },
      { number: "B", event_id: "b1", operation: "CREATED", occurred_at: at(10), publish_time: at(11), message_id: "4" },
      { number: "B", event_id: "b2", operation: "DELETED", occurred_at: at(30), publish_time: at(31), message_id: "5" },
      { number: "C", event_id: "c1", operation: "DELETED", occurred_at: at(10), publish_time: at(11), message_id: "6" },
      { number: "C", event_id: "c2", operation: "CREATED", occurred_at: at(40), publish_time: at(41), message_id: "7" },
      // Same occurred_at and publish_time: event_id decides.
      { number: "D", event_id: "d8", operation: "UPDATED", occurred_at: at(50), publish_time: at(60), message_id: "8" },
      { number: "D", event_id: "d9", operation: "UPDATED", occurred_at: at(50), publish_time: at(60), message_id: "9" },
      { number: "E", event_id: "e1", operation: null, occurred_at: at(10), publish_time: at(11), message_id: "10" },
      { number: null, event_id: "n1", operation: "CREATED", occurred_at: at(99), publish_time: at(99), message_id: "11" },
    ];
    for (const order of orders(rows)) {
      const out = await run("latestView", order);
      expect(out.map((r) => `${r.number}:${r.event_id}`).sort()).toEqual(["A:a3", "C:c2", "D:d9", "E:e1"]);
      expect(out.find((r) => r.number === "A")!.payment_state).toBe("latest");
    }
  });

  it("reports each entity's lag and status against its thresholds", async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    const rowsOf = (messageName: string, rows: Record<string, unknown>[]) => {
      const e = entity(messageName);
      return { name: `${model.project}.${e.dataset}.${e.table}`, schema: schemaOf(e), rows };
    };
    const evaluate = async (dataset: string, tables: ReturnType<typeof rowsOf>[]) => {
      const out = await zetasql.evaluate(viewQuery(files.get(`bigquery/${dataset}/${FRESHNESS_VIEW}.sql`)!), tables);
      return new Map(out.map((r) => [r.entity as string, r]));
    };

    // customer: User warns after 6h and fails after 1d; House only fails after 7d.
    const customer = await evaluate("energy_customer_v1", [
      rowsOf("User", [{ publish_time: ago(30 * HOUR_MS), occurred_at: ago(31 * HOUR_MS) }]),
      rowsOf("House", []),
    ]);
    const user = customer.get("energy.customer.v1.User")!;
    expect(user.status).toBe("ERROR");
    expect(user.warn_after_seconds).toBe(6 * 3600);
    expect(user.error_after_seconds).toBe(24 * 3600);
    expect(user.lookback_seconds).toBe(2 * 24 * 3600);
    expect(user.lag_seconds as number).toBeGreaterThanOrEqual(30 * 3600);
    expect(user.lag_seconds as number).toBeLessThan(30 * 3600 + 120);
    expect((user.last_occurred_at as Date).getTime()).toBe(now - 31 * HOUR_MS);
    const house = customer.get("energy.customer.v1.House")!;
    // No event in its window (twice 7 days): the loudest status, the window as the lag.
    expect(house).toMatchObject({
      status: "ERROR",
      is_stale: true,
      data_in_window: false,
      lag_seconds: 14 * 86400,
      warn_after_seconds: null,
      error_after_seconds: 7 * 86400,
      last_publish_time: null,
      stale_entities: 2,
    });
    expect(user).toMatchObject({ is_stale: true, data_in_window: true, stale_entities: 2 });

    // billing: Contract only warns after 2d; Invoice warns after 3d, fails after 7d.
    const billing = await evaluate("billing", [
      rowsOf("Contract", [{ publish_time: ago(HOUR_MS) }, { publish_time: ago(3 * HOUR_MS) }]),
      rowsOf("Invoice", [{ publish_time: ago(4 * 24 * HOUR_MS) }]),
    ]);
    expect(billing.get("energy.billing.v1.Contract")!.status).toBe("OK");
    expect(billing.get("energy.billing.v1.Invoice")!.status).toBe("WARN");

    // metering: SmartMeter is partitioned by occurred_at; an event older than the lookback is not read.
    const metering = await evaluate("energy_metering_v1", [
      rowsOf("MeterReading", [{ publish_time: ago(10 * 60_000) }, { publish_time: ago(1000 * 24 * HOUR_MS) }]),
      rowsOf("SmartMeter", [
        { publish_time: ago(13 * HOUR_MS), occurred_at: ago(13 * HOUR_MS) },
        { publish_time: ago(1 * HOUR_MS), occurred_at: ago(400 * 24 * HOUR_MS) },
      ]),
    ]);
    expect(metering.get("energy.metering.v1.MeterReading")!.status).toBe("OK");
    expect(metering.get("energy.metering.v1.SmartMeter")!.status).toBe("WARN");

    // Payment sets no freshness.
    const payments = await evaluate("energy_billing_v1", [rowsOf("Payment", [{ publish_time: ago(HOUR_MS) }])]);
    expect(payments.get("energy.billing.v1.Payment")).toMatchObject({ status: "NO_EXPECTATION", warn_after_seconds: null, error_after_seconds: null });
  });
});
