/**
 * The generated TypeScript package must never import a module that is not there. In a project
 * whose entities import protos from another module (the options contract and google/type here),
 * the buf.gen.yaml mistakes that leave the package broken make `generate` fail before it writes
 * anything, and `verify` fail after a plain `buf generate`, naming the missing file, the entity that
 * needs it and the fix. With the getting-started guide's buf.gen.yaml both pass. Also `--help`:
 * every command and flag it names is one the executable takes.
 */
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { helpText } from "../../plugin/src/cli/help.js";
import { REPO_ROOT } from "../harness/buf/protos.js";
import { entityPlugin, projectsOfThisFile, type TestProject } from "./support.js";

const { build, project: newProject } = projectsOfThisFile();

const ORDER = `syntax = "proto3";

package shop.v1;

import "entity/v1/options.proto";
import "google/type/money.proto";

// An order of the shop.
message Order {
  option (entity.v1.entity) = {};

  // Id of the order.
  string id = 1;
  // What the customer pays.
  google.type.Money total = 2;
}
`;

interface EsSettings {
  readonly out?: string;
  readonly includeImports?: boolean;
  readonly target?: string;
  readonly importExtension?: string;
}

/**
 * A project laid out like the getting-started guide's: the team's protos in proto/ (the only
 * input), the options contract and google/type in another module, imported but not targeted.
 */
function project(es: EsSettings = {}): TestProject {
  const p = newProject();
  p.remove("proto/entity/v1/options.proto");
  p.write("deps/entity/v1/options.proto", readFileSync(join(REPO_ROOT, "proto/entity/v1/options.proto"), "utf8"));
  cpSync(join(REPO_ROOT, "node_modules/google-proto-files/google/type"), p.path("deps/google/type"), { recursive: true });
  p.write("buf.yaml", "version: v2\nmodules:\n  - path: proto\n  - path: deps\n");
  p.write(
    "buf.gen.yaml",
    [
      "version: v2",
      "inputs:",
      "  - directory: proto",
      "plugins:",
      "  - local: protoc-gen-es",
      `    out: ${es.out ?? "generated/ts/src"}`,
      ...(es.includeImports === false ? [] : ["    include_imports: true"]),
      "    opt:",
      `      - target=${es.target ?? "ts"}`,
      `      - import_extension=${es.importExtension ?? "js"}`,
      ...entityPlugin(build()),
      "",
    ].join("\n"),
  );
  p.write("proto/shop/v1/order.proto", ORDER);
  return p;
}

/** generate fails, says `expected`, and leaves every file and directory as it was. */
function expectGenerateRefused(p: TestProject, expected: readonly string[]): string {
  const before = p.snapshot();
  const directories = p.directories();
  const run = p.generate();
  expect(run.status, run.stdout + run.stderr).toBe(1);
  for (const text of expected) expect(run.stderr).toContain(text);
  expect(run.stderr).toMatch(/protoc-gen-entity generate: failed \(verify\); nothing was written\.\n$/);
  expect(p.snapshot()).toEqual(before);
  expect(p.directories()).toEqual(directories);
  return run.stderr;
}

describe("without include_imports for protoc-gen-es", () => {
  const MONEY = "generated/ts/src/google/type/money_pb.ts (the types of google/type/money.proto): needed by shop.v1.Order: shop/v1/order_event.ts → google/type/money_pb.ts.";
  const OPTIONS = "generated/ts/src/entity/v1/options_pb.ts (the types of entity/v1/options.proto): needed by shop.v1.Order: shop/v1/order_event.ts → shop/v1/order_pb.ts → entity/v1/options_pb.ts.";
  const FIX = "add `include_imports: true` to the protoc-gen-es plugin in buf.gen.yaml";

  it("generate names each missing file, the entity and the import chain, and the fix, and writes nothing", () => {
    const stderr = expectGenerateRefused(project({ includeImports: false }), [MONEY, OPTIONS, FIX, "entity/v1/options.proto, google/type/money.proto are imported, not targeted"]);
    expect(stderr).toMatch(/^protoc-gen-entity: 2 modules that the generated TypeScript package imports are missing from generated\/ts\/src:\n/);
    // One fix for one cause.
    expect(stderr.match(/ {2}fix: /g)).toHaveLength(1);
  });

  it("verify says the same after a plain buf generate, which wrote the broken package", () => {
    const p = project({ includeImports: false });
    const generated = p.buf("generate");
    expect(generated.status, generated.stderr).toBe(0);
    const run = p.cli("verify", "generated");
    expect(run.status).toBe(1);
    for (const text of [MONEY, OPTIONS, FIX]) expect(run.stderr).toContain(text);
    expect(run.stdout).toBe("");
  });
});

