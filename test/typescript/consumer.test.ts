/**
 * The generated package as a team consumes it: `npm pack` (its prepack builds dist/), installed
 * from the tarball into a fresh strict TypeScript project, which type-checks a publish through
 * @google-cloud/pubsub's Topic (types only, no network) and runs an encode and decode.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileExample, exampleParameter, REPO_ROOT } from "../harness/buf/protos.js";
import { generatePackage, STRICT_CONSUMER_OPTIONS, TSC, type GeneratedPackage } from "./support/package.js";

const PACKAGE_NAME = "@acme-energy/entity-events";

const CONSUMER_TS = `import { create } from "@bufbuild/protobuf";
import type { Topic } from "@google-cloud/pubsub";
import {
  HouseSchema,
  MissingIdError,
  publishEvent,
  TOPICS,
  UserEvent,
  UserSchema,
  type EntityName,
  type Operation,
  type TopicName,
} from "${PACKAGE_NAME}";

const user = create(UserSchema, { id: "user-1", email: "ada@example.com" });
const event = UserEvent.created(user, { eventId: "event-1" });
const message = event.toPubSubMessage({ encoding: "binary" });

// What toPubSubMessage() returns is what topic.publishMessage() takes, as it is.
const argument: Parameters<Topic["publishMessage"]>[0] = message;
async function publish(topic: Topic): Promise<string> {
  return topic.publishMessage(UserEvent.updated(user).toPubSubMessage({ encoding: "json" }));
}
// publishEvent() takes @google-cloud/pubsub's Topic as it is, and resumes its ordering key on failure.
async function publishResuming(topic: Topic): Promise<string> {
  return publishEvent(topic, UserEvent.updated(user), { encoding: "binary" });
}

const topic: TopicName = TOPICS.User;
const entityName: EntityName = "MeterReading";
const operation: Operation = event.operation;
const id: string = event.id;
// @ts-expect-error operations are string literals
const notAnOperation: Operation = "MOVED";
// @ts-expect-error topics are the entities' topics only
const notATopic: TopicName = "users";
function wrongEntity() {
  // @ts-expect-error an event takes its own entity type only
  return UserEvent.created(create(HouseSchema, { id: "house-1" }));
}

const back = UserEvent.fromPubSubMessage(message, { encoding: "binary" });
let missingId = false;
try {
  UserEvent.created(create(UserSchema, {}));
} catch (error) {
  missingId = error instanceof MissingIdError;
}
console.log(
  JSON.stringify({
    topic,
    entityName,
    operation,
    id,
    orderingKey: argument.orderingKey,
    attributes: message.attributes,
    email: back.entity.email,
    missingId,
    bytes: message.data.length,
  }),
);
void publish;
void wrongEntity;
void notAnOperation;
void notATopic;
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: { ...STRICT_CONSUMER_OPTIONS, types: ["node"] },
  include: ["main.ts"],
};

let pkg: GeneratedPackage;
let work: string;

beforeAll(() => {
  pkg = generatePackage(compileExample(), exampleParameter());
  work = mkdtempSync(join(tmpdir(), "entity-consumer-"));
  // What `npm install` in generated/ts provides: the build tools of prepack.
  mkdirSync(join(pkg.packageDir, "node_modules/.bin"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules/typescript"), join(pkg.packageDir, "node_modules/typescript"));
  symlinkSync(join(REPO_ROOT, "node_modules/typescript/bin/tsc"), join(pkg.packageDir, "node_modules/.bin/tsc"));
});

afterAll(() => {
  pkg?.dispose();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

describe("the npm package", () => {
  it("packs, installs into a fresh project, type-checks under strict against @google-cloud/pubsub, and runs", () => {
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], pkg.packageDir)) as { filename: string; files: { path: string }[] }[];
    const tarball = join(work, packed[0]!.filename);
    const contents = packed[0]!.files.map((f) => f.path);
    expect(contents).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/runtime.js", "dist/energy/customer/v1/user_event.js", "dist/energy/customer/v1/user_pb.d.ts"]));
    expect(contents.filter((p) => p.startsWith("src/"))).toEqual([]);

    const consumer = join(work, "consumer");
    mkdirSync(join(consumer, "node_modules/@bufbuild"), { recursive: true });
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { [PACKAGE_NAME]: `file:${tarball}` } }, null, 2));
    // The runtime dependency, as the registry would deliver it, so that the test needs no network.
    cpSync(join(REPO_ROOT, "node_modules/@bufbuild/protobuf"), join(consumer, "node_modules/@bufbuild/protobuf"), { recursive: true });
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
    const installed = JSON.parse(readFileSync(join(consumer, "node_modules", PACKAGE_NAME, "package.json"), "utf8"));
    expect(installed.dependencies).toEqual({ "@bufbuild/protobuf": expect.stringMatching(/^\^2\./) });

    // Types only: the publisher is type-checked, never called.
    mkdirSync(join(consumer, "node_modules/@google-cloud"), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules/@google-cloud/pubsub"), join(consumer, "node_modules/@google-cloud/pubsub"));
    mkdirSync(join(consumer, "node_modules/@types"), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules/@types/node"), join(consumer, "node_modules/@types/node"));
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    writeFileSync(join(consumer, "main.ts"), CONSUMER_TS);
    expect(run(TSC, ["-p", "tsconfig.json"], consumer)).toBe("");

    const output = JSON.parse(run(process.execPath, ["dist/main.js"], consumer));
    expect(output).toEqual({
      topic: "user",
      entityName: "MeterReading",
      operation: "CREATED",
      id: "user-1",
      orderingKey: "user-1",
      attributes: { entity: "energy.customer.v1.User", operation: "CREATED", event_id: "event-1", schema: "energy.customer.v1.pubsub.UserEvent" },
      email: "ada@example.com",
      missingId: true,
      bytes: expect.any(Number),
    });
  });
});
