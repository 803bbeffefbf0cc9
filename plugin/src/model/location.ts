import type { DescComments, DescEnum, DescField, DescFile, DescMessage } from "@bufbuild/protobuf";
import { getComments } from "@bufbuild/protoplugin";
import type { SourceLocation } from "./types.js";

type Located = DescMessage | DescField | DescEnum;

const spansByFile = new WeakMap<DescFile, Map<string, readonly number[]>>();
const commentsByDesc = new WeakMap<Located, DescComments>();

/**
 * getComments, once per declaration: each call scans the file's source info for the declaration
 * and again for each of its parents, and a message used by many entities is mapped once per use.
 */
export function sourceComments(desc: Located): DescComments {
  let comments = commentsByDesc.get(desc);
  if (comments === undefined) {
    comments = getComments(desc);
    commentsByDesc.set(desc, comments);
  }
  return comments;
}

/** Where a declaration starts, from the source info that buf passes to plugins. */
export function locationOf(desc: Located): SourceLocation {
  const file = desc.kind === "field" ? desc.parent.file : desc.file;
  const span = spansOf(file).get(sourceComments(desc).sourcePath.join("."));
  if (span === undefined || span.length < 3) return { file: file.proto.name, line: 0, column: 0 };
  return { file: file.proto.name, line: span[0] + 1, column: span[1] + 1 };
}

function spansOf(file: DescFile): Map<string, readonly number[]> {
  let spans = spansByFile.get(file);
  if (spans === undefined) {
    spans = new Map();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const key = location.path.join(".");
      // The first location of a path is the whole declaration; later ones are its parts.
      if (!spans.has(key)) spans.set(key, location.span);
    }
    spansByFile.set(file, spans);
  }
  return spans;
}
