/**
 * The googleapis run (test/harness/buf/googleapis.ts): real APIs with hundreds of nested fields, such
 * as google.cloud.bigquery.v2.Table. Their pages must load quickly, open with the nested fields
 * folded, and stay searchable.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { startBrowser, type BrowserSession } from "../harness/chromium/browser.js";
import { compileGoogleapis, GOOGLEAPIS_ENTITIES } from "../harness/buf/googleapis.js";
import { runPlugin } from "../harness/buf/protos.js";
import { catalogUrl, describeInBrowser, writeRun } from "./support.js";

describeInBrowser("the googleapis catalog in Chromium", () => {
  let dir: string;
  let files: Map<string, string>;
  let browser: BrowserSession;

  beforeAll(async () => {
    const { compiled, parameter } = compileGoogleapis();
    files = runPlugin(compiled, parameter);
    dir = writeRun(files);
    browser = await startBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function schemaOf(table: string): BigQueryField[] {
    const name = [...files.keys()].find((n) => n.endsWith(`/${table}.schema.json`))!;
    return JSON.parse(files.get(name)!) as BigQueryField[];
  }

  const countFields = (fields: readonly BigQueryField[]): number => fields.reduce((n, f) => n + 1 + countFields(f.fields ?? []), 0);

  it("lists every entity and finds the BigQuery Table by a nested column", async () => {
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, "index.html"));
    expect(await page.locator(".entity-card").count()).toBe(GOOGLEAPIS_ENTITIES.length);
    await page.fill("#search", "kms_key_name");
    expect(await page.locator(".entity-card:visible .entity-link").allTextContents()).toEqual(["Table"]);
    const hits = page.locator(".entity-card:visible .column-hits li:visible a");
    expect(await hits.count()).toBeGreaterThan(0);
    await hits.first().click();
    await page.waitForURL(/google\.cloud\.bigquery\.v2\.Table\.html#col-/);
    const target = decodeURIComponent(new URL(page.url()).hash.slice(1));
    await expect.poll(() => page.locator(`tr[id="${target}"]`).isVisible()).toBe(true);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("opens the Table page quickly with its hundreds of nested fields folded, and filters them", async () => {
    const schema = schemaOf("table");
    const total = countFields(schema);
    expect(total).toBeGreaterThan(300);
    const page = await browser.newPage();
    const started = Date.now();
    await page.goto(catalogUrl(dir, "entities/google.cloud.bigquery.v2.Table.html"));
    await page.locator("#columns").waitFor();
    const loadMs = Date.now() - started;
    expect(loadMs).toBeLessThan(5_000);
    expect(await page.locator("tbody tr").count()).toBe(total);
    expect(await page.locator("tbody tr:visible").count()).toBe(schema.length);

    // Unfold one STRUCT: its direct fields appear, not their own children.
    const struct = schema.find((f) => (f.fields ?? []).some((c) => (c.fields ?? []).length > 0))!;
    await page.locator(`tr[data-path="${struct.name}"] .toggle`).click();
    const visible = await page.locator("tbody tr:visible").evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.path));
    expect(visible.filter((p) => p!.startsWith(`${struct.name}.`))).toEqual(struct.fields!.map((f) => `${struct.name}.${f.name}`));

    const started2 = Date.now();
    await page.fill("#search", "kms_key_name");
    const matched = await page.locator("tbody tr:visible").evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.path!));
    expect(Date.now() - started2).toBeLessThan(2_000);
    expect(matched.some((p) => p.endsWith("kms_key_name"))).toBe(true);
    // Every match shows with the STRUCTs it sits in, and nothing else.
    for (const path of matched) {
      expect(path.endsWith("kms_key_name") || matched.some((other) => other.startsWith(`${path}.`) && other.endsWith("kms_key_name"))).toBe(true);
    }
    await page.click("#expand-all");
    await page.fill("#search", "");
    expect(await page.locator("tbody tr:visible").count()).toBe(total);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });
});
