/**
 * Partitioning, clustering, labels and the id path in every variant the contract allows, each
 * generated from a small .proto and checked through ZetaSQL: the generated PARTITION BY must
 * resolve like the hand-written expression BigQuery documents for that case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRESHNESS_VIEW } from "../../plugin/src/physical/bigquery-names.js";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type AnalyzedStatement, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { analyzeAll, generatedBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { expectValidLabels, HOUR_MS, viewQuery } from "./support.js";

const PROJECT = "test-project";
const DATASET = "test_v1";

const VARIANTS = `syntax = "proto3";

package test.v1;

import "entity/v1/options.proto";
import "google/protobuf/timestamp.proto";
import "google/type/date.proto";
import "google/type/datetime.proto";

message Hourly {
  option (entity.v1.entity) = {partitioning: {granularity: GRANULARITY_HOUR}};
  string id = 1;
}

message Monthly {
  option (entity.v1.entity) = {
    owner: "ops-team"
    partitioning: {column: "occurred_at", granularity: GRANULARITY_MONTH}
    retention_days: 90
  };
  string id = 1;
}

message Yearly {
  option (entity.v1.entity) = {
    partitioning: {granularity: GRANULARITY_YEAR, require_partition_filter: true}
    freshness: {warn_after: "30m"}
  };
  string id = 1;
}

message ByDay {
  option (entity.v1.entity) = {
    partitioning: {column: "business_date"}
    freshness: {warn_after: "1d"}
  };
  string id = 1;
  google.type.Date business_date = 2;
}

message ByDateMonth {
  option (entity.v1.entity) = {partitioning: {column: "business_date", granularity: GRANULARITY_MONTH}};
  string id = 1;
  google.type.Date business_date = 2;
}

message ByDateTime {
  option (entity.v1.entity) = {
    partitioning: {column: "local_time", granularity: GRANULARITY_HOUR}
    freshness: {error_after: "6h"}
  };
  string id = 1;
  google.type.DateTime local_time = 2;
}

message ByTimestampField {
  option (entity.v1.entity) = {
    partitioning: {column: "created_at", granularity: GRANULARITY_DAY}
    cluster_by: ["created_at", "region", "id", "count"]
  };
  string id = 1;
  google.protobuf.Timestamp created_at = 2;
  string region = 3;
  int64 count = 4;
}

message IntegerId {
  option (entity.v1.entity) = {};
  int64 id = 1;
}

message Nested {
  option (entity.v1.entity) = {nest_under: "payload", id_field: "meta.id"};
  Meta meta = 1;
  string name = 2;
}

message Meta {
  string id = 1;
}
`;

let zetasql: ZetaSqlSession;
let files: Map<string, string>;
let analyzed: Map<string, AnalyzedStatement>;

beforeAll(async () => {
  zetasql = await startZetaSql();
  files = runPlugin(compileProtos({ "test/v1/variants.proto": VARIANTS }), `project=${PROJECT}`);
  analyzed = await analyzeAll(zetasql, PROJECT, generatedBigQuery(files));
});

afterAll(async () => {
  await zetasql?.stop();
});

const table = (name: string) => analyzed.get(`bigquery/${DATASET}/${name}.sql`)!;
const schemaOf = (name: string) => JSON.parse(files.get(`bigquery/${DATASET}/${name}.schema.json`)!) as BigQueryField[];

/** How ZetaSQL resolves a PARTITION BY written by hand over the given columns. */
async function reference(columns: string, partitionBy: string): Promise<readonly string[]> {
  return (await zetasql.analyze(`CREATE TABLE \`p.d.reference\` (${columns}) PARTITION BY ${partitionBy}`)).partitionBy;
}

describe("partitioning", () => {
  it.each([
    ["hourly", "publish_time TIMESTAMP", "TIMESTAMP_TRUNC(publish_time, HOUR)"],
    ["monthly", "occurred_at TIMESTAMP", "TIMESTAMP_TRUNC(occurred_at, MONTH)"],
    ["yearly", "publish_time TIMESTAMP", "TIMESTAMP_TRUNC(publish_time, YEAR)"],
    ["by_day", "business_date DATE", "business_date"],
    ["by_date_month", "business_date DATE", "DATE_TRUNC(business_date, MONTH)"],
    ["by_date_time", "local_time DATETIME", "DATETIME_TRUNC(local_time, HOUR)"],
    ["by_timestamp_field", "created_at TIMESTAMP", "TIMESTAMP_TRUNC(created_at, DAY)"],
    ["integer_id", "publish_time TIMESTAMP", "TIMESTAMP_TRUNC(publish_time, DAY)"],
  ])("%s is partitioned like PARTITION BY %s", async (name, columns, expression) => {
    expect(table(name).partitionBy).toEqual(await reference(columns, expression));
  });

  it("sets partition expiration and the required partition filter only when the contract asks", () => {
    expect(table("monthly").options.partition_expiration_days).toBe(90n);
    expect(table("yearly").options.require_partition_filter).toBe(true);
    for (const name of ["hourly", "by_day", "integer_id"]) {
      expect(table(name).options).not.toHaveProperty("partition_expiration_days");
      expect(table(name).options).not.toHaveProperty("require_partition_filter");
    }
  });
});

