/**
 * Publishing with @google-cloud/pubsub's real client against a Publisher service on the loopback
 * interface: after a failed publish with an ordering key, publishEvent() resumes the key (the
 * client pauses it; @google-cloud/pubsub 5.3 drops a paused queue once it has drained, other
 * versions keep it paused until resumePublishing) and the retry goes through; an append-only entity
 * (ordering_key: ORDERING_KEY_NONE) publishes without a key.
 */
import { create } from "@bufbuild/protobuf";
import { PubSub } from "@google-cloud/pubsub";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MeterReadingEvent, MeterReadingSchema, publishEvent, UserEvent, UserSchema } from "../../generated/ts/src/index.js";

/** A Publisher whose Publish answers from a queue of outcomes: an error status, or a message id. */
class LoopbackPublisher {
  readonly server = new grpc.Server();
  readonly outcomes: ("fail" | string)[] = [];
  readonly received: Buffer[] = [];
  port = 0;

  async start(): Promise<void> {
    const raw = (b: Buffer) => b;
    this.server.addService(
      {
        Publish: {
          path: "/google.pubsub.v1.Publisher/Publish",
          requestStream: false,
          responseStream: false,
          requestSerialize: raw,
          requestDeserialize: raw,
          responseSerialize: raw,
          responseDeserialize: raw,
        },
      },
      {
        Publish: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          this.received.push(call.request);
          const outcome = this.outcomes.shift() ?? "fail";
          if (outcome === "fail") {
            callback({ code: grpc.status.INVALID_ARGUMENT, details: "rejected by the test" });
            return;
          }
          // PublishResponse { repeated string message_ids = 1; }
          const id = Buffer.from(outcome);
          callback(null, Buffer.concat([Buffer.from([0x0a, id.length]), id]));
        },
      },
    );
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

let publisher: LoopbackPublisher;
let pubsub: PubSub;

beforeAll(async () => {
  publisher = new LoopbackPublisher();
  await publisher.start();
  pubsub = new PubSub({ projectId: "test-project", apiEndpoint: `127.0.0.1:${publisher.port}`, emulatorMode: true });
});

afterAll(async () => {
  await pubsub?.close();
  publisher?.stop();
});

const user = create(UserSchema, { id: "user-1", email: "ada@example.com" });

describe("publishEvent", () => {
  it("resumes the paused ordering key after a failed publish, so that the retry goes through", async () => {
    const topic = pubsub.topic("user", { messageOrdering: true, batching: { maxMessages: 1 } });
    const event = UserEvent.created(user, { eventId: "event-1" });

    const resumed = vi.spyOn(topic, "resumePublishing");
    publisher.outcomes.push("fail", "message-1");
    await expect(publishEvent(topic, event, { encoding: "binary" })).rejects.toThrow(/rejected by the test/);
    expect(resumed.mock.calls).toEqual([["user-1"]]);
    // The same event again (same event_id): the key is not paused any more.
    await expect(publishEvent(topic, event, { encoding: "binary" })).resolves.toBe("message-1");
    expect(publisher.received).toHaveLength(2);
  });

  it("publishes an append-only entity without an ordering key", async () => {
    const reading = create(MeterReadingSchema, { readingId: "reading-1", meterId: "meter-1" });
    const message = MeterReadingEvent.created(reading).toPubSubMessage({ encoding: "binary" });
    expect(message.orderingKey).toBe("");
    expect(UserEvent.created(user).toPubSubMessage({ encoding: "binary" }).orderingKey).toBe("user-1");

    const topic = pubsub.topic("meter_readings", { messageOrdering: true, batching: { maxMessages: 1 } });
    publisher.outcomes.push("fail", "message-3");
    const event = MeterReadingEvent.created(reading);
    const resumed = vi.spyOn(topic, "resumePublishing");
    await expect(publishEvent(topic, event, { encoding: "binary" })).rejects.toThrow(/rejected by the test/);
    expect(resumed).not.toHaveBeenCalled();
    await expect(publishEvent(topic, event, { encoding: "binary" })).resolves.toBe("message-3");
  });
});
