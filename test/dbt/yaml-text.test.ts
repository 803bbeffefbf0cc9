/**
 * Any text survives: the hostile entity's comments come back exactly from the generated YAML,
 * whether read by the `yaml` package (YAML 1.2, as dbt Fusion reads) or by PyYAML (YAML 1.1, as
 * dbt Core reads), and both readers see the same document in every generated file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { jinjaLiteral } from "../../plugin/src/emit/dbt/jinja.js";
import { YamlItems, yamlDocument } from "../../plugin/src/printers/yaml-text.js";
import { GENERATED_HEADER_PATTERN } from "../../plugin/src/printers/header.js";
import { HOSTILE_COMMENT, HOSTILE_EXPECTED, HOSTILE_OPTION_DESCRIPTION, HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter, generateExample, runPlugin } from "../harness/buf/protos.js";
import {
  allTables,
  bigQuerySchema,
  dbtFiles,
  dbtFilesOnDisk,
  fieldAt,
  hasCSafeLoader,
  jinjaAvailable,
  parseSources,
  parseWithPyYaml,
  pyYamlAvailable,
  renderWithJinja,
  type DbtTable,
  type PyYamlLoader,
  type SourcesFile,
} from "../harness/dbt/dbt.js";

const LOADERS: PyYamlLoader[] = ["SafeLoader", ...(hasCSafeLoader() ? (["CSafeLoader"] as const) : [])];

let hostileText: string;
let hostileOutputs: Map<string, string>;
let exampleFiles: Map<string, string>;

beforeAll(() => {
  hostileOutputs = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }));
  const files = dbtFiles(hostileOutputs);
  hostileText = [...files.values()][0];
  exampleFiles = dbtFiles(generateExample());
});

function hostileTables(document: SourcesFile): Record<string, DbtTable> {
  return Object.fromEntries(document.sources[0].tables.map((t) => [t.config.meta.object, t]));
}

/** The hostile descriptions as dbt sees them: read from YAML, then rendered by Jinja. */
function expectHostileTextPreserved(document: SourcesFile): void {
  const { table, events_view, latest_view } = hostileTables(document);
  const column = (name: string) => table.columns!.find((c) => c.name === name)?.description ?? "";
  const written = [table.description!, column("id"), column("quoted"), column("long_text"), column("inner.note"), events_view.description!, latest_view.description!];
  const rendered = renderWithJinja(written).map((r) => ("text" in r ? r.text : r.error));
  expect(rendered.slice(0, 5)).toEqual([HOSTILE_EXPECTED.entity, HOSTILE_EXPECTED.id, HOSTILE_EXPECTED.quoted, HOSTILE_EXPECTED.longText, HOSTILE_EXPECTED.innerNote]);
  expect(rendered[5].endsWith(`\n\n${HOSTILE_EXPECTED.entity}`)).toBe(true);
  expect(rendered[6].endsWith(`\n\n${HOSTILE_EXPECTED.entity}`)).toBe(true);
}

describe.skipIf(!jinjaAvailable())("hostile comments", () => {
  it("come back exactly through the yaml package (YAML 1.2) and Jinja", () => {
    expectHostileTextPreserved(parseSources(hostileText));
  });

  it.skipIf(!pyYamlAvailable())("come back exactly through PyYAML (YAML 1.1, dbt Core's reader) and Jinja", () => {
    for (const loader of LOADERS) expectHostileTextPreserved(parseWithPyYaml([hostileText], loader)[0] as SourcesFile);
  });

  it("include the characters that break naive YAML and Jinja", () => {
    // The checks above are only as strong as the text they check.
    for (const needle of ["\u2028", '"', "'", "\\", "\n", "# ", ": ", "{{", "{%", "🚀"]) {
      expect(HOSTILE_OPTION_DESCRIPTION + HOSTILE_COMMENT).toContain(needle);
    }
    // Written as they are, dbt's Jinja would fail on them.
    expect(renderWithJinja([HOSTILE_OPTION_DESCRIPTION, HOSTILE_COMMENT]).every((r) => "error" in r)).toBe(true);
  });
});

describe.skipIf(!pyYamlAvailable())("every generated file reads the same in YAML 1.1 and 1.2", () => {
  it("example domain and hostile entity", () => {
    const texts = [...exampleFiles.values(), hostileText];
    for (const loader of LOADERS) {
      const py = parseWithPyYaml(texts, loader);
      texts.forEach((text, i) => expect(py[i], `${loader}, file ${i}`).toEqual(parseYaml(text)));
    }
  });
});

