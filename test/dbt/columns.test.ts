/**
 * The columns the sources files name are the columns BigQuery has: every one exists in the
 * generated JSON schema of the table (the views have the table's columns) with the stated
 * data_type, and every column dbt can address is documented. Read from the generated files only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import {
  allTables,
  bigQuerySchema,
  dbtFiles,
  dbtFilesOnDisk,
  documentableNames,
  fieldAt,
  schemaTableOf,
  sqlTypeOf,
  type DbtSource,
  type DbtTable,
} from "../harness/dbt/dbt.js";

/** Problems of one source table against the BigQuery schema it describes. */
function columnProblems(source: DbtSource, table: DbtTable, outputs?: ReadonlyMap<string, string>): string[] {
  const schema = bigQuerySchema(source.schema, schemaTableOf(table), outputs);
  const problems: string[] = [];
  for (const column of table.columns ?? []) {
    const field = fieldAt(schema, column.name);
    if (field === undefined) problems.push(`${table.name}.${column.name}: not in the BigQuery schema`);
    else if (sqlTypeOf(field) !== column.data_type) {
      problems.push(`${table.name}.${column.name}: data_type ${column.data_type}, BigQuery has ${sqlTypeOf(field)}`);
    }
  }
  const documented = (table.columns ?? []).map((c) => c.name);
  expect(new Set(documented).size, `${table.name}: a column is listed twice`).toBe(documented.length);
  for (const name of documentableNames(schema)) {
    if (!documented.includes(name)) problems.push(`${table.name}.${name}: in BigQuery but not documented`);
  }
  return problems;
}

describe("example domain (generated/dbt against generated/bigquery, as committed)", () => {
  const tables = allTables(dbtFilesOnDisk()).filter(({ table }) => table.config.meta.object !== "freshness_view");

  it("has the table of every entity and the views it has (none BigQuery rejects, no latest state of an append-only entity)", () => {
    const objects = tables.map(({ table }) => table.config.meta.object);
    expect(objects.filter((o) => o === "table").length).toBe(7);
    // meter_readings requires a partition filter and is append-only: only its table.
    expect(objects.filter((o) => o === "events_view").length).toBe(6);
    expect(objects.filter((o) => o === "latest_view").length).toBe(6);
    expect(tables.filter(({ table }) => table.name.startsWith("meter_readings")).map(({ table }) => table.name)).toEqual(["meter_readings"]);
  });

  it("names only columns that BigQuery has, with BigQuery's types, and every column dbt can address", () => {
    const problems = tables.flatMap(({ source, table }) => columnProblems(source, table));
    expect(problems).toEqual([]);
  });

  it("documents nested leaves by dotted names and arrays as a whole", () => {
    const user = tables.find(({ table }) => table.name === "user")!.table;
    const names = user.columns!.map((c) => c.name);
    expect(names).toContain("address.location.latitude");
    expect(names).toContain("consents");
    expect(names.some((n) => n.startsWith("consents."))).toBe(false);
  });
});

describe("hostile entity (plugin outputs in-process)", () => {
  let outputs: Map<string, string>;
  beforeAll(() => {
    outputs = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }));
  });

  it("names only columns that BigQuery has, with BigQuery's types", () => {
    const tables = allTables(dbtFiles(outputs)).filter(({ table }) => table.config.meta.object !== "freshness_view");
    expect(tables.length).toBe(3);
    expect(tables.flatMap(({ source, table }) => columnProblems(source, table, outputs))).toEqual([]);
  });
});

describe("the check itself", () => {
  it("reports a column BigQuery lacks, a wrong type and an undocumented column", () => {
    const [{ source, table }] = allTables(dbtFilesOnDisk()).filter(({ table }) => table.name === "invoice");
    const broken: DbtTable = {
      ...table,
      columns: [
        ...table.columns!.filter((c) => c.name !== "payment_state").map((c) => (c.name === "number" ? { ...c, data_type: "INT64" } : c)),
        { name: "no_such_column", data_type: "STRING" },
      ],
    };
    expect(columnProblems(source, broken)).toEqual([
      "invoice.number: data_type INT64, BigQuery has STRING",
      "invoice.no_such_column: not in the BigQuery schema",
      "invoice.payment_state: in BigQuery but not documented",
    ]);
  });
});
