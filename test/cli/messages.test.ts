/**
 * The pieces behind readable failures: buf's follow-on noise filtered out, import paths made
 * repository-relative, "did you mean" suggestions, the lock= option read from a template, and a
 * misspelt lock path caught beside the released lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readableBufOutput } from "../../plugin/src/cli/buf-output.js";
import { readTemplateSettings } from "../../plugin/src/cli/template.js";
import { readLockFile } from "../../plugin/src/edge/lock-file.js";
import { emptyLock, LockFileError } from "../../plugin/src/evolution/lock.js";
import { parsePluginOptions } from "../../plugin/src/options/plugin-options.js";
import { closestName, didYouMean, editDistance } from "../../plugin/src/suggestions.js";

const dir = mkdtempSync(join(tmpdir(), "entity-messages-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("buf's output, made readable", () => {
  const paths = new Map([["energy/billing/v1/invoice.proto", "proto/energy/billing/v1/invoice.proto"]]);

  it("drops the lines buf adds after a plugin fails, and keeps everything else", () => {
    const output = [
      "protoc-gen-entity: 1 problem in the entity contracts, nothing was generated:",
      "energy/billing/v1/invoice.proto:15:5: energy.billing.v1.Invoice: id field \"numbr\": Invoice has no field \"numbr\". Did you mean \"number\"?",
      "  fix: set id_field ...",
      "Failure: plugin plugin/bin/protoc-gen-entity: exit status 1",
      "plugin protoc-gen-es: context canceled",
      "signal: killed",
      "signal: killed",
      "",
    ].join("\n");
    expect(readableBufOutput(output, paths)).toBe(
      [
        "protoc-gen-entity: 1 problem in the entity contracts, nothing was generated:",
        "proto/energy/billing/v1/invoice.proto:15:5: energy.billing.v1.Invoice: id field \"numbr\": Invoice has no field \"numbr\". Did you mean \"number\"?",
        "  fix: set id_field ...",
        "",
      ].join("\n"),
    );
  });

  it("rewrites only paths buf knows, at the start of a line", () => {
    const output = "other/file.proto:1:1: x\n  see energy/billing/v1/invoice.proto:3\nenergy/billing/v1/invoice.proto:11:1:Previously present field\n";
    expect(readableBufOutput(output, paths)).toBe(
      "other/file.proto:1:1: x\n  see energy/billing/v1/invoice.proto:3\nproto/energy/billing/v1/invoice.proto:11:1:Previously present field\n",
    );
    expect(readableBufOutput("Failure: plugin x: exit status 1\n", paths)).toBe("");
  });
});

describe("suggestions", () => {
  it("measures typos, transpositions counted once", () => {
    expect(editDistance("reading_id", "readng_id")).toBe(1);
    expect(editDistance("house", "hosue")).toBe(1);
    expect(editDistance("abc", "xyz")).toBe(3);
  });

  it("offer the closest name within a few keystrokes, and nothing when all are far", () => {
    expect(closestName("readng_id", ["meter_id", "reading_id", "read_at"])).toBe("reading_id");
    expect(closestName("energy.customer.v1.Hose", ["energy.customer.v1.House", "energy.customer.v1.User"])).toBe("energy.customer.v1.House");
    expect(closestName("payload", ["id", "meter_id"])).toBeUndefined();
    expect(didYouMean("projct", ["project", "dataset"])).toBe(' Did you mean "project"?');
    expect(didYouMean("zzz", ["project"])).toBe("");
  });

  it("name the closest plugin option when an option is unknown", () => {
    expect(() => parsePluginOptions([{ key: "projekt", value: "acme" }])).toThrow(/unknown plugin option "projekt" in projekt=acme; did you mean "project"\? known options:/);
  });
});

describe("the lock= option", () => {
  it("is read from a template's plugin options, as a list or a comma-separated string", async () => {
    const listed = join(dir, "listed.yaml");
    writeFileSync(listed, "version: v2\nplugins:\n  - local: protoc-gen-es\n    out: gen\n  - local: protoc-gen-entity\n    out: generated\n    opt:\n      - project=acme\n      # - lock=old.json\n      - lock=generated/entity.lock.json\n");
    expect(await readTemplateSettings(listed)).toEqual({ lockPath: "generated/entity.lock.json" });
    expect(await readTemplateSettings('{"version":"v2","plugins":[{"local":"x","out":"o","opt":"project=a,lock=l.json"}]}')).toEqual({ lockPath: "l.json" });
    const none = join(dir, "none.yaml");
    writeFileSync(none, "version: v2\nplugins:\n  - local: protoc-gen-entity\n    out: generated\n");
    expect(await readTemplateSettings(none)).toEqual({ lockPath: undefined });
  });

  it("naming a missing file beside a released lock is a typo, not a fresh start", () => {
    writeFileSync(join(dir, "entity.lock.json"), JSON.stringify(emptyLock()));
    expect(() => readLockFile(join(dir, "entity-lock.json"))).toThrow(LockFileError);
    expect(() => readLockFile(join(dir, "entity-lock.json"))).toThrow(`does not exist, but ${join(dir, "entity.lock.json")} beside it looks like the released lock`);
    const empty = mkdtempSync(join(dir, "fresh-"));
    expect(readLockFile(join(empty, "entity.lock.json"))).toEqual(emptyLock());
  });
});
