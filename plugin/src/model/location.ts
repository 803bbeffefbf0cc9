import type { DescEnum, DescField, DescFile, DescMessage } from "@bufbuild/protobuf";
import { DescriptorProtoSchema, FileDescriptorProtoSchema, type SourceCodeInfo_Location } from "@bufbuild/protobuf/wkt";
import type { SourceLocation } from "./types.js";

type Located = DescMessage | DescField | DescEnum;

/** The source info of each file, by declaration path (`4.0.2.3`), built once per file. */
const sourceByFile = new WeakMap<DescFile, Map<string, SourceCodeInfo_Location>>();
const pathKeys = new WeakMap<Located, string>();

/** Where a declaration starts, from the source info that buf passes to plugins. */
export function locationOf(desc: Located): SourceLocation {
  const file = fileOf(desc);
  const span = sourceOf(desc)?.span;
  if (span === undefined || span.length < 3) return { file: file.proto.name, line: 0, column: 0 };
  return { file: file.proto.name, line: span[0] + 1, column: span[1] + 1 };
}

/**
 * The declaration's leading and trailing comments ("" when none), with CRLF, CR, U+2028 and U+2029
 * turned into LF as protoplugin's getComments does. Looked up in an index rather than with
 * getComments, which scans the file's whole source info for the declaration and each parent.
 */
export function sourceCommentsOf(desc: Located): { readonly leading: string; readonly trailing: string } {
  const source = sourceOf(desc);
  return { leading: normalizeLineBreaks(source?.leadingComments ?? ""), trailing: normalizeLineBreaks(source?.trailingComments ?? "") };
}

function normalizeLineBreaks(comment: string): string {
  return comment.replace(/\r\n|[\r\u2028\u2029]/g, "\n");
}

function fileOf(desc: Located): DescFile {
  return desc.kind === "field" ? desc.parent.file : desc.file;
}

function sourceOf(desc: Located): SourceCodeInfo_Location | undefined {
  const file = fileOf(desc);
  let source = sourceByFile.get(file);
  if (source === undefined) {
    source = new Map();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const key = location.path.join(".");
      // The first location of a path is the whole declaration; later ones are its parts.
      if (!source.has(key)) source.set(key, location);
    }
    sourceByFile.set(file, source);
  }
  return source.get(pathKey(desc));
}

/** The declaration's path in its FileDescriptorProto, as source info names it. */
function pathKey(desc: Located): string {
  let key = pathKeys.get(desc);
  if (key === undefined) {
    key = pathSegments(desc).join(".");
    pathKeys.set(desc, key);
  }
  return key;
}

function pathSegments(desc: Located): (string | number)[] {
  switch (desc.kind) {
    case "field":
      return [pathKey(desc.parent), DescriptorProtoSchema.field.field.number, desc.parent.proto.field.indexOf(desc.proto)];
    case "message":
      return desc.parent === undefined
        ? [FileDescriptorProtoSchema.field.messageType.number, desc.file.proto.messageType.indexOf(desc.proto)]
        : [pathKey(desc.parent), DescriptorProtoSchema.field.nestedType.number, desc.parent.proto.nestedType.indexOf(desc.proto)];
    case "enum":
      return desc.parent === undefined
        ? [FileDescriptorProtoSchema.field.enumType.number, desc.file.proto.enumType.indexOf(desc.proto)]
        : [pathKey(desc.parent), DescriptorProtoSchema.field.enumType.number, desc.parent.proto.enumType.indexOf(desc.proto)];
  }
}
