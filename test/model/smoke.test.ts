import { describe, expect, it } from "vitest";
import { generateExample } from "../harness/buf/protos.js";

describe("example domain", () => {
  it("generates a topic schema per entity", () => {
    const files = generateExample();
    const schemas = [...files.keys()].filter((n) => n.startsWith("pubsub/") && n.endsWith(".proto")).sort();
    expect(schemas).toEqual([
      "pubsub/contract.proto",
      "pubsub/house.proto",
      "pubsub/invoice.proto",
      "pubsub/meter_readings.proto",
      "pubsub/payment.proto",
      "pubsub/smart_meter.proto",
      "pubsub/user.proto",
    ]);
  });
});
