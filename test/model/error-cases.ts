/**
 * Contracts the plugin must refuse, each with where the error must point and the words its problem
 * and fix must contain. Shared by the in-process error tests and the end-to-end `buf generate` run.
 */
import { PROJECT, positionOf, proto3 } from "./support.js";

export const ERROR_FILE = "test/v1/errors.proto";
export const PLUGIN_OPTIONS = "buf.gen.yaml (plugin options)";

export interface ErrorCase {
  readonly name: string;
  /** Sources by path. */
  readonly files: Readonly<Record<string, string>>;
  /** Plugin parameter, as buf passes it (`a=1,b=2`). */
  readonly parameter: string;
  /**
   * A contract error: its first line starts with `<location>: <subject>: `. An option error
   * (rejected before any contract is read) has no location.
   */
  readonly location: string | undefined;
  readonly subject: string;
  /** Words of the problem (the rest of the first line). */
  readonly problem: readonly string[];
  /** Words of the fix (the `  fix: ` line). */
  readonly fix: readonly string[];
}

interface EntityCaseInput {
  readonly name: string;
  /** Declarations of a proto3 file in package test.v1 (options.proto imported). */
  readonly body: string;
  readonly imports?: readonly string[];
  /** Start of the declaration the error must point at; it must occur once in the file. */
  readonly at: string;
  readonly subject: string;
  readonly problem: readonly string[];
  readonly fix: readonly string[];
  readonly parameter?: string;
}

function entityCase(input: EntityCaseInput): ErrorCase {
  const source = proto3(input.body, input.imports);
  return {
    name: input.name,
    files: { [ERROR_FILE]: source },
    parameter: input.parameter ?? PROJECT,
    location: `${ERROR_FILE}:${positionOf(source, input.at)}`,
    subject: input.subject,
    problem: input.problem,
    fix: input.fix,
  };
}

/** An entity `Broken` whose id is fine, with `fields` after it and `entityOptions` set. */
function broken(fields: string, entityOptions = ""): string {
  return `message Broken {
  option (entity.v1.entity) = {${entityOptions}};
  string id = 1;
${fields}
}
`;
}

const RENAME_FIX = ["(entity.v1.field).column", "column=test.v1.Broken."];
const NEST_FIX = ["nest_under", "nest=test.v1.Broken:<column>"];
const ID_FIX = ["set id_field", "(entity.v1.entity) option of Broken", "singular string or integer field"];

const METADATA_NAMES = ["subscription_name", "subscriptionName", "message_id", "messageId", "publish_time", "publishTime", "attributes", "data"];

/** An entity with `total` columns in its table (envelope and metadata columns included). */
export function wideEntity(total: number): string {
  const innerFields = 99;
  const fixed = 3 + 4 + 1; // envelope, metadata, id
  const structs = Math.floor((total - fixed) / (innerFields + 1));
  const scalars = total - fixed - structs * (innerFields + 1);
  const fields = [
    ...Array.from({ length: structs }, (_, i) => `  Wide s${i} = ${i + 2};`),
    ...Array.from({ length: scalars }, (_, i) => `  int32 x${i} = ${structs + i + 2};`),
  ];
  return proto3(`message Huge {
  option (entity.v1.entity) = {};
  string id = 1;
${fields.join("\n")}
}

message Wide {
${Array.from({ length: innerFields }, (_, i) => `  int32 f${i} = ${i + 1};`).join("\n")}
}
`);
}

const hugeSource = wideEntity(10_001);

/** Four levels of 100 fields of the next level's message: 100 million columns if mapped fully. */
const fanOutSource = proto3(`message Fan {
  option (entity.v1.entity) = {};
  string id = 1;
  F1 top = 2;
}

${[1, 2, 3, 4]
  .map((level) => {
    const type = level < 4 ? `F${level + 1}` : "int32";
    return `message F${level} {\n${Array.from({ length: 100 }, (_, i) => `  ${type} f${i} = ${i + 1};`).join("\n")}\n}`;
  })
  .join("\n\n")}
`);

