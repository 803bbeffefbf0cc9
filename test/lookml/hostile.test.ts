/**
 * Comments with quotes, `;;`, braces, line breaks, Liquid and template markers still give LookML
 * that parses, and every text reads back exactly (as Looker shows it, after Liquid).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { HOSTILE_EXPECTED, HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { lookmlFiles, parseLookml, parseProject, renderLiquidLiterals, type LookmlObject } from "../harness/lookml/lookml.js";

let files: Map<string, string>;
let model: LookmlObject;

beforeAll(async () => {
  files = lookmlFiles(runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO })));
  const project = await parseProject(files);
  expect(project.errors).toBeUndefined();
  model = Object.values(project.model)[0];
});

describe("hostile comments in LookML", () => {
  it("every file parses", () => {
    expect(files.size).toBeGreaterThan(0);
    for (const [name, content] of files) if (name.endsWith(".lkml")) expect(() => parseLookml(content), name).not.toThrow();
  });

  it("field descriptions read back exactly, in both views", () => {
    for (const view of ["hostile_events", "hostile_latest"]) {
      const dimension = model.view[view].dimension;
      expect(renderLiquidLiterals(dimension.id.description)).toBe(HOSTILE_EXPECTED.id);
      expect(renderLiquidLiterals(dimension.quoted.description)).toBe(HOSTILE_EXPECTED.quoted);
      expect(renderLiquidLiterals(dimension.long_text.description)).toBe(HOSTILE_EXPECTED.longText);
      expect(renderLiquidLiterals(dimension.inner__note.description)).toBe(HOSTILE_EXPECTED.innerNote);
    }
  });

  it("explore descriptions (not Liquid in Looker) read back exactly", () => {
    expect(model.explore.hostile_events.description).toBe(HOSTILE_EXPECTED.entity);
    expect(model.explore.hostile_latest.description).toBe(HOSTILE_EXPECTED.entity);
  });

  it("no text leaks into the SQL or the structure around it", () => {
    const dimension = model.view.hostile_events.dimension;
    expect(dimension.id.sql.trim()).toBe("${TABLE}.id");
    expect(dimension.quoted.sql.trim()).toBe("${TABLE}.quoted");
    // INNER is a reserved word: quoted even after a dot.
    expect(dimension.inner__note.sql.trim()).toBe("${TABLE}.`inner`.note");
    expect(Object.keys(model.view.hostile_events.dimension)).toContain("mood");
    expect(dimension.mood.suggestions).toEqual(["MOOD_UNSPECIFIED", "MOOD_HAPPY"]);
  });
});
