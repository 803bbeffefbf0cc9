/**
 * The required envelope and Pub/Sub's revision rule ("existing fields cannot be edited"): a topic
 * schema released with optional envelope fields keeps them, a new entity gets required ones, the
 * lock records which, and the diff refuses any change of a released field's label.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLockFile } from "../../plugin/src/edge/lock-file.js";
import { diffEntity } from "../../plugin/src/evolution/diff.js";
import { evolve } from "../../plugin/src/evolution/evolve.js";
import { parseLock, printLock, type LockFile } from "../../plugin/src/evolution/lock.js";
import { Problems } from "../../plugin/src/model/errors.js";
import { parsePluginOptions, splitParameter } from "../../plugin/src/options/plugin-options.js";
import { emitContext } from "../../plugin/src/plugin.js";
import { compileExample, exampleParameter, REPO_ROOT } from "../harness/buf/protos.js";
import { modelOfCompiled } from "../model/support.js";

const LOCK = join(REPO_ROOT, "generated/entity.lock.json");

function run(lock: LockFile) {
  const parameter = exampleParameter();
  const model = modelOfCompiled(compileExample(), parameter);
  const options = parsePluginOptions(splitParameter(parameter));
  const evolution = evolve(model, lock, options.retire, options.widen);
  return { model, evolution, context: emitContext(model, options, evolution) };
}

describe("the envelope's label across releases", () => {
  it("keeps the optional envelope of every released example entity: no revision edits a released field", () => {
    const lock = readLockFile(LOCK);
    const { model, evolution, context } = run(lock);
    for (const entity of model.entities) {
      const text = context.physical.of(entity).topicSchemaText;
      expect(text, entity.typeName).toContain("optional string event_id = 100001;");
      expect(text, entity.typeName).not.toContain("required ");
      // Nothing in the schema changed, so no revision is counted.
      expect(evolution.nextEntities[entity.typeName]!.pubsubSchema?.revisions, entity.typeName).toBe(lock.entities[entity.typeName]!.pubsubSchema?.revisions ?? 1);
      expect(evolution.nextEntities[entity.typeName]!.topicSchema.fields.some((f) => f.required === true), entity.typeName).toBe(false);
    }
  });

  it("gives an entity not released yet the required envelope, records it in the lock, and keeps it in the next release", () => {
    const released = readLockFile(LOCK);
    const { Invoice: _dropped, ...rest } = Object.fromEntries(Object.entries(released.entities).map(([k, v]) => [k.split(".").pop()!, [k, v] as const]));
    const withoutInvoice: LockFile = { ...released, entities: Object.fromEntries(Object.values(rest)) };
    const first = run(withoutInvoice);
    const invoice = first.model.entities.find((e) => e.messageName === "Invoice")!;
    expect(first.context.physical.of(invoice).topicSchemaText).toMatch(/required string event_id = 100001;\n.*\n  required string operation = 100002;\n.*\n  required int64 occurred_at = 100003;/);
    const recorded = first.evolution.nextEntities[invoice.typeName]!;
    expect(recorded.topicSchema.fields.filter((f) => f.required === true).map((f) => f.name)).toEqual(["event_id", "operation", "occurred_at"]);
    // Through the printed lock and back: the next release keeps required, with no new revision.
    const lock = parseLock(printLock({ ...released, entities: first.evolution.nextEntities }), "lock");
    const second = run(lock);
    const again = second.model.entities.find((e) => e.messageName === "Invoice")!;
    expect(second.context.physical.of(again).topicSchemaText).toContain("required string event_id = 100001;");
    expect(second.evolution.nextEntities[invoice.typeName]!.pubsubSchema).toEqual({ ...recorded.pubsubSchema, revisions: 1 });
  });

  it("refuses to make a released optional envelope required, quoting the revision rule (and the reverse)", () => {
    const lock = readLockFile(LOCK);
    const { model } = run(lock);
    const entity = model.entities.find((e) => e.messageName === "MeterReading")!;
    const problems = new Problems();
    diffEntity(entity, lock.entities[entity.typeName]!, problems, new Set(), "required");
    expect(() => problems.throwIfAny()).toThrow(
      /changes the released field `optional string event_id = 100001` \(column event_id STRING\) to `required string event_id = 100001` \(column event_id STRING\): Pub\/Sub revision rule: "a new revision of a Protocol Buffer schema may only add or remove optional fields/,
    );
    const asRequired = { ...lock.entities[entity.typeName]!, topicSchema: { ...lock.entities[entity.typeName]!.topicSchema, fields: lock.entities[entity.typeName]!.topicSchema.fields.map((f) => (f.number > 100000 ? { ...f, required: true as const } : f)) } };
    const reverse = new Problems();
    diffEntity(entity, asRequired, reverse, new Set(), "optional");
    expect(() => reverse.throwIfAny()).toThrow(/changes the released field `required string operation = 100002` \(column operation STRING\) to `optional string operation = 100002`/);
  });

  it("reads `required` in a lock only as true", () => {
    const text = printLock(readLockFile(LOCK)).replace('{"name": "event_id", "number": 100001, "type": "string", "repeated": false}', '{"name": "event_id", "number": 100001, "type": "string", "repeated": false, "required": false}');
    expect(() => parseLock(text, "entity.lock.json")).toThrow(/required.*must be true, or absent/);
  });
});
