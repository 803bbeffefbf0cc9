/**
 * Descriptions in the model: where they come from (comments, options), what is dropped, and the
 * 1,024-character cut. The hostile entity checks that text arrives exactly as written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Entity } from "../../plugin/src/model/types.js";
import { HOSTILE_EXPECTED, HOSTILE_PROTO, HOSTILE_PROTO_PATH } from "../support/hostile.js";
import { columnAt, entityNamed, modelOf, proto3 } from "./support.js";

const SOURCE = proto3(`// Things that are described.
// buf:lint:ignore MESSAGE_PASCAL_CASE
message Described {
  option (entity.v1.entity) = {};

  // The id.
  string id = 1;
  string trailing_only = 2; // Said after the field.
  // Said before the field.
  string both = 3; // Said after; not used.
  // First line.
  //
  // Second paragraph, after an empty line.
  string multi_line = 4;
  // Kept line.
  // buf:lint:ignore FIELD_LOWER_SNAKE_CASE
  string lint_directive = 5;
  // buf:lint:ignore FIELD_LOWER_SNAKE_CASE
  string only_directive = 6; // The trailing comment remains.
  // The comment loses to the option.
  string overridden = 7 [(entity.v1.field).description = "From the option."];
  string bare = 8;
  /* Block comment. */
  string block = 9;
  // Nested message field.
  Part part = 10;
}

// A part.
message Part {
  // Inside the part.
  string name = 1;
}

// Comment of the message, overridden.
message WithOption {
  option (entity.v1.entity) = {description: "Description from the entity option."};
  string id = 1;
}
`);

let described: Entity;
let withOption: Entity;

beforeAll(() => {
  const model = modelOf({ "test/v1/described.proto": SOURCE });
  described = entityNamed(model, "Described");
  withOption = entityNamed(model, "WithOption");
});

describe("column descriptions", () => {
  it("come from the field's leading comment", () => {
    expect(columnAt(described, "id").description).toBe("The id.");
    expect(columnAt(described, "both").description).toBe("Said before the field.");
    expect(columnAt(described, "part", "name").description).toBe("Inside the part.");
  });

  it("fall back to the trailing comment", () => {
    expect(columnAt(described, "trailing_only").description).toBe("Said after the field.");
  });

  it("keep line breaks of multi-line comments, without the comment's leading space", () => {
    expect(columnAt(described, "multi_line").description).toBe("First line.\n\nSecond paragraph, after an empty line.");
    expect(columnAt(described, "block").description).toBe("Block comment.");
  });

  it("drop buf:lint: directive lines", () => {
    expect(columnAt(described, "lint_directive").description).toBe("Kept line.");
    expect(described.description).toBe("Things that are described.");
  });

  it("fall back to the trailing comment when the leading one holds only lint directives", () => {
    expect(columnAt(described, "only_directive").description).toBe("The trailing comment remains.");
  });

  it("take the field option description over the comment", () => {
    expect(columnAt(described, "overridden").description).toBe("From the option.");
  });

  it("are empty without comment or option", () => {
    expect(columnAt(described, "bare").description).toBe("");
  });
});

describe("entity descriptions", () => {
  it("come from the message's leading comment", () => {
    expect(described.description).toBe("Things that are described.");
  });

  it("take the entity option description over the comment", () => {
    expect(withOption.description).toBe("Description from the entity option.");
  });
});

describe("hostile text", () => {
  let hostile: Entity;
  beforeAll(() => {
    hostile = entityNamed(modelOf({ [HOSTILE_PROTO_PATH]: HOSTILE_PROTO }), "Hostile");
  });

  it("arrives exactly as written: quotes, backslashes, line breaks, comment markers, non-ASCII", () => {
    expect(hostile.description).toBe(HOSTILE_EXPECTED.entity);
    expect(columnAt(hostile, "id").description).toBe(HOSTILE_EXPECTED.id);
    expect(columnAt(hostile, "quoted").description).toBe(HOSTILE_EXPECTED.quoted);
    expect(columnAt(hostile, "inner", "note").description).toBe(HOSTILE_EXPECTED.innerNote);
  });

  it("is cut to 1,024 characters with the visible marker ' [truncated]'", () => {
    const text = columnAt(hostile, "long_text").description;
    expect(text).toBe(HOSTILE_EXPECTED.longText);
    expect(text).toHaveLength(1024);
    expect(text.endsWith(" [truncated]")).toBe(true);
  });

  it("counts characters, not UTF-16 units, when cutting", () => {
    // 1,024 astral characters fit exactly; 1,025 do not.
    const fits = "🚀".repeat(1024);
    const tooLong = "🚀".repeat(1025);
    const entity = entityNamed(
      modelOf({
        "test/v1/emoji.proto": proto3(`message Emoji {
  option (entity.v1.entity) = {};
  string id = 1;
  string fits = 2 [(entity.v1.field).description = "${fits}"];
  string too_long = 3 [(entity.v1.field).description = "${tooLong}"];
}
`),
      }),
      "Emoji",
    );
    expect(columnAt(entity, "fits").description).toBe(fits);
    const cut = columnAt(entity, "too_long").description;
    expect(Array.from(cut)).toHaveLength(1024);
    expect(cut).toBe("🚀".repeat(1024 - " [truncated]".length) + " [truncated]");
  });
});