describe("the YAML writer", () => {
  /** Strings that YAML 1.1 or 1.2 would read as something else, or break on, if written plainly. */
  const TRICKY = [
    "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "~", "", " ", "0", "1.5", "0x1F", "0o17", "1_000",
    "1:20", "2001-12-14", ".inf", "-.NaN", "=", "<<", "- item", "? key", "key: value", "a #comment", "#comment", "&anchor",
    "*alias", "!tag", "%directive", "@at", "`tick`", "|", ">", "[list]", "{map}", "'single'", '"double"', "back\\slash",
    "trailing ", " leading", "\ttab", "line\nbreak", "ends with break\n", "\n\nstarts with breaks", "a\r\nb", "nul\u0000",
    "bell\u0007", "del\u007f", "nel\u0085", "ls\u2028ps\u2029", "bom\ufeff", "nbsp\u00a0", "Grüße 東京 🚀", "---", "...",
    "multi\n  indented\nlines", "multi\n\nparagraph", "{{ jinja }}", "{% block %}", "energy/v1/user.proto", "/leading/slash",
  ];

  function document(): Record<string, unknown> {
    return {
      values: TRICKY,
      keys: Object.fromEntries(TRICKY.filter((t) => !t.includes("\n")).map((t, i) => [t, i])),
      nested: [{ a: TRICKY[0], b: [TRICKY[1], { c: null, d: true, e: 3 }] }, [], {}, [[TRICKY[2]]]],
    };
  }

  it("writes text the yaml package reads back unchanged", () => {
    expect(parseYaml(yamlDocument(document() as never))).toEqual(document());
  });

  it.skipIf(!pyYamlAvailable())("writes text PyYAML reads back unchanged", () => {
    const text = yamlDocument(document() as never);
    for (const loader of LOADERS) expect(parseWithPyYaml([text], loader)[0], loader).toEqual(document());
  });

  it("writes identifiers plainly and multi-line text as a literal block", () => {
    const text = yamlDocument({ name: "user_events", dotted: "address.city", text: "first line\nsecond line" });
    expect(text).toBe("name: user_events\ndotted: address.city\ntext: |-\n  first line\n  second line\n");
  });

  it("writes items made as they are written like the array of them, anew for every document", () => {
    const tables = [{ name: "users", columns: [{ name: "id" }, { name: TRICKY[0] }] }, { name: "houses", columns: [] }, TRICKY[1], [TRICKY[2]]];
    let made = 0;
    const lazy = { version: 2, tables: new YamlItems(() => tables.map((t) => (made++, t))) };
    const text = yamlDocument({ version: 2, tables });
    expect(yamlDocument(lazy)).toBe(text);
    expect(yamlDocument(lazy)).toBe(text);
    expect(made).toBe(2 * tables.length);
    expect(parseYaml(text)).toEqual({ version: 2, tables });
  });
});

describe.skipIf(!jinjaAvailable())("Jinja escaping", () => {
  it("renders back to the text for every way to open or close a Jinja block", () => {
    const texts = ["{{{", "{{ '{{' }}", "{%- raw -%}x{% endraw %}", "{#", "#}", "}}", "%}", "{{y}}", "{% z %}", "{ {", "{{{{%%}}}}", "plain"];
    expect(renderWithJinja(texts.map(jinjaLiteral))).toEqual(texts.map((text) => ({ text })));
  });

  it("leaves text without Jinja openers as it is", () => {
    expect(jinjaLiteral("a } b % c # d { e")).toBe("a } b % c # d { e");
  });
});

describe.skipIf(!jinjaAvailable())("column descriptions, as dbt renders them", () => {
  it("equal the BigQuery schema's descriptions (example domain and hostile entity)", () => {
    const pairs: [string, string][] = [];
    const collect = (files: ReadonlyMap<string, string>, outputs?: ReadonlyMap<string, string>) => {
      for (const { source, table } of allTables(files).filter(({ table }) => table.config.meta.object === "table")) {
        const schema = bigQuerySchema(source.schema, table.identifier!, outputs);
        for (const column of table.columns ?? []) pairs.push([column.description ?? "", fieldAt(schema, column.name)?.description ?? ""]);
      }
    };
    collect(dbtFilesOnDisk());
    collect(dbtFiles(hostileOutputs), hostileOutputs);
    expect(pairs.length).toBeGreaterThan(100);
    expect(renderWithJinja(pairs.map(([written]) => written))).toEqual(pairs.map(([, expected]) => ({ text: expected })));
  });
});

describe("sources files", () => {
  it("start with the generated-code header as a YAML comment", () => {
    for (const text of [...exampleFiles.values(), hostileText]) {
      const [first] = text.split("\n");
      expect(first.startsWith("# ")).toBe(true);
      expect(first).toMatch(GENERATED_HEADER_PATTERN);
      expect(first).toContain(".proto");
    }
  });

  it("are the same whatever order buf sends the files in", () => {
    const compiled = compileExample();
    const reversed = { files: compiled.files, toGenerate: [...compiled.toGenerate].reverse() };
    expect(dbtFiles(runPlugin(reversed, exampleParameter()))).toEqual(exampleFiles);
  });
});

describe("enum values and column names that YAML 1.1 reads as booleans", () => {
  const PROTO = `syntax = "proto3";
package answers.v1;
import "entity/v1/options.proto";
message Answer {
  option (entity.v1.entity) = {};
  string id = 1;
  Reply reply = 2;
  bool on = 3;
  string yes = 4;
}
enum Reply {
  YES = 0;
  NO = 1;
  ON = 2;
  OFF = 3;
  Y = 4;
  N = 5;
  NULL = 6;
  TRUE = 7;
}
`;

  it.skipIf(!pyYamlAvailable())("stay strings for dbt Core", () => {
    const [text] = [...dbtFiles(runPlugin(compileProtos({ "answers/v1/answer.proto": PROTO }))).values()];
    const [read] = parseWithPyYaml([text], "SafeLoader") as SourcesFile[];
    const table = read.sources[0].tables.find((t) => t.name === "answer")!;
    const reply = table.columns!.find((c) => c.name === "reply")!;
    const accepted = reply.data_tests!.find((t) => typeof t === "object" && "accepted_values" in t) as Record<string, { arguments: { values: unknown[] } }>;
    expect(accepted.accepted_values.arguments.values).toEqual(["YES", "NO", "ON", "OFF", "Y", "N", "NULL", "TRUE"]);
    expect(table.columns!.map((c) => c.name)).toEqual(expect.arrayContaining(["on", "yes"]));
    expect(Object.keys(table.config.meta.proto_fields!)).toEqual(expect.arrayContaining(["on", "yes"]));
  });
});
