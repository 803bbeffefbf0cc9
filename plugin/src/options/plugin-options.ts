/**
 * Plugin options, given in buf.gen.yaml under `opt`. They configure the run and make the contract
 * usable on protos a team cannot annotate (googleapis, a vendor's messages).
 */
import { closestName } from "../suggestions.js";

export interface EntitySelection {
  /** Fully qualified message name. */
  readonly typeName: string;
  /** Dotted path of the id field; undefined for the default. */
  readonly idField: string | undefined;
}

export interface PluginOptions {
  /** GCP project of the BigQuery tables. */
  readonly project: string | undefined;
  /** Dataset for entities that do not name one. */
  readonly dataset: string | undefined;
  /** Messages made entities without an annotation: `entity=pkg.Msg[:id.path]`. */
  readonly entities: readonly EntitySelection[];
  /** Column renames for fields that cannot be annotated: `column=pkg.Msg.field:new_name`. */
  readonly columnRenames: ReadonlyMap<string, string>;
  /** Fields left out of every artifact, for protos that cannot be annotated: `ignore=pkg.Msg.field`. */
  readonly ignoredFields: ReadonlySet<string>;
  /** Entities whose fields go under one STRUCT column: `nest=pkg.Msg:column`. */
  readonly nestUnder: ReadonlyMap<string, string>;
  /** npm package name of generated/ts. */
  readonly packageName: string;
  /** npm package version of generated/ts before its first release; then the lock's (`protoc-gen-entity release`). */
  readonly packageVersion: string;
  /** The package's `license` (an SPDX expression, or UNLICENSED for a company-internal package). */
  readonly packageLicense: string;
  /** The package's `repository` URL, shown by the registry and needed for provenance; none by default. */
  readonly packageRepository: string | undefined;
  /** `publishConfig.registry`: where `npm publish` sends the package; npm's configured registry by default. */
  readonly packageRegistry: string | undefined;
  /** `publishConfig.access`: restricted (the default: only the scope's members install it) or public. */
  readonly packageAccess: "public" | "restricted";
  /** `publishConfig.provenance`: publish with a signed provenance statement (from a CI the registry trusts). */
  readonly packageProvenance: boolean;
  /** Looker connection name for the generated model fragment. */
  readonly lookerConnection: string;
  /** Looker user attribute that grants access to PII fields. */
  readonly lookerPiiUserAttribute: string;
  /**
   * The BigQuery policy tag of every `pii` field without its own `policy_tag`
   * (`pii_policy_tag=projects/P/locations/L/taxonomies/T/policyTags/ID`); without it such a field
   * is a contract error.
   */
  readonly piiPolicyTag: string | undefined;
  /**
   * The lock file of the released state (`lock=generated/entity.lock.json`), relative to the
   * directory buf runs in. Changes since the release become migrations or errors; a missing file
   * means nothing was released yet.
   */
  readonly lock: string | undefined;
  /** Released entities removed on purpose (`retire=pkg.Msg`): the next release records them as retired. */
  readonly retire: ReadonlySet<string>;
  /**
   * Released top-level columns whose widening (`widen=pkg.Msg.column`) the team deploys by running
   * the migration before `tofu apply`: the Terraform provider would otherwise replace the table.
   */
  readonly widen: ReadonlySet<string>;
  /**
   * This run is `protoc-gen-entity release` (`release`, which the command adds to the template it
   * hands buf): the plugin adds the lock after this release to its output, and the catalog shows
   * the pending changes as released.
   */
  readonly release: boolean;
}

type MutableOptions = {
  -readonly [K in keyof PluginOptions]: PluginOptions[K] extends ReadonlyMap<infer K2, infer V>
    ? Map<K2, V>
    : PluginOptions[K] extends ReadonlySet<infer E>
      ? Set<E>
      : PluginOptions[K] extends readonly (infer E)[]
      ? E[]
      : PluginOptions[K];
};

type OptionParser = (value: string, into: MutableOptions) => void;

const QUALIFIED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Splits `pkg.Msg:suffix`, checking both halves. */
function splitQualified(key: string, value: string, suffixRequired: boolean): [string, string | undefined] {
  const colon = value.indexOf(":");
  const name = colon < 0 ? value : value.slice(0, colon);
  const suffix = colon < 0 ? undefined : value.slice(colon + 1);
  if (!QUALIFIED_NAME.test(name)) {
    throw new Error(`plugin option ${key}=${value}: "${name}" is not a fully qualified message name (package.Message)`);
  }
  if (suffixRequired && (suffix === undefined || suffix === "")) {
    throw new Error(`plugin option ${key}=${value}: expected ${key}=<package.Message...>:<name>`);
  }
  return [name, suffix];
}

function single(key: keyof MutableOptions & string, pattern?: RegExp, hint?: string): OptionParser {
  return (value, into) => {
    if (pattern !== undefined && !pattern.test(value)) {
      throw new Error(`plugin option ${key}=${value}: ${hint}`);
    }
    (into as unknown as Record<string, unknown>)[key] = value;
  };
}

