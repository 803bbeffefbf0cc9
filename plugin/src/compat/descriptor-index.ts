/**
 * Reads a topic schema's FileDescriptorProto: finds messages by name, resolves field types, and
 * tells which fields are required, in a oneof, or maps.
 */
import { isFieldSet } from "@bufbuild/protobuf";
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
