/**
 * Real dbt Core with the BigQuery adapter, in a virtual environment the tests create themselves
 * (from PyPI, cached under ~/.cache/protoc-gen-entity, created once even when several test workers
 * ask at the same time). A throwaway dbt project holds the generated sources files; `dbt parse`
 * reads them as a team's project would, and `dbt compile` renders every generic test's SQL with
 * dbt's own macros. Compiling needs a profile but no warehouse: an access token that is never sent
 * (`oauth-secrets`) stands in for credentials, since no test here opens a connection.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * dbt-core 1.12 downloads a parser wheel from GitHub while it installs, which this machine cannot
 * reach; 1.11 is the newest line that installs from PyPI alone.
 */
export const DBT_PACKAGES = ["dbt-core==1.11.16", "dbt-bigquery==1.11.3"] as const;

const VENV = join(process.env.PROTOC_GEN_ENTITY_CACHE ?? join(homedir(), ".cache/protoc-gen-entity"), `dbt-${DBT_PACKAGES.join("-").replace(/[^A-Za-z0-9.]+/g, "_")}`);
const DBT = join(VENV, "bin/dbt");
const LOCK = `${VENV}.lock`;
const READY = join(VENV, ".ready");

/** Creates the virtual environment unless a finished one is there; returns the dbt executable. */
export async function ensureDbt(): Promise<string> {
  if (existsSync(READY)) return DBT;
  mkdirSync(dirname(VENV), { recursive: true });
  while (!tryLock()) {
    if (existsSync(READY)) return DBT;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  try {
    if (!existsSync(READY)) {
      rmSync(VENV, { recursive: true, force: true });
      execFileSync("python3", ["-m", "venv", VENV], { stdio: "inherit" });
      execFileSync(join(VENV, "bin/pip"), ["install", "--quiet", "--disable-pip-version-check", ...DBT_PACKAGES], { stdio: "inherit" });
      writeFileSync(READY, `${DBT_PACKAGES.join("\n")}\n`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  return DBT;
}

/** mkdir is atomic: whoever creates the lock directory installs; a stale lock (a killed run) is taken after 15 minutes. */
function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - since > 15 * 60_000) rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

/** A dbt project in a temporary directory whose models folder holds the given files (by relative path). */
export class DbtProject {
  readonly dir = mkdtempSync(join(tmpdir(), "entity-dbt-"));

  constructor(files: ReadonlyMap<string, string>, project: string) {
    for (const [name, text] of files) {
      const path = join(this.dir, "models", name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    writeFileSync(
      join(this.dir, "dbt_project.yml"),
      ['name: entity_sources', 'version: "1.0.0"', "config-version: 2", "profile: entity_sources", 'model-paths: ["models"]', ""].join("\n"),
    );
    writeFileSync(
      join(this.dir, "profiles.yml"),
      [
        "entity_sources:",
        "  target: offline",
        "  outputs:",
        "    offline:",
        "      type: bigquery",
        "      method: oauth-secrets",
        "      token: never-sent",
        `      project: ${project}`,
        "      dataset: dbt_offline",
        "      threads: 1",
        "",
      ].join("\n"),
    );
  }

  /** Runs dbt here; returns its exit status and everything it printed. */
  run(dbt: string, args: readonly string[]): { status: number; output: string } {
    const result = spawnSync(dbt, [...args, "--profiles-dir", this.dir, "--project-dir", this.dir], {
      cwd: this.dir,
      encoding: "utf8",
      env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: "false", DBT_USE_COLORS: "false", DBT_VERSION_CHECK: "false" },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  /** The generic tests of the last `dbt compile`, from its manifest: what each checks and the SQL dbt made of it. */
  compiledTests(): CompiledDbtTest[] {
    const manifest = JSON.parse(readFileSync(join(this.dir, "target/manifest.json"), "utf8")) as Manifest;
    return Object.values(manifest.nodes)
      .filter((node) => node.resource_type === "test")
      .map((node) => ({
        uniqueId: node.unique_id,
        testName: node.test_metadata?.name ?? "",
        sql: node.compiled_code ?? "",
        column: node.column_name ?? undefined,
        tested: testedSource(node.test_metadata?.kwargs?.model),
        severity: (node.config?.severity ?? "ERROR").toLowerCase(),
        where: node.config?.where ?? undefined,
      }));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CompiledDbtTest {
  readonly uniqueId: string;
  /** The generic test: not_null, unique, accepted_values, relationships. */
  readonly testName: string;
  readonly sql: string;
  /** The column the test is declared on. */
  readonly column: string | undefined;
  /** The source table the test is declared on. */
  readonly tested: { readonly source: string; readonly table: string } | undefined;
  /** `error` or `warn`. */
  readonly severity: string;
  readonly where: string | undefined;
}

/** `{{ get_where_subquery(source('s', 't')) }}` → s and t. */
function testedSource(model: string | undefined): CompiledDbtTest["tested"] {
  const match = /source\('([^']+)', *'([^']+)'\)/.exec(model ?? "");
  return match === null ? undefined : { source: match[1], table: match[2] };
}

interface Manifest {
  readonly nodes: Record<
    string,
    {
      readonly unique_id: string;
      readonly resource_type: string;
      readonly test_metadata?: { readonly name: string; readonly kwargs?: { readonly model?: string } };
      readonly compiled_code?: string;
      readonly column_name?: string | null;
      readonly config?: { readonly severity?: string; readonly where?: string | null };
    }
  >;
}
