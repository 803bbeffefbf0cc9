/**
 * Property tests of the generated direct encoders and decoders (issue 17), binary and JSON: for
 * random entities of every entity of the example domain and of the googleapis run, the bytes and
 * the JSON text they write equal the reference path's (the entity converted into a topic message
 * object and serialized by @bufbuild/protobuf's reflection: toBinary, and toJsonString of that
 * message read back from its bytes), a value one path rejects the other rejects with the same typed
 * error and field, the direct decoders give the same entity as the reference decoders (fromBinary
 * and fromJsonString, then the conversion), and decoding round-trips: encoding what was decoded
 * gives the same message again (the entity itself comes back modulo the presence rule and the
 * columns' precision, e.g. timestamps to the microsecond). Then fixed edge values, and JSON the
 * decoders must accept or reject alike.
 */
import { clone, create, ScalarType, type DescMessage, type Message } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileExample, exampleParameter } from "../harness/buf/protos.js";
import { compileGoogleapis, GOOGLEAPIS_ENTITIES } from "../harness/buf/googleapis.js";
import { messageOf } from "./support/arbitrary.js";
import { exampleFixtures, type GeneratedModule } from "./support/example-fixtures.js";
import { generatePackage, type GeneratedPackage } from "./support/package.js";

const RUNS = 150;
/**
 * A fixed seed keeps CI reproducible; FC_SEED=<n> explores other entities (fast-check prints the
 * seed and the shrunk counterexample of a failure, and the seed replays it).
 */
const SEED = Number(process.env.FC_SEED ?? 20261129);
const OPTIONS = { eventId: "4f7c2a58-5b7e-4a53-9c57-1d0c6a0e1f00", occurredAt: { seconds: 1700000000n, nanos: 123456000 } };
/** The runtime's switch to the reference path (runtime.ts REFERENCE_PATH): no option of the package's API. */
const REFERENCE = { [Symbol.for("protoc-gen-entity.reference-path")]: true };

let pkg: GeneratedPackage;
let mod: GeneratedModule;

beforeAll(async () => {
  pkg = generatePackage(compileExample(), exampleParameter());
  pkg.build();
  mod = await pkg.load();
}, 300_000);

afterAll(() => pkg?.dispose());

interface PubSubMessage {
  readonly data: Uint8Array;
}

interface Event {
  toPubSubMessage(options: { encoding: "binary" | "json" }): PubSubMessage;
}

interface EventClass {
  created(entity: Message, options: object): Event;
  fromPubSubMessage(message: PubSubMessage | { data: string }, options: object): Event & { entity: Message };
}

type Outcome = { event: Event; error?: undefined } | { event?: undefined; error: Error & { field?: string } };

function attempt(make: () => Event): Outcome {
  try {
    return { event: make() };
  } catch (error) {
    return { error: error as Error & { field?: string } };
  }
}

const text = (m: PubSubMessage) => new TextDecoder().decode(m.data);

/**
 * JSON cannot tell -0 from 0 (JSON.stringify(-0) is "0"): a -0 in a field of implicit presence
 * travels in binary but comes back from JSON as 0, which the presence rule then leaves out.
 */
function hasNegativeZero(value: unknown): boolean {
  if (Object.is(value, -0)) return true;
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return false;
  return Object.values(value).some(hasNegativeZero);
}

/**
 * The entity with an id when the random one left it empty: without an id both paths reject the
 * entity alike, and the property would mostly test that. (The ids here are top-level fields.)
 */
function withId(Event: EventClass, schema: DescMessage, entity: Message): Message {
  const idField = schema.fields.find((f) => f.name === idFieldName(Event, schema))!;
  const value = (entity as unknown as Record<string, unknown>)[idField.localName];
  if (!["", 0, 0n, undefined].includes(value as never)) return entity;
  const id = idField.fieldKind === "scalar" && idField.scalar !== ScalarType.STRING ? (typeof value === "bigint" ? 7n : 7) : "id-7";
  return Object.assign(clone(schema, entity), { [idField.localName]: id });
}

/** The id field's name: the one MissingIdError names for an entity without fields. */
function idFieldName(Event: EventClass, schema: DescMessage): string {
  try {
    Event.created(create(schema), {});
  } catch (error) {
    const name = (error as { field?: string }).field;
    if (name !== undefined) return name;
  }
  throw new Error(`${schema.typeName}: no MissingIdError for an empty entity`);
}

