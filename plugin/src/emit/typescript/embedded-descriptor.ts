/**
 * The topic schema's FileDescriptorProto serialized the way protoc-gen-es embeds its own
 * (`embedFileDesc(topicSchemaDescriptor(schema)).base64()`: no dependencies, no source info,
 * json_name only where it differs from the default), written directly from the physical layer's
 * topic schema. protobuf-es clones the whole descriptor and runs its generic reflective writer,
 * which cost a quarter of the emitter's time on a large run; building the FileDescriptorProto
 * (protobuf-es `create` per field) only to serialize it cost another ~5 % of the render.
 *
 * The bytes follow physical/topic-schema.ts's `topicSchemaDescriptor`: the same descriptor fields,
 * in field-number order as protobuf-es writes them. test/typescript/emitter.test.ts compares them
 * with embedFileDesc of that descriptor for every example entity, both envelopes.
 */
import { FieldDescriptorProto_Type } from "@bufbuild/protobuf/wkt";
import { isPacked, SCALAR_TYPES, topicFieldLabel, type TopicField, type TopicMessage, type TopicSchema } from "../../physical/topic-schema.js";
import { ProtobufWriter, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from "../../printers/protobuf-wire.js";

/** Standard base64 without padding, as protoc-gen-es embeds a file descriptor. */
export function embeddedDescriptorBase64(schema: TopicSchema): string {
  const out = new ProtobufWriter(4096);
  writeFile(out, schema);
  const base64 = out.base64();
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 61 /* = */) end--;
  return base64.slice(0, end);
}

/** FileDescriptorProto: name 1, package 2, message_type 4, syntax 12. */
function writeFile(out: ProtobufWriter, schema: TopicSchema): void {
  const top = schema.message;
  writeString(out, 1, schema.fileName);
  writeString(out, 2, schema.package);
  const start = beginMessage(out, 4);
  // Nested types are named relative to the top-level message (`.pkg.UserEvent.Address`).
  const scope = `.${schema.package}.${top.name}.`;
  writeMessage(out, top, scope);
  out.join(start);
  writeString(out, 12, "proto2");
}

/** DescriptorProto: name 1, field 2, nested_type 3 (only the top-level message has nested types). */
function writeMessage(out: ProtobufWriter, message: TopicMessage, scope: string): void {
  writeString(out, 1, message.name);
  for (const field of message.fields) {
    const start = beginMessage(out, 2);
    writeField(out, field, scope);
    out.join(start);
  }
  for (const nested of message.nested) {
    const start = beginMessage(out, 3);
    writeMessage(out, nested, scope);
    out.join(start);
  }
}

/**
 * FieldDescriptorProto: name 1, number 3, label 4, type 5, type_name 6, options 8. The json_name
 * (10) is the derived one, which embedFileDesc leaves out.
 */
function writeField(out: ProtobufWriter, field: TopicField, scope: string): void {
  writeString(out, 1, field.name);
  writeInt32(out, 3, field.number);
  writeInt32(out, 4, topicFieldLabel(field));
  if (typeof field.type === "string") {
    writeInt32(out, 5, SCALAR_TYPES[field.type]);
  } else {
    writeInt32(out, 5, FieldDescriptorProto_Type.MESSAGE);
    writeString(out, 6, scope + field.type.message);
  }
  if (isPacked(field)) {
    // FieldOptions { packed (2): true }
    const start = beginMessage(out, 8);
    out.tag(2, WIRE_VARINT);
    out.varint(1);
    out.join(start);
  }
}

function writeString(out: ProtobufWriter, fieldNumber: number, text: string): void {
  out.tag(fieldNumber, WIRE_LENGTH_DELIMITED);
  out.string(text);
}

function writeInt32(out: ProtobufWriter, fieldNumber: number, value: number): void {
  out.tag(fieldNumber, WIRE_VARINT);
  out.int32(value);
}

/** The tag of a nested message field; its content follows, then `out.join(start)` puts its length in front. */
function beginMessage(out: ProtobufWriter, fieldNumber: number): number {
  out.tag(fieldNumber, WIRE_LENGTH_DELIMITED);
  return out.fork();
}