describe("with protoc-gen-es writing somewhere else", () => {
  it("generate says where its out must be", () => {
    expectGenerateRefused(project({ out: "gen/es" }), [
      "generated/ts/src/shop/v1/order_pb.ts (the types of shop/v1/order.proto): needed by shop.v1.Order: shop/v1/order_event.ts → shop/v1/order_pb.ts.",
      "protoc-gen-es wrote no types of entity/v1/options.proto, google/type/money.proto, shop/v1/order.proto here: run it in buf.gen.yaml with `out: generated/ts/src`",
    ]);
  });

  it("generate says when protoc-gen-es wrote JavaScript, which the package's build does not compile", () => {
    expectGenerateRefused(project({ target: "js" }), ["protoc-gen-es wrote JavaScript", "`target=ts`"]);
  });
});

describe("with protoc-gen-es importing without extensions", () => {
  it("generate names the imports and asks for import_extension=js", () => {
    expectGenerateRefused(project({ importExtension: "none" }), [
      "generated/ts/src/google/type/money_pb: needed by shop.v1.Order",
      "protoc-gen-es wrote imports without the .js extension",
      "`import_extension=js`",
    ]);
  });
});

describe("with the guide's buf.gen.yaml", () => {
  it("generate writes the package with every module it imports, and verify agrees", () => {
    const p = project();
    const run = p.generate();
    expect(run.status, run.stderr).toBe(0);
    for (const file of ["shop/v1/order_event.ts", "shop/v1/order_pb.ts", "google/type/money_pb.ts", "entity/v1/options_pb.ts"]) {
      expect(p.read(`generated/ts/src/${file}`).length, file).toBeGreaterThan(0);
    }
    const verified = p.cli("verify");
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^protoc-gen-entity verify: every module the package in generated\/ts imports is there \(\d+ modules\)\.\n$/);
  });

  it("verify finds a file of protoc-gen-entity's that was deleted afterwards", () => {
    const p = project();
    expect(p.generate().status).toBe(0);
    p.remove("generated/ts/src/runtime.ts");
    const run = p.cli("verify", "generated");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("generated/ts/src/runtime.ts: needed by shop.v1.Order: shop/v1/order_event.ts → runtime.ts.");
    expect(run.stderr).toContain("these are files protoc-gen-entity writes");
  });

  it("verify refuses a directory that holds no generated package, and a second argument", () => {
    const p = project();
    const none = p.cli("verify", "proto");
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("holds no TypeScript package generated by protoc-gen-entity");
    const two = p.cli("verify", "generated", "more");
    expect(two.status).toBe(1);
    expect(two.stderr).toContain('unexpected argument "more"');
  });
});

describe("--help", () => {
  it("prints the help text, naming every command", () => {
    const p = project();
    for (const flag of ["--help", "-h", "help"]) {
      const run = p.cli(flag);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(helpText());
    }
    for (const command of ["generate", "verify", "check", "release", "sync-lookml"]) expect(helpText()).toMatch(new RegExp(`^ {2}${command}\\b`, "m"));
  });

  it("names only flags that their command takes", () => {
    const p = project();
    const commands = [...helpText().matchAll(/^ {2}([a-z-]+) (.*)$/gm)];
    expect(commands.length).toBe(5);
    for (const [, command, usage] of commands) {
      for (const [flag] of usage.matchAll(/--[a-z-]+/g)) {
        // A buf that cannot start ends each run early; an unknown flag would be refused before.
        const args = [command, flag, "value", ...(usage.includes("--buf") && flag !== "--buf" ? ["--buf", "/nonexistent/buf"] : [])];
        const run = p.cli(...args);
        expect(run.stderr, args.join(" ")).not.toContain("unknown argument");
      }
    }
  });
});
