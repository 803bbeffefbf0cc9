/**
 * What the compatibility walk needs to know of a topic schema, whatever form it comes in: a
 * compiled FileDescriptorProto (the CLI, a schema written by hand, buf's output) or the topic
 * schema the plugin prints (physical/topic-schema.ts), read as it is, without building a
 * descriptor for it first. Each reader only reports what its form declares; every rule is in
 * check.ts, once for both.
 */
import type { ProtoFieldKind } from "./column-types.js";

/** A field's type as the walk sees it: its kind and, for a message or map, the message; or why it cannot be resolved. */
export type ResolvedType<M> =
  | { readonly kind: ProtoFieldKind; readonly message?: M; readonly unresolved?: undefined }
  | { readonly unresolved: string };

/** `M` is the reader's message, `F` its field. */
export interface TopicSchemaReader<M, F> {
  /** The schema's file name, where a finding about the whole schema points. */
  readonly fileName: string;
  /** The files the schema imports. */
  readonly imports: readonly string[];
  /** Its top-level types, `message Name` or `enum Name`. */
  readonly topLevelTypes: readonly string[];
  /** A top-level message by simple or qualified name (a leading dot is allowed). */
  topLevelMessage(name: string): M | undefined;
  fields(message: M): readonly F[];
  fieldName(field: F): string;
  isRepeated(field: F): boolean;
  /** proto2 `required`, or what editions features make so. */
  isRequired(field: F, owner: M): boolean;
  /** The oneof the field is in, unless it is proto3 `optional`. */
  realOneof(field: F, owner: M): string | undefined;
  resolveType(field: F, owner: M): ResolvedType<M>;
}
