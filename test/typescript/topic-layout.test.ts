/**
 * The TypeScript emitter describes each topic message itself (topic-layout.ts) instead of asking
 * a protobuf-es file registry for it. The writers read these descriptions to name properties,
 * pick wire types and presence, so each must be what protobuf-es makes of the same topic schema:
 * compared here field by field, nested messages included, with both envelope presences, on the
 * example's entities and on every golden case's.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { topicLayout, type TopicFieldDesc, type TopicMessageDesc } from "../../plugin/src/emit/typescript/topic-layout.js";
import type { Entity } from "../../plugin/src/model/types.js";
import { buildTopicSchema, topicSchemaDescriptor, type EnvelopePresence } from "../../plugin/src/physical/topic-schema.js";
import { readTree } from "../cases/golden.js";
import { topicMessageDesc } from "../pubsub/support.js";
import { compileExample, compileProtosAsync, exampleParameter, REPO_ROOT } from "../harness/buf/protos.js";
import { modelOfCompiled } from "../model/support.js";

/** What the writers read of a field, as protobuf-es has it and as the emitter describes it. */
function writersView(field: DescField | TopicFieldDesc) {
  return {
    name: field.name,
    number: field.number,
    localName: field.localName,
    jsonName: field.jsonName,
    presence: field.presence,
    parent: field.parent.typeName,
    fieldKind: field.fieldKind,
    listKind: field.fieldKind === "list" ? field.listKind : undefined,
    scalar: field.scalar,
    packed: field.fieldKind === "list" ? field.packed : false,
    message: field.message?.typeName,
  };
}

/** Compares a message and every message under it; returns how many fields were compared. */
function compareMessage(own: TopicMessageDesc, es: DescMessage, where: string): number {
  expect(own.typeName, where).toBe(es.typeName);
  expect(own.name, where).toBe(es.name);
  expect(own.fields.map(writersView), `${where} ${es.typeName}`).toEqual(es.fields.map(writersView));
  let compared = own.fields.length;
  own.fields.forEach((field, i) => {
    // A message declared once is reached from every field of its type: compare it under each.
    if (field.message !== undefined) compared += compareMessage(field.message, es.fields[i]!.message!, where);
  });
  return compared;
}

function compareEntities(entities: readonly Entity[]): number {
  let compared = 0;
  for (const entity of entities) {
    for (const envelope of ["required", "optional"] as EnvelopePresence[]) {
      const schema = buildTopicSchema(entity, envelope);
      const descriptor = topicSchemaDescriptor(schema);
      compared += compareMessage(topicLayout(entity, schema).message, topicMessageDesc(entity, descriptor), `${entity.typeName} (${envelope})`);
    }
  }
  return compared;
}

describe("topic layout: the topic message as protobuf-es describes it", () => {
  it("the example's entities", () => {
    const entities = modelOfCompiled(compileExample(), exampleParameter()).entities;
    expect(entities.length).toBeGreaterThan(5);
    expect(compareEntities(entities)).toBeGreaterThan(entities.length * 2 * 5);
  });

  it("the golden cases' entities (every scalar, lists, maps, nesting)", async () => {
    const casesDir = join(REPO_ROOT, "test/cases");
    const cases = readdirSync(casesDir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== "errors");
    let entities = 0;
    const kinds = new Set<string>();
    for (const { name } of cases) {
      const dir = join(casesDir, name);
      const parameter = readFileSync(join(dir, "options.txt"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "").join(",");
      const model = modelOfCompiled(await compileProtosAsync(Object.fromEntries(readTree(join(dir, "proto")))), parameter);
      compareEntities(model.entities);
      entities += model.entities.length;
      for (const entity of model.entities) {
        const layout = topicLayout(entity, buildTopicSchema(entity, "required"));
        const visit = (m: TopicMessageDesc): void => m.fields.forEach((f) => (kinds.add(`${f.fieldKind} ${f.fieldKind === "list" ? f.listKind : ""}${f.fieldKind === "list" && f.packed ? " packed" : ""}`), f.message && f.message !== m && visit(f.message)));
        visit(layout.message);
      }
    }
    expect(entities).toBeGreaterThan(5);
    // The comparison covered every kind of topic field.
    expect([...kinds].sort()).toEqual(["list message", "list scalar", "list scalar packed", "message ", "scalar "]);
  }, 120_000);
});
