/**
 * The example domain's catalog in headless Chromium, as an analyst uses it: open the index from the
 * file system, search and filter, follow a column hit to its row and a reference to the other
 * entity, fold nested columns. No request may leave the machine and no console error may appear.
 * What the pages show is compared with other artifacts of the same run (the Terraform module that
 * deploys each entity, the BigQuery JSON schemas), and the ready-to-run SQL is analyzed by ZetaSQL.
 */
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BigQueryField } from "../../plugin/src/physical/table-schema.js";
import { startBrowser, type BrowserSession } from "../harness/chromium/browser.js";
import { modelOfCompiled } from "../model/support.js";
import { compileExample, exampleParameter, generateExample } from "../harness/buf/protos.js";
import { keyOf, readModule, resourceOf } from "../harness/opentofu/module.js";
import { startZetaSql, type ZetaSqlSession } from "../harness/zetasql/zetasql.js";
import { catalogUrl, describeInBrowser, writeRun } from "./support.js";

interface Manifest {
  readonly entity: string;
  readonly topic: string;
  readonly subscription: { readonly name: string; readonly bigqueryConfig: { readonly table: string } };
}

/** Each entity as the Terraform module deploys it: its topic, its BigQuery subscription and the table that writes into. */
function deployedEntities(files: ReadonlyMap<string, string>): Manifest[] {
  const module = readModule(files);
  const model = modelOfCompiled(compileExample(), exampleParameter());
  const unprefixed = (name: unknown) => String(name).replace("${var.name_prefix}", "");
  return model.entities.map((entity) => {
    const key = keyOf(entity);
    const table = resourceOf(module, "google_bigquery_table", key);
    return {
      entity: entity.typeName,
      topic: unprefixed(resourceOf(module, "google_pubsub_topic", key).name),
      subscription: {
        name: unprefixed(resourceOf(module, "google_pubsub_subscription", key).name),
        bigqueryConfig: { table: `${model.project}.${String(table.dataset_id)}.${String(table.table_id)}` },
      },
    };
  });
}

