/**
 * Test support for the Pub/Sub suites: generated topic schemas next to the entities they come from,
 * and buf compiling a topic schema on its own, as Pub/Sub receives it.
 */
import { createFileRegistry, fromBinary, isFieldSet, type DescField, type DescMessage } from "@bufbuild/protobuf";
import {
  FieldDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type DescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { block, keyOf, readModule, resourceOf } from "../harness/opentofu/module.js";
import type { Entity } from "../../plugin/src/model/types.js";
import { BUF, compileProtos } from "../harness/buf/protos.js";
import { modelOfCompiled } from "../model/support.js";
import { topicMessageTypeName } from "../../plugin/src/physical/topic-schema.js";

const run = promisify(execFile);


/**
 * Compiles one .proto text alone with buf, in an empty directory whose buf.yaml says only
 * `version: v2`: nothing but buf's own well-known types can be imported. Rejects with buf's
 * message when it does not compile.
 */
export async function compileStandalone(fileName: string, content: string): Promise<FileDescriptorProto> {
  const dir = await mkdtemp(join(tmpdir(), "topic-schema-"));
  try {
    await writeFile(join(dir, "buf.yaml"), "version: v2\n");
    await writeFile(join(dir, fileName), content);
    const image = join(dir, "image.binpb");
    try {
      await run(BUF, ["build", "-o", image], { cwd: dir });
    } catch (error) {
      throw new Error(`buf build of ${fileName} alone failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`);
    }
    const set = fromBinary(FileDescriptorSetSchema, await readFile(image));
    const own = set.file.find((f) => f.name === fileName);
    if (own === undefined) throw new Error(`buf build produced no ${fileName}`);
    return own;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Compiles each text on its own, two at a time (CI has two cores). */
export async function compileEachStandalone(sources: ReadonlyMap<string, string>): Promise<Map<string, FileDescriptorProto>> {
  const entries = [...sources];
  const out = new Map<string, FileDescriptorProto>();
  for (let i = 0; i < entries.length; i += 2) {
    const batch = entries.slice(i, i + 2);
    const compiled = await Promise.all(batch.map(([name, text]) => compileStandalone(name, text)));
    batch.forEach(([name], j) => out.set(name, compiled[j]));
  }
  return out;
}

/** What decides how a message is encoded and named, from the descriptor proto. */
function shapeOfFile(file: FileDescriptorProto): unknown {
  return {
    name: file.name,
    package: file.package,
    // protoc leaves proto2's syntax empty; buf writes it out.
    syntax: file.syntax === "" ? "proto2" : file.syntax,
    dependency: file.dependency,
    enumType: file.enumType.map((e) => e.name),
    messageType: file.messageType.map(shapeOfMessage),
  };
}

function shapeOfMessage(message: DescriptorProto): unknown {
  return {
    name: message.name,
    field: message.field.map(shapeOfField),
    nestedType: message.nestedType.map(shapeOfMessage),
    enumType: message.enumType.map((e) => e.name),
    oneofDecl: message.oneofDecl.map((o) => o.name),
    mapEntry: message.options?.mapEntry ?? false,
  };
}

function shapeOfField(field: FieldDescriptorProto): unknown {
  return {
    name: field.name,
    number: field.number,
    label: field.label,
    type: field.type,
    typeName: field.typeName,
    packed: field.options?.packed ?? null,
    oneofIndex: isFieldSet(field, FieldDescriptorProtoSchema.field.oneofIndex) ? field.oneofIndex : null,
    proto3Optional: field.proto3Optional,
    defaultValue: field.defaultValue,
  };
}

/** What protobuf-es derives when it encodes: presence, packing, JSON names, field kinds. */
function shapeOfDesc(message: DescMessage, seen = new Set<string>()): unknown {
  if (seen.has(message.typeName)) return message.typeName;
  seen.add(message.typeName);
  return {
    typeName: message.typeName,
    fields: message.fields.map((f: DescField) => ({
      name: f.name,
      number: f.number,
      jsonName: f.jsonName,
      kind: f.fieldKind,
      scalar: "scalar" in f ? f.scalar : undefined,
      packed: "packed" in f ? f.packed : undefined,
      presence: f.presence,
      delimited: "delimitedEncoding" in f ? f.delimitedEncoding : undefined,
      message: f.message === undefined ? undefined : shapeOfDesc(f.message, seen),
    })),
  };
}

function topMessage(file: FileDescriptorProto): DescMessage {
  const registry = createFileRegistry(file, () => undefined);
  return registry.getMessage(`${file.package}.${file.messageType[0].name}`)!;
}

/**
 * What two descriptors of a topic schema must share to encode, decode and name fields alike: the
 * descriptor protos (source info and json_name aside) and what protobuf-es derives from them.
 */
export function descriptorShape(file: FileDescriptorProto): unknown {
  return { file: shapeOfFile(file), message: shapeOfDesc(topMessage(file)) };
}

/** How the Terraform module deploys an entity's topic: its schema resource and its BigQuery subscription. */
export interface TopicDeployment {
  readonly schema: { readonly name: string; readonly type: string; readonly definition: string };
  readonly encoding: string;
  readonly bigqueryConfig: { readonly use_topic_schema: boolean; readonly write_metadata: boolean; readonly drop_unknown_fields: boolean; readonly table: string };
}

/** The envelope's label as a schema text declares it (the example's entities were released with optional ones). */
export function envelopeOf(text: string): "required" | "optional" {
  return text.includes("required string event_id = 100001;") ? "required" : "optional";
}

/** One entity's generated topic schema: its text, its deployment, and what buf compiles from the text alone. */
export interface TopicSchemaCase {
  readonly entity: Entity;
  readonly deployment: TopicDeployment;
  readonly schemaText: string;
  readonly compiled: FileDescriptorProto;
}

/** Finds each entity's schema file and its deployment in the Terraform module, and compiles the schema alone. */
export async function topicSchemaCases(files: ReadonlyMap<string, string>, entities: readonly Entity[]): Promise<TopicSchemaCase[]> {
  const module = readModule(files);
  const found = entities.map((entity) => {
    const key = keyOf(entity);
    const schemaText = files.get(`pubsub/${entity.topic}.proto`);
    if (schemaText === undefined) throw new Error(`no pubsub/${entity.topic}.proto for ${entity.typeName}`);
    const deployment: TopicDeployment = {
      schema: resourceOf(module, "google_pubsub_schema", key) as unknown as TopicDeployment["schema"],
      encoding: block(resourceOf(module, "google_pubsub_topic", key), "schema_settings").encoding as string,
      bigqueryConfig: block(resourceOf(module, "google_pubsub_subscription", key), "bigquery_config") as unknown as TopicDeployment["bigqueryConfig"],
    };
    return { entity, deployment, schemaText, file: `${entity.topic}.proto` };
  });
  // Topics are unique, so the file names are too.
  const compiled = await compileEachStandalone(new Map(found.map((c) => [c.file, c.schemaText])));
  return found.map(({ file, ...c }) => ({ ...c, compiled: compiled.get(file)! }));
}

/**
 * The topic message as protobuf-es describes it, from the topic schema's descriptor (which imports
 * nothing): the reference the plugin's own descriptions (the vectors, the TypeScript writers'
 * topic layout) are compared with.
 */
export function topicMessageDesc(entity: Entity, topicDescriptor: FileDescriptorProto): DescMessage {
  const message = createFileRegistry(topicDescriptor, () => undefined).getMessage(topicMessageTypeName(entity));
  if (message === undefined) throw new Error(`${entity.typeName}: the topic schema lacks ${topicMessageTypeName(entity)}`);
  return message;
}

/** What the benchmark's synthetic domain module (plain JS, test/bench/support/) gives: its sources and its plugin parameter. */
interface SyntheticDomain {
  synthesizeDomain(size: { packages: number; filesPerPackage: number; entitiesPerFile: number }): { sources: Record<string, string> };
}

/**
 * `count` entities of the generation benchmark's synthetic domain (seeded: the same every run),
 * with the mix of fields real contracts have: maps, oneofs, shared and nested messages, every scalar.
 */
export async function syntheticEntities(count: number): Promise<readonly Entity[]> {
  // Imported by a path the type checker does not follow: the modules are JavaScript without declarations.
  const domainModule: string = "../bench/support/synthetic-domain.mjs";
  const benchModule: string = "../bench/support/bench-domain.mjs";
  const { synthesizeDomain } = (await import(domainModule)) as SyntheticDomain;
  const { BENCH_PARAMETER } = (await import(benchModule)) as { BENCH_PARAMETER: string };
  const { sources } = synthesizeDomain({ packages: 1, filesPerPackage: 1, entitiesPerFile: count });
  return modelOfCompiled(compileProtos(sources), BENCH_PARAMETER).entities;
}
