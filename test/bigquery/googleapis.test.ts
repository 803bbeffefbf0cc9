/**
 * Protos the team does not own (googleapis, made entities with plugin options) generate BigQuery
 * DDL and views that pass the same ZetaSQL checks as the example domain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigQueryNames, FRESHNESS_VIEW } from "../../plugin/src/physical/bigquery-names.js";
import { tableSchema, type BigQueryField } from "../../plugin/src/physical/table-schema.js";
import type { Model } from "../../plugin/src/model/types.js";
import { modelOfCompiled } from "../model/support.js";
import { compileGoogleapis, GOOGLEAPIS_ENTITIES } from "../harness/buf/googleapis.js";
import { runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type AnalyzedStatement, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { analyzeAll, generatedBigQuery, type GeneratedBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { asSchema, schemaShape } from "./support.js";

let zetasql: ZetaSqlSession;
let model: Model;
let files: Map<string, string>;
let generated: GeneratedBigQuery;
let analyzed: Map<string, AnalyzedStatement>;

beforeAll(async () => {
  zetasql = await startZetaSql();
  const { compiled, parameter } = compileGoogleapis();
  files = runPlugin(compiled, parameter);
  model = modelOfCompiled(compiled, parameter);
  generated = generatedBigQuery(files);
  analyzed = await analyzeAll(zetasql, model.project, generated);
});

afterAll(async () => {
  await zetasql?.stop();
});

describe("googleapis selection in BigQuery", () => {
  it("generates a table and two views for each selected message, and ZetaSQL accepts them all", () => {
    expect(model.entities.map((e) => e.typeName).sort()).toEqual(GOOGLEAPIS_ENTITIES.map((e) => e.typeName).sort());
    for (const e of model.entities) {
      const names = bigQueryNames(e);
      for (const [name, kind] of [[names.table, "createTable"], [names.eventsView, "createView"], [names.latestView, "createView"], [FRESHNESS_VIEW, "createView"]]) {
        expect(analyzed.get(`bigquery/${e.dataset}/${name}.sql`)).toMatchObject({ kind, name: `${model.project}.${e.dataset}.${name}` });
      }
    }
  });

  it("declares in DDL exactly the JSON schema, which is the model's table", () => {
    for (const e of model.entities) {
      const schema = JSON.parse(files.get(`bigquery/${e.dataset}/${e.table}.schema.json`)!) as BigQueryField[];
      expect(schema).toEqual(tableSchema(e));
      expect(asSchema(analyzed.get(`bigquery/${e.dataset}/${e.table}.sql`)!.columns)).toEqual(schemaShape(schema));
    }
  });

  it("keeps the long googleapis comments as descriptions (the BigQuery Table API is the largest)", () => {
    const table = model.entities.find((e) => e.typeName === "google.cloud.bigquery.v2.Table")!;
    const count = (columns: readonly { fields: readonly unknown[] }[]): number =>
      columns.reduce((n, c) => n + 1 + count(c.fields as { fields: readonly unknown[] }[]), 0);
    const ddl = analyzed.get(`bigquery/${table.dataset}/${table.table}.sql`)!;
    expect(count(ddl.columns)).toBeGreaterThan(200);
    expect(ddl.columns.filter((c) => (c.description ?? "").includes("\n")).length).toBeGreaterThan(0);
  });
});
