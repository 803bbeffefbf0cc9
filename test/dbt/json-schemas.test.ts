/**
 * Every generated sources file validates against dbt-core's and dbt Fusion's JSON schemas, and the
 * validation really rejects: the same files with keys put where older dbt versions had them fail
 * the schema that forbids that placement.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos, generateExample, runPlugin } from "../harness/buf/protos.js";
import {
  dbtFiles,
  dbtFilesOnDisk,
  dbtValidators,
  parseSources,
  schemaErrors,
  testParts,
  type DbtColumn,
  type DbtTable,
  type SchemaName,
  type SourcesFile,
} from "../harness/dbt/dbt.js";

let example: Map<string, string>;
let hostile: Map<string, string>;

beforeAll(() => {
  example = dbtFiles(generateExample());
  hostile = dbtFiles(runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO })));
});

function expectValid(name: string, document: unknown): void {
  for (const [schema, validate] of Object.entries(dbtValidators())) {
    const valid = validate(document);
    expect(valid, `${name} against the ${schema} schema:\n${schemaErrors(validate).join("\n")}`).toBe(true);
  }
}

describe("generated sources files", () => {
  it("come one per dataset of the example domain", () => {
    expect([...example.keys()].sort()).toEqual([
      "dbt/billing/_billing__sources.yml",
      "dbt/energy_billing_v1/_energy_billing_v1__sources.yml",
      "dbt/energy_customer_v1/_energy_customer_v1__sources.yml",
      "dbt/energy_metering_v1/_energy_metering_v1__sources.yml",
    ]);
  });

  it("of the example domain validate against both schemas", () => {
    for (const [name, text] of example) expectValid(name, parseSources(text));
  });

  it("as committed in generated/dbt validate against both schemas", () => {
    const onDisk = dbtFilesOnDisk();
    expect(onDisk.size).toBeGreaterThan(0);
    for (const [name, text] of onDisk) expectValid(name, parseSources(text));
  });

  it("of the hostile entity validate against both schemas", () => {
    expect(hostile.size).toBe(1);
    for (const [name, text] of hostile) expectValid(name, parseSources(text));
  });
});

/** A generated document to break, parsed afresh for each case. */
function document(): SourcesFile & { sources: { tables: DbtTable[] }[] } {
  return parseSources(example.get("dbt/energy_customer_v1/_energy_customer_v1__sources.yml")!) as never;
}

type Mutable = Record<string, unknown>;

function userTable(doc: SourcesFile): Mutable {
  return doc.sources[0].tables.find((t) => t.name === "user") as unknown as Mutable;
}

function column(doc: SourcesFile, name: string): Mutable {
  const table = userTable(doc) as unknown as DbtTable;
  return table.columns!.find((c) => c.name === name) as unknown as Mutable;
}

function testOf(col: Mutable, name: string): Mutable {
  const tests = (col as unknown as DbtColumn).data_tests ?? [];
  const found = tests.find((t) => testParts(t).name === name);
  if (found === undefined || typeof found === "string") throw new Error(`no ${name} test with a body`);
  return found[name] as Mutable;
}

function renameKey(object: Mutable, from: string, to: string): void {
  expect(object[from], `the generated file has ${from} to rename`).toBeDefined();
  object[to] = object[from];
  delete object[from];
}

function moveKey(from: Mutable, to: Mutable, key: string): void {
  expect(from[key], `the generated file has ${key} to move`).toBeDefined();
  to[key] = from[key];
  delete from[key];
}

interface Misplacement {
  readonly what: string;
  readonly change: (doc: SourcesFile) => void;
  /** Which schemas reject the change: what each schema really checks, asserted as it is. */
  readonly rejectedBy: readonly SchemaName[];
}

