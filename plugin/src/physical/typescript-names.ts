/**
 * Names of what protoc-gen-es generates (`UserSchema`, `User`, `file_energy_customer_v1_user`)
 * and where it lives, so that the event classes can import it. protoc-gen-es names the types of a
 * file in one pass over the file, giving a clashing name the first free suffix (`Foo$`, `Foo$1`):
 * the same pass is made here, once per file, so that a name never costs a scan of its file.
 */
import type { DescEnum, DescExtension, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import { wktPublicImportPaths } from "@bufbuild/protobuf/codegenv2";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { safeIdentifier } from "@bufbuild/protoplugin";
import { posix } from "node:path";
import type { Entity } from "../model/types.js";

export interface EsSymbol {
  readonly name: string;
  /** `./energy/customer/v1/user_pb.js` (relative to ts/src), or a package path. */
  readonly from: string;
}

export interface EsNames {
  /** The descriptor constant: `UserSchema`, `AccountStatusSchema`, `file_energy_customer_v1_user`. */
  schema(desc: DescMessage | DescEnum | DescFile): EsSymbol;
  /** The TypeScript type: `User`, `AccountStatus`. */
  shape(desc: DescMessage | DescEnum): EsSymbol;
}

type Named = DescMessage | DescEnum | DescExtension | DescService | DescFile;

interface FileNames {
  readonly shapes: ReadonlyMap<Named, string>;
  readonly schemas: ReadonlyMap<Named, string>;
}

export function esNames(): EsNames {
  const byFile = new Map<DescFile, FileNames>();
  const namesOf = (file: DescFile): FileNames => {
    let names = byFile.get(file);
    if (names === undefined) {
      names = nameFile(file);
      byFile.set(file, names);
    }
    return names;
  };
  // Each symbol made once per run: every event file asks for the schemas and shapes it imports
  // (the well-known wrappers, Timestamp, ... by every file that uses them).
  const schemas = new Map<DescMessage | DescEnum | DescFile, EsSymbol>();
  const shapes = new Map<DescMessage | DescEnum, EsSymbol>();
  return {
    schema(desc) {
      let symbol = schemas.get(desc);
      if (symbol === undefined) {
        const file = desc.kind === "file" ? desc : desc.file;
        symbol = { name: namesOf(file).schemas.get(desc)!, from: fileImportPath(file) };
        schemas.set(desc, symbol);
      }
      return symbol;
    },
    shape(desc) {
      let symbol = shapes.get(desc);
      if (symbol === undefined) {
        symbol = { name: namesOf(desc.file).shapes.get(desc)!, from: fileImportPath(desc.file) };
        shapes.set(desc, symbol);
      }
      return symbol;
    },
  };
}

/** Types first, then descriptor constants, as protoc-gen-es takes them; each takes the first free spelling. */
function nameFile(file: DescFile): FileNames {
  const taken = new Set<string>();
  const take = (spell: (salt: string) => string): string => {
    for (let i = 0; ; i++) {
      const name = safeIdentifier(spell(i === 0 ? "" : i === 1 ? "$" : `$${i - 1}`));
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  const types = [...nestedTypes(file)];
  const shapes = new Map<Named, string>();
  for (const desc of types) {
    if (desc.kind === "message" || desc.kind === "enum") shapes.set(desc, take((salt) => identifier(desc) + salt));
  }
  const schemas = new Map<Named, string>();
  schemas.set(file, take((salt) => "file_" + file.name.replace(/[^a-zA-Z0-9_]+/g, "_") + salt));
  for (const desc of types) {
    const suffix = desc.kind === "message" || desc.kind === "enum" ? "Schema" : "";
    schemas.set(desc, take((salt) => identifier(desc) + suffix + salt));
  }
  return { shapes, schemas };
}

/** protoc-gen-es drops the package and joins nested names with `_`. */
function identifier(desc: Exclude<Named, DescFile>): string {
  const pkg = desc.file.proto.package;
  return desc.typeName.slice(pkg === "" ? 0 : pkg.length + 1).replace(/\./g, "_");
}

function fileImportPath(file: DescFile): string {
  return wktPublicImportPaths[file.proto.name] ?? `./${file.name}_pb.js`;
}

/** The import specifier of `target` (relative to ts/src, or a package) from a file in ts/src. */
export function importSpecifier(fromFile: string, target: string): string {
  if (!target.startsWith("./")) return target;
  const relative = posix.relative(posix.dirname(fromFile), target.slice(2));
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/** Key of an entity in TOPICS: its message name, or its full name when two entities share one. */
export function topicKeys(entities: readonly Entity[]): Map<Entity, string> {
  const count = new Map<string, number>();
  for (const e of entities) count.set(e.messageName, (count.get(e.messageName) ?? 0) + 1);
  return new Map(entities.map((e) => [e, count.get(e.messageName) === 1 ? e.messageName : e.typeName]));
}
