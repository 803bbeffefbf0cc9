/**
 * The tests in the sources files say what the contract says: accepted values are the proto
 * enum's value names, relationships follow `(entity.v1.field).references`, the id column is the
 * entity's id field. Expectations come from buf's compiled descriptors and the generated files,
 * never from the plugin's model.
 */
import { getExtension, hasExtension, type DescExtension, type DescField, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter, runPlugin, type CompiledProtos } from "../harness/buf/protos.js";
import { allTables, dbtFiles, dbtFilesOnDisk, registryOf, testParts, type DbtColumn, type DbtTable, type LocatedTable } from "../harness/dbt/dbt.js";

/** The event envelope's operations, as the issue defines them. */
const OPERATIONS = ["CREATED", "UPDATED", "DELETED"];

interface Domain {
  readonly tables: readonly LocatedTable[];
  readonly registry: FileRegistry;
  /** `entity=pkg.Msg:id` plugin options: entities selected without an annotation. */
  readonly selectedIds: ReadonlyMap<string, string>;
}

let example: Domain;
let hostile: Domain;

beforeAll(() => {
  example = domain(allTables(dbtFilesOnDisk()), compileExample(), exampleParameter());
  const compiled = compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO });
  hostile = domain(allTables(dbtFiles(runPlugin(compiled))), compiled, "");
});

function domain(tables: LocatedTable[], compiled: CompiledProtos, parameter: string): Domain {
  const selectedIds = new Map(
    parameter
      .split(",")
      .filter((p) => p.startsWith("entity="))
      .map((p) => p.slice("entity=".length).split(":") as [string, string]),
  );
  return { tables, registry: registryOf(compiled), selectedIds };
}

function extension(registry: FileRegistry, name: string): DescExtension {
  const found = registry.getExtension(name);
  if (found === undefined) throw new Error(`no extension ${name}`);
  return found;
}

/** An option message of the contract as a plain object (`{references: "..."}`), or undefined. */
function optionOf(registry: FileRegistry, element: DescField | DescMessage, name: string): Record<string, unknown> | undefined {
  const options = element.proto.options;
  const ext = extension(registry, name);
  return options !== undefined && hasExtension(options, ext) ? (getExtension(options, ext) as Record<string, unknown>) : undefined;
}

/** Singular fields of the entity reachable through singular message fields (what dbt can address). */
function* addressableFields(registry: FileRegistry, message: DescMessage, ancestors: ReadonlySet<string> = new Set()): Iterable<DescField> {
  for (const field of message.fields) {
    if (optionOf(registry, field, "entity.v1.field")?.ignore) continue;
    if (field.fieldKind === "scalar" || field.fieldKind === "enum") yield field;
    // Well-known types become scalars or JSON; a message inside itself is cut to JSON.
    if (field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.") && !ancestors.has(field.message.typeName)) {
      yield* addressableFields(registry, field.message, new Set([...ancestors, message.typeName]));
    }
  }
}

function rawTables(d: Domain): LocatedTable[] {
  return d.tables.filter(({ table }) => table.config.meta.object === "table");
}

function columnOfField(table: DbtTable, field: DescField): DbtColumn | undefined {
  const protoField = `${field.parent.typeName}.${field.name}`;
  const [name] = Object.entries(table.config.meta.proto_fields ?? {}).find(([, f]) => f === protoField) ?? [];
  return table.columns?.find((c) => c.name === name);
}

function testsNamed(column: DbtColumn | undefined, name: string) {
  return (column?.data_tests ?? []).map(testParts).filter((t) => t.name === name);
}

function entityMessage(d: Domain, table: DbtTable): DescMessage {
  const message = d.registry.getMessage(table.config.meta.entity!);
  if (message === undefined) throw new Error(`no message ${table.config.meta.entity}`);
  return message;
}

