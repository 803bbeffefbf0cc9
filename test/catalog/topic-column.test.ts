/**
 * The catalog's "Topic schema" column says how the topic schema declares each column, exactly as
 * the schema Pub/Sub gets: the label (`required` envelope fields for an entity not released yet,
 * `optional` ones as the lock released them) and the type (a nested message by its name). The
 * expected declarations are read from the run's own pubsub/*.proto, compiled by buf, not from the
 * plugin's code; the cells are read in Chromium.
 */
import { rmSync } from "node:fs";
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, type DescriptorProto } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBrowser, type BrowserSession } from "../harness/chromium/browser.js";
import { compileExample, compileProtos, exampleParameter, runPlugin } from "../harness/buf/protos.js";
import { catalogUrl, describeInBrowser, writeRun } from "./support.js";

/** The example's options with and without the released lock (which released optional envelope fields). */
const RUNS = {
  "as released (lock)": exampleParameter(),
  "not released yet (no lock)": exampleParameter()
    .split(",")
    .filter((option) => !option.startsWith("lock="))
    .join(","),
};

describeInBrowser("the catalog's topic schema column", () => {
  let browser: BrowserSession;
  const dirs: string[] = [];

  beforeAll(async () => {
    browser = await startBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const [label, parameter] of Object.entries(RUNS)) {
    it(`shows each column as the compiled topic schema declares it, ${label}`, async () => {
      const files = runPlugin(compileExample(), parameter);
      const dir = writeRun(files);
      dirs.push(dir);
      const declared = declaredTopicFields(files);
      const page = await browser.newPage();
      const envelopeLabels = new Set<string>();
      let compared = 0;
      for (const entityPage of [...files.keys()].filter((name) => name.startsWith("catalog/entities/"))) {
        await page.goto(catalogUrl(dir, entityPage.slice("catalog/".length)));
        const topic = (await page.locator("dt", { hasText: /^Topic$/ }).locator("xpath=following-sibling::dd[1]").textContent())!.trim();
        const fields = declared.get(topic);
        expect(fields, `${entityPage}: its topic ${topic} has a schema in pubsub/`).toBeDefined();
        const rows = await page.locator("tr[data-path]").evaluateAll((trs) =>
          trs.map((tr) => ({ path: tr.getAttribute("data-path")!, topic: tr.querySelectorAll("td")[2]!.textContent!.trim() })),
        );
        for (const row of rows) {
          // A column the topic does not carry (the subscription's metadata) says so instead.
          expect(row.topic, `${entityPage} ${row.path}`).toBe(fields!.get(row.path) ?? "not in the topic");
          if (row.path === "event_id") envelopeLabels.add(row.topic.split(" ")[0]!);
          compared++;
        }
        // Every field of the schema has its row.
        const paths = new Set(rows.map((r) => r.path));
        expect([...fields!.keys()].filter((path) => !paths.has(path)), entityPage).toEqual([]);
      }
      await page.close();
      expect(compared).toBeGreaterThan(100);
      expect([...envelopeLabels]).toEqual([parameter.includes("lock=") ? "optional" : "required"]);
    });
  }
});

/** Per topic, each field's `label type` by its dotted path, from the run's topic schemas compiled by buf. */
function declaredTopicFields(files: ReadonlyMap<string, string>): Map<string, Map<string, string>> {
  const sources = Object.fromEntries([...files].filter(([name]) => /^pubsub\/[^/]+\.proto$/.test(name)));
  const compiled = compileProtos(sources);
  const byTopic = new Map<string, Map<string, string>>();
  for (const file of compiled.files.filter((f) => f.name in sources)) {
    const [event] = file.messageType;
    const nested = new Map(event!.nestedType.map((m) => [`.${file.package}.${event!.name}.${m.name}`, m]));
    const fields = new Map<string, string>();
    const visit = (message: DescriptorProto, parent: string) => {
      for (const field of message.field) {
        const path = parent === "" ? field.name : `${parent}.${field.name}`;
        const isMessage = field.type === FieldDescriptorProto_Type.MESSAGE;
        const type = isMessage ? field.typeName.split(".").pop()! : FieldDescriptorProto_Type[field.type].toLowerCase();
        fields.set(path, `${FieldDescriptorProto_Label[field.label].toLowerCase()} ${type}`);
        if (isMessage) visit(nested.get(field.typeName)!, path);
      }
    };
    visit(event!, "");
    byTopic.set(file.name.slice("pubsub/".length, -".proto".length), fields);
  }
  return byTopic;
}
