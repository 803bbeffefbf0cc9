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

describe("edge values, through both paths", () => {
  const INT64_MIN = -(2n ** 63n);
  const INT64_MAX = 2n ** 63n - 1n;
  const UINT64_MAX = 2n ** 64n - 1n;

  /** The direct JSON of an entity, after checkEntity held both paths to each other on it. */
  function json(name: string, init: object): Record<string, unknown> {
    const Event = mod[`${name}Event`] as EventClass;
    const entity = create(mod[`${name}Schema`] as DescMessage, init as never);
    checkEntity(Event, entity);
    return JSON.parse(text(Event.created(entity, OPTIONS).toPubSubMessage({ encoding: "json" }))) as Record<string, unknown>;
  }

  const ids = { readingId: "r-1", meterId: "m-1" };

  it("NaN, the infinities and -0 of double and float", () => {
    expect(json("MeterReading", { ...ids, powerW: NaN, voltageV: Infinity })).toMatchObject({ power_w: "NaN", voltage_v: "Infinity" });
    expect(json("MeterReading", { ...ids, powerW: -Infinity, voltageV: -0 })).toMatchObject({ power_w: "-Infinity", voltage_v: 0 });
    // A float is written as the 32 bits carry it.
    expect(json("MeterReading", { ...ids, powerW: 0.1, voltageV: 0.1 })).toMatchObject({ power_w: 0.1, voltage_v: Math.fround(0.1) });
    // -0 of implicit presence is a value (toBinary writes it), and JSON writes it as 0.
    expect(json("House", { id: "h-1", floorAreaM2: -0 })).toMatchObject({ floor_area_m2: 0 });
  });

  it("the extremes of every integer type", () => {
    const extremes = {
      ...ids,
      energyRegisterWh: UINT64_MAX,
      netEnergyWh: INT64_MIN,
      tariffRegister: 2 ** 32 - 1,
      housingTemperatureC: -(2 ** 31),
      signalDbm: 2 ** 31 - 1,
      frameCounter: UINT64_MAX,
      frameCrc: 2 ** 32 - 1,
      clockDriftMs: -(2 ** 31),
      gatewayReceivedNs: INT64_MAX,
      gatewayDelayMs: INT64_MIN,
    };
    expect(json("MeterReading", extremes)).toMatchObject({
      energy_register_wh: "18446744073709551615",
      net_energy_wh: "-9223372036854775808",
      tariff_register: 4294967295,
      housing_temperature_c: -2147483648,
      signal_dbm: 2147483647,
      frame_counter: "18446744073709551615",
      frame_crc: 4294967295,
      clock_drift_ms: -2147483648,
      gateway_received_ns: "9223372036854775807",
      gateway_delay_ms: "-9223372036854775808",
    });
  });

  it("empty strings and bytes, unset and zero under explicit presence", () => {
    const zeros = { ...ids, rawFrame: new Uint8Array(0), tariffRegister: 0, plausible: false, quality: 0, diagnostics: { errorCode: 0, errorText: "" } };
    expect(json("MeterReading", zeros)).toMatchObject({ raw_frame: "", tariff_register: 0, plausible: false, quality: "READING_QUALITY_UNSPECIFIED", diagnostics: { error_code: 0, error_text: "" } });
    const unset = json("MeterReading", ids);
    expect(Object.keys(unset)).toEqual(["reading_id", "meter_id", "event_id", "operation", "occurred_at"]);
    // Implicit presence: zero values are left out.
    expect(Object.keys(json("House", { id: "h-1", ownerUserId: "", constructionYear: 0 }))).toEqual(["id", "event_id", "operation", "occurred_at"]);
  });

  it("unicode, quotes, control characters, and lone surrogates (which UTF-8 carries as U+FFFD)", () => {
    expect(json("MeterReading", { readingId: "Grüße ✓ 😀", meterId: "\"\\\n\u0001\u2028</script>" })).toMatchObject({ reading_id: "Grüße ✓ 😀", meter_id: "\"\\\n\u0001\u2028</script>" });
    expect(json("MeterReading", { readingId: "a\ud800b", meterId: "\udc00\ud83d\ude00\ud83d" })).toMatchObject({ reading_id: "a\ufffdb", meter_id: "\ufffd😀\ufffd" });
  });

  it("empty and one-entry maps and lists", () => {
    expect(Object.keys(json("User", { id: "u-1", phoneNumbers: [], consents: {} }))).toEqual(["id", "event_id", "operation", "occurred_at"]);
    expect(json("User", { id: "u-1", phoneNumbers: [""], consents: { "": false } })).toMatchObject({ phone_numbers: [""], consents: [{ key: "", value: false }] });
    expect(json("SmartMeter", { id: "s-1", buffered: {} })).not.toHaveProperty("buffered");
  });
});

