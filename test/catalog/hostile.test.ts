/**
 * Contract text is data: a comment holding `<script>`, `<img onerror=…>` and `{{handlebars}}`
 * shows on the pages as the same text and runs nothing. The markup, if it ran, would set a flag
 * on window; the test reads the flag. The shared hostile entity (quotes, comment markers,
 * template markers, non-ASCII) must survive exactly too.
 */
import { rmSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBrowser, type BrowserSession } from "../harness/chromium/browser.js";
import { HOSTILE_EXPECTED, HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { catalogUrl, describeInBrowser, writeRun } from "./support.js";

/** Each would set window.pwned if the browser took it for markup or a template did. */
const SCRIPT = `<script>window.pwned = "script"</script>`;
const IMAGE = `<img src="x" onerror="window.pwned = 'img'">`;
const TEMPLATE = `{{pwned}} {{{pwned}}} {{> head}} {{#each this}}x{{/each}}`;
const ATTRIBUTE = `" onmouseover="window.pwned = 'attribute'" x="`;

const XSS_LINES = [`Markup: ${SCRIPT} and ${IMAGE}.`, `Handlebars: ${TEMPLATE}.`, `Attribute break-out: ${ATTRIBUTE}`];
const XSS_DESCRIPTION = XSS_LINES.join("\n");

const XSS_PROTO = `syntax = "proto3";

package xss.v1;

import "entity/v1/options.proto";

${XSS_LINES.map((l) => `// ${l}`).join("\n")}
message Attack {
  option (entity.v1.entity) = {owner: "red-team"};

${XSS_LINES.map((l) => `  // ${l}`).join("\n")}
  string id = 1;
  // The hostile entity's id.
  string hostile_id = 2 [(entity.v1.field).references = "hostile.v1.Hostile"];
}
`;

describeInBrowser("contract text in the catalog", () => {
  let dir: string;
  let files: Map<string, string>;
  let browser: BrowserSession;

  beforeAll(async () => {
    files = runPlugin(compileProtos({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO, "xss/v1/attack.proto": XSS_PROTO }));
    dir = writeRun(files);
    browser = await startBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Text as the browser shows it, whitespace runs (the source's line breaks) as one space. */
  const shown = (text: string) => text.replace(/\s+/g, " ").trim();

  async function assertInert(page: Page): Promise<void> {
    // Hovering and scrolling give an injected handler every chance to run.
    await page.mouse.move(400, 400);
    await page.locator("footer").scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script").evaluateAll((scripts) => scripts.map((s) => s.getAttribute("src")))).toEqual([expect.stringMatching(/catalog\.js$/)]);
    expect(await page.locator("[onmouseover], [onerror]").count()).toBe(0);
  }

  it("shows markup and template syntax from a comment as text, on the entity page and the index", async () => {
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, "entities/xss.v1.Attack.html"));
    expect(shown(await page.locator(".lead-description").textContent() ?? "")).toBe(shown(XSS_DESCRIPTION));
    expect(shown(await page.locator("tr#col-id .col-description .description").textContent() ?? "")).toBe(shown(XSS_DESCRIPTION));
    await assertInert(page);
    await page.fill("#search", "pwned");
    expect(await page.locator("tbody tr:visible").evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.path))).toEqual(["id"]);
    await assertInert(page);

    await page.goto(catalogUrl(dir, "index.html"));
    expect(shown(await page.locator(".entity-card", { hasText: "xss.v1.Attack" }).locator(".description").textContent() ?? "")).toBe(shown(XSS_DESCRIPTION));
    await page.fill("#search", "<script>");
    expect(await page.locator(".entity-card:visible .entity-link").allTextContents()).toEqual(["Attack"]);
    await assertInert(page);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });

  it("keeps the shared hostile texts exactly, and links the reference to them", async () => {
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, "entities/xss.v1.Attack.html"));
    await page.click("tr#col-hostile_id a.reference");
    await page.waitForURL(/hostile\.v1\.Hostile\.html$/);
    expect(shown(await page.locator(".lead-description").textContent() ?? "")).toBe(shown(HOSTILE_EXPECTED.entity));
    const description = async (path: string) => shown((await page.locator(`tr[data-path="${path}"] .col-description .description`).textContent()) ?? "");
    expect(await description("id")).toBe(shown(HOSTILE_EXPECTED.id));
    expect(await description("quoted")).toBe(shown(HOSTILE_EXPECTED.quoted));
    expect(await description("long_text")).toBe(shown(HOSTILE_EXPECTED.longText));
    expect(await description("inner.note")).toBe(shown(HOSTILE_EXPECTED.innerNote));
    await assertInert(page);
    await page.close();
    expect(browser.errors).toEqual([]);
  });

  it("never puts contract text into the HTML unescaped", () => {
    const html = files.get("catalog/entities/xss.v1.Attack.html")!;
    for (const raw of [SCRIPT, IMAGE, ATTRIBUTE]) expect(html).not.toContain(raw);
    expect(html).toContain("&lt;script&gt;window.pwned");
    expect(html).toContain("{{pwned}} {{{pwned}}}");
  });

  it("records a request that would leave the machine (the guard the other tests rely on works)", async () => {
    const page = await browser.newPage();
    await page.setContent(`<img src="http://192.0.2.1/beacon.png">`);
    await expect.poll(() => browser.offsiteRequests).toContain("http://192.0.2.1/beacon.png");
    browser.offsiteRequests.length = 0;
    browser.errors.length = 0;
    await page.close();
  });
});
