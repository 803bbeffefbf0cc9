/**
 * Bundles the plugin (src/main.ts and what it imports) into one module,
 * dist/protoc-gen-entity.js, which bin/protoc-gen-entity runs. buf starts the plugin once per
 * generation, so start-up counts: one module loads faster than a hundred, and tree shaking leaves
 * out what the plugin never calls. In particular @bufbuild/protoplugin's index re-exports its
 * TypeScript transpiler, and importing it by name from Node would load the whole TypeScript
 * compiler (half a second, 60 MB) for one small helper (`safeIdentifier`).
 *
 * The runtime of the generated package (src/runtime/runtime.ts) is imported as text (`?raw`): the
 * bundle holds it as a string, so a generation run reads no file.
 *
 * The bundle is made from the sources, as tsc compiles them to dist/ beside it (for the modules
 * others import, such as dist/compat/). esbuild does not type-check; the build's tsc does.
 *
 * Usage: node scripts/bundle.mjs [output directory, default dist]
 */
import { build } from "esbuild";
import { join, resolve } from "node:path";
import { rawTextPlugin } from "./raw-text.mjs";

const root = join(import.meta.dirname, "..");
const dist = resolve(process.argv[2] ?? join(root, "dist"));
await build({
  absWorkingDir: root,
  entryPoints: [join(root, "src/main.ts")],
  outfile: join(dist, "protoc-gen-entity.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // With node --enable-source-maps, stack traces point at the TypeScript sources.
  sourcemap: true,
  // CommonJS dependencies (yaml, which only the CLI commands load) require Node's built-ins.
  banner: { js: 'import { createRequire as __entityCreateRequire } from "node:module"; const require = __entityCreateRequire(import.meta.url);' },
  // ts-morph (the API report of `generate`, `check`, `release`) is imported dynamically and kept
  // out of the bundle: it carries its own TypeScript compiler, which a plugin run must never load.
  external: ["ts-morph"],
  plugins: [rawTextPlugin],
  logLevel: "warning",
});
