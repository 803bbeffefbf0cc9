/**
 * Field options, entity options and plugin options as the model resolves them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Entity, Model } from "../../plugin/src/model/types.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { allColumns, columnAt, entityNamed, modelOf, modelOfCompiled, names, PROJECT, pluginError, proto3 } from "./support.js";

const TAG = "projects/p/locations/eu/taxonomies/1/policyTags/2";
/** The plugin option pii_policy_tag=: the tag of every pii field without its own. */
const DEFAULT_TAG = "projects/p/locations/eu/taxonomies/1/policyTags/3";
const WITH_DEFAULT_TAG = `${PROJECT},pii_policy_tag=${DEFAULT_TAG}`;

describe("field options", () => {
  const source = proto3(`message Person {
  option (entity.v1.entity) = {};

  string id = 1;
  string email = 2 [(entity.v1.field).pii = true];
  string iban = 3 [(entity.v1.field).policy_tag = "${TAG}"];
  string plain = 4;
  string secret = 5 [(entity.v1.field).ignore = true];
  string locale = 6 [(entity.v1.field).column = "language_tag"];
  string house_id = 7 [(entity.v1.field).references = "test.v1.House"];
  Address address = 8;
}

message Address {
  string street = 1 [(entity.v1.field).pii = true];
  string internal_code = 2 [(entity.v1.field).ignore = true];
  string zip = 3 [(entity.v1.field).column = "postal_code"];
}

message House {
  option (entity.v1.entity) = {};
  string id = 1;
}
`);
  let compiled: ReturnType<typeof compileProtos>;
  let person: Entity;
  beforeAll(() => {
    compiled = compileProtos({ "test/v1/person.proto": source });
    person = entityNamed(modelOfCompiled(compiled, WITH_DEFAULT_TAG), "Person");
  });

  it("pii marks the column as personal data, at any depth", () => {
    expect(columnAt(person, "email")).toMatchObject({ pii: true, policyTag: DEFAULT_TAG });
    expect(columnAt(person, "address", "street")).toMatchObject({ pii: true, policyTag: DEFAULT_TAG });
    expect(columnAt(person, "plain")).toMatchObject({ pii: false, policyTag: undefined });
  });

  it("policy_tag sets the tag and implies pii", () => {
    expect(columnAt(person, "iban")).toMatchObject({ pii: true, policyTag: TAG });
  });

  it("ignore leaves the field out of every column and of the topic schema", () => {
    const all = allColumns(person.columns);
    expect(all.map((c) => c.name)).not.toContain("secret");
    expect(all.map((c) => c.name)).not.toContain("internal_code");
    expect(names(columnAt(person, "address").fields)).toEqual(["street", "postal_code"]);
    const files = runPlugin(compiled, WITH_DEFAULT_TAG);
    const schema = [...files.entries()].find(([name]) => name === `pubsub/${person.topic}.proto`)?.[1];
    expect(schema).toBeDefined();
    expect(schema).not.toMatch(/\bsecret\b/);
    expect(schema).not.toMatch(/\binternal_code\b/);
    expect(schema).toMatch(/\bplain\b/);
    for (const [name, content] of files) {
      expect(content, name).not.toMatch(/\bsecret\b/);
      expect(content, name).not.toMatch(/\binternal_code\b/);
    }
  });

  it("column renames the column, keeping the field number", () => {
    expect(columnAt(person, "language_tag")).toMatchObject({ path: ["language_tag"], wire: { number: 6 }, bigQueryType: "STRING" });
    expect(columnAt(person, "address", "postal_code")).toMatchObject({ path: ["address", "postal_code"], wire: { number: 3 } });
    expect(allColumns(person.columns).map((c) => c.name)).not.toContain("locale");
    const source = columnAt(person, "language_tag").source;
    expect(source.kind === "field" && source.fieldName).toBe("test.v1.Person.locale");
  });

  it("references names the referenced entity", () => {
    expect(columnAt(person, "house_id").references).toBe("test.v1.House");
    expect(columnAt(person, "plain").references).toBeUndefined();
  });
});

