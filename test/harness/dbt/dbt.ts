/**
 * Helpers of the dbt suites: the two dbt-jsonschema validators, the generated sources files read
 * as dbt reads them (YAML 1.2 with the `yaml` package, YAML 1.1 with PyYAML as dbt Core does), the
 * generated BigQuery schemas, and the contract's descriptors compiled by buf.
 */
import { create, createFileRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Ajv, type ValidateFunction } from "ajv";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import type { CompiledProtos } from "../buf/protos.js";
import { REPO_ROOT } from "../buf/protos.js";
import type { ZetaSqlSession } from "../zetasql/zetasql.js";

export const GENERATED = join(REPO_ROOT, "generated");
/** dbt-labs/dbt-jsonschema's schemas, vendored with their license (see its README.md). */
const SCHEMA_DIR = join(REPO_ROOT, "test/fixtures/dbt-jsonschema");

// ---------------------------------------------------------------------------------------------
// The sources files as data

export interface SourcesFile {
  readonly version: number;
  readonly sources: readonly DbtSource[];
}

export interface DbtSource {
  readonly name: string;
  readonly description?: string;
  readonly database: string;
  readonly schema: string;
  readonly loader?: string;
  readonly config: { readonly loaded_at_field?: string; readonly meta?: Record<string, unknown>; readonly tags?: string[] };
  readonly tables: readonly DbtTable[];
}

export interface DbtTable {
  readonly name: string;
  readonly identifier?: string;
  readonly description?: string;
  readonly config: {
    readonly freshness?: DbtFreshness | null;
    readonly event_time?: string;
    readonly meta: TableMeta;
    readonly tags?: string[];
  };
  readonly columns?: readonly DbtColumn[];
}

export interface DbtFreshness {
  readonly warn_after?: { count: number; period: string };
  readonly error_after?: { count: number; period: string };
  readonly filter?: string;
}

export interface TableMeta {
  readonly entity?: string;
  readonly object: string;
  readonly view_of?: string;
  readonly id_column?: string;
  readonly freshness_expectation?: string;
  readonly pii_columns?: string[];
  readonly proto_fields?: Record<string, string>;
  readonly references?: Record<string, string>;
  readonly [key: string]: unknown;
}

export interface DbtColumn {
  readonly name: string;
  readonly description?: string;
  readonly data_type: string;
  readonly policy_tags?: string[];
  readonly data_tests?: readonly DbtTest[];
}

export type DbtTest = string | Record<string, { arguments?: Record<string, unknown>; config?: Record<string, unknown> }>;

/** A test as name, arguments and config, whichever way it is written. */
export function testParts(test: DbtTest): { name: string; args: Record<string, unknown>; config: Record<string, unknown> } {
  if (typeof test === "string") return { name: test, args: {}, config: {} };
  const [name, body] = Object.entries(test)[0];
  return { name, args: body.arguments ?? {}, config: body.config ?? {} };
}

export function parseSources(text: string): SourcesFile {
  const file = parseYaml(text, { uniqueKeys: true, prettyErrors: true }) as SourcesFile;
  // The project and dataset are dbt vars; the tests read the relation dbt renders without --vars.
  return { ...file, sources: file.sources.map((s) => ({ ...s, database: varDefault(s.database), schema: varDefault(s.schema) })) };
}

/** `{{ var('name', 'default') }}` → its default; anything else as it is. */
export function varDefault(value: string): string {
  return /^\{\{ var\('[A-Za-z0-9_]+', '([^']*)'\) \}\}$/.exec(value)?.[1] ?? value;
}

/** The dbt files among a plugin run's outputs. */
export function dbtFiles(outputs: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...outputs].filter(([name]) => name.startsWith("dbt/")));
}

/** generated/dbt as committed, by name relative to generated/. */
export function dbtFilesOnDisk(): Map<string, string> {
  const dir = join(GENERATED, "dbt");
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const visit = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) visit(full);
      else files.set(relative(GENERATED, full), readFileSync(full, "utf8"));
    }
  };
  visit(dir);
  return files;
}

/** A table of a sources file, with the source it belongs to. */
export interface LocatedTable {
  readonly source: DbtSource;
  readonly table: DbtTable;
}

/** Every table of every source, with its source. */
export function allTables(files: ReadonlyMap<string, string>): (LocatedTable & { file: string })[] {
  return [...files].flatMap(([file, text]) =>
    parseSources(text).sources.flatMap((source) => source.tables.map((table) => ({ file, source, table }))),
  );
}

// ---------------------------------------------------------------------------------------------
// JSON schemas

