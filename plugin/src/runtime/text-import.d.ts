/**
 * `import text from "./file.ts?raw"` gives the file's text, not its module: Vite (vitest) does it
 * natively, the bundle's esbuild and the benchmark's tsx through plugin/scripts/raw-text.mjs.
 * The runtime of the generated package is written out as it is, so the plugin holds its text.
 */
declare module "*?raw" {
  const text: string;
  export default text;
}
