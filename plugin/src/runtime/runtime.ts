/**
 * Shared by every event class of this package: the envelope, validation against Pub/Sub's and
 * BigQuery's limits, and the conversions between protobuf values and topic schema columns.
 */
import {
  create,
  fromBinary,
  fromJson,
  fromJsonString,
  toBinary,
  toJson,
  toJsonString,
  type JsonObject,
  type JsonValue,
  type Message,
  type Registry,
} from "@bufbuild/protobuf";
import type { GenEnum, GenMessage } from "@bufbuild/protobuf/codegenv2";
import { base64Decode, base64Encode, BinaryReader } from "@bufbuild/protobuf/wire";
import {
  AnySchema,
  DurationSchema,
  FieldMaskSchema,
  ListValueSchema,
  TimestampSchema,
  ValueSchema,
  type Any,
  type Duration,
  type FieldMask,
  type ListValue,
  type Timestamp,
  type Value,
} from "@bufbuild/protobuf/wkt";

/** What happened to the entity. */
export type Operation = "CREATED" | "UPDATED" | "DELETED";
export const OPERATIONS: readonly Operation[] = ["CREATED", "UPDATED", "DELETED"];

/** The topic's message encoding, as set on the Pub/Sub topic. */
export type Encoding = "binary" | "json";

/** Pub/Sub's limits for one published message. */
export const PUBSUB_LIMITS = {
  /** The data of a message: 10 MB, counted as 10,000,000 bytes to stay on the safe side. */
  maxDataBytes: 10_000_000,
  maxAttributes: 100,
  maxAttributeKeyBytes: 256,
  maxAttributeValueBytes: 1024,
  maxOrderingKeyBytes: 1024,
} as const;

/** The attributes every event carries; callers cannot override them. */
export const EVENT_ATTRIBUTES = ["entity", "operation", "event_id", "schema"] as const;

// ---------------------------------------------------------------------------------------------
// Errors

/** Base class of every error this package throws. The message names the entity and the field. */
export class EntityEventError extends Error {
  override readonly name: string = "EntityEventError";
  /** Fully qualified name of the entity message (energy.customer.v1.User). */
  readonly entity: string;
  /** Field path with .proto names (address.location), an envelope field, or undefined. */
  readonly field: string | undefined;
  constructor(entity: string, field: string | undefined, problem: string) {
    super(entity + (field === undefined ? "" : ": field " + field) + ": " + problem);
    this.entity = entity;
    this.field = field;
  }
}

/** The entity id is unset or empty: it is the ordering key and the row key of every event. */
export class MissingIdError extends EntityEventError {
  override readonly name: string = "MissingIdError";
}

/** A timestamp BigQuery's TIMESTAMP cannot hold (before year 1 or after year 9999), or not a valid timestamp. */
export class TimestampRangeError extends EntityEventError {
  override readonly name: string = "TimestampRangeError";
}

/** A value the topic schema's column cannot carry (invalid date, decimal, duration, JSON, ...). */
export class InvalidValueError extends EntityEventError {
  override readonly name: string = "InvalidValueError";
}

/** The encoded message is larger than Pub/Sub accepts. */
export class MessageTooLargeError extends EntityEventError {
  override readonly name: string = "MessageTooLargeError";
}

/** An attribute breaks Pub/Sub's limits (count, key or value size) or overrides an event attribute. */
export class AttributeLimitError extends EntityEventError {
  override readonly name: string = "AttributeLimitError";
}

/** The entity id, as ordering key, is longer than Pub/Sub accepts. */
export class OrderingKeyLimitError extends EntityEventError {
  override readonly name: string = "OrderingKeyLimitError";
}

/** A received message is not a valid event of this entity. */
export class DecodeError extends EntityEventError {
  override readonly name: string = "DecodeError";
}

// ---------------------------------------------------------------------------------------------
// The event

export interface EventOptions {
  /** Unique id of the event; default: a fresh UUID. Give the same id when retrying a publish. */
  readonly eventId?: string;
  /** When the change happened; default: now. Kept to the microsecond. */
  readonly occurredAt?: Date | Timestamp;
}

export interface ToPubSubMessageOptions {
  /** Default: the encoding the contract sets on the topic (binary). */
  readonly encoding?: Encoding;
  /** Extra attributes, e.g. for tracing; they cannot replace the event's own attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The argument of @google-cloud/pubsub's topic.publishMessage(). */
export interface PubSubMessage {
  readonly data: Uint8Array;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
}

/** A received message (@google-cloud/pubsub's Message fits), or what toPubSubMessage() returned. */
export interface ReceivedPubSubMessage {
  readonly data?: Uint8Array | string | null;
  readonly attributes?: Readonly<Record<string, string>> | null;
}

export interface FromPubSubMessageOptions {
  /**
   * Default: the encoding the contract sets on the topic (binary). A message's own
   * googclient_schemaencoding attribute, which Pub/Sub adds on delivery, wins over both.
   */
  readonly encoding?: Encoding;
}

/**
 * The tests' switch to the reference path: an options object (EventOptions or
 * FromPubSubMessageOptions) with this key set to true converts the entity into a topic message
 * object and has @bufbuild/protobuf serialize or parse it by reflection, the path the generated
 * direct codecs (the default) are compared with. A key in the global symbol registry rather than an
 * option: the package's types and API report do not show it (it is no API a producer should
 * use), and the tests reach it with Symbol.for() without importing anything beyond the index.
 */
const REFERENCE_PATH: unique symbol = Symbol.for("protoc-gen-entity.reference-path");

function referencePath(options: object | undefined): boolean {
  return options !== undefined && (options as { [REFERENCE_PATH]?: unknown })[REFERENCE_PATH] === true;
}

/** The envelope fields of every topic message. */
export type TopicEnvelope = Message & {
  eventId?: string;
  operation?: string;
  occurredAt?: bigint;
};

/** What a generated event class tells the base class about its entity. */
export interface EventCodec<E extends Message, W extends TopicEnvelope, I> {
  /** Fully qualified name of the entity message. */
  readonly entity: string;
  /** Fully qualified name of the topic message, as registered with the topic's schema. */
  readonly schema: string;
  /** The entity's schema constant (protoc-gen-es), for the hint to build entities with create(). */
  readonly entitySchema: string;
  /** The message encoding the contract sets on the topic. */
  readonly encoding: Encoding;
  readonly topicSchema: GenMessage<W>;
  /** Path of the id field, for messages. */
  readonly idField: string;
  /** The id, or undefined when a message on the way to it is unset. */
  id(entity: E): I | undefined;
  /** An entity holding only this id (the other fields unset), for deleted(id). */
  fromId(id: I): E;
  /** The entity's columns; the envelope is added by the caller. Throws on invalid values. The reference path. */
  toTopic(entity: E): W;
  /** The topic message in binary, envelope included, written directly; the same bytes as toBinary of toTopic's message. */
  writeBinary(writer: ProtoWriter, entity: E, envelope: Envelope): void;
  /** The entity read directly from the topic message in binary, up to `end`; the envelope into `envelope`. Throws DecodeError. */
  readBinary(reader: BinaryReader, end: number, envelope: ReadEnvelope): E;
  /** The entity back from the columns. Throws DecodeError. */
  fromTopic(message: W): E;
  /** The topic message in protobuf JSON (.proto field names), written directly; the same text as toJsonString of toTopic's message read back from its binary. */
  writeJson(writer: JsonWriter, entity: E, envelope: Envelope): void;
  /** The entity read directly from the topic message parsed from JSON; the envelope into `envelope`. Throws DecodeError, or an Error that decodeEvent reports as one. */
  readJson(json: JsonValue, envelope: ReadEnvelope): E;
}

/** The envelope fields of an event. */
export interface Envelope {
  readonly eventId: string;
  readonly operation: string;
  /** Microseconds since the epoch. */
  readonly occurredAt: bigint;
}

/** The envelope fields as read from a received message, each possibly missing. */
export interface ReadEnvelope {
  eventId?: string;
  operation?: string;
  occurredAt?: bigint;
}

/** Everything an event holds, built once: the event is immutable. */
export interface EventState<E extends Message, W extends TopicEnvelope, I> {
  readonly entity: E;
  readonly envelope: Envelope;
  /** The topic message in binary, written when the event was created (undefined for a received event). */
  readonly data: Uint8Array | undefined;
  /** The topic message a received event was decoded from (undefined for a created event). */
  readonly message: W | undefined;
  readonly id: I;
  readonly orderingKey: string;
  /** Created or decoded by the reference path (the tests' REFERENCE_PATH), which later encodings keep to. */
  readonly reference?: boolean;
}

/**
 * One event of an entity: the envelope and the entity, converted and validated when the event is
 * created. Later changes to the entity object do not change the event's message.
 */
export abstract class EntityEvent<E extends Message, W extends TopicEnvelope, I> {
  readonly #codec: EventCodec<E, W, I>;
  readonly #state: EventState<E, W, I>;

