/**
 * The generated erasure statements (generated/bigquery/<dataset>/<table>_erase_pii.sql), run on
 * ZetaSQL's reference evaluator: on a table where every column holds a value, the statement
 * changes exactly the rows of the given id that are out of the streaming buffer, and in those
 * exactly the personal data (the columns that carry a policy tag) becomes NULL or empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedBigQueryOnDisk } from "../harness/dbt/dbt.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type TableRows, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";

const MINUTE = 60_000;
const bigquery = generatedBigQueryOnDisk();
const statements = [...bigquery].filter(([name]) => name.endsWith("_erase_pii.sql"));

let zetasql: ZetaSqlSession;

beforeAll(async () => {
  zetasql = await startZetaSql();
}, 120_000);

afterAll(async () => {
  await zetasql?.stop();
});

type Row = Record<string, unknown>;

/** A value of every type the evaluator takes; other types stay NULL. */
function valueOf(field: BigQueryField, seed: string): unknown {
  if (field.mode === "REPEATED") {
    const one = valueOf({ ...field, mode: "NULLABLE" }, seed);
    return one === undefined ? [] : [one, valueOf({ ...field, mode: "NULLABLE" }, `${seed}-2`)];
  }
  switch (field.type) {
    case "STRING":
      return `${field.name}-${seed}`;
    case "INTEGER":
      return 7;
    case "FLOAT":
      return 1.5;
    case "BOOLEAN":
      return true;
    case "TIMESTAMP":
      return new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    case "DATE":
      return "2020-05-17";
    case "JSON":
      return { seed };
    case "NUMERIC":
      return "12.5";
    case "RECORD":
      return Object.fromEntries((field.fields ?? []).map((f) => [f.name, valueOf(f, seed)]));
    default:
      return undefined;
  }
}

/** The personal data: every column that carries a policy tag; a STRUCT whose leaves all carry one goes as a whole. */
function erased(fields: readonly BigQueryField[], row: Row): Row {
  return Object.fromEntries(
    fields.map((f) => {
      const value = row[f.name];
      if (isPersonal(f)) return [f.name, f.mode === "REPEATED" ? [] : null];
      if (f.type === "RECORD" && value !== null && value !== undefined) {
        if (f.mode === "REPEATED") return [f.name, (value as Row[]).map((element) => erased(f.fields ?? [], element))];
        return [f.name, erased(f.fields ?? [], value as Row)];
      }
      return [f.name, value];
    }),
  );
}

function isPersonal(field: BigQueryField): boolean {
  if (field.policyTags !== undefined) return true;
  return field.type === "RECORD" && (field.fields ?? []).length > 0 && (field.fields ?? []).every(isPersonal);
}

function hasPersonal(fields: readonly BigQueryField[]): boolean {
  return fields.some((f) => isPersonal(f) || hasPersonal(f.fields ?? []));
}

function rowOf(schema: readonly BigQueryField[], idPath: readonly string[], id: string, eventId: string, publishedAgo: number): Row {
  const row: Row = { ...Object.fromEntries(schema.map((f) => [f.name, valueOf(f, eventId)])), event_id: eventId, operation: "UPDATED", publish_time: new Date(Date.now() - publishedAgo) };
  let target = row;
  for (const part of idPath.slice(0, -1)) target = target[part] as Row;
  target[idPath[idPath.length - 1]] = id;
  return row;
}

describe("the erasure statements, run on ZetaSQL's reference evaluator", () => {
  it("exist for exactly the entities with personal data", () => {
    const tables = [...bigquery.keys()].filter((n) => n.endsWith(".schema.json") && !n.includes("/migrations/"));
    const withPii = tables.filter((n) => hasPersonal(JSON.parse(bigquery.get(n)!) as BigQueryField[]));
    expect(withPii.length).toBeGreaterThan(0);
    expect(statements.map(([n]) => n).sort()).toEqual(withPii.map((n) => n.replace(/\.schema\.json$/, "_erase_pii.sql")).sort());
  });

  it.each(statements.map(([name, text]) => [name, text]))("%s NULLs only that id's personal data, in every row out of the streaming buffer", async (name, text) => {
    await expectErases(bigquery, name, text);
  }, 60_000);

  it("reaches personal data inside arrays of STRUCTs and under nest_under, keeping each element's other fields and order", async () => {
    const outputs = runPlugin(compileProtos({ "erase/v1/erase.proto": NESTED }), `project=test-project,pii_policy_tag=${TAG}`);
    const [name, text] = [...outputs].find(([n]) => n.endsWith("_erase_pii.sql"))!;
    expect(text).toContain("ARRAY(SELECT AS STRUCT `element`.* REPLACE");
    expect(text).toMatch(/^WHERE `payload`\.`id` = @id$/m);
    await expectErases(outputs, name, text);
  }, 120_000);
});

const TAG = "projects/test-project/locations/eu/taxonomies/1/policyTags/2";
const NESTED = `syntax = "proto3";
package erase.v1;
import "entity/v1/options.proto";
message Member {
  option (entity.v1.entity) = { nest_under: "payload" };
  string id = 1;
  repeated Contact contacts = 2;
  string nickname = 3 [(entity.v1.field).pii = true];
}
message Contact {
  string label = 1;
  string phone = 2 [(entity.v1.field).pii = true];
  repeated string emails = 3 [(entity.v1.field).pii = true];
  Note note = 4;
}
message Note {
  string text = 1 [(entity.v1.field).pii = true];
  int64 priority = 2;
}
`;

/** Runs the statement on four rows: two of the id out of the buffer, one in it, one of another id. */
async function expectErases(files: ReadonlyMap<string, string>, name: string, text: string): Promise<void> {
  {
    const schema = JSON.parse(files.get(name.replace(/_erase_pii\.sql$/, ".schema.json"))!) as BigQueryField[];
    const table = /^UPDATE `([^`]+)`$/m.exec(text)![1];
    const idPath = /^WHERE (.+) = @id$/m.exec(text)![1].split(".").map((part) => part.replace(/`/g, ""));
    const rows = [
      rowOf(schema, idPath, "erase-me", "old-1", 3 * 24 * 60 * MINUTE),
      rowOf(schema, idPath, "erase-me", "old-2", 2 * 60 * MINUTE),
      // Still in the streaming buffer: left for the next run.
      rowOf(schema, idPath, "erase-me", "in-buffer", 5 * MINUTE),
      rowOf(schema, idPath, "keep-me", "other-1", 2 * 60 * MINUTE),
    ];
    const input: TableRows = { name: table, schema, rows };
    const changed = await zetasql.evaluateModify(text.replace(/^--.*\n/gm, ""), input, { id: "erase-me" });
    expect(changed.map((c) => c.row.event_id).sort()).toEqual(["old-1", "old-2"]);

    // What the rows must be afterwards, read back by the evaluator as it reads the changed ones.
    const expected = await zetasql.evaluate(`SELECT * FROM \`${table}\` WHERE event_id IN ("old-1", "old-2") ORDER BY event_id`, [
      { ...input, rows: rows.slice(0, 2).map((r) => erased(schema, r)) },
    ]);
    const actual = changed.map((c) => c.row).sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
    expect(actual).toEqual(expected);
    // And the personal data was there before: the statement did erase something.
    const before = await zetasql.evaluate(`SELECT * FROM \`${table}\` WHERE event_id IN ("old-1", "old-2") ORDER BY event_id`, [input]);
    expect(before).not.toEqual(expected);
  }
}
