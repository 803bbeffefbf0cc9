/**
 * The model reads its custom options with messageOption (model/message-option.ts) instead of
 * protobuf-es's getExtension: both must give the same message, also where an option is written in
 * several parts (protobuf merges them: scalars last wins, lists appended) or is absent.
 */
import { create, getExtension, hasExtension, setExtension, toBinary, type Message } from "@bufbuild/protobuf";
import { FieldOptionsSchema, MessageOptionsSchema } from "@bufbuild/protobuf/wkt";
import { WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { EntitySchema, FieldSchema, entity as entityOption, field as fieldOption } from "../../plugin/src/gen/entity/v1/options_pb.js";
import { messageOption } from "../../plugin/src/model/message-option.js";

/** The option's parts as separate occurrences among the options' unknown fields, as a compiler may write them. */
function inParts<T extends Message>(options: T, number: number, parts: readonly Uint8Array[]): T {
  options.$unknown = parts.map((part) => {
    const data = new Uint8Array(part.length + 5);
    let at = 0;
    for (let rest = part.length; ; rest >>>= 7) {
      data[at++] = rest > 0x7f ? (rest & 0x7f) | 0x80 : rest;
      if (rest <= 0x7f) break;
    }
    data.set(part, at);
    return { no: number, wireType: WireType.LengthDelimited, data: data.subarray(0, at + part.length) };
  });
  return options;
}

describe("messageOption", () => {
  it("reads a field's option as getExtension does", () => {
    const options = create(FieldOptionsSchema);
    setExtension(options, fieldOption, create(FieldSchema, { pii: true, column: "renamed", description: "Grüße", measures: [1] }));
    expect(hasExtension(options, fieldOption)).toBe(true);
    expect(messageOption(options, fieldOption)).toEqual(getExtension(options, fieldOption));
    expect(messageOption(options, fieldOption)?.column).toBe("renamed");
  });

  it("merges an option written in several parts, as getExtension does", () => {
    const first = toBinary(FieldSchema, create(FieldSchema, { column: "first", pii: true, measures: [1] }));
    const second = toBinary(FieldSchema, create(FieldSchema, { column: "second", measures: [1] }));
    const options = inParts(create(FieldOptionsSchema), fieldOption.number, [first, second]);
    const expected = getExtension(options, fieldOption);
    expect(expected.column).toBe("second");
    expect(expected.measures).toHaveLength(2);
    expect(messageOption(options, fieldOption)).toEqual(expected);
  });

  it("reads a message's entity option, and nothing where no option or another is set", () => {
    const options = create(MessageOptionsSchema);
    setExtension(options, entityOption, create(EntitySchema, { topic: "orders", idField: "id", clusterBy: ["a", "b"] }));
    expect(messageOption(options, entityOption)).toEqual(getExtension(options, entityOption));
    expect(messageOption(undefined, entityOption)).toBeUndefined();
    expect(messageOption(create(MessageOptionsSchema), entityOption)).toBeUndefined();
    // A field option's number on a message's options is not the entity option.
    expect(messageOption(inParts(create(MessageOptionsSchema), entityOption.number + 1, [new Uint8Array(0)]), entityOption)).toBeUndefined();
    // The option of another extendee is not read from these options.
    const fieldOptions = create(FieldOptionsSchema);
    fieldOptions.$unknown = options.$unknown;
    expect(messageOption(fieldOptions, entityOption)).toBeUndefined();
  });
});
