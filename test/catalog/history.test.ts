/**
 * An entity's history on its catalog page, through the life of a contract: not released, released,
 * changed (a migration waiting for the next release), released again (the migration in the lock).
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBrowser, type BrowserSession } from "../harness/chromium/browser.js";
import { compileProtos, runPlugin } from "../harness/buf/protos.js";
import { LockedWorkspace, PROTO_PATH, shipmentProto, TYPE_NAME, V1 } from "../evolution/support.js";
import { catalogUrl, describeInBrowser, writeRun } from "./support.js";

const V2 = { ...V1, carrier: "string carrier = 9;" };

interface HistoryView {
  readonly summary: string;
  readonly entries: readonly { title: string; status: string; changes: string[]; file: string | undefined }[];
}

describeInBrowser("an entity's history in the catalog", () => {
  let browser: BrowserSession;
  const dirs: string[] = [];
  const workspace = new LockedWorkspace();

  beforeAll(async () => {
    browser = await startBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    rmSync(workspace.dir, { recursive: true, force: true });
  });

  /** The history section of the entity's page in a run, as the browser shows it. */
  async function historyOf(files: Map<string, string>): Promise<HistoryView> {
    const dir = writeRun(files);
    dirs.push(dir);
    const page = await browser.newPage();
    await page.goto(catalogUrl(dir, `entities/${TYPE_NAME}.html`));
    const summary = (await page.locator("#history > p").textContent()) ?? "";
    const entries = await page.locator(".history-entry").evaluateAll((items) =>
      items.map((item) => ({
        title: item.querySelector("strong")!.textContent!,
        status: item.querySelector(".badge")!.textContent!,
        changes: [...item.querySelectorAll("ul li")].map((li) => li.textContent!),
        file: item.querySelector("a")?.getAttribute("href")?.replace(/^(\.\.\/)+/, ""),
      })),
    );
    await page.close();
    return { summary, entries };
  }

  it("says when releases are not tracked (no lock= option)", async () => {
    const history = await historyOf(runPlugin(compileProtos({ [PROTO_PATH]: shipmentProto(V1) }), "project=catalog-test"));
    expect(history.summary).toMatch(/not tracked.*lock=/);
    expect(history.entries).toEqual([]);
  });

  it("follows the contract from its first release to a released migration", async () => {
    expect((await historyOf(workspace.generate(shipmentProto(V1)))).summary).toMatch(/^Not released yet/);

    workspace.release(shipmentProto(V1));
    const released = await historyOf(workspace.generate(shipmentProto(V1)));
    expect(released.summary).toMatch(/^Released as first created; unchanged since/);
    expect(released.entries).toEqual([]);

    const changed = workspace.generate(shipmentProto(V2));
    const pending = await historyOf(changed);
    expect(pending.summary).toMatch(/changed since the release.*0001/);
    expect(pending.entries).toHaveLength(1);
    expect(pending.entries[0]).toMatchObject({ title: "Migration 0001 (not released yet)", status: "not released" });
    expect(pending.entries[0].changes.join("\n")).toContain("carrier");
    expect(changed.has(pending.entries[0].file!)).toBe(true);

    workspace.release(shipmentProto(V2));
    const after = await historyOf(workspace.generate(shipmentProto(V2)));
    expect(after.summary).toMatch(/^Released; the table in production matches/);
    expect(after.entries).toEqual([{ ...pending.entries[0], title: "Migration 0001", status: "released" }]);
    expect(browser.errors).toEqual([]);
    expect(browser.offsiteRequests).toEqual([]);
  });
});
