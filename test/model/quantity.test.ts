/**
 * Which numeric columns are quantities (Looker measures), decided once in the model from the
 * contract: the default rule, the `measures` field option, Money's amount and the entity id.
 */
import { describe, expect, it } from "vitest";
import { columnAt, entityNamed, modelOf, proto3 } from "./support.js";

const SOURCE = proto3(
  `message Reading {
  option (entity.v1.entity) = {id_field: "seq"};
  int64 seq = 1;
  double power_w = 2;
  sint64 net_energy_wh = 3;
  uint64 register_wh = 4 [(entity.v1.field) = {measures: [MEASURE_MAX, MEASURE_MIN]}];
  int32 signal_dbm = 5 [(entity.v1.field).measures = MEASURE_NONE];
  int64 house_id = 6;
  uint32 build_year = 7;
  int64 owner = 8 [(entity.v1.field).references = "test.v1.Owner"];
  Quality quality = 9;
  google.type.Money price = 10;
  google.type.LatLng position = 11;
  string label = 12;
  repeated double samples = 13;
  int64 tariff_code = 14 [(entity.v1.field).measures = MEASURE_SUM];
  google.protobuf.Int32Value retries = 15;
}
enum Quality {
  QUALITY_UNSPECIFIED = 0;
  QUALITY_GOOD = 1;
}
message Owner {
  option (entity.v1.entity) = {};
  int64 id = 1;
}
`,
  ["google/type/money.proto", "google/type/latlng.proto", "google/protobuf/wrappers.proto"],
);

describe("measures in the model", () => {
  const reading = () => entityNamed(modelOf({ "test/v1/reading.proto": SOURCE }), "Reading");
  const measures = (...path: string[]) => columnAt(reading(), ...path).measures;
  const ALL = ["sum", "average", "min", "max"];

  it("a numeric field is a quantity by default: sum, average, min and max", () => {
    expect(measures("power_w")).toEqual(ALL);
    expect(measures("net_energy_wh")).toEqual(ALL);
    expect(measures("samples")).toEqual(ALL);
    expect(measures("retries")).toEqual(ALL);
  });

  it("the option picks measures (in a fixed order) or turns them off", () => {
    expect(measures("register_wh")).toEqual(["min", "max"]);
    expect(measures("signal_dbm")).toEqual([]);
    // A name that looks like a label does not stop measures someone picked.
    expect(measures("tariff_code")).toEqual(["sum"]);
  });

  it("ids, labels, references, enums, coordinates and text have none", () => {
    expect(reading().idColumn.name).toBe("seq");
    expect(reading().idColumn.measures).toEqual([]);
    expect(measures("seq")).toEqual([]);
    expect(measures("house_id")).toEqual([]);
    expect(measures("build_year")).toEqual([]);
    expect(measures("owner")).toEqual([]);
    expect(measures("quality")).toEqual([]);
    expect(measures("position", "latitude")).toEqual([]);
    expect(measures("position", "longitude")).toEqual([]);
    expect(measures("label")).toEqual([]);
    expect(measures("event_id")).toEqual([]);
  });

  it("Money is measured by its amount, not its currency or the STRUCT", () => {
    expect(measures("price")).toEqual([]);
    expect(measures("price", "amount")).toEqual(ALL);
    expect(measures("price", "currency_code")).toEqual([]);
  });
});
