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
 * Printed into one string as it goes (no array of lines joined at the end): the pubsub check, the
 * pubsub file and the Terraform module each print every entity's schema, 5 MB a time on the
 * 1,000-entity benchmark.
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
