/**
 * Each contract the plugin must refuse (test/cases/errors/<name>.proto), run in-process: the
 * plugin hands back no file and exactly the message of <name>.expected.txt. UPDATE_GOLDEN=1
 * rewrites the messages from what the plugin says now. test/model/errors-e2e.test.ts runs the same
 * cases through `buf generate`.
 */
import { describe, expect, it } from "vitest";
import { compileProtosAsync } from "../harness/buf/protos.js";
import { pluginError } from "../model/support.js";
import { errorFixtures } from "./error-fixtures.js";
import { expectText } from "./golden.js";

const cases = errorFixtures();

describe("each contract error", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(80));

  it.concurrent.for(cases.map((c) => [c.name, c] as const))("%s", async ([, errorCase], { expect }) => {
    // pluginError fails the test if the plugin returns files.
    const message = pluginError(await compileProtosAsync(errorCase.files), errorCase.parameter);
    expectText(expect, message, errorCase.expectedPath);
  });
});