describe("clustering", () => {
  it("clusters by the id by default, string or integer", () => {
    expect(table("hourly").clusterBy).toEqual(["id"]);
    expect(table("integer_id").clusterBy).toEqual(["id"]);
  });

  it("clusters by up to four columns in the given order", () => {
    expect(table("by_timestamp_field").clusterBy).toEqual(["created_at", "region", "id", "count"]);
  });

  it("does not cluster by default when the id is nested (BigQuery clusters by top-level columns only)", () => {
    expect(table("nested").clusterBy).toEqual([]);
    expect(files.get(`bigquery/${DATASET}/nested.sql`)).not.toContain("CLUSTER BY");
  });
});

describe("labels", () => {
  it("labels owner, proto package and generator with valid BigQuery labels", () => {
    expectValidLabels(table("monthly").options.labels);
    expect(table("monthly").options.labels).toEqual([
      ["owner", "ops-team"],
      ["proto_package", "test_v1"],
      ["generated_by", "protoc-gen-entity"],
    ]);
    expect(new Map(table("hourly").options.labels as [string, string][]).has("owner")).toBe(false);
    expect(analyzed.get(`bigquery/${DATASET}/hourly_events.sql`)!.options.labels).toEqual(table("hourly").options.labels);
  });
});

describe("nested entity (nest_under)", () => {
  it("keys the latest-state view on the nested id path", async () => {
    const at = (s: number) => new Date(Date.UTC(2025, 0, 1) + s * 1000);
    const row = (id: string | null, eventId: string, occurred: number, name: string, operation = "UPDATED") => ({
      event_id: eventId,
      operation,
      occurred_at: at(occurred),
      publish_time: at(occurred),
      message_id: eventId,
      payload: { meta: { id }, name },
    });
    const out = await zetasql.evaluate(viewQuery(files.get(`bigquery/${DATASET}/nested_latest.sql`)!), [
      {
        name: `${PROJECT}.${DATASET}.nested`,
        schema: schemaOf("nested"),
        rows: [row("a", "1", 10, "old"), row("a", "2", 20, "new"), row("b", "3", 10, "b"), row("b", "4", 30, "b", "DELETED"), row(null, "5", 40, "none")],
      },
    ]);
    expect(out.map((r) => (r.payload as { meta: { id: string }; name: string }))).toEqual([{ meta: { id: "a" }, name: "new" }]);
  });
});

describe("freshness over DATE, DATETIME and TIMESTAMP partitions", () => {
  it("reads only recent partitions of each table and reports a status per entity", async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    const today = new Date(now).toISOString().slice(0, 10);
    const longAgo = new Date(now - 30 * 24 * HOUR_MS).toISOString().slice(0, 10);
    const rows = (name: string, data: Record<string, unknown>[]) => ({ name: `${PROJECT}.${DATASET}.${name}`, schema: schemaOf(name), rows: data });
    const all = ["hourly", "monthly", "yearly", "by_day", "by_date_month", "by_date_time", "by_timestamp_field", "integer_id", "nested"];
    const data: Record<string, Record<string, unknown>[]> = {
      // Warns after 30 minutes; read back 2 × 30 minutes.
      yearly: [{ publish_time: ago(45 * 60_000) }, { publish_time: ago(2 * HOUR_MS) }],
      // Published recently, but in a partition older than the lookback: not read.
      by_day: [{ publish_time: ago(HOUR_MS), business_date: longAgo }],
      hourly: [{ publish_time: ago(HOUR_MS) }],
    };
    const freshness = await zetasql.evaluate(
      viewQuery(files.get(`bigquery/${DATASET}/${FRESHNESS_VIEW}.sql`)!),
      all.map((name) => rows(name, data[name] ?? [])),
    );
    const status = new Map(freshness.map((r) => [r.table_name, r.status]));
    expect(Object.fromEntries(status)).toEqual({
      hourly: "NO_EXPECTATION",
      monthly: "NO_EXPECTATION",
      yearly: "WARN",
      // No event in the window: the loudest status each contract has (by_day only warns).
      by_day: "WARN",
      by_date_month: "NO_EXPECTATION",
      by_date_time: "ERROR",
      by_timestamp_field: "NO_EXPECTATION",
      integer_id: "NO_EXPECTATION",
      nested: "NO_EXPECTATION",
    });
    const byDayToday = await zetasql.evaluate(viewQuery(files.get(`bigquery/${DATASET}/${FRESHNESS_VIEW}.sql`)!), [
      ...all.filter((n) => n !== "by_day" && n !== "yearly").map((name) => rows(name, [])),
      rows("by_day", [{ publish_time: ago(2 * HOUR_MS), business_date: today }]),
      // Silent for longer than the lookback: the lag is at least the window, and it stays stale.
      rows("yearly", [{ publish_time: ago(2 * HOUR_MS) }]),
    ]);
    expect(byDayToday.find((r) => r.table_name === "yearly")).toMatchObject({
      status: "WARN",
      is_stale: true,
      data_in_window: false,
      lag_seconds: 3600,
      lookback_seconds: 3600,
      // yearly and by_date_time (no rows, error after 6h).
      stale_entities: 2,
    });
    expect(byDayToday.find((r) => r.table_name === "by_day")).toMatchObject({ status: "OK", warn_after_seconds: 86400, lookback_seconds: 2 * 86400 });
  });
});