  protected constructor(codec: EventCodec<E, W, I>, state: EventState<E, W, I>) {
    this.#codec = codec;
    this.#state = state;
  }

  get eventId(): string {
    return this.#state.envelope.eventId;
  }

  get operation(): Operation {
    return this.#state.envelope.operation as Operation;
  }

  /** When the change happened, to the microsecond (as the topic carries it). */
  get occurredAt(): Timestamp {
    return timestampFromMicros(this.#state.envelope.occurredAt);
  }

  /** The entity, as passed to the factory or decoded. */
  get entity(): E {
    return this.#state.entity;
  }

  /** The entity id, also the message's ordering key. */
  get id(): I {
    return this.#state.id;
  }

  /** The argument of topic.publishMessage(): data in the topic's schema, attributes, ordering key. */
  toPubSubMessage(options?: ToPubSubMessageOptions): PubSubMessage {
    const codec = this.#codec;
    const { data: written, message: received, envelope } = this.#state;
    const encoding = options?.encoding ?? codec.encoding;
    let data: Uint8Array;
    if (received !== undefined) {
      // A received event read by the reference path: its topic message, serialized by reflection.
      data = encodeData(codec.entity, codec.topicSchema, received, encoding);
    } else if (encoding === "json") {
      if (written !== undefined && this.#state.reference) {
        data = encodeData(codec.entity, codec.topicSchema, fromBinary(codec.topicSchema, written), encoding);
      } else {
        // Written directly from the entity, validated when the event was created (or decoded).
        const writer = new JsonWriter();
        codec.writeJson(writer, this.#state.entity, envelope);
        data = utf8Encoder.encode(writer.finish());
      }
    } else if (written !== undefined) {
      data = encoding === "binary" ? written.slice() : encodeData(codec.entity, codec.topicSchema, fromBinary(codec.topicSchema, written), encoding);
    } else {
      // A received event read by a direct decoder: written again from its entity.
      const writer = new ProtoWriter();
      codec.writeBinary(writer, this.#state.entity, envelope);
      const bytes = writer.finish();
      data = encoding === "binary" ? bytes : encodeData(codec.entity, codec.topicSchema, fromBinary(codec.topicSchema, bytes), encoding);
    }
    return this.#message(data, envelope, options);
  }

  #message(data: Uint8Array, envelope: Envelope, options: ToPubSubMessageOptions | undefined): PubSubMessage {
    const codec = this.#codec;
    if (data.byteLength > PUBSUB_LIMITS.maxDataBytes) {
      throw new MessageTooLargeError(
        codec.entity,
        undefined,
        "the encoded message has " + data.byteLength + " bytes; Pub/Sub accepts at most " + PUBSUB_LIMITS.maxDataBytes + " bytes of data",
      );
    }
    const attributes: Record<string, string> = {
      entity: codec.entity,
      operation: envelope.operation,
      event_id: envelope.eventId,
      schema: codec.schema,
    };
    if (options?.attributes !== undefined) addAttributes(codec.entity, attributes, options.attributes);
    return { data, attributes, orderingKey: this.#state.orderingKey };
  }
}

function encodeData<W extends TopicEnvelope>(entity: string, schema: GenMessage<W>, message: W, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case "binary":
      return toBinary(schema, message);
    case "json":
      return utf8Encoder.encode(toJsonString(schema, message, { useProtoFieldName: true }));
    default:
      throw new InvalidValueError(entity, undefined, "unknown encoding " + JSON.stringify(encoding) + "; use \"binary\" or \"json\", as set on the topic");
  }
}

function addAttributes(entity: string, into: Record<string, string>, extra: Readonly<Record<string, string>>): void {
  const keys = Object.keys(extra);
  if (keys.length + EVENT_ATTRIBUTES.length > PUBSUB_LIMITS.maxAttributes) {
    throw new AttributeLimitError(entity, undefined, (keys.length + EVENT_ATTRIBUTES.length) + " attributes; Pub/Sub accepts at most " + PUBSUB_LIMITS.maxAttributes + " (" + EVENT_ATTRIBUTES.length + " are the event's own)");
  }
  for (const key of keys) {
    const value = extra[key];
    const where = "attribute " + JSON.stringify(key);
    if ((EVENT_ATTRIBUTES as readonly string[]).includes(key)) {
      throw new AttributeLimitError(entity, undefined, where + " is set by the event itself");
    }
    if (key === "" || key.startsWith("goog")) {
      throw new AttributeLimitError(entity, undefined, where + ": Pub/Sub refuses empty keys and keys starting with \"goog\"");
    }
    if (typeof value !== "string") {
      throw new AttributeLimitError(entity, undefined, where + ": the value must be a string");
    }
    const keyBytes = utf8Length(key);
    if (keyBytes > PUBSUB_LIMITS.maxAttributeKeyBytes) {
      throw new AttributeLimitError(entity, undefined, where + ": the key has " + keyBytes + " bytes; Pub/Sub accepts at most " + PUBSUB_LIMITS.maxAttributeKeyBytes);
    }
    const valueBytes = utf8Length(value);
    if (valueBytes > PUBSUB_LIMITS.maxAttributeValueBytes) {
      throw new AttributeLimitError(entity, undefined, where + ": the value has " + valueBytes + " bytes; Pub/Sub accepts at most " + PUBSUB_LIMITS.maxAttributeValueBytes);
    }
    into[key] = value;
  }
}

/** Builds and validates a new event; called by the generated factories. */
export function newEvent<E extends Message, W extends TopicEnvelope, I>(
  codec: EventCodec<E, W, I>,
  operation: Operation,
  entity: E,
  options: EventOptions | undefined,
): EventState<E, W, I> {
  if (entity === null || typeof entity !== "object" || entity.$typeName !== codec.entity) {
    throw new InvalidValueError(codec.entity, undefined, "expected " + withArticle(codec.entity) + " message, got " + describeValue(entity) + hintFor(codec, entity));
  }
  const id = codec.id(entity);
  const orderingKey = orderingKeyOf(codec, id, MissingIdError);
  const eventId = options?.eventId ?? platform.crypto.randomUUID();
  checkEventId(codec.entity, eventId, InvalidValueError);
  const occurredAt = options?.occurredAt === undefined ? BigInt(Date.now()) * 1000n : occurredAtMicros(codec.entity, options.occurredAt);
  const envelope: Envelope = { eventId, operation, occurredAt };
  if (referencePath(options)) {
    const message = Object.assign(codec.toTopic(entity), envelope);
    return { entity, envelope, data: toBinary(codec.topicSchema, message), message: undefined, id: id as I, orderingKey, reference: true };
  }
  const writer = new ProtoWriter();
  codec.writeBinary(writer, entity, envelope);
  return { entity, envelope, data: writer.finish(), message: undefined, id: id as I, orderingKey };
}

/**
 * deleted()'s argument as an entity: an id (string, number or bigint) becomes an entity holding
 * only that id; anything else goes on as the entity's last state, checked by newEvent().
 */
export function entityOrId<E extends Message, I>(codec: { fromId(id: I): E }, value: E | I): E {
  const type = typeof value;
  return type === "string" || type === "number" || type === "bigint" ? codec.fromId(value as I) : (value as E);
}

/** Decodes a received message; called by the generated fromPubSubMessage. */
export function decodeEvent<E extends Message, W extends TopicEnvelope, I>(
  codec: EventCodec<E, W, I>,
  received: ReceivedPubSubMessage,
  options: FromPubSubMessageOptions | undefined,
): EventState<E, W, I> {
  const fail = (problem: string, field?: string) => new DecodeError(codec.entity, field, problem);
  const attributes = received.attributes ?? {};
  const schema = attributes["schema"];
  if (schema !== undefined && schema !== codec.schema) {
    throw fail("the message's schema attribute is " + JSON.stringify(schema) + ", not " + codec.schema);
  }
  const entity = attributes["entity"];
  if (entity !== undefined && entity !== codec.entity) {
    throw fail("the message's entity attribute is " + JSON.stringify(entity));
  }
  const data = received.data;
  if (data === undefined || data === null) throw fail("the message has no data");
  const { encoding, chosenBy } = receivedEncoding(codec, attributes, options);
  let message: W | undefined;
  let decoded: E | undefined;
  const read: ReadEnvelope = {};
  try {
    if (encoding === "binary") {
      if (typeof data === "string") throw new Error("binary data must be bytes, not a string");
      if (referencePath(options)) message = fromBinary(codec.topicSchema, data);
      else decoded = codec.readBinary(new BinaryReader(data), data.byteLength, read);
    } else if (encoding === "json") {
      const text = typeof data === "string" ? data : utf8Decoder.decode(data);
      if (referencePath(options)) message = fromJsonString(codec.topicSchema, text, { ignoreUnknownFields: true });
      else decoded = codec.readJson(parseJsonText(text, codec.schema), read);
    } else {
      throw new Error("unknown encoding " + JSON.stringify(encoding) + "; use \"binary\" or \"json\"");
    }
  } catch (error) {
    if (error instanceof EntityEventError) throw error;
    const other = encoding === "binary" ? "json" : "binary";
    throw fail(
      "not " + withArticle(codec.schema) + " message when read as " + encoding + " (" + chosenBy + "): " + parseProblem(encoding, error) +
        "; if the message was published in " + other + ", pass { encoding: \"" + other + "\" }",
    );
  }
  const envelope = message === undefined ? read : { eventId: own(message, "eventId"), operation: own(message, "operation"), occurredAt: own(message, "occurredAt") };
  const eventId = envelope.eventId;
  if (eventId === undefined) throw fail("the event id is missing", "event_id");
  checkEventId(codec.entity, eventId, DecodeError);
  const operation = envelope.operation;
  if (operation === undefined || !(OPERATIONS as readonly string[]).includes(operation)) {
    throw fail("operation " + JSON.stringify(operation) + " is not one of " + OPERATIONS.join(", "), "operation");
  }
  const occurredAt = envelope.occurredAt;
  if (occurredAt === undefined) throw fail("occurred_at is missing", "occurred_at");
  checkMicros(codec.entity, "occurred_at", occurredAt, DecodeError);
  const result = decoded ?? codec.fromTopic(message as W);
  const id = codec.id(result);
  const orderingKey = orderingKeyOf(codec, id, DecodeError);
  return { entity: result, envelope: { eventId, operation, occurredAt }, data: undefined, message, id: id as I, orderingKey };
}

type ErrorClass = new (entity: string, field: string | undefined, problem: string) => EntityEventError;

function orderingKeyOf(codec: { readonly entity: string; readonly idField: string }, id: unknown, missing: ErrorClass): string {
  if (id === undefined || id === "" || id === 0 || id === 0n) {
    throw new missing(codec.entity, codec.idField, "the entity id is missing; every event needs it as its ordering key and to identify the row");
  }
  const key = String(id);
  // A UTF-16 unit is at most 3 UTF-8 bytes: short keys need no counting.
  const bytes = key.length * 3 <= PUBSUB_LIMITS.maxOrderingKeyBytes ? 0 : utf8Length(key);
  if (bytes > PUBSUB_LIMITS.maxOrderingKeyBytes) {
    throw new OrderingKeyLimitError(codec.entity, codec.idField, "the id is the ordering key and has " + bytes + " bytes; Pub/Sub accepts at most " + PUBSUB_LIMITS.maxOrderingKeyBytes);
  }
  return key;
}

function checkEventId(entity: string, eventId: string, invalid: ErrorClass): void {
  if (typeof eventId !== "string" || eventId === "") {
    throw new invalid(entity, "event_id", "the event id must be a non-empty string");
  }
  const bytes = eventId.length * 3 <= PUBSUB_LIMITS.maxAttributeValueBytes ? 0 : utf8Length(eventId);
  if (bytes > PUBSUB_LIMITS.maxAttributeValueBytes) {
    throw new AttributeLimitError(entity, "event_id", "the event id is an attribute value and has " + bytes + " bytes; Pub/Sub accepts at most " + PUBSUB_LIMITS.maxAttributeValueBytes);
  }
}

function occurredAtMicros(entity: string, value: Date | Timestamp): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new TimestampRangeError(entity, "occurred_at", "the date is invalid");
    const micros = BigInt(ms) * 1000n;
    checkMicros(entity, "occurred_at", micros, TimestampRangeError);
    return micros;
  }
  return timestampMicros(value, entity, "occurred_at");
}

// ---------------------------------------------------------------------------------------------
// Helpers for generated code

/**
 * The value of a field with explicit presence, or undefined when it is unset. Protobuf-ES keeps
 * proto2 and editions defaults on the prototype, so only own properties are set values.
 */
export function own<T extends object, K extends keyof T>(message: T, key: K): T[K] | undefined {
  return Object.prototype.hasOwnProperty.call(message, key) ? message[key] : undefined;
}

/** A proto2 required field must be set, as protobuf itself requires. */
export function required<T>(value: T | undefined, entity: string, field: string): T {
  if (value === undefined) throw new InvalidValueError(entity, field, "the field is required but not set");
  return value;
}

export function copyBytes(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/** Map entries in the object's key order. Protobuf-ES keys maps by strings at runtime. */
export function mapEntries<M extends object, T>(map: M, entry: (key: string, value: M[keyof M]) => T): T[] {
  const keys = Object.keys(map);
  const out = new Array<T>(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = entry(keys[i] as string, map[keys[i] as keyof M]);
  return out;
}

/** One map entry into a map read from the wire; a later entry with the same key wins, as in protobuf. */
export function setEntry<V>(map: { [key: string]: V }, key: string, value: V): void {
  if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** The map back from its entries; a later entry with the same key wins, as in protobuf. */
export function entriesMap<T, V>(entries: readonly T[], entry: (e: T) => readonly [PropertyKey, V]): { [key: string]: V } {
  const out: { [key: string]: V } = {};
  for (const e of entries) {
    const [key, value] = entry(e);
    if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key as string] = value;
  }
  return out;
}

/** A map entry's key or value, which our producer always sets. */
export function entryPart<T>(value: T | undefined, entity: string, field: string): T {
  if (value === undefined) throw new DecodeError(entity, field, "a map entry lacks its key or value");
  return value;
}

/** Decoding sets one member of a oneof; a second one means the message is not ours. */
export function oneofFree(current: string | undefined, entity: string, field: string): void {
  if (current !== undefined) throw new DecodeError(entity, field, "more than one member of the oneof is set (" + current + " too)");
}

export function enumName(schema: GenEnum<number>, value: number): string {
  const known = schema.value[value];
  return known === undefined ? String(value) : known.name;
}

export function enumNumber<T extends number>(schema: GenEnum<T>, name: string, entity: string, field: string): T {
  const known = schema.values.find((v) => v.name === name);
  if (known !== undefined) return known.number as T;
  if (/^-?[0-9]+$/.test(name)) {
    const n = Number(name);
    if (Number.isSafeInteger(n) && n >= -2147483648 && n <= 2147483647) return n as T;
  }
  throw new DecodeError(entity, field, "the name is not a value of " + schema.typeName);
}

// Timestamps: int64 microseconds since the epoch, within BigQuery's TIMESTAMP range.

const MIN_SECONDS = -62135596800n; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253402300799n; // 9999-12-31T23:59:59Z
const MIN_MICROS = MIN_SECONDS * 1000000n;
const MAX_MICROS = MAX_SECONDS * 1000000n + 999999n;
const TIMESTAMP_RANGE = "BigQuery's TIMESTAMP holds 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";

export function timestampMicros(value: { readonly seconds: bigint; readonly nanos: number }, entity: string, field: string): bigint {
  const { seconds, nanos } = value;
  if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999999999) {
    throw new TimestampRangeError(entity, field, "nanos is not between 0 and 999,999,999");
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new TimestampRangeError(entity, field, "the timestamp is out of range; " + TIMESTAMP_RANGE);
  }
  return seconds * 1000000n + BigInt(Math.floor(nanos / 1000));
}

function checkMicros(entity: string, field: string, micros: bigint, invalid: ErrorClass): void {
  if (micros < MIN_MICROS || micros > MAX_MICROS) {
    throw new invalid(entity, field, "the timestamp is out of range; " + TIMESTAMP_RANGE);
  }
}

export function timestampFromMicros(micros: bigint): Timestamp {
  const seconds = floorDiv(micros, 1000000n);
  return create(TimestampSchema, { seconds, nanos: Number(micros - seconds * 1000000n) * 1000 });
}

export function timestampFromTopic(micros: bigint, entity: string, field: string): Timestamp {
  checkMicros(entity, field, micros, DecodeError);
  return timestampFromMicros(micros);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

// Exact decimals: Duration seconds, Money amounts, Decimal values.

const MAX_DURATION_SECONDS = 315576000000n;
const SECONDS_AND_NANOS = /^(-)?([0-9]+)(?:\.([0-9]{1,9}))?$/;

function unitsAndNanosText(units: bigint, nanos: number): string {
  const negative = units < 0n || nanos < 0;
  const whole = units < 0n ? -units : units;
  const fraction = Math.abs(nanos);
  const text = fraction === 0 ? String(whole) : String(whole) + "." + String(fraction).padStart(9, "0").replace(/0+$/, "");
  return negative ? "-" + text : text;
}

function unitsAndNanosProblem(units: bigint, nanos: number): string | undefined {
  if (!Number.isInteger(nanos) || nanos <= -1000000000 || nanos >= 1000000000) return "nanos is not between -999,999,999 and 999,999,999";
  if ((units > 0n && nanos < 0) || (units < 0n && nanos > 0)) return "units and nanos have different signs";
  return undefined;
}

function parseUnitsAndNanos(text: string): { units: bigint; nanos: number } | undefined {
  const match = SECONDS_AND_NANOS.exec(text);
  if (match === null) return undefined;
  const sign = match[1] === undefined ? 1 : -1;
  const units = BigInt(match[2] as string);
  const nanos = match[3] === undefined ? 0 : Number((match[3] as string).padEnd(9, "0"));
  return { units: sign < 0 ? -units : units, nanos: sign < 0 && nanos !== 0 ? -nanos : nanos };
}

export function durationSeconds(value: { readonly seconds: bigint; readonly nanos: number }, entity: string, field: string): string {
  const problem = unitsAndNanosProblem(value.seconds, value.nanos);
  if (problem !== undefined) throw new InvalidValueError(entity, field, "invalid duration: " + problem);
  if (value.seconds > MAX_DURATION_SECONDS || value.seconds < -MAX_DURATION_SECONDS) {
    throw new InvalidValueError(entity, field, "the duration is beyond protobuf's 10,000 years");
  }
  return unitsAndNanosText(value.seconds, value.nanos);
}

export function durationFromTopic(text: string, entity: string, field: string): Duration {
  const parsed = parseUnitsAndNanos(text);
  if (parsed === undefined) throw new DecodeError(entity, field, "the text is not a number of seconds");
  return create(DurationSchema, { seconds: parsed.units, nanos: parsed.nanos });
}

const INT64_MAX = 9223372036854775807n;

export function moneyAmount(value: { readonly units: bigint; readonly nanos: number }, entity: string, field: string): string {
  const problem = unitsAndNanosProblem(value.units, value.nanos);
  if (problem !== undefined) throw new InvalidValueError(entity, field, "invalid money amount: " + problem);
  return unitsAndNanosText(value.units, value.nanos);
}

export function moneyFromTopic(
  value: { readonly currencyCode?: string; readonly amount?: string },
  entity: string,
  field: string,
): { currencyCode: string; units: bigint; nanos: number } {
  const amount = own(value, "amount");
  const parsed = amount === undefined ? undefined : parseUnitsAndNanos(amount);
  if (parsed === undefined || parsed.units > INT64_MAX || parsed.units < -INT64_MAX - 1n) {
    throw new DecodeError(entity, field, "the amount is missing or not a money amount (at most 9 decimals)");
  }
  return { currencyCode: own(value, "currencyCode") ?? "", units: parsed.units, nanos: parsed.nanos };
}

const PLAIN_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const DECIMAL = /^([+-])?([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
/** BIGNUMERIC: up to 38 digits before the point and 38 after. */
const MAX_DECIMAL_DIGITS = 38;

/**
 * google.type.Decimal's text as BIGNUMERIC text. Plain decimals pass unchanged (trailing zeros
 * kept); exponents and leading "+" or "." are rewritten to plain form.
 */
export function decimalText(value: string, entity: string, field: string): string {
  let sign = "";
  let whole: string;
  let fraction: string;
  if (PLAIN_DECIMAL.test(value)) {
    const point = value.indexOf(".");
    whole = value.slice(value.startsWith("-") ? 1 : 0, point < 0 ? undefined : point);
    fraction = point < 0 ? "" : value.slice(point + 1);
    checkDecimalDigits(whole, fraction, entity, field);
    return value;
  }
  const match = DECIMAL.exec(value);
  if (match === null || ((match[2] ?? "") === "" && (match[3] ?? "") === "")) {
    throw new InvalidValueError(entity, field, "the text is not a decimal number");
  }
  sign = match[1] === "-" ? "-" : "";
  const digits = (match[2] ?? "") + (match[3] ?? "");
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  let point = (match[2] ?? "").length + exponent;
  if (!Number.isSafeInteger(point) || Math.abs(point) > 1000) {
    throw new InvalidValueError(entity, field, "the decimal has an exponent beyond what BIGNUMERIC holds");
  }
  let padded = digits;
  if (point < 0) {
    padded = "0".repeat(-point) + padded;
    point = 0;
  }
  if (point > padded.length) padded = padded + "0".repeat(point - padded.length);
  whole = padded.slice(0, point).replace(/^0+(?=[0-9])/, "") || "0";
  fraction = padded.slice(point);
  checkDecimalDigits(whole, fraction, entity, field);
  return sign + whole + (fraction === "" ? "" : "." + fraction);
}

function checkDecimalDigits(whole: string, fraction: string, entity: string, field: string): void {
  if (whole.replace(/^0+/, "").length > MAX_DECIMAL_DIGITS || fraction.length > MAX_DECIMAL_DIGITS) {
    throw new InvalidValueError(entity, field, "the decimal does not fit BIGNUMERIC (38 digits before and 38 after the point)");
  }
}

// Civil dates and times: DATE as days since 1970-01-01, TIME and DATETIME as text.

const MS_PER_DAY = 86400000;

function civilDay(year: number, month: number, day: number): number | undefined {
  if (![year, month, day].every(Number.isInteger) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.getTime() / MS_PER_DAY;
}

function civilDate(days: number): { year: number; month: number; day: number } {
  const date = new Date(days * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function dateText(year: number, month: number, day: number): string {
  return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2);
}

export function dateDays(value: { readonly year: number; readonly month: number; readonly day: number }, entity: string, field: string): number {
  const days = civilDay(value.year, value.month, value.day);
  if (days === undefined) {
    throw new InvalidValueError(entity, field, "the date is not a full calendar date within BigQuery's DATE range, 0001-01-01 to 9999-12-31");
  }
  return days;
}

export function dateFromTopic(days: number, entity: string, field: string): { year: number; month: number; day: number } {
  const date = civilDate(days);
  if (civilDay(date.year, date.month, date.day) !== days) throw new DecodeError(entity, field, "the day is outside BigQuery's DATE range");
  return date;
}

interface ClockTime {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly nanos: number;
}

function clockProblem(t: ClockTime): string | undefined {
  const ok = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max;
  if (!ok(t.hours, 23) || !ok(t.minutes, 59) || !ok(t.seconds, 59) || !ok(t.nanos, 999999999)) {
    return "the time is not a time of day BigQuery's TIME holds (00:00:00 to 23:59:59.999999)";
  }
  return undefined;
}

function clockText(t: ClockTime): string {
  return pad(t.hours, 2) + ":" + pad(t.minutes, 2) + ":" + pad(t.seconds, 2) + "." + pad(Math.floor(t.nanos / 1000), 6);
}

const CLOCK = "([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,6}))?";
const TIME_TEXT = new RegExp("^" + CLOCK + "$");
const DATETIME_TEXT = new RegExp("^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]" + CLOCK + "$");

function clockFrom(parts: readonly (string | undefined)[]): { hours: number; minutes: number; seconds: number; nanos: number } {
  return {
    hours: Number(parts[0]),
    minutes: Number(parts[1]),
    seconds: Number(parts[2]),
    nanos: parts[3] === undefined ? 0 : Number(parts[3].padEnd(6, "0")) * 1000,
  };
}

export function timeOfDayText(value: ClockTime, entity: string, field: string): string {
  const problem = clockProblem(value);
  if (problem !== undefined) throw new InvalidValueError(entity, field, problem);
  return clockText(value);
}

export function timeOfDayFromTopic(text: string, entity: string, field: string): { hours: number; minutes: number; seconds: number; nanos: number } {
  const match = TIME_TEXT.exec(text);
  const time = match === null ? undefined : clockFrom(match.slice(1));
  if (time === undefined || clockProblem(time) !== undefined) throw new DecodeError(entity, field, "the text is not a time of day");
  return time;
}

/** google.type.DateTime as civil time; its time zone or UTC offset is not carried. */
export function dateTimeText(
  value: ClockTime & { readonly year: number; readonly month: number; readonly day: number },
  entity: string,
  field: string,
): string {
  if (civilDay(value.year, value.month, value.day) === undefined) {
    throw new InvalidValueError(entity, field, "the date is not a full calendar date within BigQuery's DATETIME range, 0001-01-01 to 9999-12-31");
  }
  const problem = clockProblem(value);
  if (problem !== undefined) throw new InvalidValueError(entity, field, problem);
  return dateText(value.year, value.month, value.day) + "T" + clockText(value);
}

export function dateTimeFromTopic(
  text: string,
  entity: string,
  field: string,
): { year: number; month: number; day: number; hours: number; minutes: number; seconds: number; nanos: number } {
  const match = DATETIME_TEXT.exec(text);
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const time = clockFrom(match.slice(4));
    if (civilDay(year, month, day) !== undefined && clockProblem(time) === undefined) return { year, month, day, ...time };
  }
  throw new DecodeError(entity, field, "the text is not a civil date and time");
}

// JSON columns.

export function fieldMaskText(value: FieldMask, entity: string, field: string): string {
  try {
    return toJson(FieldMaskSchema, value) as string;
  } catch (error) {
    throw new InvalidValueError(entity, field, "invalid field mask: a path cannot be written in JSON's lowerCamelCase and read back (" + problemOf(error) + ")");
  }
}

export function fieldMaskFromTopic(text: string, entity: string, field: string): FieldMask {
  try {
    return fromJson(FieldMaskSchema, text);
  } catch (error) {
    throw new DecodeError(entity, field, "invalid field mask (" + problemOf(error) + ")");
  }
}

/** google.protobuf.Struct, which Protobuf-ES represents as a plain JSON object. */
export function structText(value: JsonObject, entity: string, field: string): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) throw new InvalidValueError(entity, field, "JSON cannot hold NaN or an infinite number");
    return v;
  });
}

export function structFromTopic(text: string, entity: string, field: string): JsonObject {
  const value = parseJson(text, entity, field);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new DecodeError(entity, field, "expected a JSON object");
  return value;
}

/** Value, ListValue, and messages cut to JSON, in protobuf's JSON mapping with .proto field names. */
export function messageText<T extends Message>(schema: GenMessage<T>, value: T, registry: Registry | undefined, entity: string, field: string): string {
  try {
    return toJsonString(schema, value, { registry, useProtoFieldName: true });
  } catch (error) {
    throw new InvalidValueError(entity, field, "cannot write as JSON (" + problemOf(error) + ")");
  }
}

export function messageFromTopic<T extends Message>(schema: GenMessage<T>, text: string, registry: Registry | undefined, entity: string, field: string): T {
  try {
    return fromJsonString(schema, text, { registry });
  } catch (error) {
    throw new DecodeError(entity, field, "not a " + schema.typeName + " in JSON (" + problemOf(error) + ")");
  }
}

export function valueText(value: Value, entity: string, field: string): string {
  return messageText(ValueSchema, value, undefined, entity, field);
}

export function valueFromTopic(text: string, entity: string, field: string): Value {
  return messageFromTopic(ValueSchema, text, undefined, entity, field);
}

export function listValueText(value: ListValue, entity: string, field: string): string {
  return messageText(ListValueSchema, value, undefined, entity, field);
}

export function listValueFromTopic(text: string, entity: string, field: string): ListValue {
  return messageFromTopic(ListValueSchema, text, undefined, entity, field);
}

/**
 * google.protobuf.Any: its protobuf JSON when the registry knows the packed type, otherwise
 * {"@type": url, "value": base64 of the packed bytes}, which loses nothing either.
 */
export function anyText(value: Any, registry: Registry, entity: string, field: string): string {
  if (value.typeUrl === "" || registry.getMessage(anyTypeName(value.typeUrl)) !== undefined) {
    return messageText(AnySchema, value, registry, entity, field);
  }
  return JSON.stringify({ "@type": value.typeUrl, value: base64Encode(value.value) });
}

export function anyFromTopic(text: string, registry: Registry, entity: string, field: string): Any {
  const json = parseJson(text, entity, field);
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const typeUrl = json["@type"];
    const keys = Object.keys(json);
    if (typeof typeUrl === "string" && registry.getMessage(anyTypeName(typeUrl)) === undefined) {
      const packed = json["value"];
      if (keys.length === 2 && typeof packed === "string") {
        try {
          return create(AnySchema, { typeUrl, value: base64Decode(packed) });
        } catch (error) {
          throw new DecodeError(entity, field, "invalid base64 in Any value (" + problemOf(error) + ")");
        }
      }
      throw new DecodeError(entity, field, "Any of unknown type " + typeUrl + " must be {\"@type\", \"value\"}");
    }
  }
  return messageFromTopic(AnySchema, text, registry, entity, field);
}

function anyTypeName(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
}

function parseJson(text: string, entity: string, field: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new DecodeError(entity, field, "invalid JSON (" + problemOf(error) + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// The topic's binary wire format, written directly by the generated encoders

/**
 * A protobuf binary writer for the generated encoders: one growing buffer, tags as precomputed
 * bytes, and length-delimited fields written in place (the length is patched afterwards, moving
 * the content only when it needs more than one length byte). Writes what @bufbuild/protobuf's
 * toBinary writes for the same values, byte for byte.
 */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  private grow(more: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + more) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A tag of one, two or three bytes, as the generated code precomputes it. */
  t1(a: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = a;
  }

  t2(a: number, b: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    this.buf[this.pos++] = a;
    this.buf[this.pos++] = b;
  }

  t3(a: number, b: number, c: number): void {
    if (this.pos + 3 > this.buf.length) this.grow(3);
    this.buf[this.pos++] = a;
    this.buf[this.pos++] = b;
    this.buf[this.pos++] = c;
  }

  /** Any tag (field numbers beyond three varint bytes). */
  tag(fieldNo: number, wireType: number): void {
    this.uint32(((fieldNo << 3) | wireType) >>> 0);
  }

  uint32(value: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    let v = value >>> 0;
    while (v > 127) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  int32(value: number): void {
    if (value >= 0) this.uint32(value);
    else this.varint64(value | 0, -1);
  }

  sint32(value: number): void {
    this.uint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  bool(value: boolean): void {
    this.t1(value ? 1 : 0);
  }

  fixed32(value: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  sfixed32(value: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.view.setInt32(this.pos, value, true);
    this.pos += 4;
  }

  float(value: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }

  double(value: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  int64(value: bigint): void {
    const v = BigInt.asUintN(64, value);
    this.varint64(Number(v & 0xffffffffn), Number(v >> 32n));
  }

  uint64(value: bigint): void {
    this.int64(value);
  }

  sint64(value: bigint): void {
    this.int64((value << 1n) ^ (value >> 63n));
  }

  fixed64(value: bigint): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  sfixed64(value: bigint): void {
    this.fixed64(value);
  }

  /** A varint of 64 bits given as its low and high 32 bits. */
  private varint64(lo: number, hi: number): void {
    if (this.pos + 10 > this.buf.length) this.grow(10);
    let l = lo >>> 0;
    let h = hi >>> 0;
    while (h > 0 || l > 127) {
      this.buf[this.pos++] = (l & 0x7f) | 0x80;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    this.buf[this.pos++] = l;
  }

  /** A length-prefixed UTF-8 string; ASCII is copied directly, the rest goes through TextEncoder. */
  string(value: string): void {
    const n = value.length;
    if (n < 128) {
      if (this.pos + 1 + n > this.buf.length) this.grow(1 + n);
      const start = this.pos;
      const buf = this.buf;
      let p = start + 1;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          this.pos = start;
          this.bytes(utf8Encoder.encode(value));
          return;
        }
        buf[p++] = c;
      }
      buf[start] = n;
      this.pos = p;
      return;
    }
    this.bytes(utf8Encoder.encode(value));
  }

  bytes(value: Uint8Array): void {
    this.uint32(value.byteLength);
    if (this.pos + value.byteLength > this.buf.length) this.grow(value.byteLength);
    this.buf.set(value, this.pos);
    this.pos += value.byteLength;
  }

  /** Starts a length-delimited field (after its tag); returns what end() needs. */
  begin(): number {
    this.t1(0);
    return this.pos;
  }

  /** Ends a length-delimited field: writes its length before the content. */
  end(start: number): void {
    const length = this.pos - start;
    if (length < 128) {
      this.buf[start - 1] = length;
      return;
    }
    let size = 1;
    for (let v = length >>> 7; v > 0; v >>>= 7) size++;
    if (this.pos + size - 1 > this.buf.length) this.grow(size - 1);
    this.buf.copyWithin(start + size - 1, start, this.pos);
    let p = start - 1;
    let v = length;
    while (v > 127) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    this.pos += size - 1;
  }

  /** The bytes written, as a new array the caller owns. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

// ---------------------------------------------------------------------------------------------
// The topic's JSON encoding, written and read directly by the generated JSON codecs

/**
 * Writes the topic message's protobuf JSON for the generated encoders: keys as the generated code
 * precomputes them (`"field":`, .proto names), values formatted as toJsonString formats the value
 * the binary encoding carries, so that the text equals the reference path's (toJsonString of the
 * topic message read back from its bytes): 32-bit integers wrapped to their type, floats rounded to
 * 32 bits, 64-bit integers as strings, NaN and infinities as strings, -0 as 0, bytes in standard
 * base64, and strings as UTF-8 carries them (a lone surrogate becomes U+FFFD). Method names are
 * ProtoWriter's, so that both writers are printed from one table of scalar types.
 */
export class JsonWriter {
  private text = "";
  /** Whether the object or list being written has a member already (the next one needs a comma). */
  private more = false;

  /** A key of the object being written, `"name":` as generated. */
  key(quotedKey: string): void {
    if (this.more) this.text += ",";
    else this.more = true;
    this.text += quotedKey;
  }

  /** An element of the list being written. */
  item(): void {
    if (this.more) this.text += ",";
    else this.more = true;
  }

  open(): void {
    this.text += "{";
    this.more = false;
  }

  close(): void {
    this.text += "}";
    this.more = true;
  }

  openList(): void {
    this.text += "[";
    this.more = false;
  }

  closeList(): void {
    this.text += "]";
    this.more = true;
  }

  int32(value: number): void {
    this.text += value | 0;
  }

  sint32(value: number): void {
    this.text += value | 0;
  }

  sfixed32(value: number): void {
    this.text += value | 0;
  }

  uint32(value: number): void {
    this.text += value >>> 0;
  }

  fixed32(value: number): void {
    this.text += value >>> 0;
  }

  int64(value: bigint): void {
    this.text += "\"" + BigInt.asIntN(64, value) + "\"";
  }

  sint64(value: bigint): void {
    this.int64(value);
  }

  sfixed64(value: bigint): void {
    this.int64(value);
  }

  uint64(value: bigint): void {
    this.text += "\"" + BigInt.asUintN(64, value) + "\"";
  }

  fixed64(value: bigint): void {
    this.uint64(value);
  }

  float(value: number): void {
    this.double(Math.fround(value));
  }

  double(value: number): void {
    // String() writes what JSON.stringify writes for a finite number, -0 as "0" included.
    if (Number.isFinite(value)) this.text += String(value);
    else this.text += Number.isNaN(value) ? "\"NaN\"" : value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  }

  bool(value: boolean): void {
    this.text += value ? "true" : "false";
  }

  string(value: string): void {
    this.text += JSON.stringify(SURROGATE.test(value) ? value.replace(LONE_SURROGATES, "\ufffd") : value);
  }

  bytes(value: Uint8Array): void {
    this.text += "\"" + base64Encode(value) + "\"";
  }

  finish(): string {
    return this.text;
  }
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The JSON text of a received message, parsed. Like @bufbuild/protobuf's fromJsonString, it
 * rejects an object that has a key twice (JSON.parse would keep the last one silently). The
 * errors read as protobuf-es's ("cannot decode message X from JSON: ..."), so that decodeEvent
 * reports them alike on both paths.
 */
export function parseJsonText(text: string, typeName: string): JsonValue {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error("cannot decode message " + typeName + " from JSON: " + messageOf(error));
  }
  if (text.indexOf("{") >= 0) checkUniqueKeys(text, typeName);
  return json;
}

/**
 * Throws if an object of the (valid) JSON text has a key twice. Walks the text once: strings are
 * skipped by indexOf, and only the keys of objects are collected.
 */
function checkUniqueKeys(text: string, typeName: string): void {
  /** Per open object its keys, per open list null. */
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = text.indexOf("\"", i + 1);
      while (isEscaped(text, end)) end = text.indexOf("\"", end + 1);
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const raw = text.slice(i + 1, end);
        const name = raw.indexOf("\\") < 0 ? raw : (JSON.parse(text.slice(i, end + 1)) as string);
        if (keys.has(name)) throw new Error("cannot decode message " + typeName + " from JSON: duplicate object key " + JSON.stringify(name));
        keys.add(name);
      }
      expectKey = false;
      i = end;
    } else if (c === 0x7b /* { */) {
      open.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      open.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = open[open.length - 1] != null;
    }
  }
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === 0x5c) n++;
  return n % 2 === 1;
}

/**
 * The checks and conversions of a topic field's JSON value, as @bufbuild/protobuf's fromJson
 * applies them (which values each scalar type accepts, in which forms). `message` and `field` name
 * the topic field (the topic message's full name and the field's .proto name), kept apart so that
 * the generated code does not repeat full names; the errors read as protobuf-es's ("cannot decode
 * field X from JSON: ...").
 */
function jsonFieldError(message: string, field: string, problem: string): Error {
  return new Error("cannot decode field " + message + "." + field + " from JSON: " + problem);
}

/** A message: a JSON object. */
export function jsonObject(json: JsonValue, typeName: string): JsonObject {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error("cannot decode message " + typeName + " from JSON: expected an object");
  }
  return json;
}

/** A repeated field: a JSON array. */
export function jsonList(json: JsonValue, message: string, field: string): JsonValue[] {
  if (!Array.isArray(json)) throw jsonFieldError(message, field, "expected Array");
  return json;
}

/** An element of a list: never null. */
export function jsonItem(json: JsonValue, message: string, field: string): JsonValue {
  if (json === null) throw jsonFieldError(message, field, "list item must not be null");
  return json;
}

/** A field given by its .proto name and its JSON name both. */
export function jsonTwice(message: string, field: string): Error {
  return jsonFieldError(message, field, "set multiple times");
}

/** A 32-bit integer as a number or a decimal string (Number()'s forms, as protobuf-es accepts them). */
function jsonInteger(json: JsonValue, message: string, field: string, min: number, max: number): number {
  let value: unknown = json;
  if (typeof json === "string" && json !== "" && json.trim().length === json.length) value = Number(json);
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw jsonFieldError(message, field, "not an integer in range");
  return value;
}

export function jsonInt32(json: JsonValue, message: string, field: string): number {
  return jsonInteger(json, message, field, -2147483648, 2147483647);
}

export function jsonUint32(json: JsonValue, message: string, field: string): number {
  return jsonInteger(json, message, field, 0, 4294967295);
}

/** A 64-bit integer as a number or a string, in the forms BigInt() accepts. */
function jsonLong(json: JsonValue, message: string, field: string, min: bigint, max: bigint): bigint {
  if (typeof json === "number" || (typeof json === "string" && json.length > 0)) {
    let value: bigint | undefined;
    try {
      value = BigInt(json);
    } catch {
      value = undefined;
    }
    if (value !== undefined && value >= min && value <= max) return value;
  }
  throw jsonFieldError(message, field, "not a 64-bit integer in range");
}

export function jsonInt64(json: JsonValue, message: string, field: string): bigint {
  return jsonLong(json, message, field, -9223372036854775808n, 9223372036854775807n);
}

export function jsonUint64(json: JsonValue, message: string, field: string): bigint {
  return jsonLong(json, message, field, 0n, 18446744073709551615n);
}

/** A double: a finite number, a numeric string, or "NaN", "Infinity", "-Infinity". */
export function jsonDouble(json: JsonValue, message: string, field: string): number {
  if (typeof json === "number") {
    if (Number.isFinite(json)) return json;
  } else if (typeof json === "string") {
    if (json === "NaN") return NaN;
    if (json === "Infinity") return Infinity;
    if (json === "-Infinity") return -Infinity;
    if (json !== "" && json.trim().length === json.length) {
      const value = Number(json);
      if (Number.isFinite(value)) return value;
    }
  }
  throw jsonFieldError(message, field, "not a number");
}

/** A float: a double within float's range (kept as given, as protobuf-es keeps it). */
export function jsonFloat(json: JsonValue, message: string, field: string): number {
  const value = jsonDouble(json, message, field);
  if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) throw jsonFieldError(message, field, "out of range");
  return value;
}