export type SchemaName = "core" | "fusion";
export const SCHEMA_FILES: Record<SchemaName, string> = {
  core: "dbt_yml_files-latest.json",
  fusion: "dbt_yml_files-latest-fusion.json",
};

let validators: Record<SchemaName, ValidateFunction> | undefined;

/** Ajv validators of dbt-core's and dbt Fusion's schema of dbt YAML files. */
export function dbtValidators(): Record<SchemaName, ValidateFunction> {
  validators ??= {
    core: compileSchema(SCHEMA_FILES.core),
    fusion: compileSchema(SCHEMA_FILES.fusion),
  };
  return validators;
}

function compileSchema(file: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Number formats of the Fusion schema (Rust integer widths); Ajv would only warn about them.
  for (const format of ["int32", "int64", "uint32", "uint64", "uint", "double", "float"]) ajv.addFormat(format, true);
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")));
}

/** Ajv's errors as short lines, for failure messages. */
export function schemaErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

// ---------------------------------------------------------------------------------------------
// PyYAML: how dbt Core reads the files

let pyYaml: boolean | undefined;

/** Whether python3 with PyYAML (dbt Core's YAML reader) is on this machine. */
export function pyYamlAvailable(): boolean {
  pyYaml ??= spawnSync("python3", ["-c", "import yaml"], { stdio: "ignore" }).status === 0;
  return pyYaml;
}

/** Loaders to read with: PyYAML's pure-Python SafeLoader, and libyaml's CSafeLoader (dbt's pick) when present. */
export type PyYamlLoader = "SafeLoader" | "CSafeLoader";

/** Parses each text with PyYAML's `loader`; returns the values as JSON brings them back. */
export function parseWithPyYaml(texts: readonly string[], loader: PyYamlLoader): unknown[] {
  const script = [
    "import json, sys, yaml",
    `loader = getattr(yaml, ${JSON.stringify(loader)}, None)`,
    "texts = json.loads(sys.stdin.read())",
    "out = None if loader is None else [yaml.load(t, Loader=loader) for t in texts]",
    "sys.stdout.write(json.dumps(out, ensure_ascii=True))",
  ].join("\n");
  const output = execFileSync("python3", ["-c", script], { input: JSON.stringify(texts), maxBuffer: 256 * 1024 * 1024 });
  const parsed = JSON.parse(output.toString("utf8")) as unknown[] | null;
  if (parsed === null) throw new Error(`PyYAML has no ${loader}`);
  return parsed;
}

let jinja: boolean | undefined;

/** Whether python3 with Jinja2 (the template engine dbt renders descriptions and configs with) is here. */
export function jinjaAvailable(): boolean {
  jinja ??= spawnSync("python3", ["-c", "import jinja2"], { stdio: "ignore" }).status === 0;
  return jinja;
}

/**
 * Renders each text as dbt renders a description: a Jinja2 template with no variables (an
 * undefined name is an error here, so that unescaped text cannot pass by rendering empty).
 * Returns the rendered text, or the error Jinja raised.
 */
export function renderWithJinja(texts: readonly string[]): ({ text: string } | { error: string })[] {
  const script = [
    "import json, sys, jinja2",
    "env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)",
    "def render(t):",
    "    try:",
    "        return {'text': env.from_string(t).render()}",
    "    except Exception as e:",
    "        return {'error': type(e).__name__ + ': ' + str(e)}",
    "sys.stdout.write(json.dumps([render(t) for t in json.loads(sys.stdin.read())], ensure_ascii=True))",
  ].join("\n");
  const output = execFileSync("python3", ["-c", script], { input: JSON.stringify(texts), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(output.toString("utf8")) as ({ text: string } | { error: string })[];
}

export function hasCSafeLoader(): boolean {
  return pyYamlAvailable() && spawnSync("python3", ["-c", "import yaml; yaml.CSafeLoader"], { stdio: "ignore" }).status === 0;
}

// ---------------------------------------------------------------------------------------------
// BigQuery JSON schemas

export interface SchemaField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly description?: string;
  readonly fields?: readonly SchemaField[];
}

/** `generated/bigquery/<dataset>/<table>.schema.json` from a plugin run's outputs, or from disk. */
export function bigQuerySchema(dataset: string, table: string, outputs?: ReadonlyMap<string, string>): SchemaField[] {
  const name = `bigquery/${dataset}/${table}.schema.json`;
  const text = outputs !== undefined ? outputs.get(name) : readIfExists(join(GENERATED, name));
  if (text === undefined) throw new Error(`no ${name}`);
  const parsed = JSON.parse(text) as SchemaField[] | { fields: SchemaField[] };
  return Array.isArray(parsed) ? parsed : parsed.fields;
}

/** Registers the entity tables among `tables` (not the views) in ZetaSQL's catalog, with their JSON schemas. */
export async function registerRawTables(zetasql: ZetaSqlSession, tables: readonly LocatedTable[], outputs?: ReadonlyMap<string, string>): Promise<void> {
  await zetasql.registerTables(
    tables
      .filter(({ table }) => table.config.meta.object === "table")
      .map(({ source, table }) => ({
        project: source.database,
        dataset: source.schema,
        table: table.identifier!,
        schema: bigQuerySchema(source.schema, table.identifier!, outputs) as never,
      })),
  );
}

/** generated/bigquery as committed, by name relative to generated/. */
export function generatedBigQueryOnDisk(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dataset of readdirSync(join(GENERATED, "bigquery"))) {
    for (const file of readdirSync(join(GENERATED, "bigquery", dataset))) {
      if (file === "migrations") continue;
      files.set(`bigquery/${dataset}/${file}`, readFileSync(join(GENERATED, "bigquery", dataset, file), "utf8"));
    }
  }
  return files;
}

