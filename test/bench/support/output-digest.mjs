/**
 * A digest of a plugin response's files, to show that a change left an output byte-for-byte as it
 * was without keeping a copy of it: sha256 over the files sorted by name, each as its name, its
 * length in bytes and its content, so that no two different trees give the same stream.
 */
import { createHash } from "node:crypto";

/** `files` are { name, content } (a CodeGeneratorResponse's files); returns the hex digest. */
export function outputDigest(files) {
  const hash = createHash("sha256");
  for (const { name, content } of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const bytes = Buffer.from(content, "utf8");
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}
