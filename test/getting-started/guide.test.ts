/**
 * docs/getting-started.md, followed by a new user in an empty directory: the plugin packed from
 * this repository (`npm pack`, as it would be published), installed with buf and protoc-gen-es
 * into a fresh project with nothing of this repository beside it, the guide's buf.yaml,
 * buf.gen.yaml and contracts (google/type, and googleapis files with imports of their own), every
 * command of the guide in order (guide-steps.ts: the stand-ins for the registry and the Looker
 * repository). Then every generated artifact goes through the checks the example domain goes
 * through: buf compiles each topic schema alone and it fits its table, ZetaSQL analyzes the DDL,
 * the views and dbt's test and freshness queries, the dbt files validate against dbt's JSON
 * schemas, lookml-parser resolves the LookML project, tsc builds the package strictly and a fresh
 * consumer imports it and sends an event that decodes back.
 *
 * The same run without `include_imports: true` stops at generation with the error that names the
 * missing module, the entity and the fix, writes no generated file and publishes nothing.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { listFiles } from "../../plugin/src/cli/generated-files.js";
import { checkTopicSchemaAgainstTable } from "../../plugin/src/compat/index.js";
import { tableSchema, type BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { buildTopicSchema, topicSchemaDescriptor } from "../../plugin/src/physical/topic-schema.js";
import type { Model } from "../../plugin/src/model/types.js";
import { analyzeAll, generatedBigQuery } from "../harness/zetasql/generated-bigquery.js";
import { ACTIVITY_VIEW, bigQueryNames, FRESHNESS_VIEW } from "../../plugin/src/physical/bigquery-names.js";
import { asSchema, schemaShape } from "../bigquery/support.js";
import { compiledTests, freshnessQuery } from "../harness/dbt/compiled-sql.js";
import { allTables, dbtFiles, dbtValidators, parseSources, schemaErrors } from "../harness/dbt/dbt.js";
import { lookmlFiles, parseLookml, parseProject } from "../harness/lookml/lookml.js";
import { modelOfCompiled } from "../model/support.js";
import { descriptorShape, envelopeOf, topicSchemaCases, type TopicSchemaCase } from "../pubsub/support.js";
import { REPO_ROOT } from "../harness/buf/protos.js";
import { startZetaSql, type AnalyzedStatement, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { EXTRA_TSC_CHECKS, STRICT_CONSUMER_OPTIONS, TSC } from "../typescript/support/package.js";
import { guideSteps, PACKAGE_NAME, rewritten, REWRITES, type GuideStep, type StandIns } from "./guide-steps.js";

const SLOW = 900_000;

interface StepRun {
  readonly step: GuideStep;
  readonly status: number | null;
  readonly output: string;
}

let work: string;
let packed: { tarball: string; files: string[]; manifest: Record<string, unknown> };

/** Runs `command` and returns its output; throws with the output when it fails. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}${result.stderr}${result.error ?? ""}`);
  return result.stdout;
}

/**
 * `npm pack` of the plugin, as it would be published: the package's own prepack (build, then the
 * options proto and LICENSE from the repository root) in a copy of plugin/ laid out as in the
 * repository, so that other suites' builds of plugin/dist and this one do not overwrite each other.
 */
function packPlugin(): typeof packed {
  const source = join(work, "source");
  mkdirSync(join(source, "plugin"), { recursive: true });
  for (const entry of ["bin", "scripts", "src", "package.json", "tsconfig.json", "README.md"]) {
    cpSync(join(REPO_ROOT, "plugin", entry), join(source, "plugin", entry), { recursive: true });
  }
  cpSync(join(REPO_ROOT, "proto/entity"), join(source, "proto/entity"), { recursive: true });
  cpSync(join(REPO_ROOT, "LICENSE"), join(source, "LICENSE"));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(source, "node_modules"));
  const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], join(source, "plugin"), userEnv())) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(work, out[0].filename);
  const manifest = JSON.parse(readFileSync(join(source, "plugin/package.json"), "utf8")) as Record<string, unknown>;
  return { tarball, files: out[0].files.map((f) => f.path).sort(), manifest };
}

