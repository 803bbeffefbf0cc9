/**
 * Test support: real-world protos the team does not own, from googleapis (the npm package
 * google-proto-files), made entities with plugin options the way a user would: `entity=` picks
 * the message and its id, `column=` and `nest=` resolve the names that collide with what the
 * Pub/Sub subscription writes. Shared by every suite that wants more than the example domain.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BUF, IMAGE, readImage, REPO_ROOT, type CompiledProtos } from "./protos.js";

const GOOGLE_PROTOS = join(REPO_ROOT, "node_modules/google-proto-files");

/** One googleapis message made an entity, and why it needs the options it has. */
export interface GoogleapisEntity {
  readonly typeName: string;
  readonly file: string;
  /** `entity=` value: the message and the path of its id field. */
  readonly entity: string;
  /** Further plugin options it needs (`column=`, `nest=`). */
  readonly options: readonly string[];
  readonly why: string;
}

export const GOOGLEAPIS_ENTITIES: readonly GoogleapisEntity[] = [
  {
    typeName: "google.type.PostalAddress",
    file: "google/type/postal_address.proto",
    entity: "google.type.PostalAddress:postal_code",
    options: [],
    why: "no id field of its own: the postal code stands in for one.",
  },
  {
    typeName: "google.type.PhoneNumber",
    file: "google/type/phone_number.proto",
    entity: "google.type.PhoneNumber:extension",
    options: [],
    why: "its number is a oneof (e164_number | short_code), which cannot hold the id; the oneof itself is flattened into optional fields.",
  },
  {
    typeName: "google.rpc.Status",
    file: "google/rpc/status.proto",
    entity: "google.rpc.Status:code",
    options: [],
    why: "`details` is repeated Any (JSON); `code` is the only integer to key on.",
  },
  {
    typeName: "google.cloud.audit.AuditLog",
    file: "google/cloud/audit/audit_log.proto",
    entity: "google.cloud.audit.AuditLog:resource_name",
    options: [],
    why: "no id field: the audited resource keys the latest state; request/response/metadata are Struct (JSON).",
  },
  {
    typeName: "google.pubsub.v1.PubsubMessage",
    file: "google/pubsub/v1/pubsub.proto",
    entity: "google.pubsub.v1.PubsubMessage:message_id",
    options: [
      "column=google.pubsub.v1.PubsubMessage.data:payload",
      "column=google.pubsub.v1.PubsubMessage.attributes:message_attributes",
      "column=google.pubsub.v1.PubsubMessage.message_id:pubsub_message_id",
      "column=google.pubsub.v1.PubsubMessage.publish_time:pubsub_publish_time",
    ],
    why: "data, attributes, message_id and publish_time are all names of the subscription's metadata columns.",
  },
  {
    typeName: "google.cloud.bigquery.v2.Table",
    file: "google/cloud/bigquery/v2/table.proto",
    entity: "google.cloud.bigquery.v2.Table:id",
    options: [],
    why: "a large API: a deep tree of nested configs, wrappers, maps and repeated messages (a topic schema of ~65 KB); no collision.",
  },
];

/** The options that make the selection generate; `leaveOut` drops options, to see what they fix. */
export function googleapisParameter(leaveOut: (option: string) => boolean = () => false): string {
  return ["project=googleapis-test", ...GOOGLEAPIS_ENTITIES.flatMap((e) => [`entity=${e.entity}`, ...e.options])]
    .filter((o) => !leaveOut(o))
    .join(",");
}

const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

/** The files and everything they import, transitively; buf brings google/protobuf itself. */
export function importClosure(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || file.startsWith("google/protobuf/")) return;
    seen.add(file);
    const text = readFileSync(join(GOOGLE_PROTOS, file), "utf8");
    for (const match of text.matchAll(IMPORT)) visit(match[1]);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

export interface GoogleapisRun {
  readonly compiled: CompiledProtos;
  /** Plugin options for runPlugin, as buf would pass them from buf.gen.yaml. */
  readonly parameter: string;
}

let cache: CompiledProtos | undefined;

/**
 * Compiles the selection with buf: a temporary workspace whose only module holds links to
 * exactly the needed googleapis files and their imports.
 */
export function compileGoogleapis(): GoogleapisRun {
  if (cache === undefined) {
    const roots = [...new Set(GOOGLEAPIS_ENTITIES.map((e) => e.file))];
    const dir = mkdtempSync(join(tmpdir(), "entity-googleapis-"));
    try {
      const module = join(dir, "googleapis");
      for (const file of importClosure(roots)) {
        mkdirSync(dirname(join(module, file)), { recursive: true });
        symlinkSync(join(GOOGLE_PROTOS, file), join(module, file));
      }
      writeFileSync(join(dir, "buf.yaml"), "version: v2\nmodules:\n  - path: googleapis\n");
      execFileSync(BUF, ["build", "-o", join(dir, IMAGE)], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      cache = { files: readImage(dir), toGenerate: roots };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { compiled: cache, parameter: googleapisParameter() };
}
