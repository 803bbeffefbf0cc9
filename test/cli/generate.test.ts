/**
 * `protoc-gen-entity generate` in throwaway projects, run as a user runs it (the built
 * executable, buf from PATH), and the tree synchronisation behind it: files and ledger written
 * once, nothing touched on a second run, files of a removed entity removed and nothing else,
 * hand-written files never changed, and any failure leaving every file as it was.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GeneratedFileConflict, listFiles, readLedger, syncGeneratedTree } from "../../plugin/src/cli/generated-files.js";
import { entityProto, projectsOfThisFile, type TestProject } from "./support.js";

const LEDGER = "generated/.generated-files";

const { project: newProject } = projectsOfThisFile();

/** The Customer and Order entities, generated once; tests work on copies. */
let baseline: TestProject;

beforeAll(() => {
  baseline = newProject();
  baseline.write("proto/shop/v1/customer.proto", entityProto("Customer"));
  baseline.write("proto/shop/v1/order.proto", entityProto("Order", "  // The customer who ordered.\n  string customer_id = 3;\n"));
  const first = baseline.generate();
  if (first.status !== 0) throw new Error(`the first generate failed:\n${first.stdout}${first.stderr}`);
  baselineOutput = first.stdout;
});

let baselineOutput: string;

/** A copy of the generated baseline project. */
function generatedProject(): TestProject {
  const project = newProject(baseline);
  return project;
}

/** The project's generated files: everything under generated/ but the ledger. */
function generatedFiles(project: TestProject): string[] {
  return listFiles(project.path("generated")).map((p) => `generated/${p}`).filter((p) => p !== LEDGER);
}

function ledgerOf(project: TestProject): string[] {
  return [...readLedger(project.path(LEDGER))].sort();
}

