/**
 * The CodeGeneratorResponse, whole (for callers in the same process) or in pieces (for stdout).
 *
 * A protobuf message may arrive as several encoded parts, one after another: a reader merges them,
 * appending repeated fields in order. So the executable can write one part per generated file as
 * soon as it is generated and forget it, instead of holding every file's text (117 MB for the
 * 1,000-entity benchmark) and then its encoding as well until the end.
 */
import { create, maximumEdition, minimumEdition, protoInt64, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponse_Feature, CodeGeneratorResponseSchema, type CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import type { OutputFile } from "../emit/emitter.js";

/** proto3 `optional` and editions are supported, for every edition @bufbuild/protobuf reads. */
const CAPABILITIES = {
  supportedFeatures: protoInt64.parse(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS),
  minimumEdition,
  maximumEdition,
};

export function responseOf(files: Iterable<OutputFile>): CodeGeneratorResponse {
  return create(CodeGeneratorResponseSchema, { ...CAPABILITIES, file: [...files].map(({ name, content }) => ({ name, content })) });
}

/** The first part of a streamed response: what the plugin supports. */
export function capabilitiesPart(): Uint8Array {
  return toBinary(CodeGeneratorResponseSchema, create(CodeGeneratorResponseSchema, CAPABILITIES));
}

/** One generated file as a part of the response. */
export function filePart({ name, content }: OutputFile): Uint8Array {
  return toBinary(CodeGeneratorResponseSchema, create(CodeGeneratorResponseSchema, { file: [{ name, content }] }));
}