describe("JSON the decoders accept or reject alike", () => {
  const Event = () => mod.MeterReadingEvent as EventClass;
  const ENVELOPE = `"event_id":"e-1","operation":"CREATED","occurred_at":"1700000000123456"`;

  function decode(data: string, reference: boolean): Outcome & { entity?: Message } {
    try {
      const event = Event().fromPubSubMessage({ data }, { encoding: "json", ...(reference ? REFERENCE : {}) });
      return { event, entity: event.entity };
    } catch (error) {
      return { error: error as Error & { field?: string } };
    }
  }

  it.each([
    ["camelCase JSON names", `{"readingId":"r","meterId":"m","powerW":1.5,"eventId":"e-1","operation":"CREATED","occurredAt":1700000000123456}`],
    ["numbers as strings and 64-bit integers as numbers", `{"reading_id":"r","meter_id":"m","signal_dbm":"-12","tariff_register":"1e2","frame_counter":12,"voltage_v":"2.5",${ENVELOPE}}`],
    ["the special floating-point strings", `{"reading_id":"r","meter_id":"m","power_w":"-Infinity","voltage_v":"NaN",${ENVELOPE}}`],
    ["null as unset, unknown keys skipped", `{"reading_id":"r","meter_id":"m","power_w":null,"diagnostics":null,"whatever":[1,{"a":2}],${ENVELOPE}}`],
    ["URL-safe base64 without padding", `{"reading_id":"r","meter_id":"m","raw_frame":"-_8",${ENVELOPE}}`],
    ["escaped keys and values", `{"reading\\u005fid":"\\ud83d\\ude00","meter_id":"m",${ENVELOPE}}`],
  ])("accepts %s, decoding it as the reference path does", (_, data) => {
    const direct = decode(data, false);
    const reference = decode(data, true);
    expect(reference.error).toBeUndefined();
    expect(direct.error).toBeUndefined();
    expect(direct.entity).toEqual(reference.entity);
  });

  it.each([
    ["text that is not JSON", `{"reading_id":`],
    ["JSON that is not an object", `["reading_id"]`],
    ["a key given twice", `{"reading_id":"r","reading_id":"s","meter_id":"m",${ENVELOPE}}`],
    ["a field by both its names", `{"reading_id":"r","readingId":"r","meter_id":"m",${ENVELOPE}}`],
    ["a 64-bit integer that is not one", `{"reading_id":"r","meter_id":"m","frame_counter":"12x",${ENVELOPE}}`],
    ["a fraction in a 32-bit integer", `{"reading_id":"r","meter_id":"m","signal_dbm":1.5,${ENVELOPE}}`],
    ["an int32 out of range", `{"reading_id":"r","meter_id":"m","signal_dbm":2147483648,${ENVELOPE}}`],
    ["a uint64 below zero", `{"reading_id":"r","meter_id":"m","energy_register_wh":"-1",${ENVELOPE}}`],
    ["an infinite number", `{"reading_id":"r","meter_id":"m","power_w":1e999,${ENVELOPE}}`],
    ["a float out of range", `{"reading_id":"r","meter_id":"m","voltage_v":1e39,${ENVELOPE}}`],
    ["a bool as a string", `{"reading_id":"r","meter_id":"m","plausible":"true",${ENVELOPE}}`],
    ["a lone surrogate", `{"reading_id":"\\ud800","meter_id":"m",${ENVELOPE}}`],
    ["invalid base64", `{"reading_id":"r","meter_id":"m","raw_frame":"a",${ENVELOPE}}`],
    ["a message that is a list", `{"reading_id":"r","meter_id":"m","diagnostics":[],${ENVELOPE}}`],
    ["a timestamp beyond BigQuery's range", `{"reading_id":"r","meter_id":"m","measured_at":"253402300800000000",${ENVELOPE}}`],
    ["an enum name the entity does not have", `{"reading_id":"r","meter_id":"m","quality":"READING_QUALITY_GUESSED",${ENVELOPE}}`],
    ["a missing event id", `{"reading_id":"r","meter_id":"m","operation":"CREATED","occurred_at":"1"}`],
  ])("rejects %s with the same DecodeError on both paths", (_, data) => {
    const direct = decode(data, false);
    const reference = decode(data, true);
    expect(reference.error?.name).toBe("DecodeError");
    expect(direct.error?.name).toBe("DecodeError");
    expect(direct.error!.constructor).toBe(reference.error!.constructor);
    expect(direct.error!.field).toBe(reference.error!.field);
    expect(direct.error!.message).toBe(reference.error!.message);
  });

  it("rejects a list item that is null and a list that is not one, on an entity with lists", () => {
    const Invoice = mod.InvoiceEvent as EventClass;
    for (const lines of ["[null]", "{}"]) {
      const data = `{"number":"i-1","lines":${lines},${ENVELOPE}}`;
      const outcomes = [false, true].map((reference) => {
        try {
          Invoice.fromPubSubMessage({ data }, { encoding: "json", ...(reference ? REFERENCE : {}) });
          return undefined;
        } catch (error) {
          return error as Error;
        }
      });
      expect(outcomes[0]?.name).toBe("DecodeError");
      expect(outcomes[0]?.message).toBe(outcomes[1]?.message);
    }
  });
});
