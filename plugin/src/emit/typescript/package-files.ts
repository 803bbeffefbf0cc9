/**
 * The npm package around the event classes: index, type registry, package.json, tsconfig.json,
 * README.md and .gitignore of generated/ts.
 */
import type { DescFile } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import type { Entity, Model } from "../../model/types.js";
import type { Evolution } from "../../evolution/evolution.js";
import type { PluginOptions } from "../../options/plugin-options.js";
import { generatedHeader } from "../../printers/header.js";
import { PLUGIN_NAME } from "../../version.js";
import { topicMessageTypeName } from "../../physical/topic-schema.js";
import { eventFilePath } from "./event-file.js";
import { importSpecifier, topicKeys, type EsNames, type EsSymbol } from "../../physical/typescript-names.js";
import type { RuntimeType, RuntimeValue } from "./runtime-module.js";
import { doc, id, joined, lineComment, str, ts, type TsCode } from "./ts-printer.js";

/** The @bufbuild/protobuf release whose codegenv2 API the generated code uses. */
export const PROTOBUF_RUNTIME_RANGE = "^2.17.0";
const TYPESCRIPT_RANGE = "^5.6.0";

/**
 * What runtime.ts exports for users (the rest is for generated code): a choice, so a list, but
 * typed from the module (see runtime-module.ts), so a name runtime.ts lacks does not compile.
 */
const RUNTIME_VALUES = [
  "AttributeLimitError",
  "DecodeError",
  "EntityEvent",
  "EntityEventError",
  "InvalidValueError",
  "MessageTooLargeError",
  "MissingIdError",
  "OPERATIONS",
  "OrderingKeyLimitError",
  "PUBSUB_LIMITS",
  "TimestampRangeError",
  "publishEvent",
] as const satisfies readonly RuntimeValue[];
const RUNTIME_TYPES: readonly RuntimeType[] = [
  "Encoding",
  "EventOptions",
  "FromPubSubMessageOptions",
  "Operation",
  "PublishingTopic",
  "PubSubMessage",
  "ReceivedPubSubMessage",
  "ToPubSubMessageOptions",
];
const INDEX_NAMES = ["TOPICS", "TopicName", "EntityName", "typeRegistry"];

/** Well-known types an Any commonly packs, so that their JSON is readable. */
const WKT_FILES = ["any", "duration", "empty", "field_mask", "struct", "timestamp", "wrappers"].map((n) => ({
  name: `file_google_protobuf_${n}`,
  from: "@bufbuild/protobuf/wkt",
}));

/** The name an event class is exported under: its own, or prefixed by its package when it clashes. */
function eventExportNames(entities: readonly Entity[]): Map<Entity, string> {
  const count = new Map<string, number>();
  for (const e of entities) count.set(e.eventName, (count.get(e.eventName) ?? 0) + 1);
  return new Map(entities.map((e) => [e, count.get(e.eventName) === 1 ? e.eventName : `${e.protoPackage.replace(/\./g, "_")}_${e.eventName}`]));
}

export function indexSource(model: Model, names: EsNames): string {
  const events = eventExportNames(model.entities);
  const lines = [lineComment(generatedHeader()), EMPTY, ts`/** Typed Pub/Sub events of the entities, with their protobuf types. */`];
  for (const entity of model.entities) {
    const exported = events.get(entity)!;
    const spec = exported === entity.eventName ? id(exported) : ts`${id(entity.eventName)} as ${id(exported)}`;
    lines.push(ts`export { ${spec} } from ${str(importSpecifier("index.ts", `./${eventFilePath(entity).replace(/\.ts$/, ".js")}`))};`);
  }
  lines.push(...protobufExports(model, names, new Set([...events.values(), ...RUNTIME_VALUES, ...RUNTIME_TYPES, ...INDEX_NAMES])));
  const runtimeNames = [...RUNTIME_VALUES.map((v) => id(v)), ...RUNTIME_TYPES.map((t) => ts`type ${id(t)}`)];
  lines.push(
    ts`export { ${joined(runtimeNames, ts`, `)} } from "./runtime.js";`,
    ts`export { typeRegistry } from "./registry.js";`,
    EMPTY,
    ts`/** Every entity's Pub/Sub topic. */`,
    ts`export const TOPICS = {`,
    ...[...topicKeys(model.entities)].map(([entity, name]) => ts`  ${/^[A-Za-z_$][\w$]*$/.test(name) ? id(name) : str(name)}: ${str(entity.topic)},`),
    ts`} as const;`,
    EMPTY,
    ts`/** The name of an entity topic. */`,
    ts`export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];`,
    EMPTY,
    ts`/** An entity with events in this package, as TOPICS keys it. */`,
    ts`export type EntityName = keyof typeof TOPICS;`,
  );
  return `${joined(lines)}\n`;
}

