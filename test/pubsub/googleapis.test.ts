/**
 * Real protos nobody here wrote (googleapis), made entities with plugin options: every topic
 * schema compiles alone with buf, is one message without imports, and fits its table. The names
 * that collide with the subscription's metadata are resolved with column= or nest=, and without
 * them generation stops and says how to fix it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkTopicSchemaAgainstTable } from "../../plugin/src/compat/index.js";
import { tableSchema } from "../../plugin/src/physical/table-schema.js";
import { buildTopicSchema, topicSchemaDescriptor } from "../../plugin/src/physical/topic-schema.js";
import { compileGoogleapis, GOOGLEAPIS_ENTITIES, googleapisParameter } from "../harness/buf/googleapis.js";
import { runPlugin } from "../harness/buf/protos.js";
import { descriptorShape, envelopeOf, topicSchemaCases, type TopicSchemaCase } from "./support.js";
import { modelOfCompiled } from "../model/support.js";

const MAX_SCHEMA_BYTES = 300 * 1024;
const PUBSUB_MESSAGE = "google.pubsub.v1.PubsubMessage";

let cases: TopicSchemaCase[];

beforeAll(async () => {
  const { compiled, parameter } = compileGoogleapis();
  cases = await topicSchemaCases(runPlugin(compiled, parameter), modelOfCompiled(compiled, parameter).entities);
});

function fitsItsTable(c: TopicSchemaCase): unknown[] {
  const config = c.deployment.bigqueryConfig;
  const messageType = `${c.compiled.package}.${c.compiled.messageType[0].name}`;
  return checkTopicSchemaAgainstTable(c.compiled, messageType, tableSchema(c.entity), {
    writeMetadata: config.write_metadata,
    dropUnknownFields: config.drop_unknown_fields,
  });
}

describe("googleapis made entities with plugin options", () => {
  it("generates a topic schema for every selected message", () => {
    expect(cases.map((c) => c.entity.typeName).sort()).toEqual(GOOGLEAPIS_ENTITIES.map((e) => e.typeName).sort());
  });

  it("every topic schema compiles alone with buf, is one message without imports, under 300 KB", () => {
    for (const c of cases) {
      const name = c.entity.typeName;
      expect(c.compiled.dependency, name).toEqual([]);
      expect(c.compiled.messageType.map((m) => m.name), name).toEqual([c.entity.eventName]);
      expect(c.compiled.enumType, name).toEqual([]);
      expect(Buffer.byteLength(c.schemaText, "utf8"), name).toBeLessThan(MAX_SCHEMA_BYTES);
    }
  });

  it("every topic schema fits its table", () => {
    for (const c of cases) expect(fitsItsTable(c), c.entity.typeName).toEqual([]);
  });

  it("every in-code descriptor is the one buf compiles from the text", () => {
    for (const c of cases) {
      expect(descriptorShape(topicSchemaDescriptor(buildTopicSchema(c.entity, envelopeOf(c.schemaText)))), c.entity.typeName).toEqual(descriptorShape(c.compiled));
    }
  });

  it("the oneof of PhoneNumber is gone from its topic schema", () => {
    const phone = cases.find((c) => c.entity.typeName === "google.type.PhoneNumber")!;
    const allMessages = [phone.compiled.messageType[0], ...phone.compiled.messageType[0].nestedType];
    expect(allMessages.flatMap((m) => m.oneofDecl)).toEqual([]);
    expect(phone.compiled.messageType[0].field.map((f) => f.name)).toEqual(expect.arrayContaining(["e164_number", "short_code", "extension"]));
  });

  it("PubsubMessage's colliding fields live under the names given with column=", () => {
    const message = cases.find((c) => c.entity.typeName === PUBSUB_MESSAGE)!;
    const topLevel = message.compiled.messageType[0].field.map((f) => f.name);
    expect(topLevel).toEqual(expect.arrayContaining(["payload", "message_attributes", "pubsub_message_id", "pubsub_publish_time", "ordering_key"]));
    expect(topLevel).not.toContain("data");
    expect(topLevel).not.toContain("attributes");
    // The entity id is the ordering key the event classes send.
    expect(message.entity.orderingKey).toBe("entity_id");
    expect(message.entity.idColumn.path.join(".")).toBe("pubsub_message_id");
  });
});

describe("collisions without the options", () => {
  it("a field named like a metadata column stops generation and names the fix", () => {
    const { compiled } = compileGoogleapis();
    const withoutRename = googleapisParameter((o) => o === `column=${PUBSUB_MESSAGE}.data:payload`);
    let message = "";
    try {
      runPlugin(compiled, withoutRename);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/google\.pubsub\.v1\.PubsubMessage\.data: column "data" collides with the Pub\/Sub metadata column "data"/);
    expect(message).toContain(`column=${PUBSUB_MESSAGE}.data:<new_name>`);
    expect(message).toContain(`nest=${PUBSUB_MESSAGE}:<column>`);
    // Only the one left without its option.
    expect(message).not.toContain('"attributes"');
  });

  it("nest= instead of the renames works too: the whole message under one column", async () => {
    const { compiled } = compileGoogleapis();
    const parameter = googleapisParameter((o) => o.startsWith(`column=${PUBSUB_MESSAGE}.`)) + `,nest=${PUBSUB_MESSAGE}:message`;
    const entities = modelOfCompiled(compiled, parameter).entities.filter((e) => e.typeName === PUBSUB_MESSAGE);
    const [nested] = await topicSchemaCases(runPlugin(compiled, parameter), entities);
    expect(nested.compiled.messageType[0].field.map((f) => f.name)).toEqual(["event_id", "operation", "occurred_at", "message"]);
    expect(fitsItsTable(nested)).toEqual([]);
    expect(nested.entity.idColumn.path.join(".")).toBe("message.message_id");
  });
});
