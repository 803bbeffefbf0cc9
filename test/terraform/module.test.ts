/**
 * The generated Terraform module read as data: every entity of the example domain and of a
 * googleapis run has its Pub/Sub schema, topic, BigQuery subscription, dead-letter path, the
 * service agent's grants, its table with the generated schema and its views; every freshness
 * threshold has its alert, of the right kind, duration and severity. And after a release and a
 * change that adds a field in the middle of the contract, the table's columns are in the order
 * the live table has them (the migration applied by ZetaSQL to the released table).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import type { Entity } from "../../plugin/src/model/types.js";
import { readRelations } from "../../plugin/src/physical/bigquery-names.js";
import { modelOfCompiled } from "../model/support.js";
import { compileGoogleapis } from "../harness/buf/googleapis.js";
import { compileExample, compileProtos, exampleParameter, generateExample, runPlugin } from "../harness/buf/protos.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { applyMigration, LockedWorkspace, migrationFiles, shipmentProto, TABLE, tableSchemaFile, TYPE_NAME, V1 } from "../evolution/support.js";
import { block, inProject, keyOf, literalValue, readModule, resourceOf, type TerraformModule } from "../harness/opentofu/module.js";

type Json = Record<string, unknown>;

const SERVICE_AGENT = "${local.pubsub_service_agent}";
const MAX_ABSENCE_SECONDS = 84_600;

interface Run {
  readonly files: Map<string, string>;
  readonly entities: readonly Entity[];
  readonly module: TerraformModule;
}

function exampleRun(): Run {
  const files = generateExample();
  return { files, entities: modelOfCompiled(compileExample(), exampleParameter()).entities, module: readModule(files) };
}

function googleapisRun(): Run {
  const { compiled, parameter } = compileGoogleapis();
  const files = runPlugin(compiled, parameter);
  return { files, entities: modelOfCompiled(compiled, parameter).entities, module: readModule(files) };
}

const names = (fields: readonly BigQueryField[]) => fields.map((f) => f.name);

/** Every check of one entity's deployment, as the operations reference demands it. */
function expectDeployed(run: Run, entity: Entity): void {
  const { module, files } = run;
  const key = keyOf(entity);
  const at = entity.typeName;

  const schema = resourceOf(module, "google_pubsub_schema", key);
  expect(literalValue(schema.definition as string), at).toBe(files.get(`pubsub/${entity.topic}.proto`));

  const topic = resourceOf(module, "google_pubsub_topic", key);
  expect(topic.name, at).toBe(`\${var.name_prefix}${entity.topic}`);
  expect(block(topic, "schema_settings"), at).toEqual({ schema: `\${google_pubsub_schema.${key}.id}`, encoding: "BINARY" });

  const subscription = resourceOf(module, "google_pubsub_subscription", key);
  expect(subscription.topic, at).toBe(`\${google_pubsub_topic.${key}.id}`);
  expect(block(subscription, "bigquery_config"), at).toEqual({
    table: `\${google_bigquery_table.${key}.project}.\${google_bigquery_table.${key}.dataset_id}.\${google_bigquery_table.${key}.table_id}`,
    use_topic_schema: true,
    write_metadata: true,
    drop_unknown_fields: false,
  });
  expect(subscription.enable_message_ordering, at).toBe(false);
  expect(block(subscription, "expiration_policy"), at).toEqual({ ttl: "" });
  expect(subscription.message_retention_duration, at).toBe("${var.message_retention_duration}");
  const deadLetterTopicKey = `${key}__dead_letter`;
  expect(block(subscription, "dead_letter_policy"), at).toEqual({
    dead_letter_topic: `\${google_pubsub_topic.${deadLetterTopicKey}.id}`,
    max_delivery_attempts: "${var.max_delivery_attempts}",
  });

  // Dead letters: a topic without schema, written by its own subscription into a table.
  const deadLetterTopic = resourceOf(module, "google_pubsub_topic", deadLetterTopicKey);
  expect(deadLetterTopic.schema_settings, at).toBeUndefined();
  const deadLetterSubscription = resourceOf(module, "google_pubsub_subscription", deadLetterTopicKey);
  expect(deadLetterSubscription.topic, at).toBe(`\${google_pubsub_topic.${deadLetterTopicKey}.id}`);
  expect(block(deadLetterSubscription, "bigquery_config"), at).toMatchObject({ use_topic_schema: false, write_metadata: true });
  expect(block(deadLetterSubscription, "bigquery_config").table, at).toContain(`google_bigquery_table.${key}__dead_letter.table_id`);
  expect(block(deadLetterSubscription, "expiration_policy"), at).toEqual({ ttl: "" });
  const deadLetterTable = resourceOf(module, "google_bigquery_table", `${key}__dead_letter`);
  expect(names(JSON.parse(deadLetterTable.schema as string) as BigQueryField[]), at).toEqual(["subscription_name", "message_id", "publish_time", "data", "attributes"]);
  expect(deadLetterTable.deletion_protection, at).toBe(true);

  // The service agent: publisher on the dead-letter topic, subscriber on the source subscription,
  // data editor on both tables, metadata viewer on the dataset.
  expect(resourceOf(module, "google_pubsub_topic_iam_member", `${key}__dead_letter_publisher`), at).toMatchObject({
    topic: `\${google_pubsub_topic.${deadLetterTopicKey}.name}`,
    role: "roles/pubsub.publisher",
    member: SERVICE_AGENT,
  });
  expect(resourceOf(module, "google_pubsub_subscription_iam_member", `${key}__dead_letter_subscriber`), at).toMatchObject({
    subscription: `\${google_pubsub_subscription.${key}.name}`,
    role: "roles/pubsub.subscriber",
    member: SERVICE_AGENT,
  });
  for (const table of [key, `${key}__dead_letter`]) {
    expect(resourceOf(module, "google_bigquery_table_iam_member", table === key ? `${key}__writer` : `${key}__dead_letter_writer`), at).toMatchObject({
      table_id: `\${google_bigquery_table.${table}.table_id}`,
      role: "roles/bigquery.dataEditor",
      member: SERVICE_AGENT,
    });
  }
  const datasetKey = entity.dataset.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^(?=[^A-Za-z_])/, "_");
  expect(resourceOf(module, "google_bigquery_dataset_iam_member", `${datasetKey}__pubsub_metadata_viewer`), at).toMatchObject({
    dataset_id: entity.dataset,
    role: "roles/bigquery.metadataViewer",
    member: SERVICE_AGENT,
  });
  // Pub/Sub checks its permissions when it creates a BigQuery subscription.
  expect(subscription.depends_on, at).toEqual(expect.arrayContaining([`google_bigquery_table_iam_member.${key}__writer`]));

  // The table: the generated JSON schema (no release in these runs), partitioning, clustering, protection.
  const table = resourceOf(module, "google_bigquery_table", key);
  expect(table.dataset_id, at).toBe(entity.dataset);
  expect(table.table_id, at).toBe(entity.table);
  expect(JSON.parse(table.schema as string), at).toEqual(JSON.parse(files.get(`bigquery/${entity.dataset}/${entity.table}.schema.json`)!));
  expect(block(table, "time_partitioning"), at).toMatchObject({ type: entity.partitioning.granularity, field: entity.partitioning.column });
  expect(table.require_partition_filter, at).toBe(entity.partitioning.requirePartitionFilter);
  expect(table.clustering ?? [], at).toEqual(entity.clustering);
  expect(table.deletion_protection, at).toBe(true);
  expect(table.labels, at).toContain('generated_by = "protoc-gen-entity"');
  if (entity.owner !== undefined) expect(table.labels, at).toContain(`owner = "${entity.owner}"`);

  // The views: the generated view SQL, as a view resource over the deployment's project.
  // Only the views the entity has (readRelations): none BigQuery would reject, none for an append-only latest state.
  const reads = readRelations(entity);
  const views = [...(reads.eventsView ? [["events", `${entity.table}_events`]] : []), ...(reads.latestView ? [["latest", `${entity.table}_latest`]] : [])];
  for (const suffix of ["events", "latest"]) {
    if (!views.some(([s]) => s === suffix)) expect(module.resource.google_bigquery_table?.[`${key}__${suffix}`], at).toBeUndefined();
  }
  if (reads.latest === "table") {
    const state = resourceOf(module, "google_bigquery_table", `${key}__latest_state`);
    expect(JSON.parse(state.schema as string), at).toEqual(JSON.parse(files.get(`bigquery/${entity.dataset}/${entity.table}_latest_state.schema.json`)!));
    const merge = resourceOf(module, "google_bigquery_data_transfer_config", `${key}__latest_state`);
    expect(merge.schedule, at).toBe("${var.latest_state_schedule}");
    const statement = files.get(`bigquery/${entity.dataset}/${entity.table}_latest_state.merge.sql`)!;
    expect(statement.endsWith(literalValue(inProject((merge.params as Json).query as string, entity.project))), at).toBe(true);
  }
  for (const [suffix, viewName] of views) {
    const view = resourceOf(module, "google_bigquery_table", `${key}__${suffix}`);
    expect(view.table_id, at).toBe(viewName);
    const { query, use_legacy_sql } = block(view, "view");
    expect(use_legacy_sql, at).toBe(false);
    const sql = files.get(`bigquery/${entity.dataset}/${viewName}.sql`)!;
    expect(sql.endsWith(`\nAS\n${literalValue(inProject(query as string, entity.project))};\n`), `${at} ${viewName}`).toBe(true);
  }

  expectAlerts(run, entity);
}