const EMPTY = ts``;

/**
 * The protoc-gen-es types and schemas of the entities' files. A name two files both declare is
 * left out here; it stays importable from its file (`<package>/energy/customer/v1/user_pb.js`).
 */
function protobufExports(model: Model, names: EsNames, taken: ReadonlySet<string>): TsCode[] {
  const files = [...new Map(model.entities.map((e) => [e.descriptor.file.name, e.descriptor.file])).values()];
  const perFile = files.map((file) => {
    const symbols: { symbol: EsSymbol; typeOnly: boolean }[] = [];
    for (const desc of nestedTypes(file)) {
      if (desc.kind === "message") symbols.push({ symbol: names.shape(desc), typeOnly: true }, { symbol: names.schema(desc), typeOnly: false });
      if (desc.kind === "enum") symbols.push({ symbol: names.shape(desc), typeOnly: false }, { symbol: names.schema(desc), typeOnly: false });
    }
    return { file, symbols };
  });
  const count = new Map<string, number>();
  for (const { symbols } of perFile) for (const { symbol } of symbols) count.set(symbol.name, (count.get(symbol.name) ?? 0) + 1);
  return perFile.flatMap(({ symbols }) => {
    const unique = symbols.filter(({ symbol }) => count.get(symbol.name) === 1 && !taken.has(symbol.name));
    if (unique.length === 0) return [];
    const from = importSpecifier("index.ts", unique[0]!.symbol.from);
    const specifiers = unique.map(({ symbol, typeOnly }) => (typeOnly ? ts`type ${id(symbol.name)}` : id(symbol.name)));
    return [ts`export { ${joined(specifiers, ts`, `)} } from ${str(from)};`];
  });
}

/** A registry of every message the package knows, for Any and JSON columns. */
export function registrySource(model: Model, names: EsNames): string {
  const files = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (files.has(file.name)) return;
    files.set(file.name, file);
    file.dependencies.forEach(visit);
  };
  model.entities.forEach((e) => visit(e.descriptor.file));
  const symbols = new Map<string, EsSymbol>();
  for (const symbol of [...WKT_FILES, ...[...files.values()].map((f) => names.schema(f))]) symbols.set(symbol.name, symbol);
  const byModule = new Map<string, string[]>();
  for (const symbol of symbols.values()) {
    const from = importSpecifier("registry.ts", symbol.from);
    byModule.set(from, [...(byModule.get(from) ?? []), symbol.name]);
  }
  const lines = [
    lineComment(generatedHeader()),
    EMPTY,
    ts`import { createRegistry } from "@bufbuild/protobuf";`,
    ...[...byModule.keys()].sort().map((from) => ts`import { ${joined(byModule.get(from)!.sort().map(id), ts`, `)} } from ${str(from)};`),
    EMPTY,
    doc("Every message type of the entities' files and their imports, and the common well-known types:\nJSON columns use it to write google.protobuf.Any with the packed message's fields."),
    ts`export const typeRegistry = createRegistry(`,
    ...[...symbols.keys()].sort().map((name) => ts`  ${id(name)},`),
    ts`);`,
  ];
  return `${joined(lines)}\n`;
}

export function packageJson(model: Model, options: PluginOptions, evolution: Evolution | undefined): string {
  const content = {
    name: options.packageName,
    // The last release's version (the lock, which `protoc-gen-entity release` writes); package_version= before the first.
    version: evolution?.released.package?.version ?? options.packageVersion,
    description: `Typed Pub/Sub events of ${model.entities.map((e) => e.messageName).join(", ")}. Generated by ${PLUGIN_NAME}.`,
    license: options.packageLicense,
    ...(options.packageRepository === undefined ? {} : { repository: { type: "git", url: options.packageRepository } }),
    type: "module",
    sideEffects: false,
    main: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": { types: "./dist/index.d.ts", import: "./dist/index.js", default: "./dist/index.js" },
      "./*.js": { types: "./dist/*.d.ts", import: "./dist/*.js", default: "./dist/*.js" },
      "./package.json": "./package.json",
    },
    // The API report and the changelog (written by `protoc-gen-entity release`) say what each version changed.
    files: ["dist", "api-report.api.md", "CHANGELOG.md"],
    scripts: { build: "tsc -p tsconfig.json", prepack: "npm run build" },
    dependencies: { "@bufbuild/protobuf": PROTOBUF_RUNTIME_RANGE },
    devDependencies: { typescript: TYPESCRIPT_RANGE },
    engines: { node: ">=20" },
    publishConfig: {
      access: options.packageAccess,
      ...(options.packageRegistry === undefined ? {} : { registry: options.packageRegistry }),
      ...(options.packageProvenance ? { provenance: true } : {}),
    },
    generatedBy: PLUGIN_NAME,
  };
  return JSON.stringify(content, null, 2) + "\n";
}

