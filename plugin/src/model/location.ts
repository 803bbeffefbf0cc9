import type { DescEnum, DescField, DescFile, DescMessage } from "@bufbuild/protobuf";
import { getComments } from "@bufbuild/protoplugin";
import type { SourceLocation } from "./types.js";

type Located = DescMessage | DescField | DescEnum;

const spansByFile = new WeakMap<DescFile, Map<string, readonly number[]>>();

/** Where a declaration starts, from the source info that buf passes to plugins. */
export function locationOf(desc: Located): SourceLocation {
  const file = desc.kind === "field" ? desc.parent.file : desc.file;
  const span = spansOf(file).get(getComments(desc).sourcePath.join("."));
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
