/**
 * The module accepted by the real engine: OpenTofu initialises it offline from the provider
 * mirror, validates it against the hashicorp/google provider's schema, and plans it with
 * -refresh=false against the local backend (no credentials, no API call) — for the example
 * domain and for a googleapis run. And checkov's security pass: every finding is explained in
 * docs/deployment.md. Needs test/harness/opentofu/toolchain.sh (run by .ci/run).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelOfCompiled } from "../model/support.js";
import { compileGoogleapis } from "../harness/buf/googleapis.js";
import { compileExample, compileProtos, exampleParameter, generateExample, REPO_ROOT, runPlugin } from "../harness/buf/protos.js";
import { readRelations } from "../../plugin/src/physical/bigquery-names.js";
import { SHOP } from "../bigquery/support.js";
import { NOT_READY, providerKind, TOFU, TOOLCHAIN_READY, TofuWorkspace } from "../harness/opentofu/toolchain.js";
import { keyOf, readModule, resourceOf } from "../harness/opentofu/module.js";

const TIMEOUT = 600_000;

const ARGUMENTS = {
  project_id: "plan-test-project",
  project_number: "123456789012",
  location: "EU",
  name_prefix: "test-",
  labels: { environment: "test" },
  notification_channels: ["projects/plan-test-project/notificationChannels/1234"],
};

interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[]; readonly after: Record<string, unknown> };
}

if (!TOOLCHAIN_READY) console.warn(`test/terraform/tofu.test.ts ${NOT_READY} (looked for ${TOFU})`);

describe.skipIf(!TOOLCHAIN_READY)(`OpenTofu with the hashicorp/google provider (${TOOLCHAIN_READY ? `provider: ${providerKind()}` : NOT_READY})`, () => {
  for (const [name, generate] of [
    ["the example domain", () => ({ files: generateExample(), entities: modelOfCompiled(compileExample(), exampleParameter()).entities })],
    [
      "a googleapis run",
      () => {
        const { compiled, parameter } = compileGoogleapis();
        return { files: runPlugin(compiled, parameter), entities: modelOfCompiled(compiled, parameter).entities };
      },
    ],
    [
      "a domain with a latest-state table, an append-only and a plain entity",
      () => {
        const compiled = compileProtos({ "shop/v1/shop.proto": SHOP });
        return { files: runPlugin(compiled, "project=test-project"), entities: modelOfCompiled(compiled, "project=test-project").entities };
      },
    ],
  ] as const) {
    describe(name, () => {
      const { files, entities } = generate();
      let workspace: TofuWorkspace;

      beforeAll(async () => {
        workspace = new TofuWorkspace(files, ARGUMENTS);
        await workspace.tofu("init", "-input=false");
      }, TIMEOUT);

      afterAll(() => workspace?.dispose());

      it("validates", async () => {
        const { stdout } = await workspace.tofu("validate", "-json");
        const result = JSON.parse(stdout) as { valid: boolean; error_count: number; diagnostics: unknown[] };
        expect(result.diagnostics).toEqual([]);
        expect(result.valid).toBe(true);
      }, TIMEOUT);

      it("plans every entity's resources, as the module declares them", async () => {
        await workspace.tofu("plan", "-refresh=false", "-input=false", "-lock=false", "-out=plan.bin");
        const { stdout } = await workspace.tofu("show", "-json", "plan.bin");
        const plan = JSON.parse(stdout) as { resource_changes: PlannedChange[] };
        const changes = plan.resource_changes;
        expect(changes.every((c) => c.change.actions.join() === "create"), "everything is created").toBe(true);
        const module = readModule(files);
        for (const entity of entities) {
          const key = keyOf(entity);
          const planned = (type: string, k: string) => changes.find((c) => c.address === `module.entities.${type}.${k}`);
          for (const [type, k] of [
            ["google_pubsub_schema", key],
            ["google_pubsub_topic", key],
            ["google_pubsub_topic", `${key}__dead_letter`],
            ["google_pubsub_subscription", key],
            ["google_pubsub_subscription", `${key}__dead_letter`],
            ["google_pubsub_topic_iam_member", `${key}__dead_letter_publisher`],
            ["google_pubsub_subscription_iam_member", `${key}__dead_letter_subscriber`],
            ["google_bigquery_table_iam_member", `${key}__writer`],
            ["google_bigquery_table", `${key}__dead_letter`],
            ...(readRelations(entity).eventsView ? [["google_bigquery_table", `${key}__events`]] : []),
            ...(readRelations(entity).latestView ? [["google_bigquery_table", `${key}__latest`]] : []),
            ...(readRelations(entity).latest === "table"
              ? [
                  ["google_bigquery_table", `${key}__latest_state`],
                  ["google_bigquery_data_transfer_config", `${key}__latest_state`],
                ]
              : []),
          ]) {
            expect(planned(type, k), `${type}.${k}`).toBeDefined();
          }
          const table = planned("google_bigquery_table", key)!.change.after;
          // The planned schema is the module's, column for column (the provider normalizes JSON).
          expect(JSON.parse(table.schema as string)).toEqual(JSON.parse(resourceOf(module, "google_bigquery_table", key).schema as string));
          expect(table.deletion_protection).toBe(true);
          const topic = planned("google_pubsub_topic", key)!.change.after;
          expect(topic.name).toBe(`test-${entity.topic}`);
          expect(topic.labels).toMatchObject({ environment: "test", generated_by: "protoc-gen-entity" });
          const iam = planned("google_pubsub_topic_iam_member", `${key}__dead_letter_publisher`)!.change.after;
          expect(iam.member).toBe("serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com");
          if (readRelations(entity).eventsView) {
            const view = planned("google_bigquery_table", `${key}__events`)!.change.after;
            expect((view.view as { query: string }[])[0].query).toContain(`\`plan-test-project.${entity.dataset}.${entity.table}\``);
          }
        }
      }, TIMEOUT);

      it("refuses a max_delivery_attempts Pub/Sub would refuse", async () => {
        const bad = new TofuWorkspace(files, { ...ARGUMENTS, max_delivery_attempts: 3 });
        try {
          await bad.tofu("init", "-input=false");
          await expect(bad.tofu("validate")).rejects.toMatchObject({ stderr: expect.stringContaining("max_delivery_attempts from 5 to 100") });
        } finally {
          bad.dispose();
        }
      }, TIMEOUT);
    });
  }

  describe("checkov", () => {
    it("finds nothing that docs/deployment.md does not explain", async () => {
      const workspace = new TofuWorkspace(generateExample(), ARGUMENTS);
      try {
        const report = await workspace.checkov();
        expect(report.summary.passed).toBeGreaterThan(0);
        const guide = readFileSync(join(REPO_ROOT, "docs/deployment.md"), "utf8");
        const explained = new Set([...guide.matchAll(/^\| `(CKV2?_GCP_\d+)` \|/gm)].map((m) => m[1]));
        const unexplained = report.results.failed_checks.filter((f) => !explained.has(f.check_id));
        expect(unexplained.map((f) => `${f.check_id} ${f.check_name} (${f.resource})`)).toEqual([]);
      } finally {
        workspace.dispose();
      }
    }, TIMEOUT);
  });
});
