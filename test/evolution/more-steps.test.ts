/**
 * Steps beyond the main sequence: descriptions with hostile text through ADD COLUMN, SET OPTIONS
 * and the schema patch; a field removed from inside a STRUCT; a retired column taken back by a new
 * field of the same name and type.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLock, printLock } from "../../plugin/src/evolution/lock.js";
import { HOSTILE_COMMENT, HOSTILE_COMMENT_LINES, HOSTILE_OPTION_DESCRIPTION } from "../support/hostile.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { allowedStep, LockedWorkspace, shipmentProto, statementsOf, TYPE_NAME, V1, type ShipmentVersion } from "./support.js";

let zetasql: ZetaSqlSession;
const workspaces: LockedWorkspace[] = [];

beforeAll(async () => {
  zetasql = await startZetaSql({ alterTable: true });
});

afterAll(async () => {
  await zetasql?.stop();
  for (const w of workspaces) w.dispose();
});

function released(version: ShipmentVersion): LockedWorkspace {
  const workspace = new LockedWorkspace();
  workspaces.push(workspace);
  workspace.release(shipmentProto(version));
  return workspace;
}

describe("descriptions from the contract", () => {
  // JSON string syntax is also a valid .proto string literal for this text.
  const hostileOption = `[(entity.v1.field).description = ${JSON.stringify(HOSTILE_OPTION_DESCRIPTION)}]`;
  const V1_HOSTILE: ShipmentVersion = { ...V1, comments: { note: HOSTILE_COMMENT_LINES } };
  const V2_HOSTILE: ShipmentVersion = {
    ...V1_HOSTILE,
    note: "removed",
    carrier: `string carrier = 9 ${hostileOption};`,
    postalCode: true,
    comments: { postalCode: HOSTILE_COMMENT_LINES },
  };

  it("reach the table exactly, through ADD COLUMN, SET OPTIONS and the schema patch", async () => {
    const workspace = released(V1_HOSTILE);
    const step = await allowedStep(workspace, zetasql, V2_HOSTILE);
    // Every line of the file is a comment or part of an ALTER TABLE statement that ZetaSQL analyzed.
    expect(statementsOf(step.sql!).every((s) => s.startsWith("ALTER TABLE "))).toBe(true);
    expect(statementsOf(step.sql!)).toHaveLength(2);
    expect(step.migrated.find((c) => c.name === "carrier")!.description).toBe(HOSTILE_OPTION_DESCRIPTION);
    expect(step.migrated.find((c) => c.name === "note")!.description).toBe(
      `Retired: field 8 was removed from the contract; the column keeps the values written before. ${HOSTILE_COMMENT}`,
    );
    const postalCode = step.patch!.find((c) => c.name === "destination")!.fields!.find((f) => f.name === "postal_code")!;
    expect(postalCode.description).toBe(HOSTILE_COMMENT);
  });

  it("survive the lock file: printing what was parsed gives the same text", () => {
    const workspace = released(V2_HOSTILE);
    const text = workspace.lockText();
    const lock = parseLock(text, workspace.lockPath);
    expect(printLock(lock)).toBe(text);
    expect(lock.entities[TYPE_NAME].columns.find((c) => c.name === "carrier")!.description).toBe(HOSTILE_OPTION_DESCRIPTION);
  });
});

describe("a field removed from inside a STRUCT", () => {
  it("stays in the STRUCT, through the schema patch, and leaves the topic schema", async () => {
    const workspace = released({ ...V1, postalCode: true });
    const step = await allowedStep(workspace, zetasql, V1);
    expect(statementsOf(step.sql!)).toEqual([]);
    const destination = step.migrated.find((c) => c.name === "destination")!;
    expect(destination.fields!.map((f) => [f.name, f.mode, f.description])).toEqual([
      ["city", "NULLABLE", "City."],
      ["postal_code", "NULLABLE", "Retired: field 2 was removed from the contract; the column keeps the values written before. Postal code."],
    ]);
    expect(step.files.get("pubsub/shipment.proto")).not.toContain("postal_code");
    const scope = workspace.lock().entities[TYPE_NAME].topicSchema.fields.find((f) => f.name === "destination")!.message!;
    expect(scope.retired).toEqual([{ name: "postal_code", number: 2, type: "string", repeated: false }]);
  });
});

describe("a retired column", () => {
  // The .proto reserves the removed field's name, so the new field names its column with the option.
  it("is taken back by a new field of the same name and type, without ADD COLUMN", async () => {
    const workspace = released(V1);
    await allowedStep(workspace, zetasql, { ...V1, note: "removed" });
    const step = await allowedStep(workspace, zetasql, { ...V1, note: "removed", carrier: 'string comment = 10 [(entity.v1.field).column = "note"];' });
    expect(statementsOf(step.sql!)).toEqual([
      'ALTER TABLE `evo-test-project.logistics.shipment` ALTER COLUMN `note` SET OPTIONS (description="The carrier\'s name.")',
    ]);
    expect(step.sql).toContain("take back the retired column note for the new field 10");
  });

  it("cannot be taken back with another type", async () => {
    const workspace = released(V1);
    await allowedStep(workspace, zetasql, { ...V1, note: "removed" });
    const { errors } = workspace.contractErrors(shipmentProto({ ...V1, note: "removed", carrier: 'int64 comment = 10 [(entity.v1.field).column = "note"];' }));
    expect(errors).toHaveLength(1);
    expect(errors[0].problem).toContain("the table keeps the retired column note STRING of a removed field");
    expect(errors[0].fix).toContain("give the new field another column name");
  });
});
