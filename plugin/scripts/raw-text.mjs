/**
 * Imports ending in `?raw` (the runtime of the generated package, plugin/src/runtime/runtime.ts)
 * give the file's text as their default export, as Vite, which runs the tests, does natively.
 * Two more ways in: an esbuild plugin, so that the bundle holds the text and a generation run
 * reads no file; and Node module hooks for the plugin's sources run with tsx (the benchmarks),
 * registered by register-raw-text.mjs.
 */
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";

const RAW = /\?raw$/;

/** The esbuild plugin: the file's text through esbuild's `text` loader. */
export const rawTextPlugin = {
  name: "raw-text",
  setup(build) {
    build.onResolve({ filter: RAW }, (args) => ({ path: resolvePath(args.resolveDir, args.path.replace(RAW, "")), namespace: "raw-text" }));
    build.onLoad({ filter: /.*/, namespace: "raw-text" }, (args) => ({ contents: readFileSync(args.path, "utf8"), loader: "text", watchFiles: [args.path] }));
  },
};

/** Node's resolve hook: a `?raw` import keeps its query, so that `load` recognizes it. */
export async function resolve(specifier, context, next) {
  if (!RAW.test(specifier)) return next(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
}

/** Node's load hook: a module whose default export is the file's text. */
export async function load(url, context, next) {
  if (!RAW.test(url)) return next(url, context);
  const text = readFileSync(fileURLToPath(url.replace(RAW, "")), "utf8");
  return { format: "module", source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