/**
 * The environment of a user's shell: nothing of this repository on PATH, none of the settings
 * `npm test` passes its children; npm prefers its cache, to keep the run short.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === "INIT_CWD" || key === "BUF" || key === "NODE_OPTIONS" || key.startsWith("VITEST")) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((p) => !p.startsWith(REPO_ROOT))
    .join(delimiter);
  return { ...env, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
}

/** A project directory, with its stand-ins for the registry and the Looker repository. */
function newProject(name: string): { dir: string; standIns: StandIns } {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const registry = join(work, `${name}-registry`);
  mkdirSync(registry);
  const lookerRepo = join(work, `${name}-looker.git`);
  run("git", ["init", "-q", "--bare", "-b", "main", lookerRepo], work);
  return { dir, standIns: { pluginTarball: packed.tarball, registry, lookerRepo } };
}

/**
 * Follows the guide's steps in `dir` until `until` says stop (after the step it is given), with
 * `edit` changing a file before it is written. Returns each step run, failed ones included.
 */
function follow(dir: string, standIns: StandIns, steps: readonly GuideStep[], applied: Map<string, number>, edit = (_path: string, content: string) => content): StepRun[] {
  const runs: StepRun[] = [];
  const env = userEnv();
  for (const step of steps) {
    if (step.kind === "file") {
      mkdirSync(dirname(join(dir, step.path)), { recursive: true });
      writeFileSync(join(dir, step.path), edit(step.path, step.content));
      runs.push({ step, status: 0, output: "" });
      continue;
    }
    const result = spawnSync("bash", ["-euo", "pipefail", "-c", rewritten(step.script, standIns, applied)], { cwd: dir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    runs.push({ step, status: result.status, output: `${result.stdout}${result.stderr}` });
    if (result.status !== 0) break;
  }
  return runs;
}

/** The files under `root` (relative), by name, without installed dependencies and build output. */
function treeOf(root: string): Map<string, string> {
  return new Map(
    listFiles(root)
      .filter((f) => !f.startsWith("ts/node_modules/") && !f.startsWith("ts/dist/"))
      .map((f) => [f, readFileSync(join(root, f), "utf8")]),
  );
}

const steps = guideSteps();
const applied = new Map<string, number>();
let project: { dir: string; standIns: StandIns };
let runs: StepRun[];
let files: Map<string, string>;
let model: Model;
let zetasql: ZetaSqlSession;

/** The guide's plugin options, from the buf.gen.yaml it writes. */
function guideParameter(): string {
  const config = parseYaml(readFileSync(join(project.dir, "buf.gen.yaml"), "utf8")) as { plugins: { local: string; opt?: string[] }[] };
  return config.plugins.find((p) => p.local === "protoc-gen-entity")!.opt!.join(",");
}

/** The guide's contracts as buf compiles them for buf.gen.yaml's input (proto/), with the project's own buf. */
function compileGuideProtos() {
  const image = join(work, "guide-image.binpb");
  run(join(project.dir, "node_modules/.bin/buf"), ["build", "proto", "-o", image], project.dir, userEnv());
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
  const own = listFiles(join(project.dir, "proto")).filter((f) => f.endsWith(".proto"));
  return { files: set.file, toGenerate: own };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "entity-guide-"));
  packed = packPlugin();
  project = newProject("project");
  runs = follow(project.dir, project.standIns, steps, applied);
  const failed = runs.find((r) => r.status !== 0);
  if (failed !== undefined) throw new Error(`the guide's step at docs/getting-started.md:${failed.step.line} failed:\n${failed.output}`);
  files = treeOf(join(project.dir, "generated"));
  model = modelOfCompiled(compileGuideProtos(), guideParameter());
  zetasql = await startZetaSql();
}, SLOW);

