/**
 * Descriptions with every kind of hostile text end up in the generated TypeScript (doc comments
 * and the class's description constant): the package must still compile and keep the text exact.
 */
import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_EXPECTED, HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos } from "../harness/buf/protos.js";
import type { GeneratedModule } from "./support/example-fixtures.js";
import { EXTRA_TSC_CHECKS, generatePackage, type GeneratedPackage } from "./support/package.js";

let pkg: GeneratedPackage;
let mod: GeneratedModule;
let buildOutput: string;

beforeAll(async () => {
  pkg = generatePackage(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }), "project=test-project");
  buildOutput = pkg.build(EXTRA_TSC_CHECKS);
  mod = await pkg.load();
});

afterAll(() => pkg?.dispose());

describe("hostile descriptions", () => {
  it("compile: no text breaks out of a comment or a string literal", () => {
    expect(buildOutput).toBe("");
    const source = pkg.files.get("ts/src/hostile/v1/hostile_event.ts")!;
    // The comment closer in the text is neutralised inside the doc comment.
    expect(source).toContain("/* block *\\/");
  });

  it("keep the entity's description exactly", () => {
    expect(mod.HostileEvent.description).toBe(HOSTILE_EXPECTED.entity);
  });

  it("leave the events working", () => {
    const entity = create(mod.HostileSchema, { id: "h-1", quoted: HOSTILE_EXPECTED.quoted, inner: { note: "n" }, mood: mod.Mood.HAPPY });
    const message = mod.HostileEvent.created(entity).toPubSubMessage({ encoding: "json" });
    const back = mod.HostileEvent.fromPubSubMessage(message, { encoding: "json" });
    expect(back.entity.quoted).toBe(HOSTILE_EXPECTED.quoted);
    expect(back.entity.mood).toBe(mod.Mood.HAPPY);
    expect(message.orderingKey).toBe("h-1");
  });
});
