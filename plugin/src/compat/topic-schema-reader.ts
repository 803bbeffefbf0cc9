/**
 * The compatibility walk's view of the topic schema the plugin prints (physical/topic-schema.ts),
 * read as the tree it is printed from. It tells what that tree declares, as a compiler would read
 * the printed text: the field's declared type, its label, the nested message a type name refers
 * to. The generation run checks every entity this way; making a FileDescriptorProto of each schema
 * only to read it back cost more than the check itself.
 */
import { SCALAR_TYPES, type TopicField, type TopicMessage, type TopicSchema } from "../physical/topic-schema.js";
import { protoFieldKind } from "./column-types.js";
import type { ResolvedType, TopicSchemaReader } from "./schema-reader.js";

export function topicSchemaReader(schema: TopicSchema): TopicSchemaReader<TopicMessage, TopicField> {
  const top = schema.message;
  const prefix = schema.package === "" ? "" : `${schema.package}.`;
  // Every nested message is declared in the top-level one, and fields name it from there.
  const nested = new Map<string, TopicMessage>();
  for (const message of top.nested) nested.set(message.name, message);
  const resolveType = (field: TopicField): ResolvedType<TopicMessage> => {
    const type = field.type;
    if (typeof type === "string") {
      // Through the descriptor type the schema's descriptor declares for it, so that both readers give the same kind.
      const kind = protoFieldKind(SCALAR_TYPES[type]);
      return kind === undefined ? { unresolved: `type ${type}` } : { kind };
    }
    const message = nested.get(type.message);
    // Spelled as in the descriptor compiled from the text, which qualifies the name.
    return message === undefined ? { unresolved: `message type ".${prefix}${top.name}.${type.message}"` } : { kind: "message", message };
  };
  return {
    fileName: schema.fileName,
    imports: [],
    topLevelTypes: [`message ${top.name}`],
    topLevelMessage: (name) => {
      const bare = name.startsWith(".") ? name.slice(1) : name;
      return bare === top.name || bare === prefix + top.name ? top : undefined;
    },
    fields: (message) => message.fields,
    fieldName: (field) => field.name,
    isRepeated: (field) => field.repeated,
    // The printer writes `repeated` for a repeated field whatever `required` says.
    isRequired: (field) => field.required && !field.repeated,
    // The printed schema declares no oneof.
    realOneof: () => undefined,
    resolveType,
  };
}