export function tsconfigJson(): string {
  const content = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      declaration: true,
      sourceMap: true,
      // The package ships dist/ only: the maps carry the TypeScript they point to.
      inlineSources: true,
      outDir: "dist",
      rootDir: "src",
      // The package needs no @types/node: runtime.ts types the few globals it uses itself.
      types: [],
      skipLibCheck: true,
    },
    include: ["src"],
    generatedBy: PLUGIN_NAME,
  };
  return JSON.stringify(content, null, 2) + "\n";
}

export function gitignore(): string {
  return `# ${generatedHeader()}\ndist/\nnode_modules/\n*.tgz\n`;
}

export function readme(model: Model, options: PluginOptions): string {
  const keys = topicKeys(model.entities);
  const first = model.entities[0]!;
  const row = (e: Entity) =>
    `| \`${e.typeName}\` | \`${e.eventName}\` | \`${e.topic}\` | \`TOPICS[${JSON.stringify(keys.get(e))}]\` | \`${topicMessageTypeName(e)}\` | \`${e.idFieldPath.map((f) => f.name).join(".")}\` |`;
  return `<!-- ${generatedHeader()} -->
# ${options.packageName}

Typed Pub/Sub events of the entities below, generated from their Protobuf contracts by
${PLUGIN_NAME}. Each event class converts and validates an entity when the event is created,
so that what \`toPubSubMessage()\` returns is accepted by the topic's schema and lands in the
entity's BigQuery table.

| Entity | Event class | Topic | Constant | Topic schema message | Id (ordering key) |
|---|---|---|---|---|---|
${model.entities.map(row).join("\n")}

## Publish

\`\`\`ts
import { PubSub } from "@google-cloud/pubsub";
import { ${first.eventName}, publishEvent, TOPICS, type ${first.messageName} } from "${options.packageName}";

const topic = new PubSub().topic(TOPICS${/^[A-Za-z_$][\w$]*$/.test(keys.get(first)!) ? `.${keys.get(first)}` : `[${JSON.stringify(keys.get(first))}]`}, { messageOrdering: true });

async function publish(entity: ${first.messageName}) {
  const event = ${first.eventName}.created(entity); // or .updated(), .deleted(); options: { eventId, occurredAt }
  // publishEvent() resumes a paused ordering key after a failed publish, as @google-cloud/pubsub requires;
  // retry with the same event (same event_id). The data is in the topic's encoding from the contract (binary).
  await publishEvent(topic, event);
}
\`\`\`

\`toPubSubMessage()\` returns \`{ data, attributes, orderingKey }\`: \`data\` in the topic schema,
attributes \`entity\`, \`operation\`, \`event_id\` and \`schema\`, and the entity id as ordering key so
that one entity's events stay in order (enable message ordering on the publisher); an entity with
\`ordering_key: ORDERING_KEY_NONE\` (append-only) has none.

## Receive

\`\`\`ts
const event = ${first.eventName}.fromPubSubMessage(message); // the encoding Pub/Sub says, else the topic's
event.operation; // "CREATED" | "UPDATED" | "DELETED"
event.entity;    // ${first.messageName}
\`\`\`

## Errors

Everything is checked before a message leaves the process. All errors extend
\`EntityEventError\` and name the entity and the field:

| Error | When |
|---|---|
| \`MissingIdError\` | the entity id is unset or empty |
| \`TimestampRangeError\` | a timestamp is outside BigQuery's TIMESTAMP range (years 1 to 9999) |
| \`InvalidValueError\` | a value the column cannot hold: invalid date, time, decimal, money, duration, field mask, JSON |
| \`MessageTooLargeError\` | the encoded data exceeds 10 MB |
| \`AttributeLimitError\` | an extra attribute breaks Pub/Sub's limits, or the event id is longer than 1,024 bytes |
| \`OrderingKeyLimitError\` | the id is longer than 1,024 bytes |
| \`DecodeError\` | a received message is not an event of this entity |

## Build and publish

This directory is generated; change the \`.proto\` contracts and run the generator instead of
editing it. To publish it from CI:

\`\`\`sh
npm install --no-package-lock   # in this directory: @bufbuild/protobuf and TypeScript
npm publish          # prepack builds dist/ with tsc
\`\`\`

The version is the one \`protoc-gen-entity release\` derived from the contracts' changes (the API
report's difference with the last release: removed or changed API is a major release, added API a
minor one, documentation a patch); \`CHANGELOG.md\` says what changed for each entity.
\`api-report.api.md\` lists the package's API.
`;
}
