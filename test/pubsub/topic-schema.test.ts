/**
 * The generated Pub/Sub topic schemas, checked the way Pub/Sub would: each .proto compiled on its
 * own by buf, one top-level message, no import, under 300 KB, fitting the entity's table as the
 * Terraform module deploys it; and the descriptor the event classes encode with is the one
 * buf compiles from the text Pub/Sub validates with.
 */
import type { FieldDescriptorProto, FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { checkTopicSchemaAgainstTable } from "../../plugin/src/compat/index.js";
import { tableSchema } from "../../plugin/src/physical/table-schema.js";
import { buildTopicSchema, topicSchemaDescriptor } from "../../plugin/src/physical/topic-schema.js";
import { HOSTILE_EXPECTED, HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter, generateExample, runPlugin } from "../harness/buf/protos.js";
import { descriptorShape, envelopeOf, topicSchemaCases, type TopicSchemaCase } from "./support.js";
import { modelOfCompiled } from "../model/support.js";
import { literalValue } from "../harness/opentofu/module.js";

const MAX_SCHEMA_BYTES = 300 * 1024;

const cases = new Map<string, TopicSchemaCase>();

beforeAll(async () => {
  const example = await topicSchemaCases(generateExample(), modelOfCompiled(compileExample(), exampleParameter()).entities);
  const hostileProtos = compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO });
  const hostile = await topicSchemaCases(runPlugin(hostileProtos), modelOfCompiled(hostileProtos, "project=test-project").entities);
  for (const c of [...example, ...hostile]) cases.set(c.entity.typeName, c);
});

const EXPECTED_ENTITIES = [
  "energy.billing.v1.Contract",
  "energy.billing.v1.Invoice",
  "energy.billing.v1.Payment",
  "energy.customer.v1.House",
  "energy.customer.v1.User",
  "energy.metering.v1.MeterReading",
  "energy.metering.v1.SmartMeter",
  "hostile.v1.Hostile",
];

describe("generated topic schemas", () => {
  it("cover every entity of the example domain and the hostile one", () => {
    expect([...cases.keys()].sort()).toEqual(EXPECTED_ENTITIES);
  });

  it("each compiles on its own with buf, with one top-level message and no import", () => {
    for (const [name, c] of cases) {
      const file = c.compiled;
      expect(file.dependency, name).toEqual([]);
      expect(file.messageType.map((m) => m.name), name).toEqual([c.entity.eventName]);
      expect(file.enumType, name).toEqual([]);
      expect(file.service, name).toEqual([]);
      expect(file.extension, name).toEqual([]);
      expect(c.schemaText).not.toMatch(/^\s*import\s/m);
    }
  });

  it("each is under Pub/Sub's 300 KB", () => {
    for (const [name, c] of cases) expect(Buffer.byteLength(c.schemaText, "utf8"), name).toBeLessThan(MAX_SCHEMA_BYTES);
  });

  it("each fits the entity's table, as the Terraform module configures the subscription", () => {
    for (const [name, c] of cases) {
      const config = c.deployment.bigqueryConfig;
      const messageType = `${c.compiled.package}.${c.compiled.messageType[0].name}`;
      const findings = checkTopicSchemaAgainstTable(c.compiled, messageType, tableSchema(c.entity), {
        writeMetadata: config.write_metadata,
        dropUnknownFields: config.drop_unknown_fields,
      });
      expect(config.use_topic_schema, name).toBe(true);
      expect(findings, name).toEqual([]);
    }
  });

  it("each is the definition of the module's Pub/Sub schema, binary-encoded on a topic of a valid name", () => {
    for (const [name, c] of cases) {
      const { entity, deployment } = c;
      expect(literalValue(deployment.schema.definition), name).toBe(c.schemaText);
      expect(deployment.schema.type, name).toBe("PROTOCOL_BUFFER");
      expect(deployment.schema.name, name).toBe(`\${var.name_prefix}${entity.topic}`);
      expect(entity.topic, name).toMatch(/^(?!goog)[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/);
      expect(deployment.encoding, name).toBe("BINARY");
    }
  });
});

describe("the descriptor the event classes encode with", () => {
  it("is the descriptor buf compiles from the schema text", () => {
    for (const [name, c] of cases) {
      const inCode = topicSchemaDescriptor(buildTopicSchema(c.entity, envelopeOf(c.schemaText)));
      expect(descriptorShape(inCode), name).toEqual(descriptorShape(c.compiled));
    }
  });
});

/** The leading comment buf attached at `path`, as lines (`// x` gives " x"). */
function commentLines(file: FileDescriptorProto, path: number[]): string[] | undefined {
  const location = file.sourceCodeInfo?.location.find((l) => l.path.length === path.length && l.path.every((p, i) => p === path[i]));
  if (location?.leadingComments === undefined) return undefined;
  return location.leadingComments.replace(/\n$/, "").split("\n").map((l) => l.replace(/^ /, ""));
}

/** A description as the schema can carry it: one comment line per line of text. */
function asLines(text: string): string[] {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/);
}

describe("hostile descriptions in the topic schema", () => {
  it("survive as comments exactly, line by line, and end nothing early", () => {
    const file = cases.get("hostile.v1.Hostile")!.compiled;
    const event = file.messageType[0];
    const fieldPath = (message: number[], name: string, fields: FieldDescriptorProto[]) => [...message, 2, fields.findIndex((f) => f.name === name)];
    expect(commentLines(file, [4, 0])).toEqual(asLines(HOSTILE_EXPECTED.entity));
    expect(commentLines(file, fieldPath([4, 0], "id", event.field))).toEqual(asLines(HOSTILE_EXPECTED.id));
    expect(commentLines(file, fieldPath([4, 0], "quoted", event.field))).toEqual(asLines(HOSTILE_EXPECTED.quoted));
    expect(commentLines(file, fieldPath([4, 0], "long_text", event.field))).toEqual(asLines(HOSTILE_EXPECTED.longText));
    const innerIndex = event.nestedType.findIndex((m) => m.name === "Inner");
    const inner = [4, 0, 3, innerIndex];
    expect(commentLines(file, fieldPath(inner, "note", event.nestedType[innerIndex].field))).toEqual(asLines(HOSTILE_EXPECTED.innerNote));
    // Every field is still there: no comment swallowed a declaration.
    expect(event.field.map((f) => f.name)).toEqual(["event_id", "operation", "occurred_at", "id", "quoted", "long_text", "inner", "mood"]);
  });
});
