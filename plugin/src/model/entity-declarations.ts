/**
 * Finds the entities of a run: messages annotated with `(entity.v1.entity)` in the files to
 * generate, and messages selected with the plugin option `entity=` anywhere in the request.
 */
import { create, hasExtension } from "@bufbuild/protobuf";
import type { DescFile, DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { EntitySchema, entity as entityOption, type Entity as EntityOption } from "../gen/entity/v1/options_pb.js";
import type { PluginOptions } from "../options/plugin-options.js";
import type { Problems } from "./errors.js";
import { locationOf } from "./location.js";
import { messageOption } from "./message-option.js";
import { didYouMean } from "../suggestions.js";

export interface EntityDeclaration {
  readonly message: DescMessage;
  readonly option: EntityOption;
  /** How the message became an entity, for error messages that tell where to fix things. */
  readonly declaredBy: "annotation" | "plugin option";
}

export const PLUGIN_OPTIONS_LOCATION = { file: "buf.gen.yaml (plugin options)", line: 0, column: 0 };

export function findEntityDeclarations(
  filesToGenerate: readonly DescFile[],
  allFiles: readonly DescFile[],
  options: PluginOptions,
  problems: Problems,
): EntityDeclaration[] {
  const declarations: EntityDeclaration[] = [];
  for (const file of filesToGenerate) {
    for (const message of messagesOf(file)) {
      const option = messageOption(message.proto.options, entityOption);
      if (option !== undefined) declarations.push({ message, option, declaredBy: "annotation" });
    }
  }
  // Only the plugin options that name messages read this index: most runs set none of them.
  const namesMessages = options.entities.length > 0 || options.columnRenames.size > 0 || options.ignoredFields.size > 0 || options.nestUnder.size > 0;
  if (!namesMessages) return declarations;
  const byName = new Map<string, DescMessage>();
  for (const file of allFiles) for (const message of messagesOf(file)) byName.set(message.typeName, message);
  for (const selection of options.entities) {
    const message = byName.get(selection.typeName);
    if (message === undefined) {
      problems.add(
        PLUGIN_OPTIONS_LOCATION,
        `entity=${selection.typeName}`,
        `no message ${selection.typeName} in the input.${didYouMean(selection.typeName, byName.keys())}`,
        "check the spelling (package.Message), and that buf's input includes the file that declares it.",
      );
      continue;
    }
    if (declarations.some((d) => d.message === message)) {
      problems.add(
        locationOf(message),
        message.typeName,
        "is an entity by its (entity.v1.entity) annotation and again by the plugin option entity=.",
        `remove entity=${selection.typeName} from buf.gen.yaml, or the annotation.`,
      );
      continue;
    }
    declarations.push({
      message,
      option: create(EntitySchema, { idField: selection.idField ?? "" }),
      declaredBy: "plugin option",
    });
  }
  checkOptionTargets(byName, options, problems);
  return declarations;
}

/** A misspelled column=, ignore= or nest= would otherwise change nothing, silently. */
function checkOptionTargets(byName: ReadonlyMap<string, DescMessage>, options: PluginOptions, problems: Problems): void {
  const fieldOptions = [
    ...[...options.columnRenames.keys()].map((fieldName) => ["column", fieldName] as const),
    ...[...options.ignoredFields].map((fieldName) => ["ignore", fieldName] as const),
  ];
  for (const [key, fieldName] of fieldOptions) {
    const dot = fieldName.lastIndexOf(".");
    const message = byName.get(fieldName.slice(0, dot));
    if (message?.fields.some((f) => f.name === fieldName.slice(dot + 1))) continue;
    const suggestion = message === undefined
      ? didYouMean(fieldName.slice(0, dot), byName.keys())
      : didYouMean(fieldName, message.fields.map((f) => `${message.typeName}.${f.name}`));
    problems.add(
      PLUGIN_OPTIONS_LOCATION,
      `${key}=${fieldName}`,
      `no field ${fieldName} in the input.${suggestion}`,
      "check the spelling (package.Message.field), and that buf's input includes the file that declares it.",
    );
  }
  for (const typeName of options.nestUnder.keys()) {
    const message = byName.get(typeName);
    const annotated = message?.proto.options !== undefined && hasExtension(message.proto.options, entityOption);
    if (annotated || options.entities.some((e) => e.typeName === typeName)) continue;
    problems.add(
      PLUGIN_OPTIONS_LOCATION,
      `nest=${typeName}`,
      message === undefined ? `no message ${typeName} in the input.${didYouMean(typeName, byName.keys())}` : `${typeName} is not an entity.`,
      "name a message annotated with (entity.v1.entity) or selected with entity=.",
    );
  }
}

function* messagesOf(file: DescFile): Iterable<DescMessage> {
  for (const type of nestedTypes(file)) if (type.kind === "message") yield type;
}
