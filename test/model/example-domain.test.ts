/**
 * The example domain in proto/ builds, with buf.gen.yaml's plugin options, the entities the
 * README describes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Model } from "../../plugin/src/model/types.js";
import { compileExample, exampleParameter } from "../harness/buf/protos.js";
import { allColumns, columnAt, entityNamed, modelOfCompiled } from "./support.js";

let model: Model;

beforeAll(() => {
  model = modelOfCompiled(compileExample(), exampleParameter());
});

describe("example domain model", () => {
  it("has the seven entities with their topics, tables, datasets and id columns", () => {
    const rows = model.entities
      .map((e) => [e.typeName, e.topic, e.table, e.dataset, e.idColumn.path.join(".")])
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(rows).toEqual([
      ["energy.billing.v1.Contract", "contract", "contract", "billing", "id"],
      ["energy.billing.v1.Invoice", "invoice", "invoice", "billing", "number"],
      ["energy.billing.v1.Payment", "payment", "payment", "energy_billing_v1", "payment_id"],
      ["energy.customer.v1.House", "house", "house", "energy_customer_v1", "id"],
      ["energy.customer.v1.User", "user", "user", "energy_customer_v1", "id"],
      ["energy.metering.v1.MeterReading", "meter_readings", "meter_readings", "energy_metering_v1", "reading_id"],
      ["energy.metering.v1.SmartMeter", "smart_meter", "smart_meter", "energy_metering_v1", "id"],
    ]);
    expect(model.project).toBe("acme-energy");
    for (const entity of model.entities) expect(entity.project).toBe("acme-energy");
  });

  it("renames Payment's attributes map away from the Pub/Sub metadata column", () => {
    const payment = entityNamed(model, "Payment");
    expect(columnAt(payment, "payment_attributes").mode).toBe("REPEATED");
    expect(payment.columns.map((c) => c.name)).not.toContain("attributes");
  });

  it("cuts Contract's recursive price components to JSON", () => {
    const parts = columnAt(entityNamed(model, "Contract"), "price", "parts");
    expect(parts).toMatchObject({ bigQueryType: "JSON", mode: "REPEATED", conversion: { kind: "json", reason: "recursion" } });
  });

  it("resolves MeterReading's partitioning, clustering, retention and proto2 specifics", () => {
    const reading = entityNamed(model, "MeterReading");
    expect(reading.partitioning).toMatchObject({ column: "publish_time", granularity: "HOUR", requirePartitionFilter: true, expirationDays: 400 });
    expect(reading.clustering).toEqual(["meter_id", "reading_id"]);
    expect(columnAt(reading, "reading_id").required).toBe(true);
    expect(columnAt(reading, "tariff_register").defaultValue).toBe("1");
    expect(columnAt(reading, "energy_register_wh").bigQueryType).toBe("NUMERIC");
    expect(columnAt(reading, "diagnostics").bigQueryType).toBe("STRUCT");
  });

  it("keeps User's ignored password hash out and its PII marked", () => {
    const user = entityNamed(model, "User");
    expect(allColumns(user.columns).map((c) => c.name)).not.toContain("password_hash");
    expect(columnAt(user, "email")).toMatchObject({ pii: true, policyTag: "projects/acme-energy/locations/eu/taxonomies/1234/policyTags/5678" });
    expect(columnAt(user, "language_tag").bigQueryType).toBe("STRING");
    expect(user.freshness.warnAfter?.text).toBe("6h");
    expect(user.freshness.errorAfter?.text).toBe("1d");
  });
});