describe("entity options", () => {
  const source = proto3(`message MeterReading {
  option (entity.v1.entity) = {};
  string id = 1;
  string meter_id = 2;
}

message HTTPRequestLog {
  option (entity.v1.entity) = {};
  int64 id = 1;
}

message Custom {
  option (entity.v1.entity) = {
    topic: "custom-events"
    table: "custom_rows"
    dataset: "custom_ds"
    id_field: "meta.key"
    owner: "data-team"
    retention_days: 30
    freshness: {warn_after: "30m" error_after: "2d"}
    partitioning: {column: "happened_on" granularity: GRANULARITY_MONTH require_partition_filter: true}
    cluster_by: "kind"
    cluster_by: "occurred_at"
  };
  Meta meta = 1;
  google.type.Date happened_on = 2;
  string kind = 3;
}

message Meta {
  uint64 key = 1;
}

message HourlyStamp {
  option (entity.v1.entity) = {
    partitioning: {column: "occurred_at" granularity: GRANULARITY_HOUR}
    cluster_by: "publish_time"
  };
  string id = 1;
}

message NoClusterDefault {
  option (entity.v1.entity) = {id_field: "meta.key"};
  Meta meta = 1;
}
`, ["google/type/date.proto"]);

  let model: Model;
  beforeAll(() => {
    model = modelOf({ "test/v1/entities.proto": source });
  });

  it("defaults: topic = snake_case message name, table = topic, dataset = package with _ , id = `id`", () => {
    const reading = entityNamed(model, "MeterReading");
    expect(reading).toMatchObject({
      messageName: "MeterReading",
      typeName: "test.v1.MeterReading",
      protoPackage: "test.v1",
      protoFile: "test/v1/entities.proto",
      eventName: "MeterReadingEvent",
      topic: "meter_reading",
      table: "meter_reading",
      dataset: "test_v1",
      project: "test-project",
      owner: undefined,
      nestUnder: undefined,
    });
    expect(reading.idColumn.name).toBe("id");
    expect(reading.idColumn.path).toEqual(["id"]);
    expect(reading.idFieldPath.map((f) => f.name)).toEqual(["id"]);
    expect(entityNamed(model, "HTTPRequestLog").topic).toBe("http_request_log");
  });

  it("default partitioning: by DAY of publish_time, no filter required, kept forever", () => {
    expect(entityNamed(model, "MeterReading").partitioning).toEqual({
      column: "publish_time",
      columnType: "TIMESTAMP",
      granularity: "DAY",
      requirePartitionFilter: false,
      expirationDays: undefined,
    });
  });

  it("default clustering: the id column when it is clusterable, else none", () => {
    expect(entityNamed(model, "MeterReading").clustering).toEqual(["id"]);
    expect(entityNamed(model, "HTTPRequestLog").clustering).toEqual(["id"]);
    // A nested id is no top-level column to cluster by.
    expect(entityNamed(model, "NoClusterDefault").clustering).toEqual([]);
  });

  it("default freshness: none", () => {
    expect(entityNamed(model, "MeterReading").freshness).toEqual({ warnAfter: undefined, errorAfter: undefined });
  });

  it("overrides: topic, table, dataset, nested id_field, owner", () => {
    const custom = entityNamed(model, "Custom");
    expect(custom).toMatchObject({ topic: "custom-events", table: "custom_rows", dataset: "custom_ds", owner: "data-team" });
    expect(custom.idColumn).toMatchObject({ name: "key", path: ["meta", "key"], bigQueryType: "NUMERIC" });
    expect(custom.idFieldPath.map((f) => f.name)).toEqual(["meta", "key"]);
  });

  it("resolves partitioning to an entity column with its type, granularity, filter and retention", () => {
    expect(entityNamed(model, "Custom").partitioning).toEqual({
      column: "happened_on",
      columnType: "DATE",
      granularity: "MONTH",
      requirePartitionFilter: true,
      expirationDays: 30,
    });
    expect(entityNamed(model, "HourlyStamp").partitioning).toMatchObject({ column: "occurred_at", columnType: "TIMESTAMP", granularity: "HOUR" });
  });

  it("keeps cluster_by as given, including envelope and metadata columns", () => {
    expect(entityNamed(model, "Custom").clustering).toEqual(["kind", "occurred_at"]);
    expect(entityNamed(model, "HourlyStamp").clustering).toEqual(["publish_time"]);
  });

  it("parses freshness periods into counts, units and seconds", () => {
    expect(entityNamed(model, "Custom").freshness).toEqual({
      warnAfter: { count: 30, period: "minute", seconds: 1800, text: "30m" },
      errorAfter: { count: 2, period: "day", seconds: 172800, text: "2d" },
    });
  });

  it("takes the plugin option dataset for entities without their own, and the entity's over it", () => {
    const withDataset = modelOf({ "test/v1/entities.proto": source }, `${PROJECT},dataset=warehouse`);
    expect(entityNamed(withDataset, "MeterReading").dataset).toBe("warehouse");
    expect(entityNamed(withDataset, "Custom").dataset).toBe("custom_ds");
    expect(withDataset.project).toBe("test-project");
  });
});

