/**
 * The conformance vectors are put together without @bufbuild/protobuf's codecs (emit/pubsub:
 * vector-entity.ts orders the entity's JSON, vector-event.ts writes the event's JSON and bytes
 * from the topic schema's layout). Here @bufbuild/protobuf checks them, on every example and
 * googleapis entity: the entity's JSON parses with the entity's descriptor and prints back
 * unchanged (so it is valid and canonical), and the event's JSON, parsed with the topic schema's
 * descriptor, prints and encodes to exactly the JSON and bytes of the vector.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRegistry, fromJson, toBinary, toJson, type DescFile, type JsonObject } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { entityVectors } from "../../plugin/src/emit/pubsub/vectors.js";
import { buildTopicSchema, topicSchemaDescriptor } from "../../plugin/src/physical/topic-schema.js";
import type { Entity } from "../../plugin/src/model/types.js";
import { compileGoogleapis } from "../harness/buf/googleapis.js";
import { compileExample, compileProtosAsync, exampleParameter, REPO_ROOT } from "../harness/buf/protos.js";
import { readTree } from "../cases/golden.js";
import { modelOfCompiled } from "../model/support.js";
import { topicMessageDesc } from "./support.js";

function registryOf(file: DescFile) {
  const files = new Map<string, DescFile>();
  const add = (f: DescFile) => {
    if (files.has(f.name)) return;
    files.set(f.name, f);
    f.dependencies.forEach(add);
  };
  add(file);
  return createRegistry(...files.values());
}

/** Checks every vector of each entity; returns how many. */
function checkWithProtobufEs(entities: readonly Entity[]): number {
  let checked = 0;
  for (const entity of entities) {
    const schema = buildTopicSchema(entity, "required");
    const topicMessage = topicMessageDesc(entity, topicSchemaDescriptor(schema));
    const registry = registryOf(entity.descriptor.file);
    for (const vector of entityVectors(entity, schema).vectors) {
      const where = `${entity.typeName} ${vector.name}`;
      const parsed = fromJson(entity.descriptor, vector.entity, { registry });
      expect(toJson(entity.descriptor, parsed, { registry }), where).toEqual(vector.entity);
      expect(JSON.stringify(toJson(entity.descriptor, parsed, { registry })), where).toBe(JSON.stringify(vector.entity));
      const event = fromJson(topicMessage, vector.event.json as JsonObject);
      expect(JSON.stringify(toJson(topicMessage, event, { useProtoFieldName: true })), where).toBe(JSON.stringify(vector.event.json));
      expect(Buffer.from(toBinary(topicMessage, event)).toString("base64"), where).toBe(vector.event.binary);
      checked++;
    }
  }
  return checked;
}

describe("conformance vectors, checked with @bufbuild/protobuf", () => {
  it("the example's entities: canonical entity JSON, and the event's JSON and bytes as protobuf-es makes them", () => {
    const entities = modelOfCompiled(compileExample(), exampleParameter()).entities;
    expect(checkWithProtobufEs(entities)).toBe(4 * entities.length);
    expect(entities.length).toBeGreaterThan(5);
  });

  it("the golden cases' entities (every scalar, nesting, references)", async () => {
    const casesDir = join(REPO_ROOT, "test/cases");
    const cases = readdirSync(casesDir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== "errors");
    let entities = 0;
    for (const { name } of cases) {
      const dir = join(casesDir, name);
      const parameter = readFileSync(join(dir, "options.txt"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "").join(",");
      const model = modelOfCompiled(await compileProtosAsync(Object.fromEntries(readTree(join(dir, "proto")))), parameter);
      expect(checkWithProtobufEs(model.entities), name).toBe(4 * model.entities.length);
      entities += model.entities.length;
    }
    expect(entities).toBeGreaterThan(5);
  }, 120_000);

  it("the googleapis entities (other well-known types, enums, maps, oneofs, nesting)", () => {
    const { compiled, parameter } = compileGoogleapis();
    const entities = modelOfCompiled(compiled, parameter).entities;
    expect(checkWithProtobufEs(entities)).toBe(4 * entities.length);
    expect(entities.length).toBeGreaterThan(5);
  });
});