describe.each([
  ["example domain", () => example],
  ["hostile entity", () => hostile],
])("%s", (_, get) => {
  it("lists accepted values that equal the proto enum's value names", () => {
    const d = get();
    let enums = 0;
    for (const { table } of rawTables(d)) {
      for (const column of table.columns ?? []) {
        for (const { args } of testsNamed(column, "accepted_values")) {
          if (column.name === "operation") {
            expect(args.values).toEqual(OPERATIONS);
            continue;
          }
          const protoField = table.config.meta.proto_fields?.[column.name];
          expect(protoField, `${table.name}.${column.name} names its proto field`).toBeDefined();
          const dot = protoField!.lastIndexOf(".");
          const field = d.registry.getMessage(protoField!.slice(0, dot))?.fields.find((f) => f.name === protoField!.slice(dot + 1));
          expect(field?.fieldKind, `${protoField} is an enum field`).toBe("enum");
          if (field?.fieldKind !== "enum") continue;
          expect(args.values, `${table.name}.${column.name}`).toEqual(field.enum.values.map((v) => v.name));
          enums++;
        }
      }
    }
    expect(enums).toBeGreaterThan(0);
  });

  it("tests every enum field dbt can address with accepted values", () => {
    const d = get();
    const missing: string[] = [];
    for (const { table } of rawTables(d)) {
      for (const field of addressableFields(d.registry, entityMessage(d, table))) {
        if (field.fieldKind !== "enum") continue;
        if (testsNamed(columnOfField(table, field), "accepted_values").length !== 1) missing.push(`${table.name}: ${field.parent.typeName}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("tests that the envelope and the entity id are present, and nothing unique, on the table that holds every delivery", () => {
    const d = get();
    for (const { table } of rawTables(d)) {
      const column = (name: string) => table.columns?.find((c) => c.name === name);
      const names = (c: DbtColumn | undefined) => (c?.data_tests ?? []).map((t) => testParts(t).name);
      // Pub/Sub delivers at least once: event_id repeats in this table by design.
      expect(names(column("event_id")), table.name).toEqual(["not_null"]);
      expect(names(column("occurred_at")), table.name).toEqual(["not_null"]);
      expect(names(column("operation"))).toEqual(["not_null", "accepted_values"]);
      expect(table.columns!.flatMap((c) => testsNamed(c, "unique")), table.name).toEqual([]);

      const message = entityMessage(d, table);
      const idPath = String(optionOf(d.registry, message, "entity.v1.entity")?.idField || d.selectedIds.get(message.typeName) || "id");
      const idColumn = table.config.meta.id_column!;
      const idField = table.config.meta.proto_fields?.[idColumn];
      expect(idField?.endsWith(`.${idPath.split(".").pop()}`), `${table.name}: id column ${idColumn} holds ${idPath}`).toBe(true);
      expect(names(column(idColumn))).toContain("not_null");
    }
  });

  it("tests uniqueness on the deduplicated views as an error", () => {
    const d = get();
    for (const { table } of d.tables.filter(({ table }) => ["events_view", "latest_view"].includes(table.config.meta.object))) {
      if (table.config.meta.tests_note !== undefined) continue;
      const key = table.config.meta.object === "events_view" ? "event_id" : table.config.meta.id_column;
      const unique = testsNamed(table.columns?.find((c) => c.name === key), "unique");
      expect(unique.length, `${table.name}.${key}`).toBe(1);
      expect(unique[0].config.severity ?? "error").toBe("error");
    }
  });
});

describe("relationships (example domain)", () => {
  it("follow every (entity.v1.field).references to the referenced entity's latest state and id column", () => {
    const checked: string[] = [];
    for (const { table } of rawTables(example)) {
      for (const field of addressableFields(example.registry, entityMessage(example, table))) {
        const references = optionOf(example.registry, field, "entity.v1.field")?.references as string | undefined;
        if (!references) continue;
        const column = columnOfField(table, field);
        expect(table.config.meta.references?.[column!.name]).toBe(references);
        const target = rawTables(example).find(({ table: t }) => t.config.meta.entity === references)!;
        const requiresFilter = (t: DbtTable) => (t.config.meta.partitioning as { require_partition_filter: boolean }).require_partition_filter;
        // The child's latest state names its parents; without one that can be read (append-only,
        // or a table that requires a partition filter) its recent events do.
        const childLatest = example.tables.find(({ table: t }) => t.config.meta.object === "latest_view" && t.config.meta.view_of === table.name)?.table;
        const child = childLatest === undefined || requiresFilter(table) ? table : childLatest;
        const tests = testsNamed(child.columns?.find((c) => c.name === column!.name), "relationships");
        const onLatest = childLatest === undefined ? 0 : testsNamed(childLatest.columns?.find((c) => c.name === column!.name), "relationships").length;
        expect(testsNamed(column, "relationships").length + onLatest).toBe(tests.length);
        if (requiresFilter(target.table)) {
          expect(tests).toEqual([]);
          continue;
        }
        expect(tests.map((t) => t.args)).toEqual([{ to: `source('${target.source.name}', '${target.table.name}_latest')`, field: target.table.config.meta.id_column }]);
        expect(tests[0].config.severity).toBe("warn");
        checked.push(`${table.name}.${column!.name} -> ${target.table.name}`);
      }
    }
    expect(checked.sort()).toEqual([
      "contract.house_id -> house",
      "contract.user_id -> user",
      "house.owner_user_id -> user",
      "invoice.contract_id -> contract",
      "meter_readings.meter_id -> smart_meter",
      "smart_meter.house_id -> house",
    ]);
  });
});
