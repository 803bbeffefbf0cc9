/**
 * Contract errors, in-process, beyond one case each (test/cases/errors/ holds those, run by
 * test/cases/errors.test.ts): how a run's problems are reported together, and the limits just
 * under a rejection.
 */
import { describe, expect, it } from "vitest";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { ERROR_FILE } from "../cases/error-fixtures.js";
import { parseReport } from "./reported-errors.js";
import { entityNamed, modelOf, PLUGIN_OPTIONS, PROJECT, pluginError, positionOf, proto3, wideEntity } from "./support.js";

describe("error report", () => {
  const first = proto3(`message Alpha {
  option (entity.v1.entity) = {topic: "ab"};
  string id = 1;
  string data = 2;
  string Data2 = 3 [(entity.v1.field).column = "data2"];
  string DATA2 = 4;
}

message Beta {
  option (entity.v1.entity) = {freshness: {warn_after: "soon"}};
  bytes id = 1;
  string x_id = 2 [(entity.v1.field).references = "test.v1.Nowhere"];
}
`);
  const second = `syntax = "proto3";

package other.v1;

import "entity/v1/options.proto";

message Gamma {
  option (entity.v1.entity) = {cluster_by: "nope"};
  string id = 1;
  string publishTime = 2;
}
`;
  const files = { [ERROR_FILE]: first, "other/v1/gamma.proto": second };

  it("reports every problem of a run together, sorted by file, line and column", () => {
    const report = pluginError(compileProtos(files), `${PROJECT},entity=test.v1.Missing`);
    const problems = parseReport(report);
    const at = (file: string, source: string, snippet: string) => `${file}:${positionOf(source, snippet)}`;
    expect(problems.map((p) => [p.location, p.subject])).toEqual([
      [PLUGIN_OPTIONS, "entity=test.v1.Missing"],
      [at("other/v1/gamma.proto", second, 'cluster_by: "nope"'), "other.v1.Gamma"],
      [at("other/v1/gamma.proto", second, "string publishTime"), "other.v1.Gamma.publishTime"],
      [at(ERROR_FILE, first, 'topic: "ab"'), "test.v1.Alpha"],
      [at(ERROR_FILE, first, "string data ="), "test.v1.Alpha.data"],
      [at(ERROR_FILE, first, "string DATA2"), "test.v1.Alpha.DATA2"],
      [at(ERROR_FILE, first, 'warn_after: "soon"'), "test.v1.Beta"],
      [at(ERROR_FILE, first, "bytes id"), "test.v1.Beta"],
      [at(ERROR_FILE, first, '(entity.v1.field).references = "test.v1.Nowhere"'), "test.v1.Beta.x_id"],
    ]);
    expect(report.split("\n")[0]).toBe("9 problems in the entity contracts, nothing was generated:");
    // Sorted: plugin options (no line) first by file name, then each file by line and column.
    const sortKey = (location: string) => {
      const m = /^(.*?)(?::(\d+):(\d+))?$/.exec(location)!;
      return [m[1], Number(m[2] ?? 0), Number(m[3] ?? 0)] as const;
    };
    const keys = problems.map((p) => sortKey(p.location));
    const sorted = [...keys].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1] || a[2] - b[2]);
    expect(keys).toEqual(sorted);
  });

  it("writes each problem as `file:line:column: subject: problem` and an indented `fix:` line", () => {
    const report = pluginError(compileProtos(files), PROJECT);
    const lines = report.split("\n");
    expect(lines[0]).toMatch(/^\d+ problems? in the entity contracts, nothing was generated:$/);
    for (let i = 1; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^[\w/.-]+\.proto:\d+:\d+: [\w.]+: \S.*[.)]$/);
      expect(lines[i + 1]).toMatch(/^ {2}fix: \S.*\.$/);
    }
  });

  it("says a problem once when a message is checked once per use", () => {
    const source = proto3(`message First {
  option (entity.v1.entity) = {};
  string id = 1;
  Shared a = 2;
  Shared b = 3;
}

message Second {
  option (entity.v1.entity) = {};
  string id = 1;
  Shared c = 2;
}

message Shared {
  string iban = 1 [(entity.v1.field).policy_tag = "secret"];
}
`);
    const problems = parseReport(pluginError(compileProtos({ [ERROR_FILE]: source })));
    expect(problems.map((p) => [p.location, p.subject])).toEqual([[`${ERROR_FILE}:${positionOf(source, "string iban")}`, "test.v1.Shared.iban"]]);
  });

  it("throws before any emitter runs: runPlugin returns no files", () => {
    expect(() => runPlugin(compileProtos(files))).toThrow(/problems in the entity contracts, nothing was generated/);
  });
});

describe("limits at their boundary", () => {
  it("accepts exactly 10,000 columns", () => {
    const entity = entityNamed(modelOf({ [ERROR_FILE]: wideEntity(10_000) }), "Huge");
    const count = (columns: typeof entity.columns): number => columns.reduce((n, c) => n + 1 + count(c.fields), 0);
    expect(count(entity.columns) + entity.metadataColumns.length).toBe(10_000);
  });

  it("accepts a column name of 300 characters and four cluster_by columns", () => {
    const name = "n".repeat(300);
    const entity = entityNamed(
      modelOf({
        [ERROR_FILE]: proto3(`message Fine {
  option (entity.v1.entity) = {cluster_by: ["id", "${name}", "occurred_at", "publish_time"] freshness: {warn_after: "59m" error_after: "1h"}};
  string id = 1;
  string a = 2 [(entity.v1.field).column = "${name}"];
}
`),
      }),
      "Fine",
    );
    expect(entity.columns.map((c) => c.name)).toContain(name);
    expect(entity.clustering).toEqual(["id", name, "occurred_at", "publish_time"]);
    expect(entity.freshness.warnAfter?.seconds).toBeLessThan(entity.freshness.errorAfter!.seconds);
  });
});