function expectAlerts({ module }: Run, entity: Entity): void {
  const key = keyOf(entity);
  const policies = module.resource.google_monitoring_alert_policy ?? {};
  const thresholds = [
    ["warn", "WARNING", entity.freshness.warnAfter],
    ["error", "ERROR", entity.freshness.errorAfter],
  ] as const;
  for (const [word, severity, after] of thresholds) {
    const policy = policies[`${key}__freshness_${word}`];
    if (after === undefined || after.seconds > MAX_ABSENCE_SECONDS) {
      expect(policy, `${entity.typeName} ${word}`).toBeUndefined();
      continue;
    }
    expect(policy, `${entity.typeName} ${word}`).toBeDefined();
    expect(policy.severity).toBe(severity);
    expect(policy.notification_channels).toBe("${var.notification_channels}");
    const condition = block(block(policy, "conditions"), "condition_absent");
    expect(condition.duration).toBe(`${after.seconds}s`);
    expect(condition.filter).toContain('metric.type = "pubsub.googleapis.com/topic/send_request_count"');
    expect(condition.filter).toContain(`resource.label.topic_id = "\${google_pubsub_topic.${key}.name}"`);
  }
  // A longer threshold: a scheduled query over the freshness view that names the entity.
  const checks = module.resource.google_bigquery_data_transfer_config ?? {};
  for (const [word, , after] of thresholds) {
    if (after === undefined || after.seconds <= MAX_ABSENCE_SECONDS) continue;
    const check = Object.values(checks).find((c) => c.display_name === `Entity freshness ${word}: ${entity.dataset}`);
    expect(check, `${entity.typeName} ${word}`).toBeDefined();
    expect(check!.data_source_id).toBe("scheduled_query");
    const query = (check!.params as Json).query as string;
    expect(query).toContain(`"${entity.typeName}"`);
    expect(query).toContain("ERROR(");
    expect(query).toContain(`\`\${var.project_id}.${entity.dataset}.entity_freshness\``);
  }
  const deadLetters = policies[`${key}__dead_letters`];
  expect(block(block(deadLetters, "conditions"), "condition_threshold").filter).toContain("subscription/dead_letter_message_count");
  const backlog = policies[`${key}__oldest_unacked`];
  expect(block(block(backlog, "conditions"), "condition_threshold").filter).toContain("subscription/oldest_unacked_message_age");
  expect(new Set([deadLetters.severity, backlog.severity])).toEqual(new Set(["ERROR", "WARNING"]));
}

