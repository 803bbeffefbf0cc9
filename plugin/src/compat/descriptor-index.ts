/**
 * Reads a topic schema's FileDescriptorProto: finds messages by name, resolves field types, and
 * tells which fields are required, in a oneof, or maps.
 */
import { isFieldSet } from "@bufbuild/protobuf";
import { protoFieldKind } from "./column-types.js";
import type { ResolvedType, TopicSchemaReader } from "./schema-reader.js";
import {
  FeatureSet_FieldPresence,
  FeatureSetSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProtoSchema,
  type DescriptorProto,
  type FeatureSet,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";

export interface IndexedMessage {
  /** Fully qualified, without the leading dot. */
  readonly fullName: string;
  readonly proto: DescriptorProto;
  /** Enclosing messages, outermost first, for inherited editions features. */
  readonly parents: readonly DescriptorProto[];
}

export class DescriptorIndex {
  private readonly messages = new Map<string, IndexedMessage>();
  private readonly enums = new Set<string>();

  constructor(readonly file: FileDescriptorProto) {
    const prefix = file.package === "" ? "" : `${file.package}.`;
    for (const e of file.enumType) this.enums.add(prefix + e.name);
    for (const m of file.messageType) this.add(m, prefix, []);
  }

  private add(message: DescriptorProto, prefix: string, parents: DescriptorProto[]): void {
    const fullName = prefix + message.name;
    this.messages.set(fullName, { fullName, proto: message, parents });
    for (const e of message.enumType) this.enums.add(`${fullName}.${e.name}`);
    for (const nested of message.nestedType) this.add(nested, `${fullName}.`, [...parents, message]);
  }

  /** A top-level message by simple or qualified name (a leading dot is allowed). */
  topLevelMessage(name: string): IndexedMessage | undefined {
    const bare = name.replace(/^\./, "");
    const prefix = this.file.package === "" ? "" : `${this.file.package}.`;
    const top = this.file.messageType.find((m) => m.name === bare || prefix + m.name === bare);
    return top === undefined ? undefined : this.messages.get(prefix + top.name);
  }

  /**
   * The message a field's type_name refers to. Compiled descriptors carry `.pkg.Msg`; a relative
   * name is looked up from the innermost scope outwards, as protoc does.
   */
  resolveMessage(typeName: string, scope: string): IndexedMessage | undefined {
    return this.resolve(typeName, scope, (n) => this.messages.get(n));
  }

  hasEnum(typeName: string, scope: string): boolean {
    return this.resolve(typeName, scope, (n) => (this.enums.has(n) ? true : undefined)) ?? false;
  }

  private resolve<T>(typeName: string, scope: string, lookup: (fullName: string) => T | undefined): T | undefined {
    if (typeName.startsWith(".")) return lookup(typeName.slice(1));
    const parts = scope === "" ? [] : scope.split(".");
    for (let i = parts.length; i >= 0; i--) {
      const found = lookup([...parts.slice(0, i), typeName].join("."));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** proto2 `required`, or editions LEGACY_REQUIRED set on the field, a message around it, or the file. */
  isRequired(field: FieldDescriptorProto, owner: IndexedMessage): boolean {
    if (field.label === FieldDescriptorProto_Label.REQUIRED) return true;
    const chain: (FeatureSet | undefined)[] = [
      field.options?.features,
      owner.proto.options?.features,
      ...[...owner.parents].reverse().map((p) => p.options?.features),
      this.file.options?.features,
    ];
    for (const features of chain) {
      if (features !== undefined && isFieldSet(features, FeatureSetSchema.field.fieldPresence)) {
        return features.fieldPresence === FeatureSet_FieldPresence.LEGACY_REQUIRED;
      }
    }
    return false;
  }

  /** The oneof a field belongs to, unless it is proto3 `optional` (a synthetic oneof of one field). */
  realOneof(field: FieldDescriptorProto, owner: IndexedMessage): string | undefined {
    if (!isFieldSet(field, FieldDescriptorProtoSchema.field.oneofIndex) || field.proto3Optional) return undefined;
    return owner.proto.oneofDecl[field.oneofIndex]?.name ?? `#${field.oneofIndex}`;
  }
}

export function isMapEntry(message: IndexedMessage): boolean {
  return message.proto.options?.mapEntry === true;
}

/** The compatibility walk's view of a compiled descriptor. */
export function descriptorReader(file: FileDescriptorProto): TopicSchemaReader<IndexedMessage, FieldDescriptorProto> {
  const index = new DescriptorIndex(file);
  return {
    fileName: file.name,
    imports: file.dependency,
    topLevelTypes: [...file.messageType.map((m) => `message ${m.name}`), ...file.enumType.map((e) => `enum ${e.name}`)],
    topLevelMessage: (name) => index.topLevelMessage(name),
    fields: (message) => message.proto.field,
    fieldName: (field) => field.name,
    isRepeated: (field) => field.label === FieldDescriptorProto_Label.REPEATED,
    isRequired: (field, owner) => index.isRequired(field, owner),
    realOneof: (field, owner) => index.realOneof(field, owner),
    resolveType: (field, owner) => resolveType(index, field, owner),
  };
}

/** A field's kind from its declared type; a message type is resolved, and a map entry makes it a map. */
function resolveType(index: DescriptorIndex, field: FieldDescriptorProto, owner: IndexedMessage): ResolvedType<IndexedMessage> {
  const kind = protoFieldKind(field.type);
  if (kind === undefined) return { unresolved: `type number ${field.type}` };
  if (kind === "enum") return index.hasEnum(field.typeName, owner.fullName) ? { kind } : { unresolved: `enum type "${field.typeName}"` };
  if (kind !== "message") return { kind };
  const message = index.resolveMessage(field.typeName, owner.fullName);
  if (message === undefined) return { unresolved: `message type "${field.typeName}"` };
  return { kind: isMapEntry(message) ? "map" : "message", message };
}