describe("plugin options", () => {
  const vendor = `syntax = "proto3";

package vendor.v1;

// A payment, as the provider sends it.
message Payment {
  string payment_id = 1;
  map<string, string> attributes = 2;
  Details details = 3;
}

message Details {
  string note = 1;
}

message Order {
  string id = 1;
  string event_id = 2;
  string data = 3;
}
`;
  const own = proto3(`message Shop {
  option (entity.v1.entity) = {};
  string id = 1;
  vendor.v1.Payment last_payment = 2;
}
`, ["vendor/v1/vendor.proto"]);

  it("entity= makes a message without annotation an entity, with a custom id path", () => {
    const model = modelOf({ "vendor/v1/vendor.proto": vendor }, `${PROJECT},entity=vendor.v1.Payment:payment_id,column=vendor.v1.Payment.attributes:payment_attributes`);
    const payment = entityNamed(model, "Payment");
    expect(payment).toMatchObject({ typeName: "vendor.v1.Payment", topic: "payment", table: "payment", dataset: "vendor_v1", description: "A payment, as the provider sends it." });
    expect(payment.idColumn.path).toEqual(["payment_id"]);
    expect(model.entities).toHaveLength(1);
  });

  it("entity= without an id path uses `id`", () => {
    const model = modelOf({ "vendor/v1/vendor.proto": vendor }, `${PROJECT},entity=vendor.v1.Order,nest=vendor.v1.Order:order`);
    expect(entityNamed(model, "Order").idColumn.path).toEqual(["order", "id"]);
  });

  it("entity= selects a message from a file that is only imported, not generated", () => {
    const compiled = compileProtos({ "test/v1/shop.proto": own, "vendor/v1/vendor.proto": vendor });
    const onlyShop = { ...compiled, toGenerate: ["test/v1/shop.proto"] };
    // Without the option the imported file's messages are not entities.
    expect(modelOfCompiled(onlyShop).entities.map((e) => e.typeName)).toEqual(["test.v1.Shop"]);
    const model = modelOfCompiled(onlyShop, `${PROJECT},entity=vendor.v1.Payment:payment_id,column=vendor.v1.Payment.attributes:payment_attributes`);
    expect(model.entities.map((e) => e.typeName)).toEqual(["test.v1.Shop", "vendor.v1.Payment"]);
    expect(entityNamed(model, "Payment").protoFile).toBe("vendor/v1/vendor.proto");
    // And the plugin generates for it.
    expect([...runPlugin(onlyShop, `${PROJECT},entity=vendor.v1.Payment:payment_id,column=vendor.v1.Payment.attributes:payment_attributes`).keys()]).toContain("pubsub/payment.proto");
  });

  it("column= renames a field of a message that cannot be annotated, wherever it is used", () => {
    const compiled = compileProtos({ "test/v1/shop.proto": own, "vendor/v1/vendor.proto": vendor });
    const model = modelOfCompiled(
      compiled,
      `${PROJECT},entity=vendor.v1.Payment:payment_id,column=vendor.v1.Payment.attributes:payment_attributes,column=vendor.v1.Details.note:remark`,
    );
    const payment = entityNamed(model, "Payment");
    expect(columnAt(payment, "payment_attributes")).toMatchObject({ mode: "REPEATED", bigQueryType: "STRUCT", wire: { number: 2 } });
    expect(columnAt(payment, "details", "remark").path).toEqual(["details", "remark"]);
    expect(columnAt(entityNamed(model, "Shop"), "last_payment", "payment_attributes").mode).toBe("REPEATED");
    expect(columnAt(entityNamed(model, "Shop"), "last_payment", "details", "remark").bigQueryType).toBe("STRING");
  });

  it("ignore= leaves out a field of a message that cannot be annotated, wherever it is used", () => {
    const compiled = compileProtos({ "test/v1/shop.proto": own, "vendor/v1/vendor.proto": vendor });
    const parameter = `${PROJECT},entity=vendor.v1.Payment:payment_id,ignore=vendor.v1.Payment.attributes,ignore=vendor.v1.Payment.details`;
    const model = modelOfCompiled(compiled, parameter);
    expect(names(entityNamed(model, "Payment").columns)).toEqual(["event_id", "operation", "occurred_at", "payment_id"]);
    expect(names(columnAt(entityNamed(model, "Shop"), "last_payment").fields)).toEqual(["payment_id"]);
    for (const [name, content] of runPlugin(compiled, parameter)) {
      expect(content, name).not.toMatch(/\battributes\b.*= 2;/);
      expect(content, name).not.toMatch(/\bdetails\b/);
    }
  });

  it("ignore= on the id field, or on a field that does not exist, fails the run", () => {
    const compiled = compileProtos({ "vendor/v1/vendor.proto": vendor });
    expect(pluginError(compiled, `${PROJECT},entity=vendor.v1.Payment:payment_id,ignore=vendor.v1.Payment.payment_id,column=vendor.v1.Payment.attributes:payment_attributes`)).toMatch(
      /id field "payment_id" is ignored/,
    );
    expect(pluginError(compiled, `${PROJECT},entity=vendor.v1.Payment:payment_id,ignore=vendor.v1.Payment.nope,column=vendor.v1.Payment.attributes:payment_attributes`)).toMatch(
      /ignore=vendor\.v1\.Payment\.nope: no field vendor\.v1\.Payment\.nope in the input/,
    );
  });

  it("nest= puts the entity's fields under one STRUCT column and resolves the id inside it", () => {
    const model = modelOf({ "vendor/v1/vendor.proto": vendor }, `${PROJECT},entity=vendor.v1.Order,nest=vendor.v1.Order:order`);
    const order = entityNamed(model, "Order");
    expect(order.nestUnder).toBe("order");
    expect(names(order.columns)).toEqual(["event_id", "operation", "occurred_at", "order"]);
    const nest = columnAt(order, "order");
    expect(nest).toMatchObject({ bigQueryType: "STRUCT", mode: "NULLABLE", wire: { type: "message", repeated: false }, source: { kind: "nest" } });
    expect(names(nest.fields)).toEqual(["id", "event_id", "data"]);
    expect(columnAt(order, "order", "event_id").path).toEqual(["order", "event_id"]);
    expect(order.idColumn).toMatchObject({ name: "id", path: ["order", "id"] });
    expect(order.idFieldPath.map((f) => f.name)).toEqual(["id"]);
    // The nest column's number stays clear of the envelope's.
    expect(order.columns.slice(0, 3).map((c) => c.wire.number)).not.toContain(nest.wire.number);
  });

  it("nest_under in the entity option does the same", () => {
    const model = modelOf({
      "test/v1/nested.proto": proto3(`message Nested {
  option (entity.v1.entity) = {nest_under: "payload"};
  string id = 1;
  string message_id = 2;
}
`),
    });
    const nested = entityNamed(model, "Nested");
    expect(names(nested.columns)).toEqual(["event_id", "operation", "occurred_at", "payload"]);
    expect(nested.idColumn.path).toEqual(["payload", "id"]);
    expect(names(columnAt(nested, "payload").fields)).toEqual(["id", "message_id"]);
  });

  it("an unknown plugin option fails the run, naming the option", () => {
    const compiled = compileProtos({ "test/v1/shop.proto": own, "vendor/v1/vendor.proto": vendor });
    const message = pluginError(compiled, `${PROJECT},colour=red`);
    expect(message).toContain('unknown plugin option "colour"');
    expect(message).toContain("known options");
    expect(message).toContain("project");
  });
});
