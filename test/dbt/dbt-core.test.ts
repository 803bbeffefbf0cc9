/**
 * The generated sources files in real dbt Core (with the BigQuery adapter): `dbt parse` accepts
 * them as part of a project, warnings (deprecations included) turned into errors, for the example
 * domain and for the googleapis run; and every generic test, as `dbt compile` renders it with
 * dbt's own macros, is SQL that ZetaSQL accepts against the generated tables and views.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbtProject, ensureDbt, type CompiledDbtTest } from "../harness/dbt/dbt-core.js";
import { compileGoogleapis } from "../harness/buf/googleapis.js";
import { runPlugin } from "../harness/buf/protos.js";
import { allTables, dbtFiles, dbtFilesOnDisk, generatedBigQueryOnDisk, registerSourceObjects } from "../harness/dbt/dbt.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";

/** The example's project, from buf.gen.yaml. */
const EXAMPLE_PROJECT = "acme-energy-analytics";

let dbt: string;
const projects: DbtProject[] = [];

beforeAll(async () => {
  dbt = await ensureDbt();
}, 15 * 60_000);

afterAll(() => projects.forEach((p) => p.dispose()));

function project(files: ReadonlyMap<string, string>, gcpProject: string): DbtProject {
  const created = new DbtProject(files, gcpProject);
  projects.push(created);
  return created;
}

/** `dbt --warn-error parse`: a deprecation or any other warning fails the run. */
function expectParses(files: ReadonlyMap<string, string>, gcpProject: string): DbtProject {
  expect(files.size).toBeGreaterThan(0);
  const p = project(files, gcpProject);
  const { status, output } = p.run(dbt, ["--warn-error", "parse"]);
  expect(status, output).toBe(0);
  expect(output).not.toMatch(/\[WARNING\]|[Dd]eprecat/);
  return p;
}

describe("dbt parse", () => {
  it("accepts the example domain's sources files", () => {
    expectParses(dbtFilesOnDisk(), EXAMPLE_PROJECT);
  }, 120_000);

  it("fails on a deprecated placement, so the two runs above would catch one", () => {
    const files = dbtFilesOnDisk();
    const [name, text] = [...files].find(([, t]) => t.includes("\n    tables:"))!;
    const deprecated = text.replace("\n    tables:", "\n    freshness:\n      warn_after: {count: 1, period: day}\n    tables:");
    const { status, output } = project(new Map([...files, [name, deprecated]]), EXAMPLE_PROJECT).run(dbt, ["--warn-error", "parse"]);
    expect(status).not.toBe(0);
    expect(output).toContain("PropertyMovedToConfigDeprecation");
  }, 120_000);

  it("accepts the googleapis run's sources files", () => {
    const run = compileGoogleapis();
    const files = dbtFiles(runPlugin(run.compiled, run.parameter));
    const gcpProject = /(?:^|,)project=([^,]+)/.exec(run.parameter)?.[1];
    expect(gcpProject).toBeDefined();
    expectParses(files, gcpProject!);
  }, 120_000);
});

describe("environments", () => {
  it("points every source at the project and datasets given with --vars, the generated ones by default", () => {
    const files = dbtFilesOnDisk();
    const p = project(files, EXAMPLE_PROJECT);
    const vars = "{entities_gcp_project: acme-staging, entities_dataset_energy_customer_v1: staging_customer}";
    const { status, output } = p.run(dbt, ["--warn-error", "compile", "--no-introspect", "--no-populate-cache", "--vars", vars]);
    expect(status, output).toBe(0);
    const compiled = p.compiledTests();
    const customer = compiled.filter((t) => t.tested?.source === "energy_customer_v1");
    const billing = compiled.filter((t) => t.tested?.source === "billing");
    expect(customer.length).toBeGreaterThan(0);
    expect(billing.length).toBeGreaterThan(0);
    for (const test of customer) {
      expect(test.sql, test.uniqueId).toContain("`acme-staging`.`staging_customer`.");
      expect(test.sql, test.uniqueId).not.toContain("acme-energy");
    }
    // Not overridden: the project from --vars, the generated dataset.
    for (const test of billing) expect(test.sql, test.uniqueId).toContain("`acme-staging`.`billing`.");
  }, 180_000);
});

describe("dbt compile", () => {
  let zetasql: ZetaSqlSession;
  let compiled: CompiledDbtTest[];

  beforeAll(async () => {
    const files = dbtFilesOnDisk();
    const p = project(files, EXAMPLE_PROJECT);
    const { status, output } = p.run(dbt, ["compile", "--no-introspect", "--no-populate-cache"]);
    expect(status, output).toBe(0);
    compiled = p.compiledTests();

    zetasql = await startZetaSql();
    await registerSourceObjects(zetasql, allTables(files), generatedBigQueryOnDisk());
  }, 300_000);

  afterAll(async () => {
    await zetasql?.stop();
  });

  it("renders one query per generic test of the sources files", () => {
    const declared = allTables(dbtFilesOnDisk()).flatMap(({ table }) => (table.columns ?? []).flatMap((c) => c.data_tests ?? []));
    expect(compiled.length).toBe(declared.length);
    expect(new Set(compiled.map((t) => t.testName))).toEqual(new Set(["not_null", "unique", "accepted_values", "relationships"]));
    for (const test of compiled) expect(test.sql, test.uniqueId).toMatch(/\bfrom\b/i);
  });

  it("every test's SQL, as dbt compiled it, is a query ZetaSQL accepts against the generated objects", async () => {
    for (const test of compiled) {
      await expect(zetasql.analyze(test.sql), `${test.uniqueId}\n${test.sql}`).resolves.toMatchObject({ kind: "query" });
    }
  }, 120_000);
});