describe("the Terraform module of the example domain", () => {
  const run = exampleRun();

  it("deploys every entity: schema, topic, subscription, dead letters, grants, table, views, alerts", () => {
    expect(run.entities.length).toBeGreaterThan(5);
    for (const entity of run.entities) expectDeployed(run, entity);
  });

  it("has both kinds of freshness alert: metric absence up to 23.5 h, a scheduled query beyond", () => {
    const policies = Object.keys(run.module.resource.google_monitoring_alert_policy ?? {}).filter((k) => k.includes("__freshness_"));
    expect(policies.length).toBeGreaterThan(0);
    // SmartMeter errors after 2 days: only a scheduled query can tell.
    const smartMeter = run.entities.find((e) => e.typeName === "energy.metering.v1.SmartMeter")!;
    expect(smartMeter.freshness.errorAfter!.seconds).toBeGreaterThan(MAX_ABSENCE_SECONDS);
    expect(Object.keys(run.module.resource.google_bigquery_data_transfer_config ?? {})).toContain("energy_metering_v1__entity_freshness__error");
  });

  it("outputs the ids of every entity's topic, subscription and table", () => {
    for (const output of ["topic_ids", "subscription_ids", "table_ids", "dead_letter_table_ids"]) {
      const value = run.module.output[output].value as string;
      for (const entity of run.entities) expect(value, output).toContain(`"${entity.typeName}" = `);
    }
  });

  it("keeps a literal that looks like a template (a comment with ${…} or %{…}) literal", () => {
    const proto = [
      'syntax = "proto3";',
      "package tmpl.v1;",
      'import "entity/v1/options.proto";',
      "// Costs ${price} per %{unit}, says the comment.",
      "message Offer {",
      "  option (entity.v1.entity) = {};",
      "  // The offer's id, not ${id}.",
      "  string id = 1;",
      "}",
      "",
    ].join("\n");
    const files = runPlugin(compileProtos({ "tmpl/v1/offer.proto": proto }));
    const module = readModule(files);
    const text = files.get("terraform/tmpl_v1__offer.tf.json")!;
    expect(text).toContain("Costs $${price} per %%{unit}");
    expect(text).not.toMatch(/[^$]\$\{price\}/);
    // Terraform reads `$${` back as `${`: the definition is the topic schema's text.
    const definition = resourceOf(module, "google_pubsub_schema", "tmpl_v1__offer").definition as string;
    expect(literalValue(definition)).toBe(files.get("pubsub/offer.proto"));
  });

  it("refuses an entity whose topic or table is another entity's dead-letter topic or table, before writing anything", () => {
    const proto = [
      'syntax = "proto3";',
      "package clash.v1;",
      'import "entity/v1/options.proto";',
      "// An order.",
      "message Order {",
      '  option (entity.v1.entity) = {topic: "orders"};',
      "  string id = 1;",
      "}",
      "// Looks like the dead letters of Order.",
      "message OrderFailure {",
      '  option (entity.v1.entity) = {topic: "orders-dead-letter" table: "orders_dead_letter"};',
      "  string id = 1;",
      "}",
      "",
    ].join("\n");
    const error = (() => {
      try {
        runPlugin(compileProtos({ "clash/v1/order.proto": proto }));
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("expected the plugin to refuse");
    })();
    expect(error).toContain("its dead-letter topic orders-dead-letter is the topic of clash.v1.OrderFailure");
    expect(error).toContain("its dead-letter table clash_v1.orders_dead_letter has the name of a table or view of clash.v1.OrderFailure");
    expect(error).toContain("(entity.v1.entity).topic");
  });

  it("is the module the repository commits (no retired pubsub manifest next to it)", () => {
    expect([...run.files.keys()].filter((n) => n.endsWith(".manifest.json"))).toEqual([]);
  });
});

describe("the Terraform module of a googleapis run", () => {
  it("deploys every entity as the example's", () => {
    const run = googleapisRun();
    expect(run.entities.length).toBeGreaterThan(3);
    for (const entity of run.entities) expectDeployed(run, entity);
  });
});

let zetasql: ZetaSqlSession;

beforeAll(async () => {
  zetasql = await startZetaSql({ alterTable: true });
});

afterAll(async () => {
  await zetasql?.stop();
});

describe("the scheduled freshness check, run by ZetaSQL's reference engine over the freshness view's rows", () => {
  const run = exampleRun();
  const check = run.module.resource.google_bigquery_data_transfer_config.energy_metering_v1__entity_freshness__error;
  const project = "acme-energy";
  const query = literalValue(inProject((check.params as Json).query as string, project));
  const view: BigQueryField[] = [
    { name: "entity", type: "STRING", mode: "NULLABLE" },
    { name: "status", type: "STRING", mode: "NULLABLE" },
    { name: "is_stale", type: "BOOLEAN", mode: "NULLABLE" },
    { name: "data_in_window", type: "BOOLEAN", mode: "NULLABLE" },
    { name: "lag_seconds", type: "INTEGER", mode: "NULLABLE" },
    { name: "warn_after_seconds", type: "INTEGER", mode: "NULLABLE" },
    { name: "error_after_seconds", type: "INTEGER", mode: "NULLABLE" },
  ];
  const rows = (smartMeterStatus: string, dataInWindow = true) => [
    {
      name: `${project}.energy_metering_v1.entity_freshness`,
      schema: view,
      rows: [
        {
          entity: "energy.metering.v1.SmartMeter",
          status: smartMeterStatus,
          is_stale: smartMeterStatus === "WARN" || smartMeterStatus === "ERROR",
          data_in_window: dataInWindow,
          lag_seconds: dataInWindow ? 180_000 : 345_600,
          warn_after_seconds: 43_200,
          error_after_seconds: 172_800,
        },
        // Late too, but watched by its metric-absence alert, not by this query.
        { entity: "energy.metering.v1.MeterReading", status: "ERROR", is_stale: true, data_in_window: false, lag_seconds: 7_200, warn_after_seconds: 1_800, error_after_seconds: 7_200 },
      ],
    },
  ];

  it("succeeds while the entity is fresh (or only warned about)", async () => {
    for (const status of ["OK", "WARN"]) expect(await zetasql.evaluate(query, rows(status))).toEqual([{ freshness: "fresh" }]);
  });

  it("fails, counting and naming the late entity with its lag and threshold, also when it has been silent for the whole window", async () => {
    await expect(zetasql.evaluate(query, rows("ERROR"))).rejects.toThrow(
      /stale entities \(error\): 1: energy\.metering\.v1\.SmartMeter: status ERROR, lag 180000 s, threshold 172800 s/,
    );
    await expect(zetasql.evaluate(query, rows("ERROR", false))).rejects.toThrow(
      /stale entities \(error\): 1: energy\.metering\.v1\.SmartMeter: status ERROR, lag 345600 s or more \(no event in the lookback window\), threshold 172800 s/,
    );
  });
});

describe("the scheduled activity check, run by ZetaSQL's reference engine over the activity view's rows", () => {
  const run = exampleRun();
  const check = run.module.resource.google_bigquery_data_transfer_config.energy_metering_v1__entity_activity;
  const project = "acme-energy";
  const query = literalValue(inProject((check.params as Json).query as string, project));
  const view: BigQueryField[] = [
    { name: "entity", type: "STRING", mode: "NULLABLE" },
    { name: "events", type: "INTEGER", mode: "NULLABLE" },
    { name: "window_seconds", type: "INTEGER", mode: "NULLABLE" },
    { name: "usual_events", type: "FLOAT", mode: "NULLABLE" },
    { name: "status", type: "STRING", mode: "NULLABLE" },
    { name: "is_low", type: "BOOLEAN", mode: "NULLABLE" },
  ];
  const rows = (readingStatus: string) => [
    {
      name: `${project}.energy_metering_v1.entity_activity`,
      schema: view,
      rows: [
        { entity: "energy.metering.v1.MeterReading", events: 120, window_seconds: 3600, usual_events: 1000.5, status: readingStatus, is_low: readingStatus === "LOW" },
        { entity: "energy.metering.v1.SmartMeter", events: 0, window_seconds: 3600, usual_events: 2, status: "NO_BASELINE", is_low: false },
      ],
    },
  ];

  it("is created unless its schedule is empty", () => {
    expect(check.count).toBe('${var.activity_check_schedule == "" ? 0 : 1}');
  });

  it("succeeds at the usual level or without a baseline, and fails naming the entity far below it", async () => {
    for (const status of ["OK", "NO_BASELINE"]) expect(await zetasql.evaluate(query, rows(status))).toEqual([{ activity: "usual" }]);
    await expect(zetasql.evaluate(query, rows("LOW"))).rejects.toThrow(
      /entities far below their usual activity: 1: energy\.metering\.v1\.MeterReading: 120 events in the last 3600 s, usually 1000\.5/,
    );
  });
});

describe("the table's column order after a release", () => {
  let workspace: LockedWorkspace;

  beforeAll(() => {
    workspace = new LockedWorkspace();
  });

  afterAll(() => workspace?.dispose());

  it("is the live table's: a field declared in the middle of the contract comes last, as BigQuery appended it", async () => {
    const released = workspace.release(shipmentProto(V1));
    const releasedTable = tableSchemaFile(released);
    // The new field is declared right after the id, not at the end.
    const changed = shipmentProto(V1).replace("  string id = 1;\n", "  string id = 1;\n  // The carrier's name.\n  string carrier = 9;\n");
    const files = workspace.generate(changed);
    const [[, migration]] = [...migrationFiles(files)];
    const live = await applyMigration(zetasql, releasedTable, migration, undefined);

    const module = readModule(files);
    const key = `${workspace.lock().entities[TYPE_NAME].dataset}__${TABLE}`;
    const deployed = JSON.parse(resourceOf(module, "google_bigquery_table", key).schema as string) as BigQueryField[];
    expect(names(deployed)).toEqual(names(live));
    expect(names(deployed).at(-1)).toBe("carrier");
    // The contract's order differs: that is what Terraform must not be given.
    expect(names(tableSchemaFile(files))).not.toEqual(names(live));
  });
});
