/**
 * The catalog served by a static host: a plain file server on localhost (no rewrites, no index
 * files, correct content types), as GitHub Pages or a bucket serves generated/. The pages must
 * load their stylesheet and script, navigate, and request nothing from anywhere else.
 */
import { createReadStream, existsSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBrowser, type BrowserSession } from "../harness/chromium/browser.js";
import { generateExample } from "../harness/buf/protos.js";
import { describeInBrowser, writeRun } from "./support.js";

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".sql": "text/plain", ".json": "application/json" };

describeInBrowser("the catalog on a static host", () => {
  let dir: string;
  let server: Server;
  let origin: string;
  let browser: BrowserSession;
  const served: string[] = [];

  beforeAll(async () => {
    dir = writeRun(generateExample());
    server = createServer((request, response) => {
      const path = normalize(join(dir, decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname)));
      served.push(request.url ?? "");
      if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "text/plain" });
      createReadStream(path).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await startBrowser([origin]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads, styles, searches and navigates over HTTP", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/catalog/index.html`);
    // The stylesheet applied: cards are laid out as a grid.
    expect(await page.locator(".entity-list").evaluate((list) => getComputedStyle(list).display)).toBe("grid");
    await page.fill("#search", "meter reading");
    expect(await page.locator(".entity-card:visible .entity-link").allTextContents()).toContain("MeterReading");
    await page.fill("#search", "energy.billing.v1.invoice");
    expect(await page.locator(".entity-card:visible .entity-link").allTextContents()).toEqual(["Invoice"]);
    await page.click(".entity-card:visible .entity-link");
    await page.waitForURL(`${origin}/catalog/entities/energy.billing.v1.Invoice.html`);
    await page.click("#lineage a.step-file >> nth=0");
    await page.waitForURL(`${origin}/pubsub/invoice.proto`);
    expect(served).toEqual(expect.arrayContaining(["/catalog/index.html", "/catalog/catalog.css", "/catalog/catalog.js", "/catalog/entities/energy.billing.v1.Invoice.html", "/pubsub/invoice.proto"]));
    expect(served.filter((url) => !/\.(html|css|js|proto)$/.test(url))).toEqual([]);
    await page.close();
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });
});
