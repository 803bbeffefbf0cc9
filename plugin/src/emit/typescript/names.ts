/**
 * Names of what protoc-gen-es generates (`UserSchema`, `User`, `file_energy_customer_v1_user`)
 * and where it lives, so that the event classes can import it. With the plugin schema at hand the
 * names come from @bufbuild/protoplugin itself, which protoc-gen-es uses too; without it (an
 * emitter run on a model alone) the same convention is applied, minus its rare clash suffixes.
 */
import type { DescEnum, DescFile, DescMessage } from "@bufbuild/protobuf";
import { wktPublicImportPaths } from "@bufbuild/protobuf/codegenv2";
import { safeIdentifier, type Schema } from "@bufbuild/protoplugin";
import { posix } from "node:path";

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

/** A file that is never printed: protoplugin drops empty files. */
const SCRATCH_FILE = "ts/.protoc-gen-es-names";

export function esNames(schema: Schema<object> | undefined): EsNames {
  if (schema === undefined) return conventionalNames;
  const scratch = schema.generateFile(SCRATCH_FILE);
  // protoplugin works a name out anew on every call (it scans the file's names for clashes), and
  // the same enum or message is looked up once per field that uses it.
  const schemas = new Map<DescMessage | DescEnum | DescFile, EsSymbol>();
  const shapes = new Map<DescMessage | DescEnum, EsSymbol>();
  return {
    schema: (desc) => remembered(schemas, desc, () => pick(scratch.importSchema(desc))),
    shape: (desc) => remembered(shapes, desc, () => pick(scratch.importShape(desc))),
  };
}

function remembered<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

function pick(symbol: EsSymbol): EsSymbol {
  return { name: symbol.name, from: symbol.from };
}

const conventionalNames: EsNames = {
  schema(desc) {
    if (desc.kind === "file") return { name: safeIdentifier("file_" + desc.name.replace(/[^a-zA-Z0-9_]+/g, "_")), from: fileImportPath(desc) };
    return { name: safeIdentifier(identifier(desc) + "Schema"), from: fileImportPath(desc.file) };
  },
  shape(desc) {
    return { name: safeIdentifier(identifier(desc)), from: fileImportPath(desc.file) };
  },
};

/** protoc-gen-es drops the package and joins nested names with `_`. */
function identifier(desc: DescMessage | DescEnum): string {
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
