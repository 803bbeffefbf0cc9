/** Prints a topic schema as .proto source, the form Pub/Sub accepts as a schema definition. */
import { generatedHeader } from "../printers/header.js";
import { isPacked, topicFieldLabelText, topicFieldTypeText, type TopicField, type TopicMessage, type TopicSchema } from "./topic-schema.js";

// A schema released with optional envelope fields keeps its text (and so its revision) as it was.
const OPTIONAL_ENVELOPE_NOTE =
  "// Pub/Sub topic schema: self-contained (no imports), one top-level message, every singular\n" +
  "// field optional so that new schema revisions can add and remove fields.\n";
const REQUIRED_ENVELOPE_NOTE =
  "// Pub/Sub topic schema: self-contained (no imports), one top-level message. The envelope fields\n" +
  "// are required, so Pub/Sub refuses a message without them (the entity's own message published\n" +
  "// by mistake); every other singular field is optional, so that new revisions can add and remove\n" +
  "// fields. The wire contract for producers: docs/wire-contract.md.\n";

/**
 * Printed into one string as it goes (no array of lines joined at the end): the pubsub file and
 * the Terraform module each print every entity's schema, 5 MB a time on the 1,000-entity benchmark
 * (the pubsub check only when topicSchemaSizeBound cannot tell the schema is small enough).
 */
export function printTopicSchema(schema: TopicSchema): string {
  const head =
    `// ${generatedHeader(schema.sourceFile)}\n` +
    (schema.envelope === "required" ? REQUIRED_ENVELOPE_NOTE : OPTIONAL_ENVELOPE_NOTE) +
    `syntax = "proto2";\n\npackage ${schema.package};\n\n`;
  return printMessage(schema.message, "", head);
}

function printMessage(message: TopicMessage, indent: string, text: string): string {
  let out = printComment(message.description, indent, text) + `${indent}message ${message.name} {\n`;
  const inner = `${indent}  `;
  for (const field of message.fields) out = printField(field, inner, out);
  for (const nested of message.nested) out = printMessage(nested, inner, out + "\n");
  return out + `${indent}}\n`;
}

function printField(field: TopicField, indent: string, text: string): string {
  const label = topicFieldLabelText(field);
  const type = topicFieldTypeText(field);
  const options = isPacked(field) ? " [packed = true]" : "";
  return printComment(field.description, indent, text) + `${indent}${label} ${type} ${field.name} = ${field.number}${options};\n`;
}

/**
 * Writes text as line comments. A comment ends at a line break, so every line of the text gets
 * its own `//`; other control characters are replaced so that no text can end a comment early.
 */
function printComment(description: string, indent: string, text: string): string {
  if (description === "") return text;
  // Most descriptions are one line of printable text: written as they are, without a regex pass.
  if (isPlainLine(description)) return text + `${indent}// ${description}\n`;
  let out = text;
  for (const line of description.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    // eslint-disable-next-line no-control-regex
    const safe = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ");
    out += safe === "" ? `${indent}//\n` : `${indent}// ${safe}\n`;
  }
  return out;
}

/** No line break and no character that printComment replaces. */
function isPlainLine(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) return false;
  }
  return true;
}

/**
 * A number of UTF-8 bytes the printed schema cannot exceed, from the lengths of its strings alone
 * (no text printed, no character read): the pubsub check prints a schema to measure it only when
 * this bound passes Pub/Sub's limit, and the file is printed once, when it is written. Every UTF-16
 * unit is at most 3 bytes of UTF-8; a line break in a comment becomes a line of its own, at most
 * `// ` and the indentation more (test/pubsub/topic-schema.test.ts holds it to the printed size).
 */
export function topicSchemaSizeBound(schema: TopicSchema): number {
  const head = 3 * generatedHeader(schema.sourceFile).length + 4 + Math.max(REQUIRED_ENVELOPE_NOTE.length, OPTIONAL_ENVELOPE_NOTE.length) + 3 * schema.package.length + 32;
  return head + messageSizeBound(schema.message, 0);
}

/** The longest line a field's declaration can add beyond its names: label, spaces, `=`, number, packed option, `;`. */
const FIELD_LINE_EXTRA = "repeated".length + 3 + " = ".length + 10 + " [packed = true]".length + 2;

function messageSizeBound(message: TopicMessage, indent: number): number {
  let bound = commentSizeBound(message.description, indent) + indent + "message  {\n".length + 3 * message.name.length;
  const inner = indent + 2;
  for (const field of message.fields) {
    bound += commentSizeBound(field.description, inner) + inner + FIELD_LINE_EXTRA + 3 * (topicFieldTypeText(field).length + field.name.length);
  }
  for (const nested of message.nested) bound += 1 + messageSizeBound(nested, inner);
  return bound + indent + 2;
}

/** Each unit at most 3 bytes, or a line break that starts a new `// ` line; and the first line's own. */
function commentSizeBound(description: string, indent: number): number {
  if (description === "") return 0;
  const line = indent + "// \n".length;
  return line + description.length * Math.max(3, line);
}
