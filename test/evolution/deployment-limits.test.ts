/**
 * What the Terraform module would do to production on a release, checked before anything is
 * written: every changed topic schema is a new Pub/Sub schema revision (at most 20 per schema),
 * and a column whose type changes makes the google provider replace the table unless the
 * migration ran first.
 */
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_PUBSUB_SCHEMA_REVISIONS, printLock, type LockFile } from "../../plugin/src/evolution/lock.js";
import { LockedWorkspace, shipmentProto, TYPE_NAME, V1, type ShipmentVersion } from "./support.js";

const workspaces: LockedWorkspace[] = [];
afterAll(() => workspaces.forEach((w) => w.dispose()));

function released(version: ShipmentVersion): LockedWorkspace {
  const workspace = new LockedWorkspace();
  workspaces.push(workspace);
  workspace.release(shipmentProto(version));
  return workspace;
}

/** Rewrites the lock as a team would after deleting revisions in Pub/Sub. */
function setRevisions(workspace: LockedWorkspace, revisions: number): void {
  const lock = workspace.lock();
  const entity = lock.entities[TYPE_NAME];
  const next: LockFile = { ...lock, entities: { ...lock.entities, [TYPE_NAME]: { ...entity, pubsubSchema: { ...entity.pubsubSchema!, revisions } } } };
  writeFileSync(workspace.lockPath, printLock(next));
}

const V2_CARRIER: ShipmentVersion = { ...V1, carrier: "string carrier = 9;" };
const V2_COMMENT: ShipmentVersion = { ...V1, comments: { note: ["A note from the sender, shown on the label."] } };

describe("Pub/Sub schema revisions", () => {
  it("the first release is revision 1; a release without a changed definition adds none", () => {
    const workspace = released(V1);
    const first = workspace.lock().entities[TYPE_NAME].pubsubSchema!;
    expect(first.revisions).toBe(1);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    workspace.release(shipmentProto(V1));
    expect(workspace.lock().entities[TYPE_NAME].pubsubSchema).toEqual(first);
  });

  it("a new field and a changed comment each commit a new revision (Terraform sends the whole text)", () => {
    const workspace = released(V1);
    workspace.release(shipmentProto(V2_COMMENT));
    expect(workspace.lock().entities[TYPE_NAME].pubsubSchema!.revisions).toBe(2);
    workspace.release(shipmentProto({ ...V2_COMMENT, carrier: "string carrier = 9;" }));
    expect(workspace.lock().entities[TYPE_NAME].pubsubSchema!.revisions).toBe(3);
  });

  it(`refuses a change that would commit revision ${MAX_PUBSUB_SCHEMA_REVISIONS + 1}, and accepts it once revisions are deleted`, () => {
    const workspace = released(V1);
    setRevisions(workspace, MAX_PUBSUB_SCHEMA_REVISIONS);
    expect(() => workspace.generate(shipmentProto(V1)), "an unchanged schema commits nothing").not.toThrow();
    const lockBefore = workspace.lockText();
    expect(() => workspace.release(shipmentProto(V2_CARRIER))).toThrow(/nothing was generated/);
    expect(workspace.lockText()).toBe(lockBefore);
    const { errors } = workspace.contractErrors(shipmentProto(V2_CARRIER));
    expect(errors).toHaveLength(1);
    expect(errors[0].subject).toBe(TYPE_NAME);
    expect(errors[0].location.line).toBeGreaterThan(0);
    expect(errors[0].problem).toContain(`revision ${MAX_PUBSUB_SCHEMA_REVISIONS + 1} of the Pub/Sub schema shipment`);
    expect(errors[0].fix).toContain("gcloud pubsub schemas delete-revision shipment@");
    expect(errors[0].fix).toContain('"revisions"');

    setRevisions(workspace, 12);
    workspace.release(shipmentProto(V2_CARRIER));
    expect(workspace.lock().entities[TYPE_NAME].pubsubSchema!.revisions).toBe(13);
  });

  it("a lock from before revisions were counted starts counting at the next release, from the field tree", () => {
    const workspace = released(V1);
    const lock = workspace.lock();
    const { pubsubSchema: _dropped, ...legacy } = lock.entities[TYPE_NAME];
    writeFileSync(workspace.lockPath, printLock({ ...lock, entities: { [TYPE_NAME]: legacy } }));
    expect(workspace.lockText()).not.toContain("pubsubSchema");
    workspace.release(shipmentProto(V2_CARRIER));
    expect(workspace.lock().entities[TYPE_NAME].pubsubSchema!.revisions).toBe(2);
  });
});

describe("widen=", () => {
  it("names a top-level column of an entity, or fails with the names that exist", () => {
    const workspace = released(V1);
    workspace.options = [`widen=${TYPE_NAME}.transit_tim`];
    const [unknownColumn] = workspace.contractErrors(shipmentProto(V1)).errors;
    expect(unknownColumn.subject).toBe(`widen=${TYPE_NAME}.transit_tim`);
    expect(unknownColumn.problem).toContain('no top-level column "transit_tim"');
    expect(unknownColumn.problem).toContain("transit_time");
    workspace.options = ["widen=logistics.v1.Shipmnt.transit_time"];
    const [unknownEntity] = workspace.contractErrors(shipmentProto(V1)).errors;
    expect(unknownEntity.problem).toContain("names no entity of this run");
  });

  it("left in buf.gen.yaml after the release, it changes nothing", () => {
    const workspace = released(V1);
    const before = workspace.generate(shipmentProto(V1));
    workspace.options = [`widen=${TYPE_NAME}.transit_time`];
    expect(workspace.generate(shipmentProto(V1))).toEqual(before);
  });
});