describe("protoc-gen-entity generate", () => {
  it("writes the generated files and a ledger listing exactly them", () => {
    const project = baseline;
    expect(baselineOutput).toMatch(new RegExp(`: ${generatedFiles(project).length} written, 0 unchanged, 0 removed`));
    const files = generatedFiles(project);
    expect(files).toEqual(expect.arrayContaining(["generated/pubsub/customer.proto", "generated/pubsub/order.proto", "generated/terraform/shop_v1__order.tf.json"]));
    expect(ledgerOf(project)).toEqual(files);
    expect(project.read("generated/pubsub/order.proto")).toContain("message OrderEvent");
  });

  it("changes nothing on a second run, not even a modification time", () => {
    const project = generatedProject();
    const before = project.snapshot();
    const second = project.generate();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/ 0 written, \d+ unchanged, 0 removed/);
    expect(project.snapshot()).toEqual(before);
  });

  it("removes the files of an entity whose proto is gone, and only those", () => {
    const project = generatedProject();
    const before = project.snapshot();
    const ledgerBefore = ledgerOf(project);
    project.remove("proto/shop/v1/order.proto");
    const run = project.generate();
    expect(run.status, run.stderr).toBe(0);
    const ledgerAfter = ledgerOf(project);
    const gone = ledgerBefore.filter((p) => !ledgerAfter.includes(p));
    expect(gone).toEqual(expect.arrayContaining(["generated/pubsub/order.proto", "generated/terraform/shop_v1__order.tf.json"]));
    for (const path of gone) expect(path, "only the order's files go").toMatch(/order/i);
    expect(generatedFiles(project)).toEqual(ledgerAfter);
    // Everything of Customer is as it was; a file only Customer's run writes anew is new.
    for (const path of ledgerAfter) expect(before.has(path) || !/customer/i.test(path), path).toBe(true);
    for (const path of ledgerAfter.filter((p) => /customer/i.test(p))) expect(project.snapshot().get(path), path).toEqual(before.get(path));
    expect(run.stdout).toContain(`${gone.length} removed`);
  });

  it("never changes or deletes a hand-written file next to generated ones", () => {
    const project = generatedProject();
    project.write("generated/pubsub/NOTES.md", "Hand-written: how we deploy the topics.\n");
    project.write("generated/pubsub/order.proto.orig", "a hand-made backup\n");
    const notes = project.snapshot().get("generated/pubsub/NOTES.md");
    expect(project.generate().status).toBe(0);
    // Remove every entity: all generated files go, the hand-written ones and their directory stay.
    project.remove("proto/shop/v1/order.proto");
    project.remove("proto/shop/v1/customer.proto");
    project.write("proto/shop/v1/placeholder.proto", 'syntax = "proto3";\npackage shop.v1;\nmessage Placeholder { string id = 1; }\n');
    const run = project.generate();
    expect(run.status, run.stderr).toBe(0);
    expect(project.snapshot().get("generated/pubsub/NOTES.md")).toEqual(notes);
    expect(project.read("generated/pubsub/order.proto.orig")).toBe("a hand-made backup\n");
    // protoc-gen-es (in the same buf.gen.yaml) still writes the message types of the protos left.
    const esTypes = ["generated/ts/src/entity/v1/options_pb.ts", "generated/ts/src/shop/v1/placeholder_pb.ts"];
    expect(generatedFiles(project).sort()).toEqual([...esTypes, "generated/pubsub/NOTES.md", "generated/pubsub/order.proto.orig"].sort());
    expect(ledgerOf(project)).toEqual(esTypes);
  });

  it("refuses to overwrite a hand-written file where a generated one would go, and writes nothing at all", () => {
    const project = generatedProject();
    project.write("proto/shop/v1/invoice.proto", entityProto("Invoice"));
    project.write("generated/pubsub/invoice.proto", "// Hand-written, not by the generator.\n");
    const before = project.snapshot();
    const directories = project.directories();
    const run = project.generate();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("generated/pubsub/invoice.proto");
    expect(run.stderr).toContain(LEDGER);
    // Not even the invoice's other files, nor the ledger.
    expect(project.snapshot()).toEqual(before);
    expect(project.directories()).toEqual(directories);
  });

  it("refuses on a fresh project too, before any file or ledger exists", () => {
    const project = newProject();
    project.write("proto/shop/v1/customer.proto", entityProto("Customer"));
    project.write("generated/terraform/shop_v1__customer.tf.json", "{}\n");
    const before = project.snapshot();
    const run = project.generate();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("generated/terraform/shop_v1__customer.tf.json");
    expect(project.snapshot()).toEqual(before);
  });

  it("leaves everything untouched when buf generate fails on a proto that does not compile", () => {
    const project = generatedProject();
    project.write("proto/shop/v1/broken.proto", 'syntax = "proto3";\npackage shop.v1;\nmessage Broken { string id = 1\n');
    const before = project.snapshot();
    const directories = project.directories();
    const run = project.generate();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("broken.proto");
    expect(run.stderr).toContain("protoc-gen-entity generate: failed (generation); nothing was written.");
    expect(project.snapshot()).toEqual(before);
    expect(project.directories()).toEqual(directories);
  });

  it("leaves everything untouched when the plugin rejects a contract", () => {
    const project = generatedProject();
    // Compiles, but the entity has no id field.
    project.write("proto/shop/v1/customer.proto", entityProto("Customer").replace("string id = 1;", "string key = 1;"));
    const before = project.snapshot();
    const run = project.generate();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("shop.v1.Customer");
    expect(project.snapshot()).toEqual(before);
  });

  it("rejects an unknown flag without running anything", () => {
    const project = generatedProject();
    const before = project.snapshot();
    const run = project.generate("--force");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown argument "--force"');
    expect(project.snapshot()).toEqual(before);
  });
});

