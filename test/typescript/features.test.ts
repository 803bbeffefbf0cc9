/**
 * Proto features the example domain does not use, on a contract written for the test: maps with
 * integer, bool and 64-bit keys and message, enum and wrapper values; lists of enums, timestamps,
 * wrappers, Struct, Money, Duration, Date and bytes; wrappers and Struct in a oneof; jstype
 * strings; an entity nested under one column with its id inside a message; an integer id; a
 * self-referencing message cut to JSON; marker messages (no fields), alone and in a oneof.
 */
import { create, equals, fromBinary, fromJsonString, toBinary, toJson, type DescMessage, type Message } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileProtos } from "../harness/buf/protos.js";
import type { GeneratedModule } from "./support/example-fixtures.js";
import { epochDays } from "./support/example-fixtures.js";
import { EXTRA_TSC_CHECKS, generatePackage, type GeneratedPackage } from "./support/package.js";

const FEATURES_PROTO = `syntax = "proto3";

package features.v1;

import "entity/v1/options.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "google/type/date.proto";
import "google/type/money.proto";

// A gadget, nested under one column, whose id lives in a message.
message Gadget {
  option (entity.v1.entity) = {
    id_field: "key.serial"
    nest_under: "gadget"
  };

  Key key = 1;
  map<int32, string> by_number = 2;
  map<bool, string> by_flag = 3;
  map<sint64, google.protobuf.Timestamp> by_long = 4;
  map<string, Kind> kinds = 5;
  map<uint64, google.protobuf.Int32Value> boxed_by_id = 6;
  repeated Kind kind_list = 7;
  repeated google.protobuf.Timestamp times = 8;
  repeated google.protobuf.StringValue names = 9;
  oneof choice {
    google.protobuf.Int64Value big = 10;
    google.protobuf.Struct doc = 11;
    google.type.Money price = 12;
  }
  repeated google.protobuf.Struct docs = 13;
  int64 as_text = 14 [jstype = JS_STRING];
  repeated google.type.Money prices = 15;
  repeated google.protobuf.Duration durations = 16;
  optional string note = 17;
  repeated bytes blobs = 18;
  google.protobuf.BytesValue boxed_blob = 19;
  Tree tree = 20;
  map<string, google.protobuf.Struct> struct_map = 21;
  repeated google.type.Date days = 22;
  repeated fixed64 counters = 23 [jstype = JS_STRING];
  Flag archived = 24;
  oneof state {
    Flag draft = 25;
    string published_by = 26;
  }
}

// A marker: it says something by being set.
message Flag {}

message Key {
  string serial = 1;
}

// Trees contain trees: below the first level, children are JSON.
message Tree {
  string name = 1;
  repeated Tree children = 2;
}

enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_A = 1;
  KIND_B = 2;
}

// A counter with an integer id.
message Counter {
  option (entity.v1.entity) = {};
  int64 id = 1;
  sint32 delta = 2;
}
`;

let pkg: GeneratedPackage;
let mod: GeneratedModule;

beforeAll(async () => {
  pkg = generatePackage(compileProtos({ "features/v1/features.proto": FEATURES_PROTO }), "project=test-project,package_name=@features/events,package_version=2.3.4");
  expect(pkg.build(EXTRA_TSC_CHECKS)).toBe("");
  mod = await pkg.load();
});

afterAll(() => pkg?.dispose());

const ts = (seconds: bigint, nanos = 0) => ({ seconds, nanos });

function gadget(): Message {
  return create(mod.GadgetSchema, {
    key: { serial: "SN-1" },
    byNumber: { 7: "seven", [-1]: "minus one" },
    byFlag: { true: "yes", false: "no" },
    byLong: { "-9007199254740993": ts(1n), "5": ts(2n, 500000000) },
    kinds: { a: mod.Kind.A, unknown: 9 },
    boxedById: { "18446744073709551615": { value: 0 } },
    kindList: [mod.Kind.B, mod.Kind.UNSPECIFIED, 5],
    times: [ts(0n), ts(-1n, 500000000)],
    names: [{ value: "" }, { value: "x" }],
    choice: { case: "big", value: { value: -5n } },
    docs: [{ a: 1 }, {}],
    asText: "-42",
    prices: [{ currencyCode: "USD", units: 1n, nanos: 50_000_000 }],
    durations: [{ seconds: 0n, nanos: 1 }, { seconds: 3600n }],
    note: "",
    blobs: [new Uint8Array([1]), new Uint8Array()],
    boxedBlob: new Uint8Array([9, 9]),
    tree: { name: "root", children: [{ name: "child", children: [{ name: "grandchild" }] }] },
    structMap: { s: { nested: { deep: [1, "two"] } } },
    days: [{ year: 1, month: 1, day: 1 }, { year: 9999, month: 12, day: 31 }],
    counters: ["18446744073709551615", "0"],
    archived: {},
    state: { case: "draft", value: {} },
  });
}

