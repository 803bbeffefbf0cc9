/**
 * The request's file descriptors as a registry, and the files buf asks to generate, checked the
 * way protoplugin checks them for protoc-gen-es: every file to generate is present and in an
 * edition @bufbuild/protobuf supports.
 */
import { create, createFileRegistry, maximumEdition, minimumEdition, type DescFile } from "@bufbuild/protobuf";
import { assertValidNames } from "@bufbuild/protobuf/codegenv2";
import { Edition, EditionSchema, FileDescriptorSetSchema, type CodeGeneratorRequest, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

export interface RequestDescriptors {
  /** The files to generate, in the request's (dependency) order. */
  readonly files: readonly DescFile[];
  /** Every file of the request, imports included. */
  readonly allFiles: readonly DescFile[];
}

export function requestDescriptors(request: CodeGeneratorRequest): RequestDescriptors {
  const toGenerate = new Set(request.fileToGenerate);
  const present = new Set(request.protoFile.map((f) => f.name));
  const missing = request.fileToGenerate.filter((name) => !present.has(name));
  if (missing.length > 0) throw new Error(`files to generate are missing from the request: ${missing.join(", ")}`);
  for (const file of request.protoFile) {
    if (toGenerate.has(file.name)) assertSupportedEdition(file);
  }
  // proto_file leaves out options with source retention for the files to generate;
  // source_file_descriptors has them, so those copies take their place.
  const withSourceOptions = new Map(request.sourceFileDescriptors.map((f) => [f.name, f]));
  const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile.map((f) => withSourceOptions.get(f.name) ?? f) }));
  request.protoFile.forEach(assertValidNames);
  const allFiles = [...registry.files];
  return { files: allFiles.filter((f) => toGenerate.has(f.proto.name)), allFiles };
}

function assertSupportedEdition(file: FileDescriptorProto): void {
  const edition = editionOf(file);
  if (edition === Edition.EDITION_UNSTABLE) return;
  if (edition < minimumEdition || edition > maximumEdition) {
    throw new Error(
      `${file.name}: edition ${editionName(edition)} is not supported; protoc-gen-entity reads editions ${editionName(minimumEdition)} to ${editionName(maximumEdition)}.`,
    );
  }
}

function editionOf(file: FileDescriptorProto): Edition {
  switch (file.syntax) {
    case "":
    case "proto2":
      return Edition.EDITION_PROTO2;
    case "proto3":
      return Edition.EDITION_PROTO3;
    case "editions":
      return file.edition;
    default:
      return Edition.EDITION_UNKNOWN;
  }
}

function editionName(edition: Edition): string {
  return EditionSchema.values.find((v) => v.number === edition)?.name.replace(/^EDITION_/, "") ?? `unknown (${edition})`;
}