describe("syncGeneratedTree", () => {
  let root: string;

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A staging tree and a target tree with a ledger, from path → content maps. */
  function trees(staged: Record<string, string>, existing: Record<string, string>, ledger?: string[]) {
    root = mkdtempSync(join(tmpdir(), "entity-sync-"));
    const staging = join(root, "staging");
    const target = join(root, "target");
    mkdirSync(staging);
    mkdirSync(target);
    const put = (dir: string, files: Record<string, string>) => {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    };
    put(staging, staged);
    put(target, existing);
    const ledgerPath = join(target, LEDGER);
    if (ledger !== undefined) put(target, { [LEDGER]: `# ledger\n${ledger.join("\n")}\n` });
    const read = (path: string) => readFileSync(join(target, path), "utf8");
    return { staging, target, ledgerPath, read };
  }

  it("overwrites a generated file edited by hand, and restores a deleted one", () => {
    const t = trees({ "generated/a.txt": "A", "generated/b.txt": "B" }, { "generated/a.txt": "edited" }, ["generated/a.txt", "generated/b.txt"]);
    const result = syncGeneratedTree(t.staging, t.target, t.ledgerPath);
    expect(result.written).toEqual(["generated/a.txt", "generated/b.txt"]);
    expect([t.read("generated/a.txt"), t.read("generated/b.txt")]).toEqual(["A", "B"]);
  });

  it("adopts a file that already holds exactly what is generated", () => {
    const t = trees({ "generated/a.txt": "A" }, { "generated/a.txt": "A" });
    const result = syncGeneratedTree(t.staging, t.target, t.ledgerPath);
    expect(result.unchanged).toEqual(["generated/a.txt"]);
    expect([...readLedger(t.ledgerPath)]).toEqual(["generated/a.txt"]);
  });

  it("reports a directory where a generated file goes, or a file where its directory goes, before writing anything", () => {
    const dirInTheWay = trees({ "generated/a.txt": "A", "generated/x/b.txt": "B" }, { "generated/x/b.txt/keep.md": "mine" });
    expect(() => syncGeneratedTree(dirInTheWay.staging, dirInTheWay.target, dirInTheWay.ledgerPath)).toThrow(GeneratedFileConflict);
    expect(listFiles(dirInTheWay.target)).toEqual(["generated/x/b.txt/keep.md"]);
    rmSync(root, { recursive: true, force: true });

    const fileInTheWay = trees({ "generated/a.txt": "A", "generated/x/b.txt": "B" }, { "generated/x": "mine" });
    expect(() => syncGeneratedTree(fileInTheWay.staging, fileInTheWay.target, fileInTheWay.ledgerPath)).toThrow(/generated\/x\b/);
    expect(listFiles(fileInTheWay.target)).toEqual(["generated/x"]);
  });

  it("does not write through a link where a generated file goes", () => {
    const t = trees({ "generated/a.txt": "A" }, { "outside.txt": "precious" }, ["generated/a.txt"]);
    mkdirSync(join(t.target, "generated"), { recursive: true });
    symlinkSync(join(t.target, "outside.txt"), join(t.target, "generated/a.txt"));
    expect(() => syncGeneratedTree(t.staging, t.target, t.ledgerPath)).toThrow(GeneratedFileConflict);
    expect(t.read("outside.txt")).toBe("precious");
  });

  it("never removes what a ledger lists outside the output tree", () => {
    const t = trees({ "generated/a.txt": "A" }, { "generated/a.txt": "A", "precious.txt": "P" }, ["generated/a.txt", "generated/../precious.txt", join(root ?? "", "abs.txt")]);
    const result = syncGeneratedTree(t.staging, t.target, t.ledgerPath);
    expect(result.removed).toEqual([]);
    expect(t.read("precious.txt")).toBe("P");
  });

  it("removes files no longer generated and the directories they leave empty, not the target itself", () => {
    const t = trees({ "generated/a.txt": "A" }, { "generated/a.txt": "A", "generated/old/deep/x.txt": "X", "generated/kept/y.txt": "Y", "generated/kept/mine.md": "M" }, [
      "generated/a.txt",
      "generated/old/deep/x.txt",
      "generated/kept/y.txt",
    ]);
    const result = syncGeneratedTree(t.staging, t.target, t.ledgerPath);
    expect([...result.removed].sort()).toEqual(["generated/kept/y.txt", "generated/old/deep/x.txt"]);
    expect(listFiles(t.target)).toEqual([LEDGER, "generated/a.txt", "generated/kept/mine.md"]);
  });
});
