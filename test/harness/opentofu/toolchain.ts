/**
 * Where test/harness/opentofu/toolchain.sh installs OpenTofu, the google provider's mirror and checkov;
 * and running them in a scratch directory holding a generated module.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const TOOLCHAIN_DIR = join(process.env.PROTOC_GEN_ENTITY_CACHE ?? join(homedir(), ".cache/protoc-gen-entity"), "tofu");
export const TOFU = join(TOOLCHAIN_DIR, "bin/tofu");
export const CLI_CONFIG = join(TOOLCHAIN_DIR, "tofurc");
export const CHECKOV = join(TOOLCHAIN_DIR, "venv/bin/checkov");
export const TOOLCHAIN_READY = existsSync(TOFU) && existsSync(CLI_CONFIG) && existsSync(CHECKOV);
export const NOT_READY = "skipped: the Terraform toolchain is not installed; run test/harness/opentofu/toolchain.sh (.ci/run does)";

/** The provider the toolchain installed: `real`, or `schema` (its published schema, see docs/deployment.md). */
export function providerKind(): string {
  const mirror = join(TOOLCHAIN_DIR, "mirror/registry.opentofu.org/hashicorp/google");
  for (const version of existsSync(mirror) ? readdir(mirror) : []) {
    for (const platform of readdir(join(mirror, version))) {
      const kind = join(mirror, version, platform, "KIND");
      if (existsSync(kind)) return readFileSync(kind, "utf8").trim().split(" ")[0];
    }
  }
  return "none";
}

function readdir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** A root module that calls the generated module with test values, in a scratch directory. */
export class TofuWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), "entity-tofu-"));

  constructor(files: ReadonlyMap<string, string>, moduleArguments: Record<string, unknown>) {
    for (const [name, content] of files) {
      if (!name.startsWith("terraform/")) continue;
      const path = join(this.dir, "module", name.slice("terraform/".length));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const root = {
      terraform: { required_providers: { google: { source: "hashicorp/google" } } },
      // A token that is never used: plan -refresh=false makes no API call, but the provider
      // wants credentials to configure itself.
      provider: { google: { project: "plan-test-project", region: "europe-west1", access_token: "not-a-real-token" } },
      module: { entities: { source: "./module", ...moduleArguments } },
      output: { topic_ids: { value: "${module.entities.topic_ids}" }, table_ids: { value: "${module.entities.table_ids}" } },
    };
    writeFileSync(join(this.dir, "main.tf.json"), JSON.stringify(root, null, 2));
  }

  /** Runs tofu; resolves with its output, or rejects with it. */
  async tofu(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(TOFU, [...args, "-no-color"], {
      cwd: this.dir,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, TF_CLI_CONFIG_FILE: CLI_CONFIG, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0" },
    });
  }

  async checkov(): Promise<CheckovReport> {
    // checkov exits 1 when a check fails; the report is on stdout either way. `terraform_json` is
    // its scanner of .tf.json files (`terraform` reads HCL only); its parser fails on the
    // `terraform` block of versions.tf.json, which holds no resource, so that file is left out.
    const args = ["--directory", join(this.dir, "module"), "--framework", "terraform_json", "--skip-path", "versions.tf.json"];
    const result = await run(CHECKOV, [...args, "--output", "json", "--quiet", "--compact"], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" },
    }).catch((error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout) throw error;
      return { stdout: error.stdout, stderr: error.stderr ?? "" };
    });
    const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
    return Array.isArray(parsed) ? parsed[0] : parsed;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CheckovFinding {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_path: string;
}

export interface CheckovReport {
  readonly check_type: string;
  readonly results: { readonly failed_checks: readonly CheckovFinding[]; readonly passed_checks: readonly CheckovFinding[] };
  readonly summary: { readonly passed: number; readonly failed: number };
}