const PARSERS: Record<string, OptionParser> = {
  project: single("project", /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "not a GCP project id (6–30 lowercase letters, digits, hyphens)"),
  dataset: single("dataset", /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/, "not a BigQuery dataset name"),
  entity(value, into) {
    const [typeName, idField] = splitQualified("entity", value, false);
    if (idField !== undefined && !FIELD_PATH.test(idField)) {
      throw new Error(`plugin option entity=${value}: "${idField}" is not a field path (field or field.subfield)`);
    }
    if (into.entities.some((e) => e.typeName === typeName)) {
      throw new Error(`plugin option entity=${value}: ${typeName} is selected twice`);
    }
    into.entities.push({ typeName, idField: idField || undefined });
  },
  column(value, into) {
    const [fieldName, column] = splitQualified("column", value, true);
    into.columnRenames.set(fieldName, column!);
  },
  nest(value, into) {
    const [typeName, column] = splitQualified("nest", value, true);
    into.nestUnder.set(typeName, column!);
  },
  ignore(value, into) {
    const [fieldName] = splitQualified("ignore", value, false);
    if (value.includes(":")) throw new Error(`plugin option ignore=${value}: expected ignore=<package.Message.field>`);
    into.ignoredFields.add(fieldName);
  },
  package_name: single("packageName", /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, "not a valid npm package name"),
  package_version: single("packageVersion", /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "not a semantic version (1.2.3)"),
  package_license: single("packageLicense", /^(UNLICENSED|[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*|\(.+\))$/, "not an SPDX license expression (MIT, Apache-2.0) or UNLICENSED"),
  package_repository: single("packageRepository", /^(git\+)?(https?|ssh|git):\/\/\S+$|^(github|gitlab|bitbucket):\S+$/, "not a repository URL (https://github.com/acme/contracts)"),
  package_registry: single("packageRegistry", /^https?:\/\/\S+$/, "not a registry URL (https://npm.pkg.github.com)"),
  package_access: single("packageAccess", /^(public|restricted)$/, "must be public or restricted"),
  package_provenance(value, into) {
    if (value !== "true" && value !== "false") throw new Error(`plugin option package_provenance=${value}: must be true or false`);
    into.packageProvenance = value === "true";
  },
  looker_connection: single("lookerConnection", /^\S+$/, "must not be empty or contain spaces"),
  looker_pii_user_attribute: single("lookerPiiUserAttribute", /^[a-z][a-z0-9_]*$/, "not a Looker user attribute name"),
  pii_policy_tag: single(
    "piiPolicyTag",
    /^projects\/[^/,]+\/locations\/[^/,]+\/taxonomies\/[^/,]+\/policyTags\/[^/,]+$/,
    "not a policy tag resource name (projects/<project>/locations/<location>/taxonomies/<taxonomy>/policyTags/<tag>)",
  ),
  lock: single("lock", /^[^\0]+\.json$/, "not the path of a .json lock file"),
  retire(value, into) {
    const [typeName] = splitQualified("retire", value, false);
    if (value.includes(":")) throw new Error(`plugin option retire=${value}: expected retire=<package.Message>`);
    into.retire.add(typeName);
  },
  widen(value, into) {
    const [columnPath] = splitQualified("widen", value, false);
    if (value.includes(":")) throw new Error(`plugin option widen=${value}: expected widen=<package.Message.column>`);
    into.widen.add(columnPath);
  },
  release(value, into) {
    if (value !== "" && value !== "true" && value !== "false") throw new Error(`plugin option release=${value}: must be true or false`);
    into.release = value !== "false";
  },
};

export const KNOWN_OPTIONS = Object.keys(PARSERS);

/** buf.gen.yaml's `opt` list arrives joined by commas; each option is `key=value` or a bare key. */
export function splitParameter(parameter: string): { key: string; value: string }[] {
  if (parameter === "") return [];
  return parameter.split(",").map((option) => {
    const eq = option.indexOf("=");
    return eq === -1 ? { key: option, value: "" } : { key: option.slice(0, eq), value: option.slice(eq + 1) };
  });
}

export function parsePluginOptions(raw: readonly { key: string; value: string }[]): PluginOptions {
  const options: MutableOptions = {
    project: undefined,
    dataset: undefined,
    entities: [],
    columnRenames: new Map(),
    ignoredFields: new Set(),
    nestUnder: new Map(),
    packageName: "@acme/entity-events",
    packageVersion: "0.1.0",
    packageLicense: "UNLICENSED",
    packageRepository: undefined,
    packageRegistry: undefined,
    packageAccess: "restricted",
    packageProvenance: false,
    lookerConnection: "bigquery",
    lookerPiiUserAttribute: "can_see_pii",
    piiPolicyTag: undefined,
    lock: undefined,
    retire: new Set(),
    widen: new Set(),
    release: false,
  };
  for (const { key, value } of raw) {
    const parse = PARSERS[key];
    if (parse === undefined) {
      const suggestion = closestName(key, KNOWN_OPTIONS);
      throw new Error(
        `unknown plugin option "${key}" in ${value === "" ? key : `${key}=${value}`}; ${suggestion === undefined ? "" : `did you mean "${suggestion}"? `}known options: ${KNOWN_OPTIONS.join(", ")}`,
      );
    }
    parse(value, options);
  }
  return options;
}
