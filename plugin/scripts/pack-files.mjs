/**
 * Before `npm pack` / `npm publish` (prepack): copies into the package what lives at the
 * repository's root, once for both: the options contract (proto/entity, which teams import as a buf
 * module from node_modules/protoc-gen-entity/proto) and the LICENSE. Both copies are ignored by git.
 */
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";

const plugin = join(import.meta.dirname, "..");
const root = join(plugin, "..");
rmSync(join(plugin, "proto"), { recursive: true, force: true });
cpSync(join(root, "proto/entity"), join(plugin, "proto/entity"), { recursive: true });
cpSync(join(root, "LICENSE"), join(plugin, "LICENSE"));
