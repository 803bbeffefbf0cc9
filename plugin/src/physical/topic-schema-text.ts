/** Prints a topic schema as .proto source, the form Pub/Sub accepts as a schema definition. */
import { generatedHeader } from "../printers/header.js";
import { isPacked, type TopicField, type TopicMessage, type TopicSchema } from "./topic-schema.js";

// A schema released with optional envelope fields keeps its text (and so its revision) as it was.
const OPTIONAL_ENVELOPE_NOTE = [
  "// Pub/Sub topic schema: self-contained (no imports), one top-level message, every singular",
  "// field optional so that new schema revisions can add and remove fields.",
];
const REQUIRED_ENVELOPE_NOTE = [
  "// Pub/Sub topic schema: self-contained (no imports), one top-level message. The envelope fields",
  "// are required, so Pub/Sub refuses a message without them (the entity's own message published",
  "// by mistake); every other singular field is optional, so that new revisions can add and remove",
  "// fields. The wire contract for producers: docs/wire-contract.md.",
];

export function printTopicSchema(schema: TopicSchema): string {
  const lines: string[] = [
    `// ${generatedHeader(schema.sourceFile)}`,
    ...(schema.envelope === "required" ? REQUIRED_ENVELOPE_NOTE : OPTIONAL_ENVELOPE_NOTE),
    'syntax = "proto2";',
    "",
    `package ${schema.package};`,
    "",
  ];
  printMessage(schema.message, "", lines);
  return lines.join("\n") + "\n";
}

function printMessage(message: TopicMessage, indent: string, lines: string[]): void {
  printComment(message.description, indent, lines);
  lines.push(`${indent}message ${message.name} {`);
  for (const field of message.fields) printField(field, `${indent}  `, lines);
  for (const nested of message.nested) {
    lines.push("");
    printMessage(nested, `${indent}  `, lines);
  }
  lines.push(`${indent}}`);
}

function printField(field: TopicField, indent: string, lines: string[]): void {
  printComment(field.description, indent, lines);
  const label = field.repeated ? "repeated" : field.required ? "required" : "optional";
  const type = typeof field.type === "string" ? field.type : field.type.message;
  const options = isPacked(field) ? " [packed = true]" : "";
  lines.push(`${indent}${label} ${type} ${field.name} = ${field.number}${options};`);
}

/**
 * Writes text as line comments. A comment ends at a line break, so every line of the text gets
 * its own `//`; other control characters are replaced so that no text can end a comment early.
 */
function printComment(text: string, indent: string, lines: string[]): void {
  if (text === "") return;
  for (const line of text.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    // eslint-disable-next-line no-control-regex
    const safe = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ");
    lines.push(safe === "" ? `${indent}//` : `${indent}// ${safe}`);
  }
}
