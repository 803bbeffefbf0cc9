/**
 * Pub/Sub's 300 KB limit on a schema definition. The check prints a topic schema to measure it only
 * when a bound from its strings' lengths (topicSchemaSizeBound) passes the limit: the bound must
 * never be below the printed text's UTF-8 size, whatever the descriptions hold, and a schema over
 * the limit must be refused with its exact size, a schema whose bound alone is over accepted.
 */
import { describe, expect, it } from "vitest";
import { pubsubEmitter } from "../../plugin/src/emit/pubsub/index.js";
import { checkEmitter, emitContext } from "../../plugin/src/plugin.js";
import { buildTopicSchema, type TopicMessage, type TopicSchema } from "../../plugin/src/physical/topic-schema.js";
import { printTopicSchema, topicSchemaSizeBound } from "../../plugin/src/physical/topic-schema-text.js";
import type { Entity } from "../../plugin/src/model/types.js";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter } from "../harness/buf/protos.js";
import { modelOf, modelOfCompiled, proto3 } from "../model/support.js";
import { syntheticEntities } from "./support.js";

const MAX_SCHEMA_BYTES = 300 * 1024;

const printedSize = (schema: TopicSchema) => Buffer.byteLength(printTopicSchema(schema), "utf8");

async function entities(): Promise<Entity[]> {
  return [
    ...modelOfCompiled(compileExample(), exampleParameter()).entities,
    ...modelOfCompiled(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }), "project=test-project").entities,
    ...(await syntheticEntities(4)),
  ];
}

/** Descriptions that cost the most bytes per character once printed: line breaks of each kind, control characters, non-ASCII, lone surrogates. */
const HOSTILE_DESCRIPTIONS = ["\n", "\n\n\n\n", "\r\n\r\n", "\r\r", "\u2028\u2029", "\u0001\u007f", "é", "世界", "🌍🌍", "\ud800", "a\n\nb\r\n🌍\u2028", "x".repeat(500)];

/** Every description of the schema (the top message's, every field's) replaced by `description`. */
function describedAs(schema: TopicSchema, description: string): TopicSchema {
  const rewrite = (m: TopicMessage): TopicMessage => ({
    ...m,
    description,
    fields: m.fields.map((f) => ({ ...f, description })),
    nested: m.nested.map(rewrite),
  });
  return { ...schema, message: rewrite(schema.message) };
}

describe("the topic schema's size bound", () => {
  it("is never below the printed size, for every entity and both envelopes, with any description", async () => {
    const all = await entities();
    expect(all.length).toBeGreaterThanOrEqual(12);
    let checked = 0;
    for (const entity of all) {
      for (const envelope of ["required", "optional"] as const) {
        const schema = buildTopicSchema(entity, envelope);
        const size = printedSize(schema);
        expect(topicSchemaSizeBound(schema), entity.typeName).toBeGreaterThanOrEqual(size);
        // Loose by design, yet far from the limit for a schema of ordinary size: the check then prints nothing.
        expect(topicSchemaSizeBound(schema), entity.typeName).toBeLessThan(Math.max(12 * size, MAX_SCHEMA_BYTES));
        for (const description of HOSTILE_DESCRIPTIONS) {
          const hostile = describedAs(schema, description);
          expect(topicSchemaSizeBound(hostile), `${entity.typeName} ${JSON.stringify(description)}`).toBeGreaterThanOrEqual(printedSize(hostile));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});

/** An entity of `fields` string fields, each with a comment of `commentLength` characters. */
function commentedEntity(fields: number, commentLength: number): Entity {
  const comment = "c".repeat(commentLength);
  const body = Array.from({ length: fields }, (_, i) => `  // ${comment}\n  string f${i} = ${i + 2};`).join("\n");
  const model = modelOf({ "test/v1/big.proto": proto3(`message Big {\n  option (entity.v1.entity) = {};\n  string id = 1;\n${body}\n}\n`) });
  return model.entities[0];
}

function checkOne(entity: Entity): () => unknown {
  return () => checkEmitter(pubsubEmitter, emitContext({ ...modelOf({}), entities: [entity] } as never, undefined as never));
}

describe("the check of Pub/Sub's limit", () => {
  it("refuses a schema over 300 KB with its exact size, and writes nothing", () => {
    const entity = commentedEntity(400, 1000);
    const size = printedSize(buildTopicSchema(entity, "required"));
    expect(size).toBeGreaterThan(MAX_SCHEMA_BYTES);
    const check = checkOne(entity);
    expect(check).toThrow(`would have ${size.toLocaleString("en")} bytes; Pub/Sub accepts at most 307,200`);
  });

  it("accepts a schema under 300 KB whose bound alone is over", () => {
    const entity = commentedEntity(120, 700);
    const schema = buildTopicSchema(entity, "required");
    expect(topicSchemaSizeBound(schema)).toBeGreaterThan(MAX_SCHEMA_BYTES);
    expect(printedSize(schema)).toBeLessThan(MAX_SCHEMA_BYTES);
    expect(checkOne(entity)).not.toThrow();
  });
});