afterAll(async () => {
  await zetasql?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("the plugin package", () => {
  it("holds the executable, the bundle, the options proto, README and LICENSE, and needs nothing else", () => {
    expect(packed.files).toEqual(["LICENSE", "README.md", "bin/protoc-gen-entity", "dist/protoc-gen-entity.js", "dist/protoc-gen-entity.js.map", "package.json", "proto/entity/v1/options.proto"]);
    // Everything the plugin runs is in its bundle; ts-morph, for the API report of generate, check and release, is the one dependency.
    expect(Object.keys((packed.manifest.dependencies ?? {}) as Record<string, string>)).toEqual(["ts-morph"]);
    expect(packed.manifest.license).toBe("Apache-2.0");
    expect(readFileSync(join(REPO_ROOT, "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0, January 2004");
  });

  it("runs on this Node, which its engines field admits, and prints its version and help", () => {
    const engines = (packed.manifest.engines as { node: string }).node;
    const minimum = /^>=(\d+)\.(\d+)$/.exec(engines);
    expect(minimum, engines).not.toBeNull();
    const [major, minor] = process.versions.node.split(".").map(Number);
    expect(major > Number(minimum![1]) || (major === Number(minimum![1]) && minor >= Number(minimum![2])), `Node ${process.versions.node} against ${engines}`).toBe(true);
    const bin = join(project.dir, "node_modules/.bin/protoc-gen-entity");
    expect(run(bin, ["--version"], project.dir, userEnv())).toBe(`protoc-gen-entity v${packed.manifest.version as string}\n`);
    expect(run(bin, ["--help"], project.dir, userEnv())).toMatch(/^ {2}verify \[<out>\]$/m);
  }, SLOW);
});

describe("following docs/getting-started.md", () => {
  it("runs every command of the guide, with each stand-in used", () => {
    expect(runs.filter((r) => r.step.kind === "run").length).toBe(steps.filter((s) => s.kind === "run").length);
    expect(steps.filter((s) => s.kind === "run").length).toBeGreaterThanOrEqual(6);
    for (const rewrite of REWRITES) expect(applied.get(rewrite.name), rewrite.name).toBeGreaterThanOrEqual(1);
  });

  it("generates the two entities, and the message types of every file they import", () => {
    expect(model.entities.map((e) => e.typeName).sort()).toEqual(["shop.v1.Customer", "shop.v1.Order"]);
    for (const file of [
      "ts/src/shop/v1/order_event.ts",
      "ts/src/shop/v1/order_pb.ts",
      "ts/src/google/api/field_behavior_pb.ts",
      "ts/src/google/geo/type/viewport_pb.ts",
      "ts/src/google/type/latlng_pb.ts",
      "ts/src/google/type/money_pb.ts",
      "ts/src/google/type/postal_address_pb.ts",
      "ts/src/entity/v1/options_pb.ts",
      "pubsub/order.proto",
      "bigquery/shop_v1/order.sql",
      "lookml/order.view.lkml",
      "dbt/shop_v1/_shop_v1__sources.yml",
    ]) {
      expect(files.has(file), file).toBe(true);
    }
  });
});

describe("the READMEs", () => {
  it("show only commands the guide runs", () => {
    const guideCommands = new Set(steps.flatMap((s) => (s.kind === "run" ? commandLines(s.script) : [])));
    for (const readme of ["README.md", "plugin/README.md"]) {
      const section = readFileSync(join(REPO_ROOT, readme), "utf8");
      const shown = guideSteps(readme === "README.md" ? section.slice(section.indexOf("## Use it in your own repository"), section.indexOf("## An entity")) : section)
        .flatMap((s) => (s.kind === "run" ? commandLines(s.script) : []));
      expect(shown.length, readme).toBeGreaterThan(0);
      for (const command of shown) expect(guideCommands.has(command), `${readme}: ${command}`).toBe(true);
    }
  });
});

/** The commands of a shell block, one per line, without comments. */
function commandLines(script: string): string[] {
  return script
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

describe("every topic schema", () => {
  let cases: TopicSchemaCase[];
  beforeAll(async () => {
    cases = await topicSchemaCases(files, model.entities);
  }, SLOW);

  it("compiles alone with buf: one message, no imports", () => {
    expect(cases).toHaveLength(2);
    for (const c of cases) {
      expect(c.compiled.dependency, c.entity.typeName).toEqual([]);
      expect(c.compiled.messageType.map((m) => m.name)).toEqual([c.entity.eventName]);
    }
  });

  it("fits its table, as the Pub/Sub BigQuery subscription checks it, and is the descriptor the event class embeds", () => {
    for (const c of cases) {
      const config = c.deployment.bigqueryConfig;
      const messageType = `${c.compiled.package}.${c.compiled.messageType[0].name}`;
      const problems = checkTopicSchemaAgainstTable(c.compiled, messageType, tableSchema(c.entity), {
        writeMetadata: config.write_metadata,
        dropUnknownFields: config.drop_unknown_fields,
      });
      expect(config.use_topic_schema, c.entity.typeName).toBe(true);
      expect(problems, c.entity.typeName).toEqual([]);
      expect(descriptorShape(topicSchemaDescriptor(buildTopicSchema(c.entity, envelopeOf(c.schemaText)))), c.entity.typeName).toEqual(descriptorShape(c.compiled));
    }
  });
});

describe("BigQuery", () => {
  let analyzed: Map<string, AnalyzedStatement>;
  beforeAll(async () => {
    analyzed = await analyzeAll(zetasql, model.project, generatedBigQuery(files));
  }, SLOW);

  it("ZetaSQL accepts every table, view and freshness view, and each DDL declares its JSON schema", () => {
    // The guide's entities are plain (no partition filter required, not append-only): each has its
    // table, both views and both table functions; each dataset a freshness and an activity view.
    const entityFiles = (e: (typeof model.entities)[number]) => {
      const names = bigQueryNames(e);
      return [names.table, names.eventsView, names.eventsFunction, names.latestView, names.latestFunction].map((n) => `bigquery/${e.dataset}/${n}.sql`);
    };
    const datasets = [...new Set(model.entities.map((e) => e.dataset))];
    expect([...analyzed.keys()].sort()).toEqual(
      [...model.entities.flatMap(entityFiles), ...datasets.flatMap((d) => [FRESHNESS_VIEW, ACTIVITY_VIEW].map((v) => `bigquery/${d}/${v}.sql`))].sort(),
    );
    for (const e of model.entities) {
      const schema = JSON.parse(files.get(`bigquery/${e.dataset}/${e.table}.schema.json`)!) as BigQueryField[];
      expect(schema).toEqual(tableSchema(e));
      expect(asSchema(analyzed.get(`bigquery/${e.dataset}/${e.table}.sql`)!.columns)).toEqual(schemaShape(schema));
    }
  });

  it("dbt's data tests and freshness queries of the sources compile to SQL ZetaSQL accepts", async () => {
    const tables = allTables(dbtFiles(files));
    const compiled = compiledTests(tables);
    expect(compiled.some((t) => t.label.includes("relationships"))).toBe(true);
    for (const { label, sql } of compiled) await expect(zetasql.analyze(sql), label).resolves.toMatchObject({ kind: "query" });
    const fresh = tables.filter(({ table }) => table.config.freshness);
    expect(fresh.length).toBeGreaterThan(0);
    for (const located of fresh) await expect(zetasql.analyze(freshnessQuery(located)), located.table.name).resolves.toMatchObject({ kind: "query" });
  }, SLOW);
});

describe("dbt and LookML", () => {
  it("every dbt sources file validates against dbt-core's and dbt Fusion's JSON schemas", () => {
    const sources = dbtFiles(files);
    expect(sources.size).toBe(1);
    for (const [name, text] of sources) {
      for (const [schema, validate] of Object.entries(dbtValidators())) {
        expect(validate(parseSources(text)), `${name} against ${schema}:\n${schemaErrors(validate).join("\n")}`).toBe(true);
      }
    }
  }, SLOW);

  it("every LookML file parses, and the folder is a project whose model has no errors", async () => {
    const lookml = lookmlFiles(files);
    expect(lookml.size).toBeGreaterThan(4);
    // Dashboards are YAML (parseProject reads them); the rest is LookML.
    for (const [name, text] of lookml) if (name.endsWith(".lkml")) expect(() => parseLookml(text), name).not.toThrow();
    expect([...lookml.keys()].filter((name) => name.endsWith(".dashboard.lookml")).length).toBeGreaterThan(0);
    const parsed = await parseProject(lookml);
    expect(parsed.errors).toBeUndefined();
    const models = Object.values(parsed.model);
    expect(models).toHaveLength(1);
    expect(models[0].error).toBeUndefined();
    expect(Object.keys(models[0].explore ?? {})).toEqual(expect.arrayContaining(["order_latest", "customer_latest", "order_events", "customer_events"]));
  });

  it("sync-lookml pushed exactly the generated LookML to the Looker repository's branch", () => {
    const listed = run("git", ["--git-dir", project.standIns.lookerRepo, "ls-tree", "-r", "--name-only", "entities"], work).trim().split("\n");
    // Into a folder of the team's project, the generated manifest.lkml stays out: a project has one, at its root.
    const delivered = [...lookmlFiles(files).keys()].filter((f) => f !== "manifest.lkml");
    expect(listed.sort()).toEqual(delivered.map((f) => `entities/${f}`).sort());
    const view = run("git", ["--git-dir", project.standIns.lookerRepo, "show", "entities:entities/order.view.lkml"], work);
    expect(view).toBe(files.get("lookml/order.view.lkml"));
  });
});

describe("the npm package", () => {
  it("built strictly by the guide, and type-checks with stricter checks too", () => {
    const packageDir = join(project.dir, "generated/ts");
    expect(existsSync(join(packageDir, "dist/index.js"))).toBe(true);
    expect(existsSync(join(packageDir, "dist/shop/v1/order_event.d.ts"))).toBe(true);
    expect(run(TSC, ["-p", join(packageDir, "tsconfig.json"), "--noEmit", ...EXTRA_TSC_CHECKS], packageDir)).toBe("");
  }, SLOW);

  it("was published once, and the consumer installed that tarball", () => {
    expect(readdirSync(project.standIns.registry)).toEqual(["acme-shop-entity-events-1.0.0.tgz"]);
    const installed = JSON.parse(readFileSync(join(project.dir, "consumer/node_modules", PACKAGE_NAME, "package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe("1.0.0");
  });

  it("a fresh consumer compiles the guide's code under strict settings, sends an order and decodes it back", () => {
    const consumer = join(project.dir, "consumer");
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...STRICT_CONSUMER_OPTIONS, types: [], rootDir: "src" },
        include: ["src"],
      }),
    );
    expect(run(TSC, ["-p", "tsconfig.json"], consumer)).toBe("");
    const check = `
import { orderPlaced } from "./dist/place-order.js";
import { OrderEvent, TOPICS } from "${PACKAGE_NAME}";
const { topic, message } = orderPlaced("order-1", "customer-7");
const back = OrderEvent.fromPubSubMessage(message, { encoding: "binary" });
let refused = "";
try { orderPlaced("", "customer-7"); } catch (error) { refused = error.name; }
console.log(JSON.stringify({
  topic, known: Object.values(TOPICS), orderingKey: message.orderingKey, attributes: message.attributes,
  id: back.entity.id, customerId: back.entity.customerId, currency: back.entity.total?.currencyCode,
  units: String(back.entity.total?.units), nanos: back.entity.total?.nanos, state: back.entity.state, refused,
}));`;
    const output = JSON.parse(run(process.execPath, ["--input-type=module", "-e", check], consumer, userEnv()));
    expect(output).toEqual({
      topic: "order",
      known: expect.arrayContaining(["order", "customer"]),
      orderingKey: "order-1",
      attributes: { entity: "shop.v1.Order", operation: "CREATED", event_id: expect.any(String), schema: "shop.v1.pubsub.OrderEvent" },
      id: "order-1",
      customerId: "customer-7",
      currency: "EUR",
      units: "42",
      nanos: 500_000_000,
      state: 1,
      refused: "MissingIdError",
    });
  }, SLOW);
});

describe("the same guide without include_imports", () => {
  let failing: { dir: string; standIns: StandIns };
  let failed: StepRun[];

  beforeAll(() => {
    failing = newProject("without-include-imports");
    const withoutIncludeImports = (path: string, content: string) => {
      if (path !== "buf.gen.yaml") return content;
      const edited = content.replace(/^\s*include_imports: true\n/m, "");
      expect(edited).not.toBe(content);
      return edited;
    };
    failed = follow(failing.dir, failing.standIns, steps, new Map(), withoutIncludeImports);
  }, SLOW);

  it("stops at generation with the error naming each missing module, the entity that needs it and the fix", () => {
    const last = failed[failed.length - 1];
    expect(last.step.kind === "run" && last.step.script).toContain("npx protoc-gen-entity generate");
    expect(last.status).toBe(1);
    expect(last.output).toContain(
      "generated/ts/src/google/type/money_pb.ts (the types of google/type/money.proto): needed by shop.v1.Order: shop/v1/order_event.ts → google/type/money_pb.ts.",
    );
    expect(last.output).toContain("generated/ts/src/google/api/field_behavior_pb.ts (the types of google/api/field_behavior.proto): needed by shop.v1.Order: shop/v1/order_event.ts → shop/v1/order_pb.ts → google/api/field_behavior_pb.ts.");
    expect(last.output).toContain("generated/ts/src/google/geo/type/viewport_pb.ts");
    expect(last.output).toContain("add `include_imports: true` to the protoc-gen-es plugin in buf.gen.yaml");
    expect(last.output).toContain("protoc-gen-entity generate: failed (verify); nothing was written.");
  });

  it("writes no generated file, and the publishing step that follows has nothing to publish", () => {
    expect(existsSync(join(failing.dir, "generated"))).toBe(false);
    const publish = steps.find((s) => s.kind === "run" && /^npm publish$/m.test(s.script))!;
    const attempt = follow(failing.dir, failing.standIns, [publish], new Map());
    expect(attempt[0].status).not.toBe(0);
    expect(readdirSync(failing.standIns.registry)).toEqual([]);
    expect(existsSync(join(failing.dir, "generated"))).toBe(false);
  }, SLOW);
});
