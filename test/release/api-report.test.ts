/**
 * The API report reads the package's exports with the TypeScript checker (ts-morph): every kind of
 * export the generated package has, printed one member per line, in an order that does not depend
 * on the index's; and ts-morph stays out of the plugin's bundle.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiReport } from "../../plugin/src/release/api-report.js";
import { buildPluginInto } from "../harness/buf/plugin-build.js";

const dir = mkdtempSync(join(tmpdir(), "entity-api-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNTIME = `
export type Operation = "CREATED" | "UPDATED" | "DELETED";
export class EventError extends Error {
  constructor(readonly entity: string, problem: string) { super(problem); }
}
export abstract class Event<E> {
  #secret = 1;
  private hidden = 2;
  protected constructor(readonly entity: E, readonly operation: Operation) {}
  get id(): string { return String(this.#secret + this.hidden); }
  toMessage(options?: { json: boolean }): Uint8Array { return new Uint8Array(options?.json ? 1 : 0); }
}
`;
const USER = `
import { Event } from "./runtime.js";
export enum Status { UNSPECIFIED = 0, ACTIVE = 1 }
/** A user. */
export interface User { id: string; status: Status; nickname?: string }
export class UserEvent extends Event<User> {
  /** The contract's comment. */
  static readonly description = "A person with an account.";
  static readonly topic = "user";
  static created(user: User): UserEvent { return new UserEvent(user, "CREATED"); }
}
`;
const INDEX = `
export { UserEvent, Status, type User } from "./user.js";
export { EventError, type Operation } from "./runtime.js";
export const TOPICS = { User: "user" } as const;
export const OPERATIONS: readonly import("./runtime.js").Operation[] = ["CREATED"];
`;

function sources(index = INDEX): Map<string, string> {
  return new Map([["src/index.ts", index], ["src/runtime.ts", RUNTIME], ["src/user.ts", USER]]);
}

describe("the API report", () => {
  it("prints classes with static and instance members, enums, unions, interfaces and constants, without private members or docs", async () => {
    const report = await apiReport({ packageName: "@acme/events", packageDir: join(dir, "pkg"), sources: sources(), shownDir: "generated/ts" });
    const body = report.slice(report.indexOf("\n## ") + 1);
    expect(body).toBe([
      "## class EventError extends Error",
      "",
      "```ts",
      "cause?: {}",
      "constructor(entity: string, problem: string)",
      "message: string",
      "name: string",
      "readonly entity: string",
      "stack?: string",
      "```",
      "",
      "## type Operation =",
      "",
      "```ts",
      '| "CREATED"',
      '| "DELETED"',
      '| "UPDATED"',
      "```",
      "",
      "## const OPERATIONS: readonly Operation[]",
      "",
      "## enum Status",
      "",
      "```ts",
      "UNSPECIFIED = 0",
      "ACTIVE = 1",
      "```",
      "",
      "## const TOPICS",
      "",
      "```ts",
      'User: "user"',
      "```",
      "",
      "## interface User",
      "",
      "```ts",
      "id: string",
      "nickname?: string",
      "status: Status",
      "```",
      "",
      "## class UserEvent extends Event<User>",
      "",
      "```ts",
      "constructor(entity: User, operation: Operation)",
      "readonly entity: User",
      "readonly id: string",
      "readonly operation: Operation",
      "static created(user: User): UserEvent",
      "static readonly description: string",
      'static readonly topic: "user"',
      "toMessage(options?: { json: boolean; }): Uint8Array<ArrayBufferLike>",
      "```",
      "",
    ].join("\n"));
    // The same exports in another order make the same report.
    const reordered = INDEX.split("\n").reverse().join("\n");
    expect(await apiReport({ packageName: "@acme/events", packageDir: join(dir, "pkg"), sources: sources(reordered), shownDir: "generated/ts" })).toBe(report);
  }, 120_000);
});

describe("the plugin's bundle", () => {
  it("leaves ts-morph out, imported only when a command makes a report", () => {
    const build = join(dir, "build");
    buildPluginInto(build);
    const bundle = readFileSync(join(build, "dist/protoc-gen-entity.js"), "utf8");
    expect(bundle.match(/["']ts-morph["']/g)).toHaveLength(1);
    expect(bundle).toContain('await import("ts-morph")');
    expect(bundle).not.toMatch(/^import [^;]*["']ts-morph["']/m);
  });
});