export function jsonBool(json: JsonValue, message: string, field: string): boolean {
  if (typeof json !== "boolean") throw jsonFieldError(message, field, "not a bool");
  return json;
}

/** A string that UTF-8 can carry (no lone surrogate). */
export function jsonString(json: JsonValue, message: string, field: string): string {
  if (typeof json !== "string") throw jsonFieldError(message, field, "not a string");
  if (SURROGATE.test(json) && LONE_SURROGATE.test(json)) throw jsonFieldError(message, field, "invalid UTF8");
  return json;
}

/** Bytes in standard or URL-safe base64, with or without padding. */
export function jsonBytes(json: JsonValue, message: string, field: string): Uint8Array {
  if (typeof json !== "string") throw jsonFieldError(message, field, "not base64 text");
  if (json === "") return new Uint8Array(0);
  try {
    return base64Decode(json);
  } catch (error) {
    throw jsonFieldError(message, field, messageOf(error));
  }
}

// ---------------------------------------------------------------------------------------------
// Publishing

/** What publishEvent() needs of @google-cloud/pubsub's Topic (its Topic fits; the package does not depend on it). */
export interface PublishingTopic {
  publishMessage(message: PubSubMessage): Promise<string>;
  resumePublishing(orderingKey: string): void;
}

/**
 * Publishes an event and returns its message id. When a publish with an ordering key fails,
 * @google-cloud/pubsub pauses the key: every later message of the key fails until the application
 * calls topic.resumePublishing(key). This does that before rethrowing, so that the caller's retry
 * (with the same event, hence the same event_id) can go through.
 */