const GADGET_EXPECTED = {
  gadget: {
    key: { serial: "SN-1" },
    // Map entries follow the JavaScript object's key order: integer-like keys first, ascending.
    by_number: [
      { key: 7, value: "seven" },
      { key: -1, value: "minus one" },
    ],
    by_flag: [
      { key: true, value: "yes" },
      { key: false, value: "no" },
    ],
    by_long: [
      { key: "5", value: "2500000" },
      { key: "-9007199254740993", value: "1000000" },
    ],
    kinds: [
      { key: "a", value: "KIND_A" },
      { key: "unknown", value: "9" },
    ],
    boxed_by_id: [{ key: "18446744073709551615", value: 0 }],
    kind_list: ["KIND_B", "KIND_UNSPECIFIED", "5"],
    times: ["0", "-500000"],
    names: ["", "x"],
    big: "-5",
    docs: ['{"a":1}', "{}"],
    as_text: "-42",
    prices: [{ currency_code: "USD", amount: "1.05" }],
    durations: ["0.000000001", "3600"],
    note: "",
    blobs: ["AQ==", ""],
    boxed_blob: "CQk=",
    tree: { name: "root", children: ['{"name":"child","children":[{"name":"grandchild"}]}'] },
    struct_map: [{ key: "s", value: '{"nested":{"deep":[1,"two"]}}' }],
    days: [epochDays(1, 1, 1), epochDays(9999, 12, 31)],
    counters: ["18446744073709551615", "0"],
    archived: true,
    draft: true,
  },
};

function topic(event: { schemaTypeName: string }): DescMessage {
  return pkg.topicSchemas.getMessage(event.schemaTypeName)!;
}

function decodedColumns(event: GeneratedModule[string], data: Uint8Array, encoding: "binary" | "json"): Record<string, unknown> {
  const schema = topic(event);
  const message = encoding === "binary" ? fromBinary(schema, data) : fromJsonString(schema, new TextDecoder().decode(data), { ignoreUnknownFields: false });
  if (encoding === "binary") expect(toBinary(schema, fromBinary(schema, data, { readUnknownFields: false }))).toEqual(data);
  const json = toJson(schema, message, { useProtoFieldName: true }) as Record<string, unknown>;
  const { event_id, operation, occurred_at, ...columns } = json;
  expect([typeof event_id, operation, typeof occurred_at]).toEqual(["string", "CREATED", "string"]);
  return columns;
}

describe("proto features beyond the example domain", () => {
  it("writes every kind of map, list, oneof and jstype value as the topic schema says", () => {
    for (const encoding of ["binary", "json"] as const) {
      const data = mod.GadgetEvent.created(gadget()).toPubSubMessage({ encoding }).data;
      expect(decodedColumns(mod.GadgetEvent, data, encoding), encoding).toEqual(GADGET_EXPECTED);
    }
  });

  it("round-trips every one of them exactly", () => {
    const original = gadget();
    for (const encoding of ["binary", "json"] as const) {
      const back = mod.GadgetEvent.fromPubSubMessage(mod.GadgetEvent.created(original).toPubSubMessage({ encoding }), { encoding });
      expect(equals(mod.GadgetSchema, back.entity, original), encoding).toBe(true);
    }
  });

  it("sends the other members of a oneof: Struct and Money", () => {
    const doc = create(mod.GadgetSchema, { key: { serial: "SN-2" }, choice: { case: "doc", value: { k: "v" } } });
    const price = create(mod.GadgetSchema, { key: { serial: "SN-3" }, choice: { case: "price", value: { currencyCode: "EUR", units: -3n, nanos: -10 } } });
    const columns = (g: Message) => (decodedColumns(mod.GadgetEvent, mod.GadgetEvent.created(g).toPubSubMessage({ encoding: "binary" }).data, "binary") as { gadget: Record<string, unknown> }).gadget;
    expect(columns(doc).doc).toBe('{"k":"v"}');
    expect(columns(price).price).toEqual({ currency_code: "EUR", amount: "-3.00000001" });
    for (const g of [doc, price]) {
      const back = mod.GadgetEvent.fromPubSubMessage(mod.GadgetEvent.created(g).toPubSubMessage({ encoding: "json" }), { encoding: "json" });
      expect(equals(mod.GadgetSchema, back.entity, g)).toBe(true);
    }
  });

  it("takes the id from inside a message, as ordering key and accessor", () => {
    const event = mod.GadgetEvent.created(gadget());
    expect(event.id).toBe("SN-1");
    expect(event.toPubSubMessage({ encoding: "binary" }).orderingKey).toBe("SN-1");
    const noKey = create(mod.GadgetSchema, {});
    expect(() => mod.GadgetEvent.created(noKey)).toThrow(mod.MissingIdError);
    expect(() => mod.GadgetEvent.created(noKey)).toThrow("features.v1.Gadget: field key.serial: the entity id is missing");
  });

  it("uses an integer id as ordering key, and refuses id 0 as missing", () => {
    const counter = create(mod.CounterSchema, { id: 9007199254740993n, delta: -3 });
    const event = mod.CounterEvent.created(counter);
    expect(event.id).toBe(9007199254740993n);
    const message = event.toPubSubMessage({ encoding: "json" });
    expect(message.orderingKey).toBe("9007199254740993");
    expect(decodedColumns(mod.CounterEvent, message.data, "json")).toEqual({ id: "9007199254740993", delta: -3 });
    expect(() => mod.CounterEvent.created(create(mod.CounterSchema, { delta: 1 }))).toThrow(mod.MissingIdError);
  });

  it("names the package and version from the plugin options", () => {
    const manifest = JSON.parse(pkg.files.get("ts/package.json")!);
    expect(manifest).toMatchObject({ name: "@features/events", version: "2.3.4" });
    expect(mod.TOPICS).toEqual({ Gadget: "gadget", Counter: "counter" });
  });
});
