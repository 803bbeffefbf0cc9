/**
 * The two ways into the compatibility check agree: the plugin checks its own topic schema as the
 * tree it prints (checkGeneratedTopicSchemaAgainstTable), the CLI and the other tests check a
 * compiled descriptor (checkTopicSchemaAgainstTable). On every entity of the example domain, the
 * hostile one and a synthetic domain's random ones, both envelopes and every subscription
 * setting, the findings are the same for the table as generated and for tables and schemas
 * broken one way at a time: each column retyped, made REQUIRED or REPEATED or NULLABLE, renamed,
 * dropped; each topic field retyped, made repeated, made required, its nested message left out.
 */
import { describe, expect, it } from "vitest";
import { checkGeneratedTopicSchemaAgainstTable, checkTopicSchemaAgainstTable, type CompatFinding, type CompatRule, type SubscriptionSettings } from "../../plugin/src/compat/index.js";
import { tableSchema, type BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { buildTopicSchema, topicSchemaDescriptor, type EnvelopePresence, type TopicField, type TopicMessage, type TopicSchema } from "../../plugin/src/physical/topic-schema.js";
import type { Entity } from "../../plugin/src/model/types.js";
import { HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileExample, compileProtos, exampleParameter } from "../harness/buf/protos.js";
import { modelOfCompiled } from "../model/support.js";
import { syntheticEntities } from "./support.js";

const SETTINGS: readonly SubscriptionSettings[] = [
  { writeMetadata: true, dropUnknownFields: false },
  { writeMetadata: false, dropUnknownFields: false },
  { writeMetadata: true, dropUnknownFields: true },
];
const ENVELOPES: readonly EnvelopePresence[] = ["required", "optional"];

async function entities(): Promise<Entity[]> {
  const example = modelOfCompiled(compileExample(), exampleParameter()).entities;
  const hostile = modelOfCompiled(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }), "project=test-project").entities;
  return [...example, ...hostile, ...(await syntheticEntities(4))];
}

/** Each column of the table (nested ones included) changed one way at a time. */
function brokenTables(table: readonly BigQueryField[]): (readonly BigQueryField[])[] {
  const variants: (readonly BigQueryField[])[] = [];
  const visit = (columns: readonly BigQueryField[], rebuild: (columns: readonly BigQueryField[]) => readonly BigQueryField[]) => {
    columns.forEach((column, i) => {
      const replace = (next: BigQueryField | undefined) => rebuild(next === undefined ? columns.filter((_, j) => j !== i) : columns.map((c, j) => (j === i ? next : c)));
      const changes: (BigQueryField | undefined)[] = [
        undefined,
        { ...column, name: column.name.toUpperCase() },
        { ...column, mode: "REQUIRED" },
        { ...column, mode: "REPEATED" },
        { ...column, mode: "NULLABLE" },
        { ...column, type: column.type === "RECORD" ? "STRING" : "INTEGER" },
        { ...column, type: "DATE" },
      ];
      for (const change of changes) variants.push(replace(change));
      if (column.fields !== undefined) visit(column.fields, (fields) => replace({ ...column, fields }));
    });
  };
  visit(table, (columns) => columns);
  return variants;
}

/** The schema with each topic field (nested ones included) changed one way at a time, and each nested message left out. */
function brokenSchemas(schema: TopicSchema): TopicSchema[] {
  const top = schema.message;
  const withMessage = (message: TopicMessage): TopicSchema =>
    message.name === top.name ? { ...schema, message } : { ...schema, message: { ...top, nested: top.nested.map((n) => (n.name === message.name ? message : n)) } };
  const variants: TopicSchema[] = top.nested.map((n) => ({ ...schema, message: { ...top, nested: top.nested.filter((m) => m !== n) } }));
  for (const message of [top, ...top.nested]) {
    message.fields.forEach((field, i) => {
      const changes: TopicField[] = [
        { ...field, repeated: !field.repeated },
        { ...field, required: !field.required },
        { ...field, type: field.type === "uint64" ? "int64" : "uint64" },
        { ...field, type: "bool" },
      ];
      for (const change of changes) variants.push(withMessage({ ...message, fields: message.fields.map((f, j) => (j === i ? change : f)) }));
    });
  }
  return variants;
}

describe("the check of the generated topic schema", () => {
  it("finds what the check of its compiled descriptor finds, for every entity, table and schema broken one way at a time", async () => {
    const seen = new Set<CompatRule>();
    let cases = 0;
    const agree = (schema: TopicSchema, messageName: string, table: readonly BigQueryField[], settings: SubscriptionSettings, what: string) => {
      const fromTree = checkGeneratedTopicSchemaAgainstTable(schema, messageName, table, settings);
      const fromDescriptor = checkTopicSchemaAgainstTable(topicSchemaDescriptor(schema), messageName, table, settings);
      expect(fromTree, what).toEqual<CompatFinding[]>(fromDescriptor);
      for (const f of fromTree) seen.add(f.rule);
      cases++;
    };
    const all = await entities();
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const entity of all) {
      const table = tableSchema(entity);
      for (const envelope of ENVELOPES) {
        const schema = buildTopicSchema(entity, envelope);
        for (const settings of SETTINGS) {
          const where = `${entity.typeName} (${envelope} envelope, ${JSON.stringify(settings)})`;
          agree(schema, entity.eventName, table, settings, where);
          expect(checkGeneratedTopicSchemaAgainstTable(schema, entity.eventName, table, settings), where).toEqual([]);
          // Found by its qualified name too, and not found by another.
          agree(schema, `.${schema.package}.${entity.eventName}`, table, settings, where);
          agree(schema, `${entity.eventName}Other`, table, settings, where);
        }
        const settings = SETTINGS[0];
        for (const broken of brokenTables(table)) agree(schema, entity.eventName, broken, settings, `${entity.typeName}, broken table`);
        for (const broken of brokenSchemas(schema)) agree(broken, entity.eventName, table, settings, `${entity.typeName}, broken schema`);
      }
    }
    // The comparison is not of empty lists only: the broken cases were rejected for many reasons.
    expect(cases).toBeGreaterThan(10_000);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining<CompatRule>([
        "absent-column-not-nullable",
        "column-type",
        "field-without-column",
        "message-not-found",
        "metadata-column-missing",
        "optional-field-required-column",
        "repeated-mode",
        "unresolved-type",
      ]),
    );
  });
});
