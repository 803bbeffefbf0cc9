/**
 * Freshness is how the platform notices that business events stopped arriving: every table has
 * the thresholds its contract declares (or says explicitly that it has none), and every query
 * dbt runs on a table stays inside recent partitions of the column the generated DDL partitions by.
 */
import { getExtension, hasExtension, type FileRegistry } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileExample } from "../harness/buf/protos.js";
import { allTables, dbtFilesOnDisk, GENERATED, registryOf, testParts, type LocatedTable } from "../harness/dbt/dbt.js";

const PERIODS: Record<string, string> = { m: "minute", h: "hour", d: "day" };

let tables: LocatedTable[];
let registry: FileRegistry;

beforeAll(() => {
  tables = allTables(dbtFilesOnDisk());
  registry = registryOf(compileExample());
});

/** `(entity.v1.entity).freshness` of a message, as written in the .proto. */
function contractFreshness(typeName: string): { warnAfter: string; errorAfter: string } | undefined {
  const message = registry.getMessage(typeName)!;
  const ext = registry.getExtension("entity.v1.entity")!;
  const options = message.proto.options;
  if (options === undefined || !hasExtension(options, ext)) return undefined;
  return (getExtension(options, ext) as { freshness?: { warnAfter: string; errorAfter: string } }).freshness;
}

function threshold(text: string): { count: number; period: string } | undefined {
  if (text === "") return undefined;
  const match = /^(\d+)([mhd])$/.exec(text)!;
  return { count: Number(match[1]), period: PERIODS[match[2]] };
}

/** What the generated DDL says about the table's partitioning. */
function ddlPartitioning({ source, table }: LocatedTable): { column: string; requireFilter: boolean } {
  const ddl = readFileSync(join(GENERATED, "bigquery", source.schema, `${table.identifier}.sql`), "utf8");
  const column = /^PARTITION BY (?:[A-Z_]+\()?`([^`]+)`/m.exec(ddl)?.[1];
  expect(column, `${table.name}: PARTITION BY in the DDL`).toBeDefined();
  return { column: column!, requireFilter: /^\s*require_partition_filter\s*=\s*true/m.test(ddl) };
}

function raw(): LocatedTable[] {
  return tables.filter(({ table }) => table.config.meta.object === "table");
}

describe("freshness", () => {
  it("is measured on publish_time, when Pub/Sub received the event", () => {
    for (const { source } of tables) expect(source.config.loaded_at_field).toBe("publish_time");
  });

  it("has the thresholds of the contract, or is null and says so", () => {
    const seen: string[] = [];
    for (const { table } of raw()) {
      const declared = contractFreshness(table.config.meta.entity!);
      const expected = declared && { warn_after: threshold(declared.warnAfter), error_after: threshold(declared.errorAfter) };
      if (expected === undefined || (expected.warn_after === undefined && expected.error_after === undefined)) {
        expect(table.config.freshness, table.name).toBeNull();
        expect(table.config.meta.freshness_expectation).toMatch(/^none: /);
        seen.push(`${table.name}: none`);
        continue;
      }
      const { filter, ...thresholds } = table.config.freshness!;
      expect(thresholds, table.name).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(filter, table.name).toBeDefined();
      seen.push(`${table.name}: ${[declared!.warnAfter, declared!.errorAfter].join("/")}`);
    }
    expect(seen.sort()).toEqual([
      "contract: 2d/",
      "house: /7d",
      "invoice: 3d/7d",
      "meter_readings: 30m/2h",
      "payment: none",
      "smart_meter: 12h/2d",
      "user: 6h/1d",
    ]);
  });

  it("is checked on the tables only, never on the views", () => {
    for (const { table } of tables.filter(({ table }) => table.config.meta.object !== "table")) {
      expect(table.config.freshness, table.name).toBeNull();
    }
  });

  it("filters on the column the table is partitioned by", () => {
    for (const located of raw().filter(({ table }) => table.config.freshness)) {
      const { column } = ddlPartitioning(located);
      expect(located.table.config.freshness!.filter, located.table.name).toMatch(new RegExp(`^\\(?\`${column}\` >= `));
    }
  });
});

describe("tables that require a partition filter", () => {
  it("exist in the example (MeterReading)", () => {
    expect(raw().filter((t) => ddlPartitioning(t).requireFilter).map(({ table }) => table.name)).toEqual(["meter_readings"]);
  });

  it("have every test filtered on the partitioning column", () => {
    for (const located of raw().filter((t) => ddlPartitioning(t).requireFilter)) {
      const { column } = ddlPartitioning(located);
      const tests = (located.table.columns ?? []).flatMap((c) => c.data_tests ?? []).map(testParts);
      expect(tests.length).toBeGreaterThan(0);
      for (const test of tests) expect(test.config.where, `${located.table.name} ${test.name}`).toMatch(new RegExp(`^\\(?\`${column}\` >= `));
    }
  });

  it("have no views BigQuery cannot filter through, and no tests on the ones they have, saying why", () => {
    for (const located of raw().filter((t) => ddlPartitioning(t).requireFilter)) {
      const views = tables.filter(({ table }) => table.config.meta.view_of === located.table.name);
      // No events view (it would rank over every partition); a latest view only over the latest-state
      // table, and none for an append-only entity (meter_readings).
      expect(views.map(({ table }) => table.config.meta.object)).not.toContain("events_view");
      if (located.table.name === "meter_readings") expect(views).toEqual([]);
      for (const { table } of views) {
        expect((table.columns ?? []).flatMap((c) => c.data_tests ?? []), table.name).toEqual([]);
        expect(table.config.meta.tests_note).toMatch(/partition filter/);
      }
    }
  });

  it("are not the only ones whose tests are filtered: every table's tests read its recent partitions", () => {
    for (const located of raw().filter((t) => !ddlPartitioning(t).requireFilter)) {
      const { column } = ddlPartitioning(located);
      const tests = (located.table.columns ?? []).flatMap((c) => c.data_tests ?? []).map(testParts);
      expect(tests.length).toBeGreaterThan(0);
      for (const test of tests) expect(test.config.where, `${located.table.name} ${test.name}`).toMatch(new RegExp(`^\\(?\`${column}\` >= `));
    }
  });
});