export async function publishEvent(
  topic: PublishingTopic,
  event: { toPubSubMessage(options?: ToPubSubMessageOptions): PubSubMessage },
  options?: ToPubSubMessageOptions,
): Promise<string> {
  const message = event.toPubSubMessage(options);
  try {
    return await topic.publishMessage(message);
  } catch (error) {
    if (message.orderingKey !== "") topic.resumePublishing(message.orderingKey);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Platform

interface Platform {
  readonly crypto: { randomUUID(): string };
  readonly TextEncoder: new () => { encode(input: string): Uint8Array };
  readonly TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(input: Uint8Array): string };
}

/** Node 20+, Deno, Bun and browsers have these globals; no @types/node needed. */
const platform = globalThis as unknown as Platform;
const utf8Encoder = new platform.TextEncoder();
const utf8Decoder = new platform.TextDecoder("utf-8", { fatal: true });

/** UTF-8 length without encoding; Pub/Sub counts limits in bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The encoding to read a received message in: Pub/Sub's googclient_schemaencoding attribute says
 * how the topic validated it, so it wins; then the caller's choice; then the contract's.
 */
function receivedEncoding(
  codec: { readonly encoding: Encoding },
  attributes: Readonly<Record<string, string>>,
  options: FromPubSubMessageOptions | undefined,
): { encoding: Encoding | string; chosenBy: string } {
  const attribute = attributes["googclient_schemaencoding"];
  if (attribute === "BINARY" || attribute === "JSON") return { encoding: attribute.toLowerCase(), chosenBy: "the message's googclient_schemaencoding attribute" };
  if (options?.encoding !== undefined) return { encoding: options.encoding, chosenBy: "options.encoding" };
  return { encoding: codec.encoding, chosenBy: "the topic's encoding in the contract" };
}

/** "an energy.…", "a meter…": the article that reads right before a name. */
function withArticle(name: string): string {
  return (/^[aeiou]/i.test(name) ? "an " : "a ") + name;
}

/** What a wrong argument is, without printing its contents (which may be personal data). */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const typeName = (value as { $typeName?: unknown }).$typeName;
  if (typeof typeName === "string") return withArticle(typeName) + " message";
  return Array.isArray(value) ? "an array" : "a plain object without $typeName";
}

/** How to make the argument right, when it was not a message at all. */
function hintFor(codec: { readonly entitySchema: string }, value: unknown): string {
  const isMessage = value !== null && typeof value === "object" && typeof (value as { $typeName?: unknown }).$typeName === "string";
  if (isMessage) return "";
  return "; build the entity with create(" + codec.entitySchema + ", { ... }) from @bufbuild/protobuf, which sets $typeName and the defaults";
}

/**
 * What went wrong in a library's error, without the value: protobuf-es and JSON.parse quote the
 * offending value in their messages, and a field may hold personal data. The runtime's errors name
 * entity, field and problem, never a field's value.
 */
function problemOf(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  return name === "Error" ? "rejected by @bufbuild/protobuf" : name;
}

/**
 * Why a message could not be parsed. protobuf-es's binary reader says what is malformed without
 * values; its JSON reader quotes the value after "from JSON:", which is cut off.
 */
function parseProblem(encoding: string, error: unknown): string {
  const message = messageOf(error);
  if (encoding === "binary") return message;
  const cut = message.indexOf(" from JSON");
  return cut < 0 ? problemOf(error) : message.slice(0, cut + " from JSON".length);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
