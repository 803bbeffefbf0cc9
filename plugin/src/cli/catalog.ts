/**
 * `protoc-gen-entity catalog [--open] [--dir generated/catalog]`: prints the file:// address of the
 * catalog's index page (which generation writes), and with --open shows it in the desktop's
 * browser. The catalog is static: nothing is served, the browser reads the files.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseFlags } from "./args.js";

export const DEFAULT_CATALOG_DIR = "generated/catalog";

export async function catalogCommand(args: readonly string[]): Promise<number> {
  const open = args.includes("--open");
  const flags = parseFlags(args.filter((a) => a !== "--open"), ["dir"]);
  const index = catalogIndexUrl(flags.get("dir") ?? DEFAULT_CATALOG_DIR);
  if (index === undefined) {
    process.stderr.write(`protoc-gen-entity catalog: no catalog in ${resolve(flags.get("dir") ?? DEFAULT_CATALOG_DIR)}; run \`npm run generate\` (protoc-gen-entity generate) first.\n`);
    return 1;
  }
  process.stdout.write(`${index}\n`);
  if (open) await openInBrowser(index);
  return 0;
}

/** The file:// address of the catalog's index page in `dir`, if generation wrote one there. */
export function catalogIndexUrl(dir: string): string | undefined {
  const index = resolve(dir, "index.html");
  return existsSync(index) ? pathToFileURL(index).href : undefined;
}

/** After generation: where the catalog is, when the run wrote one to the usual place. */
export function printCatalogAddress(): void {
  const index = catalogIndexUrl(DEFAULT_CATALOG_DIR);
  if (index !== undefined) process.stdout.write(`catalog: ${index} (protoc-gen-entity catalog --open)\n`);
}

/** `open` on macOS, `xdg-open` elsewhere; the browser outlives this process. */
function openInBrowser(url: string): Promise<void> {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? join(process.env.SystemRoot ?? "C:\\Windows", "explorer.exe") : "xdg-open";
  return new Promise((resolvePromise, reject) => {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.once("error", (error) => reject(new Error(`could not run ${opener} to open ${url}: ${error.message}`)));
    child.once("spawn", () => {
      child.unref();
      resolvePromise();
    });
  });
}