describeInBrowser("the example domain's catalog in Chromium", () => {
  let files: Map<string, string>;
  let dir: string;
  let browser: BrowserSession;
  let manifests: Manifest[];

  beforeAll(async () => {
    files = generateExample();
    dir = writeRun(files);
    browser = await startBrowser();
    manifests = deployedEntities(files);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const datasetOf = (m: Manifest) => m.subscription.bigqueryConfig.table.split(".")[1];
  const titleOf = (typeName: string) => typeName.slice(typeName.lastIndexOf(".") + 1);

  async function openIndex(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, "index.html"));
    return page;
  }

  async function visibleCards(page: Page): Promise<string[]> {
    return (await page.locator(".entity-card:visible .entity-link").allTextContents()).sort();
  }

  it("lists every entity of the run, with its dataset, and loads nothing from elsewhere", async () => {
    const page = await openIndex();
    expect(await visibleCards(page)).toEqual(manifests.map((m) => titleOf(m.entity)).sort());
    expect(await page.locator("#result-count").textContent()).toBe(`${manifests.length} entities`);
    for (const m of manifests) {
      const card = page.locator(".entity-card", { has: page.locator(`code.type-name`, { hasText: new RegExp(`^${m.entity.replace(/\./g, "\\.")}$`) }) });
      expect(await card.locator(".badge-dataset").textContent()).toBe(datasetOf(m));
    }
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("searches by name and filters by dataset, owner, PII and freshness", async () => {
    const page = await openIndex();
    await page.fill("#search", "meter");
    expect(await visibleCards(page)).toEqual(["MeterReading", "SmartMeter"]);
    expect(await page.locator("#result-count").textContent()).toBe(`2 of ${manifests.length} entities`);
    await page.fill("#search", "no entity has this text");
    expect(await visibleCards(page)).toEqual([]);
    await expect.poll(() => page.locator("#no-results").isVisible()).toBe(true);
    await page.click("#filter-reset");
    expect(await visibleCards(page)).toHaveLength(manifests.length);

    const billing = manifests.filter((m) => datasetOf(m) === "billing").map((m) => titleOf(m.entity)).sort();
    expect(billing.length).toBeGreaterThan(1);
    await page.selectOption("#filter-dataset", "billing");
    expect(await visibleCards(page)).toEqual(billing);
    await page.click("#filter-reset");

    // Owners and freshness come from the contracts: customer-team owns User and House; Payment (made an entity by option) has neither.
    await page.selectOption("#filter-owner", "customer-team");
    expect(await visibleCards(page)).toEqual(["House", "User"]);
    await page.selectOption("#filter-owner", { label: "No owner (1)" });
    expect(await visibleCards(page)).toEqual(["Payment"]);
    await page.click("#filter-reset");
    await page.selectOption("#filter-freshness", "none");
    expect(await visibleCards(page)).toEqual(["Payment"]);
    await page.selectOption("#filter-freshness", "hour");
    expect(await visibleCards(page)).toEqual(["MeterReading"]);
    await page.click("#filter-reset");

    // PII: User (email, name, address…), House (its address), SmartMeter; not the billing entities.
    await page.check("#filter-pii");
    expect(await visibleCards(page)).toEqual(["House", "SmartMeter", "User"]);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("finds a nested column from the index and opens its row, unfolded and marked", async () => {
    const page = await openIndex();
    await page.fill("#search", "address.city");
    expect(await visibleCards(page)).toEqual(["House", "User"]);
    const hit = page.locator(".entity-card:visible", { hasText: "energy.customer.v1.House" }).locator(".column-hits a", { hasText: "address.city" });
    await hit.click();
    await page.waitForURL(/energy\.customer\.v1\.House\.html#col-address\.city$/);
    const row = page.locator("tr#col-address\\.city");
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.getAttribute("class")).toContain("highlight");
    // Its siblings are unfolded with it; another STRUCT stays folded.
    expect(await page.locator("tr#col-address\\.street").isVisible()).toBe(true);
    expect(await page.locator("tr#col-installations\\.installed_on").isVisible()).toBe(false);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("follows a reference to the referenced entity's page", async () => {
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, "entities/energy.customer.v1.House.html"));
    const reference = page.locator("tr#col-owner_user_id a.reference");
    expect(await reference.textContent()).toBe("energy.customer.v1.User");
    await reference.click();
    await page.waitForURL(/energy\.customer\.v1\.User\.html$/);
    expect(await page.locator("h1").textContent()).toBe("User");
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("shows every column of each table as its JSON schema has it, nested ones folded until asked", async () => {
    const page = await browser.newPage();
    for (const m of manifests) {
      const [, dataset, table] = m.subscription.bigqueryConfig.table.split(".");
      const schema = JSON.parse(files.get(`bigquery/${dataset}/${table}.schema.json`)!) as BigQueryField[];
      const expected: string[] = [];
      const topLevel = schema.map((f) => f.name);
      const walk = (fields: readonly BigQueryField[], prefix: string) => {
        for (const f of fields) {
          expected.push(`${prefix}${f.name} ${f.type === "RECORD" ? "STRUCT" : f.type.replace("INTEGER", "INT64").replace("FLOAT", "FLOAT64").replace("BOOLEAN", "BOOL")} ${f.mode}`);
          walk(f.fields ?? [], `${prefix}${f.name}.`);
        }
      };
      walk(schema, "");
      await page.goto(catalogUrl(dir, `entities/${m.entity}.html`));
      const rows = await page.locator("tbody tr").evaluateAll((trs) =>
        trs.map((tr) => `${(tr as HTMLElement).dataset.path} ${tr.querySelector("td:nth-child(4) code")!.textContent} ${tr.querySelector(".mode")!.textContent}`),
      );
      expect(rows, m.entity).toEqual(expected);
      const visible = await page.locator("tbody tr:visible").evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.path));
      expect(visible, `${m.entity}: only top-level columns show at first`).toEqual(topLevel);
      await page.click("#expand-all");
      expect(await page.locator("tbody tr:visible").count()).toBe(expected.length);
      await page.click("#collapse-all");
      expect(await page.locator("tbody tr:visible").count()).toBe(topLevel.length);
      // The facts name the manifest's topic, subscription and table.
      const facts = await page.locator(".facts dd").allTextContents();
      expect(facts).toEqual(expect.arrayContaining([m.topic, m.subscription.name, m.subscription.bigqueryConfig.table]));
    }
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("filters an entity's columns, showing the STRUCTs a match sits in", async () => {
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, "entities/energy.customer.v1.House.html"));
    await page.fill("#search", "country_code");
    const visible = await page.locator("tbody tr:visible").evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.path));
    expect(visible).toEqual(["address", "address.country_code"]);
    await page.fill("#search", "");
    expect(await page.locator("tbody tr:visible").count()).toBeGreaterThan(2);
    await page.close();
    expect(browser.errors).toEqual([]);
  });

  it("links every lineage and history step to a file the run generated", async () => {
    const page = await browser.newPage();
    for (const m of manifests) {
      await page.goto(catalogUrl(dir, `entities/${m.entity}.html`));
      const hrefs = await page.locator("#lineage a, #history a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      expect(hrefs.length).toBeGreaterThanOrEqual(10);
      for (const href of hrefs) expect(existsSync(fileURLToPath(href)), `${m.entity}: ${href}`).toBe(true);
      const stages = await page.locator(".step-stage").allTextContents();
      expect(stages).toEqual(["Contract", "Topic", "Subscription", "Table", "Views", "Explores and dashboards", "dbt source"]);
    }
    await page.close();
  });

  it("gives SQL that ZetaSQL accepts against the run's tables and views", async () => {
    let zetasql: ZetaSqlSession | undefined;
    const page = await browser.newPage();
    try {
      zetasql = await startZetaSql();
      await zetasql.registerTables(
        manifests.map((m) => {
          const [project, dataset, table] = m.subscription.bigqueryConfig.table.split(".");
          return { project, dataset, table, schema: JSON.parse(files.get(`bigquery/${dataset}/${table}.schema.json`)!) as BigQueryField[] };
        }),
      );
      for (const [name, content] of files) {
        if (/^bigquery\/[^/]+\/[^/]+_(events|latest)\.sql$/.test(name)) await zetasql.registerView(content);
      }
      for (const m of manifests) {
        await page.goto(catalogUrl(dir, `entities/${m.entity}.html`));
        const sql = await page.locator("pre.language-sql code").allTextContents();
        // The latest state, unless the entity has none (append-only), and the events of the last day.
        const [dataset, table] = m.subscription.bigqueryConfig.table.split(".").slice(1);
        expect(sql).toHaveLength(files.has(`bigquery/${dataset}/${table}_latest.sql`) ? 2 : 1);
        for (const statement of sql) {
          const analyzed = await zetasql.analyze(statement.replace(/;\s*$/, ""));
          expect(analyzed.kind, statement).toBe("query");
        }
        const ts = await page.locator("pre.language-ts code").textContent();
        expect(ts).toContain(`TOPICS.${titleOf(m.entity)}`);
      }
    } finally {
      await page.close();
      await zetasql?.stop();
    }
    expect(browser.errors).toEqual([]);
  });
});
