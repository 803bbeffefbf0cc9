/**
 * Contract shapes the example domain lacks: an entity nested under one STRUCT (`nest_under`), a
 * table partitioned by a DATE column that requires a partition filter, references into and out of
 * it, enums in repeated fields, maps and nested messages. The generated file must still validate,
 * name only real columns and compile to SQL that ZetaSQL accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import {
  allTables,
  bigQuerySchema,
  dbtFiles,
  dbtValidators,
  documentableNames,
  fieldAt,
  parseSources,
  schemaErrors,
  schemaTableOf,
  sqlTypeOf,
  registerRawTables,
  testParts,
  type LocatedTable,
} from "../harness/dbt/dbt.js";

const PROTO = `syntax = "proto3";
package variants.v1;
import "entity/v1/options.proto";
import "google/type/date.proto";

// Nested under one STRUCT column.
message Order {
  option (entity.v1.entity) = { nest_under: "payload" freshness: { warn_after: "90m" } };
  string id = 1;
  string ledger_id = 2 [(entity.v1.field).references = "variants.v1.Ledger"];
  int64 customer_id = 3 [(entity.v1.field).references = "variants.v1.Customer"];
  Status status = 4;
  repeated Status history = 5;
  map<string, Status> by_step = 6;
  Detail detail = 7;
}

message Detail {
  Status nested_status = 1;
  string note = 2 [(entity.v1.field).pii = true];
}

// Partitioned by a business day; queries must filter on it.
message Ledger {
  option (entity.v1.entity) = {
    freshness: { error_after: "1d" }
    partitioning: { column: "business_day" require_partition_filter: true }
  };
  string id = 1;
  google.type.Date business_day = 2;
  int64 customer_id = 3 [(entity.v1.field).references = "variants.v1.Customer"];
}

message Customer {
  option (entity.v1.entity) = {};
  int64 id = 1;
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_OPEN = 1;
}
`;

let outputs: Map<string, string>;
let tables: LocatedTable[];
let zetasql: ZetaSqlSession;

beforeAll(async () => {
  outputs = runPlugin(compileProtos({ "variants/v1/variants.proto": PROTO }), "project=test-project,pii_policy_tag=projects/test-project/locations/eu/taxonomies/1/policyTags/2");
  tables = allTables(dbtFiles(outputs));
  zetasql = await startZetaSql();
  await registerRawTables(zetasql, tables, outputs);
});

afterAll(async () => {
  await zetasql?.stop();
});

function table(name: string): LocatedTable {
  return tables.find(({ table }) => table.name === name)!;
}

function testsOf(name: string, column: string): ReturnType<typeof testParts>[] {
  return (table(name).table.columns!.find((c) => c.name === column)?.data_tests ?? []).map(testParts);
}

describe("contract variants", () => {
  it("validate against both schemas", () => {
    for (const [name, text] of dbtFiles(outputs)) {
      for (const [schema, validate] of Object.entries(dbtValidators())) {
        expect(validate(parseSources(text)), `${name} (${schema}): ${schemaErrors(validate).join("\n")}`).toBe(true);
      }
    }
  });

  it("name only real columns, and all of them", () => {
    for (const { source, table: t } of tables.filter(({ table }) => table.config.meta.object !== "freshness_view")) {
      const schema = bigQuerySchema(source.schema, schemaTableOf(t), outputs);
      for (const column of t.columns ?? []) expect(sqlTypeOf(fieldAt(schema, column.name)!), `${t.name}.${column.name}`).toBe(column.data_type);
      expect((t.columns ?? []).map((c) => c.name).sort()).toEqual(documentableNames(schema).sort());
    }
  });

  it("test the nested id and the nested enums, but not enums in arrays", () => {
    expect(table("order").table.config.meta.id_column).toBe("payload.id");
    expect(testsOf("order", "payload.id").map((t) => t.name)).toEqual(["not_null"]);
    expect(testsOf("order", "payload.status").map((t) => t.name)).toEqual(["accepted_values"]);
    expect(testsOf("order", "payload.detail.nested_status").map((t) => t.name)).toEqual(["accepted_values"]);
    expect(testsOf("order", "payload.history")).toEqual([]);
    expect(testsOf("order", "payload.by_step")).toEqual([]);
    expect(table("order").table.config.meta.pii_columns).toEqual(["payload.detail.note"]);
  });

  it("skip the relationships test into a table that requires a partition filter, and keep the others", () => {
    expect(testsOf("order", "payload.ledger_id")).toEqual([]);
    expect(table("order").table.config.meta.references).toEqual({
      "payload.ledger_id": "variants.v1.Ledger",
      "payload.customer_id": "variants.v1.Customer",
    });
    expect(testsOf("order_latest", "payload.ledger_id")).toEqual([]);
    expect(testsOf("order", "payload.customer_id")).toEqual([]);
    expect(testsOf("order_latest", "payload.customer_id").map((t) => t.args)).toEqual([{ to: "source('variants_v1', 'customer_latest')", field: "id" }]);
    // The ledger has no readable latest state: its recent events name the customer.
    expect(testsOf("ledger", "customer_id").map((t) => t.args)).toEqual([{ to: "source('variants_v1', 'customer_latest')", field: "id" }]);
  });

  it("filter freshness and every test of the DATE-partitioned table on its partitioning column", () => {
    const ledger = table("ledger").table;
    expect(ledger.config.freshness!.filter).toMatch(/^`business_day` >= DATE_SUB\(CURRENT_DATE\(\), INTERVAL \d+ DAY\)$/);
    const tests = ledger.columns!.flatMap((c) => c.data_tests ?? []).map(testParts);
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) expect(t.config.where).toMatch(/^\(?`business_day` >= DATE_SUB/);
  });

  it("compile to SQL that ZetaSQL accepts", async () => {
    const rel = ({ source, table: t }: LocatedTable) => `\`${source.database}.${source.schema}.${t.identifier}\``;
    for (const located of tables.filter(({ table }) => table.config.meta.object === "table")) {
      const filter = located.table.config.freshness?.filter;
      if (filter !== undefined) await expect(zetasql.analyze(`select max(publish_time) from ${rel(located)} where ${filter}`)).resolves.toBeDefined();
      for (const column of located.table.columns ?? []) {
        for (const test of (column.data_tests ?? []).map(testParts)) {
          const where = typeof test.config.where === "string" ? ` and ${test.config.where}` : "";
          const values = test.name === "accepted_values" ? ` and ${column.name} not in (${(test.args.values as string[]).map((v) => `'${v}'`).join(", ")})` : "";
          await expect(zetasql.analyze(`select ${column.name} from ${rel(located)} where ${column.name} is null${values}${where}`), `${located.table.name}.${column.name}`).resolves.toBeDefined();
        }
      }
    }
  });
});