/** What the sources files name, in ZetaSQL's catalog: the tables from their JSON schemas, then the entity views from their CREATE VIEW statements. */
export async function registerSourceObjects(zetasql: ZetaSqlSession, tables: readonly LocatedTable[], bigquery: ReadonlyMap<string, string>): Promise<void> {
  await registerRawTables(zetasql, tables, bigquery);
  for (const { source, table } of tables.filter(({ table }) => ["events_view", "latest_view"].includes(table.config.meta.object))) {
    const sql = bigquery.get(`bigquery/${source.schema}/${table.identifier}.sql`);
    if (sql === undefined) throw new Error(`no generated view ${source.schema}.${table.identifier}`);
    await zetasql.registerView(sql);
  }
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** API spellings of the JSON schema → GoogleSQL (dbt-bigquery reports GoogleSQL names). */
const SQL_NAMES: Readonly<Record<string, string>> = { INTEGER: "INT64", FLOAT: "FLOAT64", BOOLEAN: "BOOL", RECORD: "STRUCT" };

/** The GoogleSQL type of a JSON schema field: `ARRAY<STRUCT<a STRING>>`. */
export function sqlTypeOf(field: SchemaField): string {
  const name = SQL_NAMES[field.type] ?? field.type;
  const base = name === "STRUCT" ? `STRUCT<${(field.fields ?? []).map((f) => `${f.name} ${sqlTypeOf(f)}`).join(", ")}>` : name;
  return field.mode === "REPEATED" ? `ARRAY<${base}>` : base;
}

/** The field at a dotted path, or undefined; dbt can only name fields through non-repeated STRUCTs. */
export function fieldAt(schema: readonly SchemaField[], dotted: string): SchemaField | undefined {
  let fields: readonly SchemaField[] | undefined = schema;
  let found: SchemaField | undefined;
  for (const part of dotted.split(".")) {
    if (found !== undefined && found.mode === "REPEATED") return undefined;
    found = fields?.find((f) => f.name === part);
    if (found === undefined) return undefined;
    fields = found.fields;
  }
  return found;
}

/** What dbt can document and test: top-level fields and leaves of non-repeated STRUCTs, dotted. */
export function documentableNames(schema: readonly SchemaField[]): string[] {
  const isStruct = (f: SchemaField) => (SQL_NAMES[f.type] ?? f.type) === "STRUCT" && f.mode !== "REPEATED";
  const leaves = (field: SchemaField, prefix: string): string[] => {
    const name = `${prefix}${field.name}`;
    return isStruct(field) ? (field.fields ?? []).flatMap((f) => leaves(f, `${name}.`)) : [name];
  };
  return schema.flatMap((f) => [f.name, ...(isStruct(f) ? (f.fields ?? []).flatMap((c) => leaves(c, `${f.name}.`)) : [])]);
}

/** The schema file that describes a source table: the table's own, or for a view the table it reads. */
export function schemaTableOf(table: DbtTable): string {
  return table.config.meta.view_of ?? table.identifier ?? table.name;
}

// ---------------------------------------------------------------------------------------------
// Descriptors

/** A registry of buf's compiled descriptors, to look up messages, fields and enums by name. */
export function registryOf(compiled: CompiledProtos): FileRegistry {
  return createFileRegistry(create(FileDescriptorSetSchema, { file: [...compiled.files] }));
}