export const ERROR_CASES: readonly ErrorCase[] = [
  // Column names.
  entityCase({
    name: "invalid BigQuery column name from a column rename",
    body: broken(`  string note = 2 [(entity.v1.field).column = "bad-name"];`),
    at: "string note",
    subject: "test.v1.Broken.note",
    problem: ['column name "bad-name"', "not valid in BigQuery", "letters, digits and underscores"],
    fix: RENAME_FIX,
  }),
  entityCase({
    name: "invalid BigQuery column name from the plugin option column=",
    body: broken(`  string note = 2;`),
    parameter: `${PROJECT},column=test.v1.Broken.note:9lives`,
    at: "string note",
    subject: "test.v1.Broken.note",
    problem: ['column name "9lives"', "starting with a letter or underscore"],
    fix: RENAME_FIX,
  }),
  entityCase({
    name: "column name longer than 300 characters",
    body: broken(`  string note = 2 [(entity.v1.field).column = "${"n".repeat(301)}"];`),
    at: "string note",
    subject: "test.v1.Broken.note",
    problem: ["301 characters", "BigQuery allows 300"],
    fix: RENAME_FIX,
  }),
  entityCase({
    name: "two fields whose columns differ only in case",
    body: broken(`  string name = 2;\n  string Name = 3;`),
    at: "string Name",
    subject: "test.v1.Broken.Name",
    problem: ['column "Name" collides with column "name"', "test.v1.Broken.name", "unique ignoring case"],
    fix: RENAME_FIX,
  }),
  entityCase({
    name: "a rename that collides with a sibling inside a STRUCT",
    body: `${broken("  Address address = 2;")}
message Address {
  string city = 1;
  string town = 2 [(entity.v1.field).column = "CITY"];
}
`,
    at: "string town",
    subject: "test.v1.Address.town",
    problem: ['column "address.CITY" collides with column "city"', "unique ignoring case"],
    fix: ["(entity.v1.field).column", "column=test.v1.Address.town:<new_name>"],
  }),
  entityCase({
    name: "reserved prefix _PARTITION",
    body: broken("  string _PARTITIONTIME_x = 2;"),
    at: "string _PARTITIONTIME_x",
    subject: "test.v1.Broken._PARTITIONTIME_x",
    problem: ['"_PARTITIONTIME_x"', 'prefix "_PARTITION"', "BigQuery reserves"],
    fix: RENAME_FIX,
  }),
  entityCase({
    name: "reserved prefix _TABLE_, ignoring case",
    body: broken("  string _table_foo = 2;"),
    at: "string _table_foo",
    subject: "test.v1.Broken._table_foo",
    problem: ['"_table_foo"', 'prefix "_TABLE_"', "BigQuery reserves"],
    fix: RENAME_FIX,
  }),
  ...["event_id", "operation", "Occurred_At"].map((name) =>
    entityCase({
      name: `collision with the envelope column ${name}`,
      body: broken(`  string ${name} = 2;`),
      at: `string ${name}`,
      subject: `test.v1.Broken.${name}`,
      problem: [`column "${name}" collides with the envelope column "${name.toLowerCase()}"`],
      fix: [...RENAME_FIX, ...NEST_FIX],
    }),
  ),
  ...METADATA_NAMES.map((name) =>
    entityCase({
      name: `collision with the Pub/Sub metadata column ${name}`,
      body: broken(`  string ${name} = 2;`),
      at: `string ${name}`,
      subject: `test.v1.Broken.${name}`,
      problem: [`column "${name}" collides with the Pub/Sub metadata column "${name}"`, "write_metadata"],
      fix: [...RENAME_FIX, ...NEST_FIX],
    }),
  ),
  entityCase({
    name: "a rename onto a Pub/Sub metadata column",
    body: broken(`  map<string, string> labels = 2 [(entity.v1.field).column = "attributes"];`),
    at: "map<string, string> labels",
    subject: "test.v1.Broken.labels",
    problem: ['column "attributes" collides with the Pub/Sub metadata column "attributes"'],
    fix: [...RENAME_FIX, ...NEST_FIX],
  }),
  entityCase({
    name: "nest_under onto a Pub/Sub metadata column",
    body: broken("  string note = 2;", 'nest_under: "data"'),
    at: "message Broken",
    subject: "test.v1.Broken",
    problem: ['column "data" collides with the Pub/Sub metadata column "data"'],
    fix: ["another nest_under column name"],
  }),
  entityCase({
    name: "nest_under with an invalid column name",
    body: broken("  string note = 2;", 'nest_under: "the entity"'),
    at: 'nest_under: "the entity"',
    subject: "test.v1.Broken",
    problem: ["nest_under", 'column name "the entity" is not valid in BigQuery'],
    fix: ["valid column name"],
  }),
  {
    name: "more than 10,000 columns",
    files: { [ERROR_FILE]: hugeSource },
    parameter: PROJECT,
    location: `${ERROR_FILE}:${positionOf(hugeSource, "message Huge")}`,
    subject: "test.v1.Huge",
    problem: ["maps to 10001 columns", "BigQuery allows 10000", "nested columns included"],
    fix: ["(entity.v1.field).ignore = true", "split the entity"],
  },
  {
    name: "columns multiplied far beyond 10,000 by messages used at many levels",
    files: { [ERROR_FILE]: fanOutSource },
    parameter: PROJECT,
    location: `${ERROR_FILE}:${positionOf(fanOutSource, "message Fan")}`,
    subject: "test.v1.Fan",
    problem: ["maps to more than 10000 columns", "BigQuery allows 10000"],
    fix: ["(entity.v1.field).ignore = true", "split the entity"],
  },

  // The id.
  entityCase({
    name: "no id field",
    body: `message Broken {
  option (entity.v1.entity) = {};
  string key = 1;
}
`,
    at: "message Broken",
    subject: "test.v1.Broken",
    problem: ['id field "id"', 'Broken has no field "id"'],
    fix: ID_FIX,
  }),
  entityCase({
    name: "id_field path into a missing nested field",
    body: `message Broken {
  option (entity.v1.entity) = {id_field: "meta.uid"};
  Meta meta = 1;
}

message Meta {
  string id = 1;
}
`,
    at: 'id_field: "meta.uid"',
    subject: "test.v1.Broken",
    problem: ['id field "meta.uid"', 'Meta has no field "uid"'],
    fix: ID_FIX,
  }),
  entityCase({
    name: "id_field path through a field that is not a message",
    body: `message Broken {
  option (entity.v1.entity) = {id_field: "key.value"};
  string key = 1;
}
`,
    at: 'id_field: "key.value"',
    subject: "test.v1.Broken",
    problem: ['id field "key.value"', "key is not a singular message field"],
    fix: ID_FIX,
  }),
  ...(
    [
      ["a message", "Meta id = 1;", "a message (test.v1.Meta)"],
      ["a Timestamp", "google.protobuf.Timestamp id = 1;", "a message (google.protobuf.Timestamp)"],
      ["a repeated string", "repeated string id = 1;", "a repeated field"],
      ["a map", "map<string, string> id = 1;", "a map"],
      ["an enum", "Kind id = 1;", "an enum"],
      ["bytes", "bytes id = 1;", "a bytes field"],
      ["a float", "float id = 1;", "a float, double or bool field"],
      ["a double", "double id = 1;", "a float, double or bool field"],
      ["a bool", "bool id = 1;", "a float, double or bool field"],
    ] as const
  ).map(([kind, declaration, said]) =>
    entityCase({
      name: `id field that is ${kind}`,
      body: `message Broken {
  option (entity.v1.entity) = {};
  ${declaration}
}

message Meta {
  string key = 1;
}

enum Kind {
  KIND_UNSPECIFIED = 0;
}
`,
      imports: ["google/protobuf/timestamp.proto"],
      at: declaration,
      subject: "test.v1.Broken",
      problem: ['id field "id" must be a singular string or integer field', `not ${said}`],
      fix: ID_FIX,
    }),
  ),
  entityCase({
    name: "id field in a oneof",
    body: `message Broken {
  option (entity.v1.entity) = {};
  oneof key {
    string id = 1;
    int64 number = 2;
  }
}
`,
    at: "string id",
    subject: "test.v1.Broken",
    problem: ['id field "id"', "member of oneof key", "may be unset"],
    fix: ID_FIX,
  }),
  entityCase({
    name: "ignored id field",
    body: `message Broken {
  option (entity.v1.entity) = {};
  string id = 1 [(entity.v1.field).ignore = true];
  string name = 2;
}
`,
    at: "string id",
    subject: "test.v1.Broken",
    problem: ['id field "id" is ignored', "never leaves the producer"],
    fix: ID_FIX,
  }),
  {
    name: "bad id path of an entity selected with entity=",
    files: { [ERROR_FILE]: proto3("message Order {\n  string order_id = 1;\n}\n") },
    parameter: `${PROJECT},entity=test.v1.Order`,
    location: `${ERROR_FILE}:${positionOf(proto3("message Order {\n  string order_id = 1;\n}\n"), "message Order")}`,
    subject: "test.v1.Order",
    problem: ['id field "id"', 'Order has no field "id"'],
    fix: ["plugin option entity=test.v1.Order:<field.path>"],
  },

  // Topic, table, dataset, owner.
  ...(
    [
      ["too short", "ab", "has 2 characters; Pub/Sub requires 3 to 255"],
      ["with a space", "meter readings", "may only contain letters, digits and - _ . ~ + %"],
      ["with a slash", "meter/readings", "may only contain letters, digits and - _ . ~ + %"],
      ["starting with a digit", "1readings", "must start with a letter"],
      ["starting with goog", "google_readings", 'must not start with "goog"'],
    ] as const
  ).map(([kind, topic, said]) =>
    entityCase({
      name: `topic name ${kind}`,
      body: broken("", `topic: "${topic}" table: "readings"`),
      at: `topic: "${topic}"`,
      subject: "test.v1.Broken",
      problem: [`topic name "${topic}"`, said],
      fix: ["set topic in the (entity.v1.entity) option of Broken"],
    }),
  ),
  entityCase({
    name: "table name taken from a topic with '-' and no table option",
    body: broken("", 'topic: "meter-readings"'),
    // No table setting to point at: the option that would hold it.
    at: '(entity.v1.entity) = {topic: "meter-readings"}',
    subject: "test.v1.Broken",
    problem: ['table name "meter-readings" is not valid in BigQuery'],
    fix: ["set table in the (entity.v1.entity) option of Broken"],
  }),
  entityCase({
    name: "invalid dataset name",
    body: broken("", 'dataset: "my-dataset"'),
    at: 'dataset: "my-dataset"',
    subject: "test.v1.Broken",
    problem: ['dataset name "my-dataset" is not valid in BigQuery'],
    fix: ["set dataset in the (entity.v1.entity) option of Broken", "plugin option dataset="],
  }),
  entityCase({
    name: "owner that is no BigQuery label value",
    body: broken("", 'owner: "Data Team"'),
    at: 'owner: "Data Team"',
    subject: "test.v1.Broken",
    problem: ['owner "Data Team"', "not a valid BigQuery label value"],
    fix: ["lowercase letters, digits, _ and -"],
  }),
  entityCase({
    name: "two entities with the same topic",
    body: `message First {
  option (entity.v1.entity) = {topic: "shared" table: "first"};
  string id = 1;
}

message Second {
  option (entity.v1.entity) = {topic: "shared" table: "second"};
  string id = 1;
}
`,
    at: "message Second",
    subject: "test.v1.Second",
    problem: ['topic "shared" is already the topic of test.v1.First'],
    fix: ["(entity.v1.entity).topic"],
  }),
  entityCase({
    name: "two entities with the same table, ignoring case",
    body: `message First {
  option (entity.v1.entity) = {table: "rows"};
  string id = 1;
}

message Second {
  option (entity.v1.entity) = {table: "Rows"};
  string id = 1;
}
`,
    at: "message Second",
    subject: "test.v1.Second",
    problem: ["table test_v1.Rows is already the table of test.v1.First"],
    fix: ["(entity.v1.entity).table or .dataset"],
  }),

  // References.
  entityCase({
    name: "references to a message that is not an entity",
    body: `${broken('  string other_id = 2 [(entity.v1.field).references = "test.v1.Other"];')}
message Other {
  string id = 1;
}
`,
    at: '(entity.v1.field).references = "test.v1.Other"',
    subject: "test.v1.Broken.other_id",
    problem: ['references "test.v1.Other"', "not an entity of this run"],
    fix: ["(entity.v1.entity)", "fully qualified name"],
  }),
  entityCase({
    name: "references to an entity whose id has another type",
    body: `${broken('  int64 other_id = 2 [(entity.v1.field).references = "test.v1.Other"];')}
message Other {
  option (entity.v1.entity) = {};
  string id = 1;
}
`,
    at: "int64 other_id",
    subject: "test.v1.Broken.other_id",
    problem: ["is INT64 but references the id of test.v1.Other, which is STRING"],
    fix: ["same type as the referenced id"],
  }),

  // Measures.
  entityCase({
    name: "MEASURE_NONE listed with other measures",
    body: broken("  double power_w = 2 [(entity.v1.field) = {measures: [MEASURE_NONE, MEASURE_SUM]}];"),
    at: "double power_w",
    subject: "test.v1.Broken.power_w",
    problem: ["lists MEASURE_NONE together with other measures"],
    fix: ["MEASURE_NONE] alone", "only the measures you want"],
  }),
  entityCase({
    name: "MEASURE_UNSPECIFIED listed as a measure",
    body: broken("  double power_w = 2 [(entity.v1.field).measures = MEASURE_UNSPECIFIED];"),
    at: "double power_w",
    subject: "test.v1.Broken.power_w",
    problem: ["lists MEASURE_UNSPECIFIED"],
    fix: ["MEASURE_SUM", "leave measures out"],
  }),
  entityCase({
    name: "measures on a field that is not a number",
    body: broken("  string label = 2 [(entity.v1.field).measures = MEASURE_SUM];"),
    at: "string label",
    subject: "test.v1.Broken.label",
    problem: ["picks measures, but its column is STRING"],
    fix: ["remove (entity.v1.field).measures"],
  }),

  // Plugin options.
  {
    name: "entity= naming a message that does not exist",
    files: { [ERROR_FILE]: proto3("message Order {\n  string id = 1;\n}\n") },
    parameter: `${PROJECT},entity=test.v1.Ordre`,
    location: PLUGIN_OPTIONS,
    subject: "entity=test.v1.Ordre",
    problem: ["no message test.v1.Ordre in the input"],
    fix: ["check the spelling", "buf's input"],
  },
  entityCase({
    name: "entity= on a message that is already annotated",
    body: broken(""),
    parameter: `${PROJECT},entity=test.v1.Broken`,
    at: "message Broken",
    subject: "test.v1.Broken",
    problem: ["(entity.v1.entity) annotation and again by the plugin option entity="],
    fix: ["remove entity=test.v1.Broken"],
  }),
  entityCase({
    name: "topic schema over Pub/Sub's 300 KB",
    // 300 fields whose 1,000-character comments become the topic schema's comments.
    body: broken(
      Array.from({ length: 300 }, (_, i) => `  // ${`Field ${i} of a very long contract. `.repeat(30).slice(0, 1000)}\n  string f${i} = ${i + 2};`).join("\n"),
    ),
    at: "message Broken",
    subject: "test.v1.Broken",
    problem: ["its topic schema broken.proto would have", "bytes; Pub/Sub accepts at most 307,200"],
    fix: ["[(entity.v1.field).ignore = true]", "shorten their comments"],
  }),
  entityCase({
    name: "two entities of one file whose event classes would share a file",
    body: `message Outer {
  message Item {
    option (entity.v1.entity) = {topic: "outer_items"};
    string id = 1;
  }
}

message Other {
  message Item {
    option (entity.v1.entity) = {topic: "other_items"};
    string id = 1;
  }
}`,
    at: `message Item {
    option (entity.v1.entity) = {topic: "other_items"};`,
    subject: "test.v1.Other.Item",
    problem: ["ts/src/test/v1/item_event.ts", "which test.v1.Outer.Item already takes"],
    fix: ["rename one of the two messages", "a .proto file of its own"],
  }),
  {
    name: "column= naming a field that does not exist",
    files: { [ERROR_FILE]: proto3(broken("")) },
    parameter: `${PROJECT},column=test.v1.Broken.nmae:label`,
    location: PLUGIN_OPTIONS,
    subject: "column=test.v1.Broken.nmae",
    problem: ["no field test.v1.Broken.nmae in the input"],
    fix: ["check the spelling (package.Message.field)"],
  },
  {
    name: "nest= naming a message that is not an entity",
    files: { [ERROR_FILE]: proto3(`${broken("")}\nmessage Plain {\n  string id = 1;\n}\n`) },
    parameter: `${PROJECT},nest=test.v1.Plain:payload`,
    location: PLUGIN_OPTIONS,
    subject: "nest=test.v1.Plain",
    problem: ["test.v1.Plain is not an entity"],
    fix: ["(entity.v1.entity) or selected with entity="],
  },
  {
    name: "nest= naming a message that does not exist",
    files: { [ERROR_FILE]: proto3(broken("")) },
    parameter: `${PROJECT},nest=test.v1.Brokn:payload`,
    location: PLUGIN_OPTIONS,
    subject: "nest=test.v1.Brokn",
    problem: ["no message test.v1.Brokn in the input"],
    fix: ["(entity.v1.entity) or selected with entity="],
  },
  {
    name: "unknown plugin option",
    files: { [ERROR_FILE]: proto3(broken("")) },
    parameter: `${PROJECT},colour=red`,
    location: undefined,
    subject: "colour=red",
    problem: ['unknown plugin option "colour"'],
    fix: ["known options: project, dataset, entity, column, nest"],
  },
  {
    name: "missing project option",
    files: { [ERROR_FILE]: proto3(broken("")) },
    parameter: "",
    location: PLUGIN_OPTIONS,
    subject: "project",
    problem: ["no GCP project is set"],
    fix: ["project=<gcp-project-id>", "buf.gen.yaml"],
  },

  // Freshness.
  ...["6 hours", "0h", "90s", "1w"].map((text) =>
    entityCase({
      name: `freshness text "${text}"`,
      body: broken("", `freshness: {warn_after: "${text}"}`),
      at: `warn_after: "${text}"`,
      subject: "test.v1.Broken",
      problem: [`freshness warn_after "${text}" is not a duration like 30m, 6h or 2d`],
      fix: ["set freshness.warn_after in the (entity.v1.entity) option of Broken"],
    }),
  ),
  ...(
    [
      ["2d", "1d"],
      ["1d", "24h"],
    ] as const
  ).map(([warn, error]) =>
    entityCase({
      name: `freshness warn_after ${warn} not shorter than error_after ${error}`,
      body: broken("", `freshness: {warn_after: "${warn}" error_after: "${error}"}`),
      at: `warn_after: "${warn}"`,
      subject: "test.v1.Broken",
      problem: [`freshness warn_after (${warn}) must be shorter than error_after (${error})`],
      fix: ["set freshness in the (entity.v1.entity) option of Broken"],
    }),
  ),

  // Partitioning and clustering.
  ...(
    [
      ["a column that does not exist", "created_at", ""],
      ["a STRING column", "note", "  string note = 2;"],
      ["a repeated TIMESTAMP column", "seen_at", "  repeated google.protobuf.Timestamp seen_at = 2;"],
      ["a nested TIMESTAMP column", "inner.at", "  Inner inner = 2;"],
    ] as const
  ).map(([kind, column, fields]) =>
    entityCase({
      name: `partitioning by ${kind}`,
      body: `${broken(fields, `partitioning: {column: "${column}"}`)}
message Inner {
  google.protobuf.Timestamp at = 1;
}
`,
      imports: ["google/protobuf/timestamp.proto"],
      at: `column: "${column}"`,
      subject: "test.v1.Broken",
      problem: [`partitioning column "${column}" must be a top-level, non-repeated TIMESTAMP, DATE or DATETIME column`],
      fix: ["set partitioning in the (entity.v1.entity) option of Broken"],
    }),
  ),
  entityCase({
    name: "partitioning a DATE column by HOUR",
    body: broken("  google.type.Date day = 2;", 'partitioning: {column: "day" granularity: GRANULARITY_HOUR}'),
    imports: ["google/type/date.proto"],
    at: 'column: "day"',
    subject: "test.v1.Broken",
    problem: ['partitioning column "day" is a DATE and cannot be partitioned by HOUR'],
    fix: ["set partitioning in the (entity.v1.entity) option of Broken"],
  }),
  ...(
    [
      ["a column that does not exist", 'cluster_by: "nope"', 'cluster_by column "nope" is not a top-level column', 'cluster_by: "nope"'],
      ["five columns", 'cluster_by: ["id", "a", "b", "c", "occurred_at"]', "cluster_by names 5 columns; BigQuery clusters by at most 4", "cluster_by: ["],
      ["a column twice", 'cluster_by: ["a", "a"]', "cluster_by names a column twice", "cluster_by: ["],
      ["a JSON column", 'cluster_by: "attributes"', 'cluster_by column "attributes" is JSON', 'cluster_by: "attributes"'],
      ["a FLOAT64 column", 'cluster_by: "ratio"', 'cluster_by column "ratio" is FLOAT64', 'cluster_by: "ratio"'],
      ["a repeated column", 'cluster_by: "tags"', 'cluster_by column "tags" is repeated', 'cluster_by: "tags"'],
      ["a STRUCT column", 'cluster_by: "inner"', 'cluster_by column "inner" is STRUCT', 'cluster_by: "inner"'],
    ] as const
  ).map(([kind, option, said, at]) =>
    entityCase({
      name: `cluster_by ${kind}`,
      body: `${broken(
        `  string a = 2;
  string b = 3;
  string c = 4;
  double ratio = 5;
  repeated string tags = 6;
  Inner inner = 7;`,
        option,
      )}
message Inner {
  string v = 1;
}
`,
      at,
      subject: "test.v1.Broken",
      problem: [said],
      fix: ["set cluster_by in the (entity.v1.entity) option of Broken"],
    }),
  ),

  // Governance.
  entityCase({
    name: "policy tag that is not a resource name",
    body: broken('  string iban = 2 [(entity.v1.field).policy_tag = "pii-high"];'),
    at: "string iban",
    subject: "test.v1.Broken.iban",
    problem: ['policy tag "pii-high" is not a policy tag resource name'],
    fix: ["projects/<project>/locations/<location>/taxonomies/<taxonomy>/policyTags/<tag>"],
  }),

  // Topic schema and table shape.
  ...[100001, 100002, 100003].map((number) =>
    entityCase({
      name: `field number ${number}, used by the envelope`,
      body: broken(`  string extra = ${number};`),
      at: "string extra",
      subject: "test.v1.Broken.extra",
      problem: [`field number ${number} is used by the event envelope`],
      fix: ["use another field number", ...NEST_FIX],
    }),
  ),
  entityCase({
    name: "message whose fields are all ignored, used as a STRUCT",
    body: `${broken("  Secrets secrets = 2;")}
message Secrets {
  string token = 1 [(entity.v1.field).ignore = true];
}
`,
    at: "message Secrets",
    subject: "test.v1.Secrets",
    problem: ["has no fields to store", 'column "secrets"'],
    fix: ["add a field to the message", "(entity.v1.field).ignore = true"],
  }),
];