const MISPLACEMENTS: readonly Misplacement[] = [
  {
    what: "table freshness at the table's top level (before dbt 1.9)",
    change: (doc) => moveKey(userTable(doc).config as Mutable, userTable(doc), "freshness"),
    rejectedBy: ["fusion"],
  },
  {
    what: "source loaded_at_field at the source's top level (before dbt 1.10)",
    change: (doc) => moveKey(doc.sources[0].config as Mutable, doc.sources[0] as unknown as Mutable, "loaded_at_field"),
    rejectedBy: ["fusion"],
  },
  {
    what: "source meta and tags at the source's top level",
    change: (doc) => {
      moveKey(doc.sources[0].config as Mutable, doc.sources[0] as unknown as Mutable, "meta");
      moveKey(doc.sources[0].config as Mutable, doc.sources[0] as unknown as Mutable, "tags");
    },
    rejectedBy: ["fusion"],
  },
  {
    what: "table meta at the table's top level",
    change: (doc) => moveKey(userTable(doc).config as Mutable, userTable(doc), "meta"),
    rejectedBy: ["fusion"],
  },
  {
    what: "accepted_values values beside the test instead of under arguments",
    change: (doc) => moveKey(testOf(column(doc, "status"), "accepted_values").arguments as Mutable, testOf(column(doc, "status"), "accepted_values"), "values"),
    rejectedBy: ["fusion"],
  },
  {
    what: "a test's config misspelt as configs",
    change: (doc) => renameKey(testOf(column(doc, "event_id"), "not_null"), "config", "configs"),
    rejectedBy: ["fusion"],
  },
  {
    what: "a column's meta at the column's top level",
    change: (doc) => {
      column(doc, "email").meta = { pii: true };
    },
    rejectedBy: ["fusion"],
  },
  {
    what: "a column's meta under the column's config (dbt 1.10's place, which dbt-core's schema lacks)",
    change: (doc) => {
      column(doc, "email").config = { meta: { pii: true } };
    },
    rejectedBy: ["core"],
  },
  {
    what: "a freshness period dbt does not know, at the table's top level",
    change: (doc) => {
      userTable(doc).freshness = { warn_after: { count: 1, period: "week" } };
    },
    rejectedBy: ["core", "fusion"],
  },
  {
    what: "a table key dbt does not know (descripton)",
    change: (doc) => {
      userTable(doc).descripton = "typo";
    },
    rejectedBy: ["core", "fusion"],
  },
  {
    what: "tests instead of data_tests (renamed in dbt 1.8; both schemas still accept it)",
    change: (doc) => renameKey(column(doc, "id"), "data_tests", "tests"),
    rejectedBy: [],
  },
];

describe("the schemas reject misplaced keys", () => {
  it("accept the unchanged document (the baseline of every case)", () => {
    expectValid("baseline", document());
  });

  for (const { what, change, rejectedBy } of MISPLACEMENTS) {
    it(`${what}: rejected by ${rejectedBy.length > 0 ? rejectedBy.join(" and ") : "neither"}`, () => {
      const doc = document();
      change(doc);
      for (const [schema, validate] of Object.entries(dbtValidators()) as [SchemaName, (d: unknown) => boolean][]) {
        expect(validate(doc), `${schema} schema`).toBe(!rejectedBy.includes(schema));
      }
    });
  }
});

/** Keys that dbt 1.10 moved, or that neither schema catches: the generator must not write them. */
describe("generated files use dbt 1.10's places where the schemas do not enforce them", () => {
  const forbidden = (path: string, key: string): boolean => {
    if (key === "tests") return true;
    // meta, tags, freshness and loaded_at_field belong under config on sources and tables.
    if (/^sources\.\d+(\.tables\.\d+)?$/.test(path)) return ["meta", "tags", "freshness", "loaded_at_field"].includes(key);
    // Columns carry neither meta nor tags (the two schemas have no place for them in common).
    if (/^sources\.\d+\.tables\.\d+\.columns\.\d+$/.test(path)) return ["meta", "tags", "config"].includes(key);
    return false;
  };

  function walk(value: unknown, path: string, found: string[]): void {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, path === "" ? String(i) : `${path}.${i}`, found));
    else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (forbidden(path, key)) found.push(`${path}.${key}`);
        // meta holds free-form data; its keys are not dbt properties.
        if (key !== "meta") walk(child, path === "" ? key : `${path}.${key}`, found);
      }
    }
  }

  it("in every file of the example domain and the hostile entity", () => {
    const found: string[] = [];
    for (const [name, text] of [...example, ...hostile]) {
      const inFile: string[] = [];
      walk(parseSources(text), "", inFile);
      found.push(...inFile.map((path) => `${name}: ${path}`));
    }
    expect(found).toEqual([]);
  });

  it("and the check itself finds a misplaced key", () => {
    const doc = document();
    const found: string[] = [];
    (doc.sources[0] as unknown as Mutable).tags = ["x"];
    walk(doc, "", found);
    expect(found).toEqual(["sources.0.tags"]);
  });
});
