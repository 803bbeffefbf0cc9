/**
 * Test support: Google's ZetaSQL analyzer (the GoogleSQL front end BigQuery is built on), run as
 * the local gRPC server of @fivetrandevelopers/zetasql. Tests register the generated tables from
 * their JSON schemas and analyze generated SQL against them: parsing, name resolution and type
 * checking, with BigQuery's external product mode.
 *
 *   const zetasql = await startZetaSql();
 *   await zetasql.registerTables([{ project, dataset, table, schema }]);
 *   await zetasql.registerView(createViewSql);       // later statements may read the view
 *   const analyzed = await zetasql.analyze(sql);     // throws ZetaSqlError when ZetaSQL rejects it
 *   await zetasql.stop();                            // in afterAll
 *
 * One session per test file (vitest runs files in separate processes). The server is killed on
 * stop(), when the test process exits, and by a watchdog when the test process dies without exiting.
 */
import { ZetaSQLClient } from "@fivetrandevelopers/zetasql";
import { LanguageFeature } from "@fivetrandevelopers/zetasql/lib/types/zetasql/LanguageFeature.js";
import type { LanguageOptionsProto } from "@fivetrandevelopers/zetasql/lib/types/zetasql/LanguageOptionsProto.js";
import type { AnalyzeResponse__Output } from "@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/AnalyzeResponse.js";
import type { SimpleCatalogProto } from "@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleCatalogProto.js";
import type { SimpleTableProto } from "@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleTableProto.js";
import type { TypeProto } from "@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js";
import type { EvaluateQueryRequest } from "@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/EvaluateQueryRequest.js";
import type { EvaluateQueryResponse__Output } from "@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/EvaluateQueryResponse.js";
import type { ValueProto } from "@fivetrandevelopers/zetasql/lib/types/zetasql/ValueProto.js";
import { TypeKind } from "@fivetrandevelopers/zetasql/lib/types/zetasql/TypeKind.js";
import type { EvaluateModifyRequest } from "@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/EvaluateModifyRequest.js";
import type { EvaluateModifyResponse__Output } from "@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/EvaluateModifyResponse.js";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { BigQueryField } from "../../../plugin/src/physical/table-schema.js";

/** A BigQuery table to put in the catalog, from its JSON schema. */
export interface CatalogTable {
  readonly project: string;
  readonly dataset: string;
  readonly table: string;
  readonly schema: readonly BigQueryField[];
}

/**
 * Rows of a table for evaluate(): values by column name; missing ones are NULL. TIMESTAMP takes a
 * Date, DATE a `YYYY-MM-DD` string, JSON any JSON value, RECORD an object, REPEATED an array.
 */
