/**
 * The executable hands its request over (generateFromOwnedRequest): the source info goes as soon
 * as the model is built, before the formats plan and check. Nothing after the model may need it:
 * the files and the errors of the formats' checks (with their file and line) are what the
 * request kept whole gives (generateFromRequest, with the same inputs: the example's lock).
 */
import { readFileSync } from "node:fs";
import { toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, type CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFromOwnedRequest, generateFromRequest } from "../../plugin/src/edge/plugin-entry.js";
import { readRequest } from "../../plugin/src/protocol/request.js";
import { errorFixtures } from "../cases/error-fixtures.js";
import { compileExample, compileProtos, exampleParameter, requestOf, type CompiledProtos } from "../harness/buf/protos.js";

function requestBytes(compiled: CompiledProtos, parameter: string): Uint8Array {
  return toBinary(CodeGeneratorRequestSchema, requestOf(compiled, parameter));
}

function errorOf(run: () => Iterable<unknown>): string {
  try {
    [...run()];
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("generation did not fail");
}

const hasSourceInfo = (request: CodeGeneratorRequest) => [...request.protoFile, ...request.sourceFileDescriptors].some((f) => f.sourceCodeInfo !== undefined);

describe("generateFromOwnedRequest", () => {
  let bytes: Uint8Array;
  beforeAll(() => {
    bytes = requestBytes(compileExample(), exampleParameter());
  });

  it("lets the source info go before the formats plan, and gives the files generateFromRequest gives", () => {
    const owned = readRequest(bytes);
    expect(hasSourceInfo(owned)).toBe(true);
    const files = generateFromOwnedRequest(owned);
    // Plans and checks have run (generation returns after them); the source info is gone already.
    expect(hasSourceInfo(owned)).toBe(false);
    const fromOwned = [...files];
    const fromWhole = [...generateFromRequest(readRequest(bytes))];
    expect(fromOwned.length).toBeGreaterThan(50);
    expect(fromOwned.map((f) => f.name)).toEqual(fromWhole.map((f) => f.name));
    for (const [i, file] of fromWhole.entries()) expect(fromOwned[i]!.content, file.name).toBe(file.content);
  });

  // Errors of the formats' checks, which run after the source info went: same file, line and text.
  for (const name of ["topic-schema-over-pub-subs-300-kb", "two-entities-of-one-file-whose-event-classes-would-share-a-file"]) {
    it(`reports a format's check error at the same file and line: ${name}`, () => {
      const fixture = errorFixtures().find((f) => f.name === name)!;
      const request = requestBytes(compileProtos(fixture.files), fixture.parameter);
      const owned = errorOf(() => generateFromOwnedRequest(readRequest(request)));
      expect(owned).toBe(errorOf(() => generateFromRequest(readRequest(request))));
      expect(owned).toBe(readFileSync(fixture.expectedPath, "utf8"));
    });
  }
});
