/**
 * The compatibility checker against the subscription's rules (reference pubsub-bigquery.md §1–§3):
 * every row of the type table accepted and rejected, broken schemas compiled by buf really
 * rejected, and every entity the plugin generates accepted.
 */
import { create } from "@bufbuild/protobuf";
import {
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { checkTopicSchemaAgainstTable, COMPAT_RULES, type CompatFinding, type CompatRule, type SubscriptionSettings } from "../../plugin/src/compat/index.js";
import { tableSchema, type BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { pubsubEmitter } from "../../plugin/src/emit/pubsub/index.js";
import { checkEmitter, emitContext, emitterFiles } from "../../plugin/src/plugin.js";
import { buildTopicSchema, topicSchemaDescriptor } from "../../plugin/src/physical/topic-schema.js";
import type { Column, Entity, Model } from "../../plugin/src/model/types.js";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter } from "../harness/buf/protos.js";
import { modelOfCompiled } from "../model/support.js";
import { compileEachStandalone } from "./support.js";

const PLAIN: SubscriptionSettings = { writeMetadata: false, dropUnknownFields: false };
const WITH_METADATA: SubscriptionSettings = { writeMetadata: true, dropUnknownFields: false };
/** A column as a test writes it: any type name, any mode, as a hand-made table could have. */
interface TestColumn {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly TestColumn[];
}

const METADATA: TestColumn[] = [
  { name: "subscription_name", type: "STRING", mode: "NULLABLE" },
  { name: "message_id", type: "STRING", mode: "NULLABLE" },
  { name: "publish_time", type: "TIMESTAMP", mode: "NULLABLE" },
  { name: "attributes", type: "JSON", mode: "NULLABLE" },
];

/** Rules some test saw rejected; the last test checks that each rule was. */
const rejectedRules = new Set<CompatRule>();

function check(schema: FileDescriptorProto, table: readonly TestColumn[], settings = PLAIN, message = "Event"): CompatFinding[] {
  const findings = checkTopicSchemaAgainstTable(schema, message, table as readonly BigQueryField[], settings);
  for (const f of findings) rejectedRules.add(f.rule);
  return findings;
}

function rules(findings: readonly CompatFinding[]): CompatRule[] {
  return [...new Set(findings.map((f) => f.rule))].sort();
}

/** A schema with one message `Event` of one field `value`, built in code. */
function oneField(type: FieldDescriptorProto_Type, label = FieldDescriptorProto_Label.OPTIONAL): FileDescriptorProto {
  return create(FileDescriptorProtoSchema, {
    name: "event.proto",
    package: "test",
    syntax: "proto2",
    messageType: [create(DescriptorProtoSchema, { name: "Event", field: [create(FieldDescriptorProtoSchema, { name: "value", number: 1, label, type })] })],
  });
}

const col = (name: string, type: string, mode = "NULLABLE", fields?: TestColumn[]): TestColumn => ({ name, type, mode, ...(fields ? { fields } : {}) });

// The reference table, written out again here: the test must not read the checker's own table.
const ALL_TYPES = ["STRING", "BYTES", "INTEGER", "FLOAT", "NUMERIC", "BIGNUMERIC", "BOOLEAN", "TIMESTAMP", "DATE", "TIME", "DATETIME", "JSON", "RECORD", "GEOGRAPHY"];
const T = FieldDescriptorProto_Type;
const REFERENCE_TABLE: [string, FieldDescriptorProto_Type[], string[]][] = [
  ["double, float", [T.DOUBLE, T.FLOAT], ["FLOAT", "NUMERIC", "BIGNUMERIC"]],
  ["int32, uint32, fixed32, sfixed32", [T.INT32, T.UINT32, T.FIXED32, T.SFIXED32], ["INTEGER", "NUMERIC", "BIGNUMERIC", "DATE"]],
  ["sint32", [T.SINT32], ["INTEGER", "NUMERIC", "BIGNUMERIC"]],
  ["int64, sint64, sfixed64", [T.INT64, T.SINT64, T.SFIXED64], ["INTEGER", "NUMERIC", "BIGNUMERIC", "DATE", "DATETIME", "TIMESTAMP"]],
  ["uint64, fixed64", [T.UINT64, T.FIXED64], ["NUMERIC", "BIGNUMERIC"]],
  ["bool", [T.BOOL], ["BOOLEAN"]],
  ["string", [T.STRING], ["STRING", "JSON", "TIMESTAMP", "DATETIME", "DATE", "TIME", "NUMERIC", "BIGNUMERIC"]],
  ["bytes", [T.BYTES], ["BYTES", "NUMERIC", "BIGNUMERIC"]],
];

describe("the type table", () => {
  for (const [row, protoTypes, allowed] of REFERENCE_TABLE) {
    for (const protoType of protoTypes) {
      const name = T[protoType].toLowerCase();
      it(`${name} (row "${row}") fits exactly ${allowed.join(", ")}`, () => {
        for (const columnType of ALL_TYPES) {
          const table = [columnType === "RECORD" ? col("value", columnType, "NULLABLE", [col("x", "STRING")]) : col("value", columnType)];
          const findings = check(oneField(protoType), table);
          if (allowed.includes(columnType)) expect(findings, `${name} → ${columnType}`).toEqual([]);
          else {
            expect(rules(findings), `${name} → ${columnType}`).toEqual(["column-type"]);
            expect(findings[0].path).toBe("value");
            expect(findings[0].message).toContain(columnType);
          }
        }
      });
    }
  }

  it("accepts BigQuery's type aliases and any letter case", () => {
    const aliases: [FieldDescriptorProto_Type, string][] = [
      [T.INT64, "INT64"], [T.INT32, "INT"], [T.INT32, "SMALLINT"], [T.INT64, "BIGINT"], [T.INT32, "TINYINT"], [T.INT32, "BYTEINT"],
      [T.DOUBLE, "FLOAT64"], [T.BOOL, "BOOL"], [T.UINT64, "DECIMAL"], [T.UINT64, "BIGDECIMAL"], [T.STRING, "string"], [T.INT64, "int64"],
    ];
    for (const [protoType, columnType] of aliases) expect(check(oneField(protoType), [col("value", columnType)]), columnType).toEqual([]);
  });

  it("says uint64 does not fit INTEGER and why", () => {
    const findings = check(oneField(T.UINT64), [col("value", "INT64")]);
    expect(rules(findings)).toEqual(["column-type"]);
    expect(findings[0].message).toMatch(/uint64.*INTEGER|INTEGER.*uint64/);
  });

  it("reports a type BigQuery does not have", () => {
    expect(rules(check(oneField(T.STRING), [col("value", "VARCHAR")]))).toEqual(["unknown-column-type"]);
  });
});

/** Topic schemas as .proto text, compiled by buf in beforeAll: real descriptors, as Pub/Sub sees them. */
const SOURCES = {
  enum: `syntax = "proto2"; package test;
message Event { optional Color color = 1; enum Color { COLOR_UNSPECIFIED = 0; RED = 1; } }`,
  message: `syntax = "proto2"; package test;
message Event { optional Address address = 1; repeated Address previous = 2;
  message Address { optional string city = 1; optional int64 since = 2; } }`,
  map: `syntax = "proto3"; package test;
message Event { map<string, int64> counts = 1; map<int32, Inner> inners = 2; message Inner { string note = 1; } }`,
  repeated: `syntax = "proto2"; package test;
message Event { repeated int64 values = 1 [packed = true]; repeated string tags = 2; }`,
  oneof: `syntax = "proto3"; package test;
message Event { oneof kind { string email = 1; int64 phone = 2; } string name = 3; }`,
  proto3Optional: `syntax = "proto3"; package test;
message Event { optional string name = 1; }`,
  required: `syntax = "proto2"; package test;
message Event { required string id = 1; optional string note = 2; }`,
  editionsRequired: `edition = "2023"; package test;
message Event { string id = 1 [features.field_presence = LEGACY_REQUIRED]; string note = 2; }`,
  imported: `syntax = "proto3"; package test;
import "google/protobuf/timestamp.proto";
message Event { google.protobuf.Timestamp at = 1; }`,
  twoMessages: `syntax = "proto2"; package test;
message Event { optional string id = 1; }
message Other { optional string id = 1; }`,
  topLevelEnum: `syntax = "proto2"; package test;
message Event { optional Color color = 1; }
enum Color { COLOR_UNSPECIFIED = 0; }`,
  metadataNames: `syntax = "proto2"; package test;
message Event { optional string message_id = 1; optional string publishTime = 2; optional bytes data = 3; optional string Attributes = 4;
  optional string subscriptionName = 5; optional Inner inner = 6; message Inner { optional string data = 1; optional string message_id = 2; } }`,
  caseCollision: `syntax = "proto2"; package test;
message Event { optional string name = 1; optional string Name = 2; }`,
  reservedName: `syntax = "proto2"; package test;
message Event { optional string _PARTITIONTIME = 1; }`,
  // Event holds L1, L1 holds L2, ... L16 holds a string: 16 levels of message below the top.
  deep: `syntax = "proto2"; package test;
message Event { optional L1 l = 1;
${Array.from({ length: 16 }, (_, i) => `  message L${i + 1} { ${i < 15 ? `optional L${i + 2} l = 1;` : "optional string leaf = 1;"} }`).join("\n")}
}`,
} as const;

let compiled: Record<keyof typeof SOURCES, FileDescriptorProto>;

/** `levels` RECORDs named `l`, one in the other, the innermost holding `innermost`. */
function deepTable(levels: number, innermost: TestColumn[]): TestColumn[] {
  let inner = innermost;
  for (let i = levels; i >= 1; i--) inner = [col("l", "RECORD", "NULLABLE", inner)];
  return inner;
}

describe("schemas compiled by buf", () => {
  beforeAll(async () => {
    const texts = new Map(Object.entries(SOURCES).map(([k, text]) => [`${k}.proto`, text]));
    const byFile = await compileEachStandalone(texts);
    compiled = Object.fromEntries(Object.keys(SOURCES).map((k) => [k, byFile.get(`${k}.proto`)!])) as typeof compiled;
  });

  it("enum: INTEGER only", () => {
    expect(check(compiled.enum, [col("color", "INTEGER")])).toEqual([]);
    for (const type of ["STRING", "NUMERIC", "BIGNUMERIC"]) {
      const findings = check(compiled.enum, [col("color", type)]);
      expect(rules(findings), type).toEqual(["column-type"]);
      expect(findings[0].message).toContain("enum");
    }
  });

  it("message: RECORD (or STRUCT) with fitting fields; repeated message: REPEATED RECORD", () => {
    const address = (t = "INTEGER") => [col("city", "STRING"), col("since", t)];
    expect(check(compiled.message, [col("address", "RECORD", "NULLABLE", address()), col("previous", "STRUCT", "REPEATED", address("TIMESTAMP"))])).toEqual([]);
    expect(rules(check(compiled.message, [col("address", "JSON"), col("previous", "RECORD", "REPEATED", address())]))).toEqual(["column-type"]);
    const nestedWrong = check(compiled.message, [col("address", "RECORD", "NULLABLE", address("STRING")), col("previous", "RECORD", "REPEATED", address())]);
    expect(nestedWrong.map((f) => [f.path, f.rule])).toEqual([["address.since", "column-type"]]);
    const notRepeated = check(compiled.message, [col("address", "RECORD", "NULLABLE", address()), col("previous", "RECORD", "NULLABLE", address())]);
    expect(notRepeated.map((f) => [f.path, f.rule])).toEqual([["previous", "repeated-mode"]]);
    // BigQuery reads a mode in any case; a hand-made table may spell it in small letters.
    expect(check(compiled.message, [col("address", "RECORD", "nullable", address()), col("previous", "STRUCT", "repeated", address("TIMESTAMP"))])).toEqual([]);
    expect(rules(check(compiled.message, [col("address", "RECORD", "Nullable", address()), col("previous", "RECORD", "nullable", address())]))).toEqual(["repeated-mode"]);
  });

  it("map: REPEATED RECORD of key and value, each checked", () => {
    const good = [
      col("counts", "RECORD", "REPEATED", [col("key", "STRING"), col("value", "INTEGER")]),
      col("inners", "RECORD", "REPEATED", [col("key", "INTEGER"), col("value", "RECORD", "NULLABLE", [col("note", "STRING")])]),
    ];
    expect(check(compiled.map, good)).toEqual([]);
    const notRepeated = [col("counts", "RECORD", "NULLABLE", [col("key", "STRING"), col("value", "INTEGER")]), good[1]];
    expect(check(compiled.map, notRepeated).map((f) => [f.path, f.rule])).toEqual([["counts", "map-entry"]]);
    const asJson = [col("counts", "JSON", "REPEATED"), good[1]];
    expect(check(compiled.map, asJson).map((f) => [f.path, f.rule])).toEqual([["counts", "map-entry"]]);
    const wrongKey = [col("counts", "RECORD", "REPEATED", [col("key", "INTEGER"), col("value", "INTEGER")]), good[1]];
    expect(check(compiled.map, wrongKey).map((f) => [f.path, f.rule])).toEqual([["counts.key", "column-type"]]);
    const noValue = [col("counts", "RECORD", "REPEATED", [col("key", "STRING")]), good[1]];
    expect(check(compiled.map, noValue).map((f) => [f.path, f.rule])).toEqual([["counts.value", "field-without-column"]]);
  });

  it("repeated T: REPEATED T, and a singular field never REPEATED", () => {
    expect(check(compiled.repeated, [col("values", "INTEGER", "REPEATED"), col("tags", "STRING", "REPEATED")])).toEqual([]);
    const singular = check(compiled.repeated, [col("values", "INTEGER", "NULLABLE"), col("tags", "STRING", "REQUIRED")]);
    expect(singular.map((f) => [f.path, f.rule])).toEqual([["values", "repeated-mode"], ["tags", "repeated-mode"]]);
    expect(check(compiled.repeated, [col("values", "STRING", "REPEATED"), col("tags", "STRING", "REPEATED")]).map((f) => f.rule)).toEqual(["column-type"]);
    expect(rules(check(compiled.proto3Optional, [col("name", "STRING", "REPEATED")]))).toEqual(["repeated-mode"]);
  });

  it("oneof: unmappable, even with fitting columns; proto3 optional is not a oneof", () => {
    const findings = check(compiled.oneof, [col("email", "STRING"), col("phone", "INTEGER"), col("name", "STRING")]);
    expect(findings.map((f) => [f.path, f.rule])).toEqual([["email", "oneof"], ["phone", "oneof"]]);
    expect(findings[0].message).toContain("kind");
    expect(check(compiled.proto3Optional, [col("name", "STRING")])).toEqual([]);
  });

  it("an optional field needs a NULLABLE column; a required one may have either", () => {
    const findings = check(compiled.required, [col("id", "STRING", "REQUIRED"), col("note", "STRING", "REQUIRED")]);
    expect(findings.map((f) => [f.path, f.rule])).toEqual([["note", "optional-field-required-column"]]);
    expect(check(compiled.required, [col("id", "STRING", "NULLABLE"), col("note", "STRING")])).toEqual([]);
    expect(check(compiled.editionsRequired, [col("id", "STRING", "REQUIRED"), col("note", "STRING")])).toEqual([]);
    expect(check(compiled.editionsRequired, [col("id", "STRING"), col("note", "STRING", "REQUIRED")]).map((f) => f.rule)).toEqual(["optional-field-required-column"]);
    expect(check(compiled.proto3Optional, [col("name", "STRING", "REQUIRED")]).map((f) => f.rule)).toEqual(["optional-field-required-column"]);
  });

  it("a field without a column is rejected, unless the subscription drops unknown fields", () => {
    const findings = check(compiled.required, [col("id", "STRING")]);
    expect(findings.map((f) => [f.path, f.rule])).toEqual([["note", "field-without-column"]]);
    expect(check(compiled.required, [col("id", "STRING")], { writeMetadata: false, dropUnknownFields: true })).toEqual([]);
    const caseOnly = check(compiled.required, [col("id", "STRING"), col("Note", "STRING")]);
    expect(caseOnly.map((f) => f.rule)).toEqual(["field-without-column"]);
    expect(caseOnly[0].message).toContain('"Note"');
    const nested = check(compiled.message, [col("address", "RECORD", "NULLABLE", [col("city", "STRING")]), col("previous", "RECORD", "REPEATED", [col("city", "STRING"), col("since", "INTEGER")])]);
    expect(nested.map((f) => [f.path, f.rule])).toEqual([["address.since", "field-without-column"]]);
  });

  it("a column absent from the topic must be NULLABLE, nested ones included", () => {
    const base = [col("id", "STRING"), col("note", "STRING")];
    expect(check(compiled.required, [...base, col("extra", "STRING")])).toEqual([]);
    const required = check(compiled.required, [...base, col("extra", "STRING", "REQUIRED")]);
    expect(required.map((f) => [f.path, f.rule])).toEqual([["extra", "absent-column-not-nullable"]]);
    expect(rules(check(compiled.required, [...base, col("extra", "STRING", "REPEATED")]))).toEqual(["absent-column-not-nullable"]);
    const nested = check(compiled.message, [
      col("address", "RECORD", "NULLABLE", [col("city", "STRING"), col("since", "INTEGER"), col("zip", "STRING", "REQUIRED")]),
      col("previous", "RECORD", "REPEATED", [col("city", "STRING"), col("since", "INTEGER")]),
    ]);
    expect(nested.map((f) => [f.path, f.rule])).toEqual([["address.zip", "absent-column-not-nullable"]]);
  });

  it("imports are rejected", () => {
    const findings = check(compiled.imported, [col("at", "RECORD", "NULLABLE", [col("seconds", "INTEGER"), col("nanos", "INTEGER")])]);
    expect(rules(findings)).toContain("no-imports");
    expect(findings.find((f) => f.rule === "no-imports")!.message).toContain("google/protobuf/timestamp.proto");
    // The imported type is not in the schema either.
    expect(rules(findings)).toContain("unresolved-type");
  });

  it("exactly one top-level type", () => {
    expect(rules(check(compiled.twoMessages, [col("id", "STRING")]))).toEqual(["single-top-level-type"]);
    expect(check(compiled.twoMessages, [col("id", "STRING")])[0].message).toContain("Other");
    expect(rules(check(compiled.topLevelEnum, [col("color", "INTEGER")]))).toEqual(["single-top-level-type"]);
    expect(rules(check(compiled.required, [col("id", "STRING"), col("note", "STRING")], PLAIN, "Missing"))).toEqual(["message-not-found"]);
    expect(check(compiled.required, [col("id", "STRING"), col("note", "STRING")], PLAIN, "test.Event")).toEqual([]);
  });

  it("write_metadata: topic fields named like metadata columns collide, camelCase and case included, at the top level only", () => {
    const table = [
      ...METADATA,
      col("publishTime", "STRING"), col("data", "BYTES"), col("subscriptionName", "STRING"),
      col("inner", "RECORD", "NULLABLE", [col("data", "STRING"), col("message_id", "STRING")]),
    ];
    const findings = check(compiled.metadataNames, table, WITH_METADATA);
    const collisions = findings.filter((f) => f.rule === "metadata-name-collision").map((f) => f.path);
    expect(collisions).toEqual(["message_id", "publishTime", "data", "Attributes", "subscriptionName"]);
    // Without write_metadata the names are free.
    expect(check(compiled.metadataNames, table, PLAIN).filter((f) => f.rule === "metadata-name-collision")).toEqual([]);
  });

  it("write_metadata: the table has the metadata columns, with the types the subscription writes", () => {
    const base = [col("id", "STRING"), col("note", "STRING")];
    expect(check(compiled.required, [...base, ...METADATA], WITH_METADATA)).toEqual([]);
    const stringAttributes = METADATA.map((c) => (c.name === "attributes" ? { ...c, type: "STRING" } : c));
    expect(check(compiled.required, [...base, ...stringAttributes], WITH_METADATA)).toEqual([]);
    const missing = check(compiled.required, [...base, ...METADATA.filter((c) => c.name !== "publish_time")], WITH_METADATA);
    expect(missing.map((f) => [f.path, f.rule])).toEqual([["publish_time", "metadata-column-missing"]]);
    const bytesAttributes = METADATA.map((c) => (c.name === "attributes" ? { ...c, type: "BYTES" } : c));
    expect(check(compiled.required, [...base, ...bytesAttributes], WITH_METADATA).map((f) => [f.path, f.rule])).toEqual([["attributes", "metadata-column-type"]]);
    const intTime = METADATA.map((c) => (c.name === "publish_time" ? { ...c, type: "INTEGER" } : c));
    expect(rules(check(compiled.required, [...base, ...intTime], WITH_METADATA))).toEqual(["metadata-column-type"]);
    // The subscription fills these, so they may be REQUIRED though the topic lacks them; `data` it does not fill.
    const requiredMetadata = METADATA.map((c) => ({ ...c, mode: "REQUIRED" as const }));
    expect(check(compiled.required, [...base, ...requiredMetadata], WITH_METADATA)).toEqual([]);
    expect(check(compiled.required, [...base, ...METADATA, col("data", "BYTES", "REQUIRED")], WITH_METADATA).map((f) => [f.path, f.rule])).toEqual([["data", "absent-column-not-nullable"]]);
  });

  it("at most 15 levels of RECORD", () => {
    const schema = compiled.deep;
    // 16 nested messages: the 16th RECORD is one too many.
    const findings = check(schema, deepTable(16, [col("leaf", "STRING")]));
    expect(rules(findings)).toEqual(["nesting-depth"]);
    expect(findings[0].path.split(".")).toHaveLength(16);
    // 15 RECORD levels with the 16th message as JSON text would fit; as a RECORD it cannot.
    const fifteen = check(schema, deepTable(15, [col("l", "JSON")]));
    expect(fifteen.map((f) => f.rule)).toEqual(["column-type"]);
    expect(fifteen[0].path.split(".")).toHaveLength(16);
  });

  it("names: valid for BigQuery and unique ignoring case, in the table and in the topic", () => {
    expect(check(compiled.caseCollision, [col("name", "STRING"), col("Name", "STRING")]).map((f) => [f.path, f.rule])).toEqual([
      ["Name", "name-collision"],
      ["Name", "name-collision"],
    ]);
    expect(rules(check(compiled.reservedName, [col("_PARTITIONTIME", "STRING")]))).toEqual(["invalid-name"]);
    const badTable = check(compiled.proto3Optional, [col("name", "STRING"), col("bad-name", "STRING"), col("x".repeat(301), "STRING"), col("_table_suffix", "STRING")]);
    expect(badTable.filter((f) => f.rule === "invalid-name").map((f) => f.path.slice(0, 10))).toEqual(["bad-name", "x".repeat(10), "_table_suf"]);
    expect(check(compiled.proto3Optional, [col("name", "STRING"), col("x".repeat(300), "STRING")])).toEqual([]);
  });
});

describe("schema-independent table rules", () => {
  it("a RECORD needs fields", () => {
    expect(rules(check(oneField(T.STRING), [col("value", "STRING"), col("empty", "RECORD")]))).toEqual(["empty-record"]);
  });

  it("at most 10,000 columns, nested ones included", () => {
    const wide = (n: number) => [col("value", "STRING"), col("wide", "RECORD", "NULLABLE", Array.from({ length: n }, (_, i) => col(`c${i}`, "STRING")))];
    expect(check(oneField(T.STRING), wide(9_998))).toEqual([]);
    expect(rules(check(oneField(T.STRING), wide(9_999)))).toEqual(["column-count"]);
  });

  it("an unresolvable field type is reported, not guessed", () => {
    const schema = oneField(T.MESSAGE);
    schema.messageType[0].field[0].typeName = ".test.Nowhere";
    expect(rules(check(schema, [col("value", "RECORD", "NULLABLE", [col("x", "STRING")])]))).toEqual(["unresolved-type"]);
  });
});

function exampleModel(): Model {
  return modelOfCompiled(compileExample(), exampleParameter());
}

describe("what the plugin generates", () => {
  it("every entity of the example domain fits its table", () => {
    const model = exampleModel();
    expect(model.entities.length).toBeGreaterThanOrEqual(7);
    for (const entity of model.entities) {
      const findings = check(topicSchemaDescriptor(buildTopicSchema(entity, "required")), tableSchema(entity), WITH_METADATA, entity.eventName);
      expect(findings, entity.typeName).toEqual([]);
    }
  });

  it("the hostile entity fits its table", () => {
    const model = modelOfCompiled(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }), "project=test-project");
    const [entity] = model.entities;
    expect(check(topicSchemaDescriptor(buildTopicSchema(entity, "required")), tableSchema(entity), WITH_METADATA, entity.eventName)).toEqual([]);
  });

  it("a generated schema and table, broken one way at a time, are rejected each time", () => {
    const entity = exampleModel().entities.find((e) => e.typeName === "energy.metering.v1.MeterReading")!;
    // The released shape, every field optional: "optional field, REQUIRED column" may then pick any string.
    const schema = topicSchemaDescriptor(buildTopicSchema(entity, "optional"));
    const table = tableSchema(entity);
    const stringColumn = table.find((c) => c.type === "STRING" && c.name !== "event_id" && c.name !== "subscription_name" && c.name !== "message_id")!;
    const uint64Field = schema.messageType[0].field.find((f) => f.type === T.UINT64)!;
    const broken: [string, TestColumn[], CompatRule][] = [
      ["string field, INTEGER column", table.map((c) => (c === stringColumn ? { ...c, type: "INTEGER" } : c)), "column-type"],
      ["uint64 field, INTEGER column", table.map((c) => (c.name === uint64Field.name ? { ...c, type: "INTEGER" } : c)), "column-type"],
      ["topic field missing from the table", table.filter((c) => c !== stringColumn), "field-without-column"],
      ["REQUIRED column missing from the topic", [...table, { name: "audited_by", type: "STRING", mode: "REQUIRED" }], "absent-column-not-nullable"],
      ["optional field, REQUIRED column", table.map((c) => (c === stringColumn ? { ...c, mode: "REQUIRED" } : c)), "optional-field-required-column"],
      ["metadata column missing", table.filter((c) => c.name !== "publish_time"), "metadata-column-missing"],
    ];
    for (const [what, brokenTable, rule] of broken) {
      const findings = check(schema, brokenTable, WITH_METADATA, entity.eventName);
      expect(findings.map((f) => f.rule), what).toEqual([rule]);
    }
  });

  /** A mapping bug simulated in the model: `mutate` changes one column of one entity. */
  function checkWithBug(typeName: string, mutate: (column: Column) => Column | undefined): () => unknown {
    const model = exampleModel();
    const mutateTree = (columns: readonly Column[]): Column[] =>
      columns.flatMap((c) => {
        const changed = mutate(c);
        if (changed === undefined) return [];
        return [{ ...changed, fields: mutateTree(changed.fields) }];
      });
    const entities = model.entities.map((e): Entity => (e.typeName === typeName ? { ...e, columns: mutateTree(e.columns) } : e));
    return () => checkEmitter(pubsubEmitter, emitContext({ ...model, entities }, undefined as never));
  }

  it("generation stops with the entity, the field and the rule when the table would not fit", () => {
    // uint64 landing in INT64: the one trap of the type table.
    const wrongType = checkWithBug("energy.metering.v1.MeterReading", (c) => (c.wire.type === "uint64" ? { ...c, bigQueryType: "INT64" } : c));
    expect(wrongType).toThrow(/energy\.metering\.v1\.MeterReading/);
    expect(wrongType).toThrow(/\[column-type\]/);
    expect(wrongType).toThrow(/nothing was generated/);

    const required = checkWithBug("energy.customer.v1.User", (c) => (c.name === "email" ? { ...c, mode: "REQUIRED" } : c));
    expect(required).toThrow(/energy\.customer\.v1\.User[\s\S]*email \[optional-field-required-column\]/);
  });

  it("the emitter accepts the example as it is", () => {
    const model = exampleModel();
    expect(() => checkEmitter(pubsubEmitter, emitContext(model, undefined as never))).not.toThrow();
    // One topic schema and its conformance vectors per entity; the deployment is the Terraform module's.
    expect(emitterFiles(pubsubEmitter, emitContext(model, undefined as never)).map((f) => f.name)).toEqual(
      model.entities.flatMap((e) => [`pubsub/${e.topic}.proto`, `pubsub/${e.topic}.vectors.json`]),
    );
  });
});

describe("coverage of the rules", () => {
  it("every rule was seen rejecting something", () => {
    const never = Object.keys(COMPAT_RULES).filter((r) => !rejectedRules.has(r as CompatRule));
    expect(never).toEqual([]);
  });
});
