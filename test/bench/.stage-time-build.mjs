// Bundles test/bench/.stage-time.ts to /tmp/stage-time-<worktree>.js (as the plugin bundle is made).
import { build } from "esbuild";
import { basename, join } from "node:path";
import { rawTextPlugin } from "../../plugin/scripts/raw-text.mjs";
const root = join(import.meta.dirname, "../..");
const out = `/tmp/stage-time-${basename(root)}.js`;
await build({ entryPoints: [join(import.meta.dirname, ".stage-time.ts")], outfile: out, bundle: true, platform: "node", format: "esm", target: "node20",
  banner: { js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);' }, external: ["ts-morph"], plugins: [rawTextPlugin], logLevel: "warning", absWorkingDir: join(root, "plugin") });
console.log(out);
