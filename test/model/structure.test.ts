/**
 * Shape of the normalized model: nested messages, repeated fields, maps, oneofs, field presence in
 * proto2, proto3 and editions, recursion and BigQuery's nesting limit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Column, Entity } from "../../plugin/src/model/types.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { allColumns, columnAt, entityNamed, modelOf, modelOfCompiled, names, proto3 } from "./support.js";

const SHAPES_PROTO = proto3(
  `message Shapes {
  option (entity.v1.entity) = {};

  string id = 1;
  Address address = 2;
  repeated string tags = 3;
  repeated Address previous_addresses = 4;
  map<string, int64> counters = 5;
  map<int32, Color> colors_by_slot = 6;
  map<string, Address> addresses_by_label = 7;
  oneof contact {
    string email = 8;
    Address postal = 9;
  }
  optional int32 floor = 10;
  repeated google.protobuf.Timestamp seen_at = 11;
}

message Address {
  string city = 1;
  Geo geo = 2;
}

message Geo {
  double lat = 1;
}

enum Color {
  COLOR_UNSPECIFIED = 0;
  COLOR_RED = 1;
}
`,
  ["google/protobuf/timestamp.proto"],
);

describe("proto3 structure", () => {
  let shapes: Entity;
  let compiledShapes: ReturnType<typeof compileProtos>;
  beforeAll(() => {
    compiledShapes = compileProtos({ "test/v1/shapes.proto": SHAPES_PROTO });
    shapes = entityNamed(modelOfCompiled(compiledShapes), "Shapes");
  });

  it("maps a nested message to a STRUCT of its fields, with paths from the top", () => {
    const address = columnAt(shapes, "address");
    expect(address).toMatchObject({ bigQueryType: "STRUCT", mode: "NULLABLE", wire: { type: "message", number: 2, repeated: false } });
    expect(address.conversion).toEqual({ kind: "message", messageTypeName: "test.v1.Address" });
    expect(names(address.fields)).toEqual(["city", "geo"]);
    expect(columnAt(shapes, "address", "geo", "lat")).toMatchObject({ bigQueryType: "FLOAT64", path: ["address", "geo", "lat"], wire: { type: "double", number: 1 } });
  });

  it("maps a repeated field to a REPEATED column of the element type", () => {
    expect(columnAt(shapes, "tags")).toMatchObject({ bigQueryType: "STRING", mode: "REPEATED", wire: { type: "string", repeated: true } });
    const previous = columnAt(shapes, "previous_addresses");
    expect(previous).toMatchObject({ bigQueryType: "STRUCT", mode: "REPEATED", wire: { type: "message", repeated: true } });
    expect(names(previous.fields)).toEqual(["city", "geo"]);
    expect(columnAt(shapes, "seen_at")).toMatchObject({ bigQueryType: "TIMESTAMP", mode: "REPEATED", wire: { type: "int64", repeated: true }, conversion: { kind: "timestamp_micros" } });
  });

  it("maps a map to a REPEATED STRUCT<key, value>, with scalar, enum and message values", () => {
    const counters = columnAt(shapes, "counters");
    expect(counters).toMatchObject({ bigQueryType: "STRUCT", mode: "REPEATED", wire: { type: "message", number: 5, repeated: true }, conversion: { kind: "map" } });
    expect(counters.fields.map((f) => [f.name, f.bigQueryType, f.mode, f.wire.type, f.wire.number, f.conversion.kind])).toEqual([
      ["key", "STRING", "NULLABLE", "string", 1, "map_key"],
      ["value", "INT64", "NULLABLE", "int64", 2, "map_value"],
    ]);
    expect(counters.fields[1].path).toEqual(["counters", "value"]);

    const colors = columnAt(shapes, "colors_by_slot");
    expect(colors.fields.map((f) => [f.name, f.bigQueryType, f.wire.type])).toEqual([
      ["key", "INT64", "int32"],
      ["value", "STRING", "string"],
    ]);
    expect(colors.fields[1].enumValues).toEqual(["COLOR_UNSPECIFIED", "COLOR_RED"]);
    expect(colors.fields[1].conversion).toEqual({ kind: "map_value", value: { kind: "enum_name", enumTypeName: "test.v1.Color" } });

    const byLabel = columnAt(shapes, "addresses_by_label");
    const value = columnAt(shapes, "addresses_by_label", "value");
    expect(byLabel.mode).toBe("REPEATED");
    expect(value).toMatchObject({ bigQueryType: "STRUCT", mode: "NULLABLE", wire: { type: "message", number: 2 } });
    expect(value.conversion).toEqual({ kind: "map_value", value: { kind: "message", messageTypeName: "test.v1.Address" } });
    expect(columnAt(shapes, "addresses_by_label", "value", "geo", "lat").path).toEqual(["addresses_by_label", "value", "geo", "lat"]);
  });

  it("maps oneof members to separate NULLABLE columns and keeps oneof out of the topic schema", () => {
    expect(columnAt(shapes, "email")).toMatchObject({ bigQueryType: "STRING", mode: "NULLABLE", wire: { type: "string", number: 8, repeated: false } });
    expect(columnAt(shapes, "postal")).toMatchObject({ bigQueryType: "STRUCT", mode: "NULLABLE", wire: { type: "message", number: 9, repeated: false } });
    expect(names(shapes.columns)).not.toContain("contact");
    const topicSchemas = [...runPlugin(compiledShapes).entries()].filter(([name]) => name.startsWith("pubsub/") && name.endsWith(".proto"));
    expect(topicSchemas).toHaveLength(1);
    expect(topicSchemas[0][1]).not.toMatch(/\boneof\b/);
    expect(topicSchemas[0][1]).toMatch(/\bemail\b/);
  });

  it("maps a proto3 optional field like any other: NULLABLE, not required, no default", () => {
    expect(columnAt(shapes, "floor")).toMatchObject({ bigQueryType: "INT64", mode: "NULLABLE", required: false, defaultValue: undefined, wire: { type: "int32", repeated: false } });
  });

  it("leaves proto3 fields not required and without defaults", () => {
    for (const column of allColumns(shapes.columns.slice(3))) {
      expect(column.required, column.path.join(".")).toBe(false);
      expect(column.defaultValue, column.path.join(".")).toBeUndefined();
    }
  });
});

describe("proto2", () => {
  const source = `syntax = "proto2";

package test.v1;

import "entity/v1/options.proto";

message Legacy {
  option (entity.v1.entity) = {};

  required string id = 1;
  optional int32 count = 2;
  optional uint32 register = 3 [default = 7];
  optional bool plausible = 4 [default = true];
  optional Quality quality = 5 [default = QUALITY_GOOD];
  optional string label = 6 [default = "a \\"quoted\\" label"];
  // Diagnostics of the reading.
  optional group Diagnostics = 7 {
    optional int32 code = 8;
    required string text = 9;
  }
  repeated int64 samples = 10;
}

enum Quality {
  QUALITY_UNSPECIFIED = 0;
  QUALITY_GOOD = 1;
}
`;
  let legacy: Entity;
  beforeAll(() => {
    legacy = entityNamed(modelOf({ "test/v1/legacy.proto": source }), "Legacy");
  });

  it("marks required fields required=true, keeping them NULLABLE", () => {
    expect(columnAt(legacy, "id")).toMatchObject({ required: true, mode: "NULLABLE", bigQueryType: "STRING" });
    expect(columnAt(legacy, "count")).toMatchObject({ required: false, mode: "NULLABLE", defaultValue: undefined });
  });

  it("carries [default = ...] as defaultValue text", () => {
    expect(columnAt(legacy, "register").defaultValue).toBe("7");
    expect(columnAt(legacy, "plausible").defaultValue).toBe("true");
    expect(columnAt(legacy, "quality").defaultValue).toBe("QUALITY_GOOD");
    expect(columnAt(legacy, "label").defaultValue).toBe('a "quoted" label');
  });

  it("maps a group to a STRUCT named like its field, with its description and required members", () => {
    const group = columnAt(legacy, "diagnostics");
    expect(group).toMatchObject({ bigQueryType: "STRUCT", mode: "NULLABLE", wire: { type: "message", number: 7, repeated: false } });
    expect(group.description).toBe("Diagnostics of the reading.");
    expect(group.fields.map((f) => [f.name, f.bigQueryType, f.required, f.wire.number])).toEqual([
      ["code", "INT64", false, 8],
      ["text", "STRING", true, 9],
    ]);
  });

  it("maps repeated proto2 fields to REPEATED", () => {
    expect(columnAt(legacy, "samples")).toMatchObject({ mode: "REPEATED", bigQueryType: "INT64", wire: { type: "int64", repeated: true } });
  });
});

describe("editions 2023", () => {
  const source = `edition = "2023";

package test.v1;

import "entity/v1/options.proto";

message Modern {
  option (entity.v1.entity) = {};

  string id = 1;
  int32 count = 2;
  string must = 3 [features.field_presence = LEGACY_REQUIRED];
  int64 implicit = 4 [features.field_presence = IMPLICIT];
  repeated int32 packed = 5;
  Inner inner = 6 [features.message_encoding = DELIMITED];
  Level level = 7;
  uint64 big = 8 [default = 12];

  message Inner {
    bool ok = 1;
  }
}

enum Level {
  LEVEL_UNSPECIFIED = 0;
  LEVEL_HIGH = 1;
}
`;
  let modern: Entity;
  beforeAll(() => {
    modern = entityNamed(modelOf({ "test/v1/modern.proto": source }), "Modern");
  });

  it("maps an editions file like proto2/proto3: types, presence, LEGACY_REQUIRED, delimited messages", () => {
    expect(names(modern.columns)).toEqual(["event_id", "operation", "occurred_at", "id", "count", "must", "implicit", "packed", "inner", "level", "big"]);
    expect(columnAt(modern, "count")).toMatchObject({ bigQueryType: "INT64", mode: "NULLABLE", required: false });
    expect(columnAt(modern, "must")).toMatchObject({ bigQueryType: "STRING", mode: "NULLABLE", required: true });
    expect(columnAt(modern, "implicit")).toMatchObject({ bigQueryType: "INT64", mode: "NULLABLE", required: false });
    expect(columnAt(modern, "packed")).toMatchObject({ bigQueryType: "INT64", mode: "REPEATED" });
    expect(columnAt(modern, "inner")).toMatchObject({ bigQueryType: "STRUCT", wire: { type: "message" } });
    expect(columnAt(modern, "inner", "ok").bigQueryType).toBe("BOOL");
    expect(columnAt(modern, "level").enumValues).toEqual(["LEVEL_UNSPECIFIED", "LEVEL_HIGH"]);
    expect(columnAt(modern, "big")).toMatchObject({ bigQueryType: "NUMERIC", defaultValue: "12" });
  });
});

describe("recursion", () => {
  it("cuts direct recursion to a JSON column at the point of recursion, saying why", () => {
    const entity = entityNamed(
      modelOf({
        "test/v1/tree.proto": proto3(`message Tree {
  option (entity.v1.entity) = {};
  string id = 1;
  // The subtrees.
  repeated Tree children = 2;
  Node root = 3;
}

message Node {
  string label = 1;
  Node next = 2;
}
`),
      }),
      "Tree",
    );
    const children = columnAt(entity, "children");
    expect(children).toMatchObject({ bigQueryType: "JSON", mode: "REPEATED", wire: { type: "string", repeated: true }, fields: [] });
    expect(children.conversion).toEqual({ kind: "json", messageTypeName: "test.v1.Tree", reason: "recursion" });
    expect(children.description).toMatch(/^The subtrees\. .*Tree.*itself.*JSON/);
    // A message that contains itself below the entity: one STRUCT level, then JSON.
    expect(columnAt(entity, "root").bigQueryType).toBe("STRUCT");
    const next = columnAt(entity, "root", "next");
    expect(next).toMatchObject({ bigQueryType: "JSON", mode: "NULLABLE", conversion: { kind: "json", reason: "recursion", messageTypeName: "test.v1.Node" } });
    expect(next.description).toMatch(/Node.*itself.*JSON/);
  });

  it("cuts mutual recursion to JSON where the cycle closes", () => {
    const entity = entityNamed(
      modelOf({
        "test/v1/mutual.proto": proto3(`message Holder {
  option (entity.v1.entity) = {};
  string id = 1;
  Ping ping = 2;
}

message Ping {
  string note = 1;
  Pong pong = 2;
}

message Pong {
  int32 count = 1;
  Ping ping = 2;
}
`),
      }),
      "Holder",
    );
    expect(columnAt(entity, "ping").bigQueryType).toBe("STRUCT");
    expect(columnAt(entity, "ping", "pong").bigQueryType).toBe("STRUCT");
    expect(columnAt(entity, "ping", "pong", "count").bigQueryType).toBe("INT64");
    const cut = columnAt(entity, "ping", "pong", "ping");
    expect(cut).toMatchObject({ bigQueryType: "JSON", wire: { type: "string" }, conversion: { kind: "json", reason: "recursion", messageTypeName: "test.v1.Ping" }, fields: [] });
    expect(cut.description).toMatch(/Ping.*itself.*JSON/);
  });
});

describe("nesting depth", () => {
  /** A chain of `levels` distinct messages, each holding the next (no recursion involved). */
  function chain(levels: number): string {
    const messages = Array.from({ length: levels }, (_, i) => {
      const next = i + 1 < levels ? `  L${i + 2} next = 2;\n` : "";
      return `message L${i + 1} {\n  int32 v = 1;\n${next}}`;
    });
    return proto3(`message Deep {
  option (entity.v1.entity) = {};
  string id = 1;
  L1 next = 2;
  map<string, L1> by_key = 3;
}

${messages.join("\n\n")}
`);
  }

  /** The columns along `next.next....`, top level first. */
  function nextChain(entity: Entity): Column[] {
    const out: Column[] = [];
    let column: Column | undefined = columnAt(entity, "next");
    while (column !== undefined) {
      out.push(column);
      column = column.fields.find((f) => f.name === "next");
    }
    return out;
  }

  it("keeps 15 levels of STRUCT and stores the 16th level as JSON", () => {
    const entity = entityNamed(modelOf({ "test/v1/deep.proto": chain(20) }), "Deep");
    const levels = nextChain(entity);
    expect(levels).toHaveLength(16);
    expect(levels.slice(0, 15).map((c) => c.bigQueryType)).toEqual(Array(15).fill("STRUCT"));
    const cut = levels[15];
    expect(cut).toMatchObject({ bigQueryType: "JSON", wire: { type: "string" }, conversion: { kind: "json", reason: "depth", messageTypeName: "test.v1.L16" }, fields: [] });
    expect(cut.path).toHaveLength(16);
    expect(cut.description).toMatch(/15 levels.*JSON/);
    // Level 15 still holds its scalar.
    expect(levels[14].fields.find((f) => f.name === "v")?.bigQueryType).toBe("INT64");
  });

  it("stays all STRUCT when the chain is exactly 15 levels deep", () => {
    const entity = entityNamed(modelOf({ "test/v1/deep.proto": chain(15) }), "Deep");
    const levels = nextChain(entity);
    expect(levels).toHaveLength(15);
    expect(levels.every((c) => c.bigQueryType === "STRUCT")).toBe(true);
    expect(allColumns(entity.columns).some((c) => c.conversion.kind === "json" && c.path[0] === "next")).toBe(false);
  });

  it("counts a map entry as one level: its message value sits one level below", () => {
    const entity = entityNamed(modelOf({ "test/v1/deep.proto": chain(20) }), "Deep");
    // by_key (entry, level 1) → value (L1, level 2) → next × 13 (levels 3..15) → next (level 16) is JSON.
    let column = columnAt(entity, "by_key", "value");
    let level = 2;
    while (column.bigQueryType === "STRUCT") {
      column = column.fields.find((f) => f.name === "next")!;
      level += 1;
    }
    expect(level).toBe(16);
    expect(column.conversion).toMatchObject({ kind: "json", reason: "depth" });
  });
});

describe("marker messages", () => {
  it("a message without fields is stored like google.protobuf.Empty: BOOL, TRUE when set", () => {
    const entity = entityNamed(
      modelOf({
        "test/v1/marker.proto": proto3(`message Format {
  option (entity.v1.entity) = {};
  string id = 1;
  oneof encoding {
    // Plain text.
    TextConfig text = 2;
    // Avro.
    AvroConfig avro = 3;
  }
  repeated TextConfig history = 4;
}

message TextConfig {}
message AvroConfig {}
`),
      }),
      "Format",
    );
    for (const name of ["text", "avro"]) {
      expect(columnAt(entity, name)).toMatchObject({ bigQueryType: "BOOL", mode: "NULLABLE", wire: { type: "bool" }, conversion: { kind: "empty_presence" }, fields: [] });
    }
    expect(columnAt(entity, "text").description).toBe("Plain text. TRUE when set.");
    expect(columnAt(entity, "history")).toMatchObject({ bigQueryType: "BOOL", mode: "REPEATED" });
  });
});