/** One random entity through both paths. */
function checkEntity(Event: EventClass, entity: Message): void {
  const direct = attempt(() => Event.created(entity, OPTIONS));
  const reference = attempt(() => Event.created(entity, { ...OPTIONS, ...REFERENCE }));
  if (reference.error !== undefined) {
    expect(direct.error, `the direct path accepts what the reference rejects: ${reference.error.message}`).toBeDefined();
    expect(direct.error!.constructor).toBe(reference.error.constructor);
    expect(direct.error!.field).toBe(reference.error.field);
    return;
  }
  if (direct.error !== undefined) throw new Error(`the direct path rejects what the reference accepts: ${direct.error.message}`);
  const binary = direct.event.toPubSubMessage({ encoding: "binary" });
  expect(binary.data).toEqual(reference.event.toPubSubMessage({ encoding: "binary" }).data);
  const json = direct.event.toPubSubMessage({ encoding: "json" });
  expect(text(json)).toBe(text(reference.event.toPubSubMessage({ encoding: "json" })));
  for (const [encoding, message] of [["binary", binary], ["json", json]] as const) {
    const back = Event.fromPubSubMessage(message, { encoding });
    // The direct decoder gives what the reference path (fromBinary / fromJsonString of the topic schema, then the conversion) gives.
    const viaReference = Event.fromPubSubMessage(message, { encoding, ...REFERENCE });
    // toEqual, not protobuf-es equals(): a NaN double decodes to NaN on both paths, and NaN !== NaN.
    expect(back.entity, `${encoding}: direct decode = reference decode`).toEqual(viaReference.entity);
    // JSON cannot tell -0 from 0, which the presence rule then leaves out: no round trip through
    // JSON (and the reference path, which keeps the received topic message, writes the 0 again).
    if (encoding === "json" && hasNegativeZero(entity)) continue;
    // A received event is written again, in each encoding, as the reference path writes its message.
    expect(back.toPubSubMessage({ encoding: "binary" }).data).toEqual(viaReference.toPubSubMessage({ encoding: "binary" }).data);
    expect(text(back.toPubSubMessage({ encoding: "json" }))).toBe(text(viaReference.toPubSubMessage({ encoding: "json" })));
    const again = Event.created(back.entity, OPTIONS);
    expect(again.toPubSubMessage({ encoding: "binary" }).data, `${encoding} round trip`).toEqual(binary.data);
    expect(text(again.toPubSubMessage({ encoding: "json" })), `${encoding} round trip, JSON`).toBe(text(json));
  }
}

/** The property on RUNS random entities of one entity; most of them are accepted. */
function checkRandomEntities(Event: EventClass, schema: DescMessage): void {
  let rejected = 0;
  fc.assert(
    fc.property(fc.tuple(messageOf(schema), fc.nat(9)), ([random, keepId]) => {
      // Nine in ten with an id; the others as they came.
      const entity = keepId === 0 ? random : withId(Event, schema, random);
      if (attempt(() => Event.created(entity, { ...OPTIONS, ...REFERENCE })).error !== undefined) rejected++;
      checkEntity(Event, entity);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // The property is about the bytes, not about errors.
  expect(rejected).toBeLessThan(RUNS / 3);
}

describe("the direct encoder and decoder against the reference path, on random entities", () => {
  it("covers every entity of the example domain", () => {
    const events = new Set(exampleFixtures(mod).map((f) => f.event));
    expect(events.size).toBe(Object.keys(mod.TOPICS).length);
  });

  it.each(["Contract", "House", "Invoice", "MeterReading", "Payment", "SmartMeter", "User"])("%s: same bytes, same JSON, same errors, same decoded entity, round trip", (name) => {
    checkRandomEntities(mod[`${name}Event`] as EventClass, mod[`${name}Schema`] as DescMessage);
  });
});

describe("the same on the googleapis entities", () => {
  let google: GeneratedPackage;
  let gmod: GeneratedModule;

  beforeAll(async () => {
    const { compiled, parameter } = compileGoogleapis();
    google = generatePackage(compiled, parameter);
    google.build();
    gmod = await google.load();
  }, 600_000);

  afterAll(() => google?.dispose());

  it.each(GOOGLEAPIS_ENTITIES.map((e) => e.typeName))("%s", (typeName) => {
    const name = typeName.split(".").pop()!;
    const Event = gmod[`${name}Event`] as EventClass;
    expect(Event, `${name}Event`).toBeDefined();
    expect((gmod[`${name}Schema`] as DescMessage).typeName).toBe(typeName);
    checkRandomEntities(Event, gmod[`${name}Schema`] as DescMessage);
  });
});
