/**
 * The response's parts as the executable writes them: a file's part is encoded by hand, and must be
 * the bytes @bufbuild/protobuf writes for the same file, whatever its name and content (empty,
 * multi-byte UTF-8, lone surrogates, lengths that need one to four varint bytes).
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { capabilitiesPart, filePart, filePartInto, responseOf } from "../../plugin/src/protocol/response.js";

function reference(name: string, content: string): Uint8Array {
  return toBinary(CodeGeneratorResponseSchema, create(CodeGeneratorResponseSchema, { file: [{ name, content }] }));
}

describe("filePart", () => {
  const cases: [string, string, string][] = [
    ["an empty file", "empty.txt", ""],
    ["ASCII", "lookml/user.view.lkml", "view: user {\n}\n"],
    ["multi-byte UTF-8 in name and content", "catalog/entités/Zähler.html", "Größe 📈 – 値"],
    ["a lone surrogate (written as U+FFFD by both)", "odd.txt", "a\ud800b"],
    ["content of 127 and 128 bytes (one and two varint bytes)", "edge.txt", "x".repeat(127)],
    ["content of 128 bytes", "edge.txt", "x".repeat(128)],
    ["content of 16,384 bytes (three varint bytes)", "edge.txt", "y".repeat(16_384)],
    ["content of 2,097,152 bytes (four varint bytes)", "edge.txt", "z".repeat(2_097_152)],
    ["a name of 200 bytes", `${"n".repeat(196)}.txt`, "content"],
  ];
  for (const [what, name, content] of cases) {
    it(`writes the bytes toBinary writes: ${what}`, () => {
      expect(Buffer.compare(filePart({ name, content }), reference(name, content))).toBe(0);
    });
  }

  it("makes, after the capabilities, the bytes of the whole response", () => {
    const files = [
      { name: "a.txt", content: "first" },
      { name: "b/ü.txt", content: "" },
      { name: "c.txt", content: "third\n".repeat(1000) },
    ];
    const streamed = Buffer.concat([capabilitiesPart(), ...files.map(filePart)]);
    const whole = responseOf(files);
    expect(Buffer.compare(streamed, toBinary(CodeGeneratorResponseSchema, whole))).toBe(0);
    expect(fromBinary(CodeGeneratorResponseSchema, streamed)).toEqual(whole);
  });

  it("writes a part into a reused buffer when it fits, and into a new one when it does not", () => {
    const scratch = Buffer.alloc(64, 0xff);
    const small = filePartInto({ name: "a.txt", content: "fits" }, scratch);
    expect(small.buffer).toBe(scratch.buffer);
    expect(Buffer.compare(small, reference("a.txt", "fits"))).toBe(0);
    // The next part overwrites the first one's bytes: only the part just made is valid.
    const next = filePartInto({ name: "b.txt", content: "also" }, scratch);
    expect(Buffer.compare(next, reference("b.txt", "also"))).toBe(0);
    const large = filePartInto({ name: "c.txt", content: "x".repeat(100) }, scratch);
    expect(large.buffer).not.toBe(scratch.buffer);
    expect(Buffer.compare(large, reference("c.txt", "x".repeat(100)))).toBe(0);
  });

  it("writes the right bytes when the content only just fits the reused buffer, or only just does not", () => {
    // The content is encoded once into the buffer; a write that ran out of room stops short of a
    // whole character, so every buffer size around the content's UTF-8 length must be right.
    const contents = ["a".repeat(300), "é".repeat(150), "値".repeat(100), "📈".repeat(75), `${"a".repeat(298)}é`, `${"a".repeat(297)}📈`];
    for (const content of contents) {
      const bytes = Buffer.byteLength(content, "utf8");
      const expected = reference("f.txt", content);
      for (let size = bytes; size < bytes + 40; size++) {
        const scratch = Buffer.alloc(size, 0xee);
        const part = filePartInto({ name: "f.txt", content }, scratch);
        expect(Buffer.compare(part, expected), `${content.slice(-3)} in ${size} bytes`).toBe(0);
      }
    }
  });
});