export interface TableRows {
  /** `project.dataset.table`. */
  readonly name: string;
  readonly schema: readonly BigQueryField[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** A result row: STRING → string, INT64 → number, TIMESTAMP → Date, STRUCT → object, ARRAY → array, NULL → null. */
export type Row = Record<string, unknown>;

/** A column as ZetaSQL resolved it (a CREATE TABLE column definition, or an output column). */
export interface AnalyzedColumn {
  readonly name: string;
  /** GoogleSQL type, e.g. `ARRAY<STRUCT<a STRING, b INT64>>`. */
  readonly type: string;
  /** The type, or the element type of an ARRAY, without its fields (`STRUCT`, `STRING`, ...). */
  readonly kind: string;
  readonly mode: "NULLABLE" | "REPEATED";
  /** OPTIONS(description=...) as the analyzer read the literal (CREATE TABLE columns only). */
  readonly description: string | undefined;
  /** Fields of a STRUCT, or of the STRUCT elements of an ARRAY. */
  readonly fields: readonly AnalyzedColumn[];
}

/** A literal value of an OPTIONS list: strings, numbers (INT64 as bigint), booleans, arrays, structs. */
export type OptionValue = string | number | bigint | boolean | null | OptionValue[];

export interface AnalyzedStatement {
  readonly kind: "createTable" | "createView" | "query" | "other";
  /** The created object's name as written (`project.dataset.table` for one quoted identifier). */
  readonly name: string | undefined;
  readonly columns: readonly AnalyzedColumn[];
  /** Statement-level OPTIONS (description, labels, partition_expiration_days, ...). */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** PARTITION BY and CLUSTER BY expressions, as a compact text of the resolved expression. */
  readonly partitionBy: readonly string[];
  readonly clusterBy: readonly string[];
  readonly response: AnalyzeResponse__Output;
}

export interface ZetaSqlSession {
  /** Names of the language features enabled for every analysis. */
  readonly languageFeatures: readonly string[];
  /** Adds tables to the catalog (a table of the same name is replaced). */
  registerTables(tables: readonly CatalogTable[]): Promise<void>;
  /** Analyzes a CREATE VIEW and adds the view to the catalog with its output columns. */
  registerView(createViewSql: string): Promise<AnalyzedStatement>;
  /** Analyzes one statement against the catalog; throws ZetaSqlError when ZetaSQL rejects it. */
  analyze(sql: string): Promise<AnalyzedStatement>;
  /** Names of the tables a statement reads, as written (ZetaSQL's ExtractTableNamesFromStatement). */
  referencedTables(sql: string): Promise<string[]>;
  /**
   * Runs a query on ZetaSQL's reference engine over the given rows (not the registered catalog).
   * The query names each table by its full dotted name in one quoted identifier.
   */
  evaluate(query: string, tables: readonly TableRows[], timestampParameters?: Readonly<Record<string, Date>>): Promise<Row[]>;
  /**
   * Runs an UPDATE or DELETE (the reference engine refuses MERGE) on ZetaSQL's reference engine over the given rows of one table,
   * with STRING query parameters (`@name`); returns the rows it changed, as they are afterwards.
   */
  evaluateModify(statement: string, table: TableRows, parameters?: Readonly<Record<string, string>>): Promise<{ operation: string; row: Row }[]>;
  stop(): Promise<void>;
}

/** ZetaSQL rejected a statement; the message carries the analyzer's error and the SQL around it. */
export class ZetaSqlError extends Error {
  readonly analyzerMessage: string;

  constructor(
    details: string,
    readonly sql: string,
  ) {
    const message = percentDecoded(details);
    super(`ZetaSQL rejected the statement: ${message}\n--- SQL ---\n${sql}`);
    this.name = "ZetaSqlError";
    this.analyzerMessage = message;
  }
}

/** gRPC carries the status message percent-encoded; the multi-line caret display needs it decoded. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const require = createRequire(import.meta.url);
const PACKAGE_LIB = dirname(require.resolve("@fivetrandevelopers/zetasql"));
const STARTUP_TIMEOUT_MS = 60_000;

/** Statement kinds BigQuery DDL and queries need; everything else is rejected. */
const STATEMENT_KINDS = [
  "RESOLVED_QUERY_STMT",
  "RESOLVED_CREATE_TABLE_STMT",
  "RESOLVED_CREATE_VIEW_STMT",
  "RESOLVED_CREATE_TABLE_FUNCTION_STMT",
  "RESOLVED_MERGE_STMT",
] as const;

export interface ZetaSqlOptions {
  /**
   * Also analyze ALTER TABLE (schema migrations), with ALTER COLUMN SET DATA TYPE, which ZetaSQL
   * leaves out of its maximum feature set because it marks the feature in development.
   */
  readonly alterTable?: boolean;
}

export async function startZetaSql(options: ZetaSqlOptions = {}): Promise<ZetaSqlSession> {
  const binary = serverBinary();
  const port = await freePort();
  const server = await launch(binary, port);
  try {
    ZetaSQLClient.init(port);
    const client = ZetaSQLClient.getInstance();
    if (!(await client.testConnection())) throw new Error(`the ZetaSQL server on port ${port} does not answer`);
    const languageOptions = await bigQueryLanguageOptions(client, options);
    return new Session(client, server, languageOptions);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function serverBinary(): string {
  if (process.platform !== "linux" && process.platform !== "darwin") {
    throw new Error(`@fivetrandevelopers/zetasql ships servers for Linux and macOS only, not ${process.platform}`);
  }
  const arm = process.arch === "arm64" || process.arch === "arm";
  const name = `remote_server${arm ? "_arm" : ""}${process.platform === "darwin" ? "" : ".so"}`;
  const path = join(PACKAGE_LIB, "zetasql", name);
  if (!existsSync(path)) throw new Error(`the ZetaSQL server binary is missing: ${path}`);
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface RunningServer {
  stop(): Promise<void>;
}

/**
 * Starts the server under a small shell watchdog: it kills the server when asked to stop (TERM),
 * and when the test process that started it is gone, so no server outlives a crashed run.
 */
const WATCHDOG = [
  '"$1" localhost "$2" & server=$!',
  "trap 'kill -9 $server 2>/dev/null; exit 0' TERM INT HUP",
  'while kill -0 "$3" 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done',
  "kill -9 $server 2>/dev/null",
].join("\n");

function launch(binary: string, port: number): Promise<RunningServer> {
  const child = spawn("/bin/sh", ["-c", WATCHDOG, "zetasql-watchdog", binary, String(port), String(process.pid)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  const running: RunningServer = {
    async stop() {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  return waitUntilListening(child, port).then(
    () => running,
    async (error: unknown) => {
      await running.stop();
      throw error;
    },
  );
}

function waitUntilListening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(`did not listen on port ${port} within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`listening on localhost:${port}`)) done();
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal}) before listening`);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.removeListener("data", onData);
      child.stderr?.removeListener("data", onData);
      child.removeListener("exit", onExit);
      // Keep draining the pipes so the server never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    function done() {
      cleanup();
      resolve();
    }
    function fail(why: string) {
      cleanup();
      reject(new Error(`the ZetaSQL server ${why}. Its output:\n${output}`));
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/**
 * BigQuery-like language options: ZetaSQL's maximum feature set (QUALIFY, JSON, NUMERIC and
 * BIGNUMERIC, CREATE TABLE PARTITION BY / CLUSTER BY, STRUCT field OPTIONS, IS DISTINCT FROM,
 * dashes in table names, ...), in the external product mode (BigQuery's: no INT32, UINT64,
 * FLOAT or proto types), restricted to the statement kinds the project generates.
 */
async function bigQueryLanguageOptions(client: ZetaSQLClient, options: ZetaSqlOptions): Promise<LanguageOptionsProto> {
  const maximum = await client.getLanguageOptions({ maximumFeatures: true });
  if (maximum === undefined) throw new Error("ZetaSQL returned no language options");
  return {
    enabledLanguageFeatures: [...maximum.enabledLanguageFeatures, ...(options.alterTable ? ["FEATURE_ALTER_COLUMN_SET_DATA_TYPE" as const] : [])],
    productMode: "PRODUCT_EXTERNAL",
    nameResolutionMode: "NAME_RESOLUTION_DEFAULT",
    supportedStatementKinds: [...STATEMENT_KINDS, ...(options.alterTable ? ["RESOLVED_ALTER_TABLE_STMT" as const] : [])],
  };
}

const FEATURE_NAMES = new Map<number, string>(
  Object.entries(LanguageFeature).flatMap(([name, value]) => (typeof value === "number" ? [[value, name] as [number, string]] : [])),
);

class Session implements ZetaSqlSession {
  readonly languageFeatures: readonly string[];
  /** Tables by catalog path (`project.dataset.table`). */
  private readonly tables = new Map<string, { path: readonly string[]; columns: SimpleTableProto["column"] }>();
  private catalogId: number | string | undefined;

  constructor(
    private readonly client: ZetaSQLClient,
    private readonly server: RunningServer,
    private readonly languageOptions: LanguageOptionsProto,
  ) {
    this.languageFeatures = (languageOptions.enabledLanguageFeatures ?? []).map((f) => FEATURE_NAMES.get(f as number) ?? String(f));
  }

  async registerTables(tables: readonly CatalogTable[]): Promise<void> {
    for (const t of tables) {
      const path = [t.project, t.dataset, t.table];
      this.tables.set(path.join("."), { path, columns: t.schema.map((f) => ({ name: f.name, type: fieldType(f) })) });
    }
    await this.registerCatalog();
  }

  async registerView(createViewSql: string): Promise<AnalyzedStatement> {
    const analyzed = await this.analyze(createViewSql);
    if (analyzed.kind !== "createView" || analyzed.name === undefined) throw new Error("registerView expects a CREATE VIEW statement");
    const path = analyzed.name.split(".");
    const view = viewNode(analyzed.response)!;
    this.tables.set(analyzed.name, {
      path,
      columns: view.outputColumnList.map((c) => ({ name: c.name, type: c.column?.type as TypeProto })),
    });
    await this.registerCatalog();
    return analyzed;
  }

  async analyze(sql: string): Promise<AnalyzedStatement> {
    if (this.catalogId === undefined) await this.registerCatalog();
    let response: AnalyzeResponse__Output | undefined;
    try {
      response = await this.client.analyze({
        sqlStatement: sql,
        registeredCatalogId: this.catalogId,
        options: {
          languageOptions: this.languageOptions,
          errorMessageMode: "ERROR_MESSAGE_MULTI_LINE_WITH_CARET",
          defaultTimezone: "UTC",
        },
      });
    } catch (error) {
      const details = (error as { details?: string }).details;
      if (details !== undefined) throw new ZetaSqlError(details, sql);
      throw error;
    }
    if (response === undefined) throw new Error("ZetaSQL returned no analysis");
    return describeStatement(response);
  }

  async referencedTables(sql: string): Promise<string[]> {
    try {
      const response = await this.client.extractTableNamesFromStatement({ sqlStatement: sql, options: this.languageOptions });
      return (response?.tableName ?? []).map((t) => t.tableNameSegment.join("."));
    } catch (error) {
      const details = (error as { details?: string }).details;
      if (details !== undefined) throw new ZetaSqlError(details, sql);
      throw error;
    }
  }

  async evaluate(query: string, tables: readonly TableRows[], timestampParameters: Readonly<Record<string, Date>> = {}): Promise<Row[]> {
    const catalog: SimpleCatalogProto = {
      name: "evaluation",
      builtinFunctionOptions: { languageOptions: this.languageOptions },
      table: tables.map((t) => ({ name: t.name, column: t.schema.map((f) => ({ name: f.name, type: fieldType(f) })) })),
    };
    const tableContent = Object.fromEntries(
      tables.map((t) => [t.name, { tableData: { row: t.rows.map((r) => ({ cell: t.schema.map((f) => encodeValue(f, r[f.name])) })) } }]),
    );
    const evaluateQuery = promisify(ZetaSQLClient.API.evaluateQuery.bind(ZetaSQLClient.API)) as (
      request: EvaluateQueryRequest,
    ) => Promise<EvaluateQueryResponse__Output>;
    let response: EvaluateQueryResponse__Output;
    try {
      response = await evaluateQuery({
        sql: query,
        options: {
          languageOptions: this.languageOptions,
          defaultTimezone: "UTC",
          errorMessageMode: "ERROR_MESSAGE_MULTI_LINE_WITH_CARET",
          queryParameters: Object.keys(timestampParameters).map((name) => ({ name, type: { typeKind: "TYPE_TIMESTAMP" } })),
        },
        simpleCatalog: catalog,
        tableContent,
        params: Object.entries(timestampParameters).map(([name, value]) => ({
          name,
          value: encodeValue({ name, type: "TIMESTAMP", mode: "NULLABLE" } as BigQueryField, value),
        })),
      });
    } catch (error) {
      const details = (error as { details?: string }).details;
      if (details !== undefined) throw new ZetaSqlError(details, query);
      throw error;
    }
    const columns = response.prepared?.columns ?? [];
    return (response.content?.tableData?.row ?? []).map((row) =>
      Object.fromEntries(columns.map((c, i) => [c.name, decodeValue(c.type as unknown as Json, row.cell[i] as unknown as Json)])),
    );
  }

  async evaluateModify(statement: string, table: TableRows, parameters: Readonly<Record<string, string>> = {}): Promise<{ operation: string; row: Row }[]> {
    const languageOptions: LanguageOptionsProto = {
      ...this.languageOptions,
      supportedStatementKinds: [...(this.languageOptions.supportedStatementKinds ?? []), "RESOLVED_UPDATE_STMT", "RESOLVED_DELETE_STMT", "RESOLVED_MERGE_STMT"],
    };
    const evaluateModify = promisify(ZetaSQLClient.API.evaluateModify.bind(ZetaSQLClient.API)) as (
      request: EvaluateModifyRequest,
    ) => Promise<EvaluateModifyResponse__Output>;
    const names = Object.keys(parameters);
    let response: EvaluateModifyResponse__Output;
    try {
      response = await evaluateModify({
        sql: statement,
        options: {
          languageOptions,
          defaultTimezone: "UTC",
          errorMessageMode: "ERROR_MESSAGE_MULTI_LINE_WITH_CARET",
          queryParameters: names.map((name) => ({ name, type: { typeKind: "TYPE_STRING" } })),
        },
        simpleCatalog: {
          name: "evaluation",
          builtinFunctionOptions: { languageOptions },
          table: [{ name: table.name, column: table.schema.map((f) => ({ name: f.name, type: fieldType(f) })) }],
        },
        tableContent: { [table.name]: { tableData: { row: table.rows.map((r) => ({ cell: table.schema.map((f) => encodeValue(f, r[f.name])) })) } } },
        params: names.map((name) => ({ name, value: { stringValue: parameters[name] } })),
      });
    } catch (error) {
      const details = (error as { details?: string }).details;
      if (details !== undefined) throw new ZetaSqlError(details, statement);
      throw error;
    }
    const types = table.schema.map((f) => numericKinds(fieldType(f)));
    return response.content.map((changed) => ({
      operation: String(changed.operation),
      row: Object.fromEntries(table.schema.map((f, i) => [f.name, decodeValue(types[i], changed.cell[i] as unknown as Json)])),
    }));
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** (Re-)registers the whole catalog: ZetaSQL catalogs are immutable once registered. */
  private async registerCatalog(): Promise<void> {
    if (this.catalogId !== undefined) {
      await this.client.unRegisterCatalog({ registeredId: this.catalogId });
      this.catalogId = undefined;
    }
    const response = await this.client.registerCatalog({ simpleCatalog: this.catalog() });
    if (response === undefined) throw new Error("ZetaSQL did not register the catalog");
    this.catalogId = response.registeredId.toString();
  }

  /**
   * BigQuery resolves `project.dataset.table` written as one quoted identifier and as three
   * identifiers alike; ZetaSQL does not split quoted identifiers, so every table is registered
   * both under its full dotted name and in nested project and dataset catalogs.
   */
  private catalog(): SimpleCatalogProto {
    const root: SimpleCatalogProto = {
      name: "bigquery",
      builtinFunctionOptions: { languageOptions: this.languageOptions },
      table: [],
      catalog: [],
    };
    for (const [fullName, { path, columns }] of this.tables) {
      root.table!.push({ name: fullName, column: columns });
      let catalog = root;
      for (const part of path.slice(0, -1)) {
        let child = catalog.catalog!.find((c) => c.name === part);
        if (child === undefined) {
          child = { name: part, table: [], catalog: [] };
          catalog.catalog!.push(child);
        }
        catalog = child;
      }
      catalog.table!.push({ name: path[path.length - 1], column: columns });
    }
    return root;
  }
}

const SIMPLE_KINDS: Readonly<Record<string, TypeProto["typeKind"]>> = {
  STRING: "TYPE_STRING",
  BYTES: "TYPE_BYTES",
  INTEGER: "TYPE_INT64",
  INT64: "TYPE_INT64",
  FLOAT: "TYPE_DOUBLE",
  FLOAT64: "TYPE_DOUBLE",
  NUMERIC: "TYPE_NUMERIC",
  BIGNUMERIC: "TYPE_BIGNUMERIC",
  BOOLEAN: "TYPE_BOOL",
  BOOL: "TYPE_BOOL",
  TIMESTAMP: "TYPE_TIMESTAMP",
  DATE: "TYPE_DATE",
  TIME: "TYPE_TIME",
  DATETIME: "TYPE_DATETIME",
  JSON: "TYPE_JSON",
  GEOGRAPHY: "TYPE_GEOGRAPHY",
  INTERVAL: "TYPE_INTERVAL",
};

/** The ZetaSQL type of a JSON schema field (REPEATED → ARRAY, RECORD → STRUCT). */
export function fieldType(field: BigQueryField): TypeProto {
  const element = elementType(field);
  return field.mode === "REPEATED" ? { typeKind: "TYPE_ARRAY", arrayType: { elementType: element } } : element;
}

function elementType(field: BigQueryField): TypeProto {
  const type = field.type as string;
  if (type === "RECORD" || type === "STRUCT") {
    return {
      typeKind: "TYPE_STRUCT",
      structType: { field: (field.fields ?? []).map((f) => ({ fieldName: f.name, fieldType: fieldType(f) })) },
    };
  }
  const kind = SIMPLE_KINDS[type];
  if (kind === undefined) throw new Error(`no ZetaSQL type for BigQuery type ${type} (field ${field.name})`);
  return { typeKind: kind };
}

// ---- Values for evaluate() ---------------------------------------------------------------

function encodeValue(field: BigQueryField, value: unknown): ValueProto {
  if (value === null || value === undefined) return {};
  if (field.mode === "REPEATED") {
    return { arrayValue: { element: (value as unknown[]).map((v) => encodeValue({ ...field, mode: "NULLABLE" }, v)) } };
  }
  switch (field.type as string) {
    case "STRING":
      return { stringValue: String(value) };
    case "INTEGER":
    case "INT64":
      return { int64Value: String(value) };
    case "FLOAT":
    case "FLOAT64":
      return { doubleValue: Number(value) };
    case "BOOLEAN":
    case "BOOL":
      return { boolValue: Boolean(value) };
    case "BYTES":
      return { bytesValue: Buffer.from(value as Uint8Array) };
    case "NUMERIC":
      return { numericValue: numericBytes(String(value)) };
    case "JSON":
      return { jsonValue: JSON.stringify(value) };
    case "DATE":
      return { dateValue: Math.round(Date.parse(`${String(value)}T00:00:00Z`) / 86_400_000) };
    case "TIMESTAMP": {
      const ms = (value as Date).getTime();
      return { timestampValue: { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 } };
    }
    case "RECORD":
    case "STRUCT":
      return { structValue: { field: (field.fields ?? []).map((f) => encodeValue(f, (value as Record<string, unknown>)[f.name])) } };
    default:
      throw new Error(`evaluate(): values of type ${field.type} are not supported (column ${field.name}); leave it NULL`);
  }
}

/**
 * A NUMERIC as ZetaSQL serializes it: the value times 10^9 as a two's-complement integer, little
 * endian, in as few bytes as hold its sign. Takes the decimal text (`"12.5"`) to stay exact.
 */
function numericBytes(text: string): Buffer {
  const match = /^(-?)(\d+)(?:\.(\d{0,9}))?$/.exec(text);
  if (match === null) throw new Error(`evaluate(): "${text}" is not a NUMERIC with at most 9 decimals`);
  let scaled = BigInt(match[2] + (match[3] ?? "").padEnd(9, "0"));
  if (match[1] === "-") scaled = -scaled;
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(BigInt.asUintN(8, scaled));
    scaled >>= 8n;
    bytes.push(byte);
    // Done once the rest is all sign and the last byte's top bit shows that sign.
    if ((scaled === 0n && (byte & 0x80) === 0) || (scaled === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

/** A TypeProto written with enum names (as fieldType makes it), with the numbers the server answers with. */
function numericKinds(type: TypeProto): Json {
  const json = JSON.parse(JSON.stringify(type)) as Json;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const object = node as Json;
    if (typeof object.typeKind === "string") object.typeKind = TypeKind[object.typeKind as keyof typeof TypeKind];
    Object.values(object).forEach(visit);
  };
  visit(json);
  return json;
}

function decodeValue(type: Json, value: Json | undefined): unknown {
  if (value === undefined || value === null || value.value === undefined) return null;
  const v = value[value.value as string] as unknown;
  switch (type.typeKind) {
    case 16: {
      const elementType = (type.arrayType as Json).elementType as Json;
      return (((v as Json).element as Json[]) ?? []).map((e) => decodeValue(elementType, e));
    }
    case 17: {
      const fields = (type.structType as Json).field as Json[];
      const values = ((v as Json).field as Json[]) ?? [];
      return Object.fromEntries(fields.map((f, i) => [f.fieldName as string, decodeValue(f.fieldType as Json, values[i])]));
    }
    case 2:
      return Number((v as { toString(): string }).toString());
    case 19: {
      const ts = v as { seconds: { toString(): string }; nanos: number };
      return new Date(Number(ts.seconds.toString()) * 1000 + Math.floor(ts.nanos / 1_000_000));
    }
    default:
      return v;
  }
}

// ---- Reading the resolved AST -------------------------------------------------------------
// The gRPC answer is the resolved AST as protobuf JSON: `Any...` wrappers name their one set
// field in `node`, and every node keeps its base class under `parent`.

type Json = Record<string, unknown>;

/** Follows `Any...` wrappers (`{node: "x", x: {...}}`) down to the concrete node. */
function unwrap(value: unknown): Json {
  let node = value as Json;
  while (node !== null && typeof node === "object" && typeof node.node === "string" && node[node.node] !== undefined) {
    node = node[node.node] as Json;
  }
  return node;
}

/** A field of a node or of one of its base classes (the `parent` chain). */
function inherited(node: Json | null | undefined, key: string): unknown {
  for (let n = node; n !== null && n !== undefined; n = n.parent as Json | null) {
    if (n[key] !== undefined && n[key] !== null) return n[key];
  }
  return undefined;
}

interface ViewNode {
  optionList: Json[];
  outputColumnList: { name: string; column: { type: unknown } | null }[];
}

function viewNode(response: AnalyzeResponse__Output): ViewNode | undefined {
  const create = response.resolvedStatement?.resolvedCreateStatementNode;
  const view = create?.resolvedCreateViewBaseNode?.resolvedCreateViewStmtNode?.parent;
  return (view ?? undefined) as ViewNode | undefined;
}

function describeStatement(response: AnalyzeResponse__Output): AnalyzedStatement {
  const statement = response.resolvedStatement;
  const create = statement?.resolvedCreateStatementNode;
  const table = create?.resolvedCreateTableStmtBaseNode?.resolvedCreateTableStmtNode;
  if (table) {
    const base = table.parent as unknown as Json;
    return {
      kind: "createTable",
      name: createdName(base),
      columns: (base.columnDefinitionList as Json[]).map((d) =>
        definedColumn(d.name as string, d.type as Json, (d.annotations ?? undefined) as Json | undefined),
      ),
      options: optionsOf(base.optionList as Json[]),
      partitionBy: (table.partitionByList as unknown[]).map(exprText),
      clusterBy: (table.clusterByList as unknown[]).map(exprText),
      response,
    };
  }
  const view = viewNode(response);
  if (view) {
    return {
      kind: "createView",
      name: createdName(view as unknown as Json),
      columns: view.outputColumnList.map((c) => definedColumn(c.name, c.column?.type as Json, undefined)),
      options: optionsOf(view.optionList),
      partitionBy: [],
      clusterBy: [],
      response,
    };
  }
  const query = statement?.resolvedQueryStmtNode;
  if (query) {
    return {
      kind: "query",
      name: undefined,
      columns: query.outputColumnList.map((c) => definedColumn(c.name, c.column?.type as unknown as Json, undefined)),
      options: {},
      partitionBy: [],
      clusterBy: [],
      response,
    };
  }
  return { kind: "other", name: undefined, columns: [], options: {}, partitionBy: [], clusterBy: [], response };
}

function createdName(node: Json): string | undefined {
  const path = inherited(node, "namePath") as string[] | undefined;
  return path?.join(".");
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "INT32",
  2: "INT64",
  3: "UINT32",
  4: "UINT64",
  5: "BOOL",
  6: "FLOAT",
  7: "FLOAT64",
  8: "STRING",
  9: "BYTES",
  10: "DATE",
  19: "TIMESTAMP",
  20: "TIME",
  21: "DATETIME",
  22: "GEOGRAPHY",
  23: "NUMERIC",
  24: "BIGNUMERIC",
  26: "JSON",
  27: "INTERVAL",
};

/** A column from its resolved type and, for CREATE TABLE, its annotations (nested OPTIONS). */
export function definedColumn(name: string, type: Json, annotations: Json | undefined): AnalyzedColumn {
  const repeated = type.typeKind === 16;
  const element = repeated ? ((type.arrayType as Json).elementType as Json) : type;
  // Annotations mirror the type: an ARRAY's element annotations are its only child.
  const elementAnnotations = repeated ? ((annotations?.childList as Json[] | undefined)?.[0] ?? undefined) : annotations;
  const structFields = element.typeKind === 17 ? ((element.structType as Json).field as Json[]) : [];
  const fields = structFields.map((f, i) =>
    definedColumn(f.fieldName as string, f.fieldType as Json, (elementAnnotations?.childList as Json[] | undefined)?.[i]),
  );
  const description = optionsOf((annotations?.optionList as Json[] | undefined) ?? []).description;
  return {
    name,
    type: typeText(type),
    kind: element.typeKind === 17 ? "STRUCT" : typeText(element),
    mode: repeated ? "REPEATED" : "NULLABLE",
    description: typeof description === "string" ? description : undefined,
    fields,
  };
}

/** GoogleSQL spelling of a resolved type. */
export function typeText(type: Json): string {
  switch (type.typeKind) {
    case 16:
      return `ARRAY<${typeText((type.arrayType as Json).elementType as Json)}>`;
    case 17:
      return `STRUCT<${((type.structType as Json).field as Json[]).map((f) => `${f.fieldName} ${typeText(f.fieldType as Json)}`).join(", ")}>`;
    default:
      return TYPE_NAMES[type.typeKind as number] ?? `TYPE_${String(type.typeKind)}`;
  }
}

function optionsOf(options: readonly Json[]): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const option of options) {
    const literal = unwrap(option.value);
    out[option.name as string] = literal.value !== undefined ? literalValue((literal.value as Json).value as Json) : exprText(option.value);
  }
  return out;
}

function literalValue(value: Json | null): OptionValue {
  if (value === null || value === undefined || value.value === undefined) return null;
  const which = value.value as string;
  const v = value[which] as unknown;
  switch (which) {
    case "arrayValue":
      return ((v as Json).element as Json[]).map(literalValue);
    case "structValue":
      return ((v as Json).field as Json[]).map(literalValue);
    case "int64Value":
    case "uint64Value":
      return BigInt((v as { toString(): string }).toString());
    case "stringValue":
    case "boolValue":
    case "int32Value":
    case "uint32Value":
    case "doubleValue":
    case "floatValue":
    case "enumValue":
    case "dateValue":
      return v as OptionValue;
    default:
      return `${which}:${JSON.stringify(v)}`;
  }
}

/**
 * A compact text of a resolved expression: `timestamp_trunc(publish_time, 7)` (function names
 * without the `ZetaSQL:` prefix, enum literals as their number). Comparing the text of generated
 * SQL with that of hand-written SQL shows whether ZetaSQL reads both the same way.
 */
export function exprText(expr: unknown): string {
  const node = unwrap(expr);
  const fn = inherited(node, "function") as Json | undefined;
  if (fn !== undefined) {
    const args = (inherited(node, "argumentList") as unknown[] | undefined) ?? [];
    return `${String(fn.name).replace(/^ZetaSQL:/, "")}(${args.map(exprText).join(", ")})`;
  }
  const column = inherited(node, "column") as Json | undefined;
  if (column !== undefined) return String(column.name);
  const value = node.value as Json | undefined;
  if (value !== undefined && value !== null && "type" in value) {
    const literal = literalValue(value.value as Json);
    return typeof literal === "string" ? JSON.stringify(literal) : String(literal);
  }
  const fieldIdx = node.fieldIdx;
  if (fieldIdx !== undefined) return `${exprText(node.expr)}.#${String(fieldIdx)}`;
  return JSON.stringify(Object.keys(node));
}
