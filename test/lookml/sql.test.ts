/**
 * The SQL in the LookML is real: for every explore, the query Looker would run with every field
 * selected (child views through their UNNEST joins, referenced entities through theirs) is
 * analyzed by ZetaSQL against the tables and views the BigQuery emitter generates. A wrong column
 * or a wrong type fails the analysis.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileProtos, generateExample, runPlugin } from "../harness/buf/protos.js";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { startZetaSql, ZetaSqlError, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { composeExploreQuery } from "../harness/lookml/compose.js";
import { registerBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { exampleModel, lookmlFiles, parseProject, type LookmlObject } from "../harness/lookml/lookml.js";

let zetasql: ZetaSqlSession;

async function lookmlModel(files: ReadonlyMap<string, string>): Promise<LookmlObject> {
  const project = await parseProject(files);
  expect(project.errors).toBeUndefined();
  return Object.values(project.model)[0];
}

beforeAll(async () => {
  zetasql = await startZetaSql();
  await registerBigQuery(zetasql, generateExample(), exampleModel().project);
});

afterAll(async () => {
  await zetasql?.stop();
});

describe("the example's explores, analyzed by ZetaSQL", () => {
  let model: LookmlObject;
  beforeAll(async () => {
    model = await lookmlModel(lookmlFiles(generateExample()));
  });

  it("every query passes, and together they select every field of every view", async () => {
    const covered = new Set<string>();
    for (const explore of Object.keys(model.explore)) {
      const query = composeExploreQuery(model, explore);
      const analyzed = await zetasql.analyze(query.sql);
      expect(analyzed.kind).toBe("query");
      expect(analyzed.columns.length).toBeGreaterThan(0);
      for (const field of query.fields) {
        const [alias, name] = field.split(".");
        const join = model.explore[explore].join?.[alias];
        covered.add(`${join?.from ?? (alias === explore ? (model.explore[explore].from ?? alias) : alias)}.${name}`);
      }
    }
    for (const [viewName, view] of Object.entries<LookmlObject>(model.view)) {
      // A view of shared fields is never queried itself: its fields are those of the views that extend it.
      if (view.extension === "required") continue;
      for (const name of [...Object.keys(view.measure ?? {}), ...Object.keys(view.dimension_group ?? {}).flatMap((g) => view.dimension_group[g].timeframes.map((tf: string) => `${g}_${tf}`))]) {
        expect(covered.has(`${viewName}.${name}`), `${viewName}.${name} is selected by some query`).toBe(true);
      }
      for (const [name, def] of Object.entries<LookmlObject>(view.dimension ?? {})) {
        // Hidden array dimensions are read by the UNNEST joins, which every query contains.
        if (def.hidden === true && !def.primary_key) continue;
        expect(covered.has(`${viewName}.${name}`), `${viewName}.${name} is selected by some query`).toBe(true);
      }
    }
  });
});

describe("mistakes the analysis catches", () => {
  let files: Map<string, string>;
  beforeAll(() => {
    files = lookmlFiles(generateExample());
  });

  async function analyzeWith(file: string, from: string | RegExp, to: string, explore: string): Promise<void> {
    const original = files.get(file)!;
    const changed = original.replace(from, to);
    expect(changed, `the mutation applies to ${file}`).not.toBe(original);
    const model = await lookmlModel(new Map([...files, [file, changed]]));
    await zetasql.analyze(composeExploreQuery(model, explore).sql);
  }

  it("the unchanged explores pass (so a failure below is the mistake's)", async () => {
    const model = await lookmlModel(files);
    for (const explore of ["user_events", "smart_meter_latest", "house_events"]) await zetasql.analyze(composeExploreQuery(model, explore).sql);
  });

  it("a column that does not exist", async () => {
    await expect(analyzeWith("user.view.lkml", "${TABLE}.email ;;", "${TABLE}.e_mail ;;", "user_events")).rejects.toThrow(ZetaSqlError);
  });

  it("a STRUCT field that does not exist", async () => {
    await expect(analyzeWith("user.view.lkml", "${TABLE}.address.city ;;", "${TABLE}.address.town ;;", "user_events")).rejects.toThrow(/town/);
  });

  it("yes/no on a column that is not BOOL", async () => {
    const view = files.get("house.view.lkml")!;
    const block = /dimension: building_type \{\n\s+type: string/.exec(view)![0];
    await expect(analyzeWith("house.view.lkml", block, block.replace("type: string", "type: yesno"), "house_events")).rejects.toThrow(ZetaSqlError);
  });

  it("a number that is a BOOL", async () => {
    const view = files.get("house.view.lkml")!;
    const block = /dimension: feeds_in \{\n\s+type: yesno/.exec(view)![0];
    await expect(analyzeWith("house.view.lkml", block, block.replace("type: yesno", "type: number"), "house_events")).rejects.toThrow(ZetaSqlError);
  });

  it("a DATE treated as a TIMESTAMP", async () => {
    await expect(analyzeWith("user.view.lkml", /datatype: date\n/, "datatype: timestamp\n", "user_events")).rejects.toThrow(ZetaSqlError);
  });

  it("a JSON column shown without conversion (BigQuery cannot group by JSON)", async () => {
    await expect(analyzeWith("user.view.lkml", "TO_JSON_STRING(${TABLE}.preferences)", "${TABLE}.preferences", "user_events")).rejects.toThrow(ZetaSqlError);
  });

  it("an UNNEST of a column that is not an array", async () => {
    await expect(analyzeWith("user.view.lkml", "sql: ${TABLE}.phone_numbers ;;", "sql: ${TABLE}.language_tag ;;", "user_events")).rejects.toThrow(ZetaSqlError);
  });

  it("a reference join on a column of another type", async () => {
    await expect(analyzeWith("house.explore.lkml", "${house_events.owner_user_id} = ${owner_user.id}", "${house_events.construction_year} = ${owner_user.id}", "house_events")).rejects.toThrow(ZetaSqlError);
  });
});

describe("arrays in arrays, integer ids, references between them", () => {
  const SOURCE = `syntax = "proto3";
package shop.v1;
import "entity/v1/options.proto";
import "google/protobuf/timestamp.proto";
// A customer.
message Customer {
  option (entity.v1.entity) = {dataset: "shop"};
  int64 id = 1;
  // Referred by another customer.
  int64 referred_by = 2 [(entity.v1.field).references = "shop.v1.Customer"];
}
// An order.
message Order {
  option (entity.v1.entity) = {dataset: "shop", partitioning: {require_partition_filter: true}};
  string id = 1;
  int64 customer_id = 2 [(entity.v1.field).references = "shop.v1.Customer"];
  repeated Line lines = 3;
  map<string, Line> lines_by_sku = 4;
  google.protobuf.Timestamp placed_at = 5;
  bytes receipt = 6;
  // A reference whose short name is a reserved word.
  int64 group_id = 7 [(entity.v1.field).references = "shop.v1.Customer"];
}
message Line {
  string sku = 1;
  repeated string tags = 2;
  repeated Discount discounts = 3;
  int64 buyer_id = 4 [(entity.v1.field).references = "shop.v1.Customer"];
}
message Discount {
  string code = 1;
  repeated google.protobuf.Timestamp valid_on = 2;
}
`;

  it("every explore passes, nested child views joined from their parents", async () => {
    const output = runPlugin(compileProtos({ "shop/v1/shop.proto": SOURCE }), "project=shop-project");
    await registerBigQuery(zetasql, output, "shop-project");
    const model = await lookmlModel(lookmlFiles(output));
    const explore = model.explore.order_events;
    expect(explore.join.order_events__lines__discounts__valid_on.required_joins).toEqual(["order_events__lines__discounts"]);
    expect(explore.join.order_events__lines_by_sku__value__tags.required_joins).toEqual(["order_events__lines_by_sku"]);
    expect(Object.values<LookmlObject>(explore.join).filter((j) => j.from === "customer_latest")).toHaveLength(4);
    expect(explore.join.group, "GROUP is a reserved word, not an alias").toBeUndefined();
    expect(Object.values<LookmlObject>(model.explore.customer_latest.join).map((j) => j.from)).toEqual(["customer_latest"]);
    for (const name of Object.keys(model.explore)) await zetasql.analyze(composeExploreQuery(model, name).sql);
  });
});

describe("hostile names and comments", () => {
  it("the hostile entity's explores pass (reserved words as column names included)", async () => {
    const output = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }));
    await registerBigQuery(zetasql, output, "test-project");
    const model = await lookmlModel(lookmlFiles(output));
    for (const explore of Object.keys(model.explore)) await zetasql.analyze(composeExploreQuery(model, explore).sql);
    expect(Object.keys(model.explore).length).toBeGreaterThanOrEqual(3);
  });
});
