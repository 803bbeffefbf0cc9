/**
 * What the commands need to know from buf.gen.yaml: where protoc-gen-entity keeps the released
 * lock (its plugin option `lock=`). buf reads the template; the commands only look, so that they
 * can tell a lost lock from a project that never released.
 */
import { existsSync, readFileSync } from "node:fs";

export interface TemplateSettings {
  /** The `lock=` option as written, relative to the directory buf runs in; undefined when none is set. */
  readonly lockPath: string | undefined;
}

/** Reads the template at `template`, or the template itself when buf is given it as data (`--template '{...}'`). */
export async function readTemplateSettings(template: string): Promise<TemplateSettings> {
  // Loaded here, not at start-up: the plugin itself, which buf starts for every run, never needs it.
  const { parse } = await import("yaml");
  const text = existsSync(template) ? readFileSync(template, "utf8") : template;
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${template} is not valid YAML: ${(error as Error).message}`);
  }
  const plugins = isRecord(document) && Array.isArray(document.plugins) ? document.plugins : [];
  const locks = plugins.flatMap((plugin) => optionsOf(plugin)).filter((option) => option.startsWith("lock=")).map((option) => option.slice("lock=".length));
  if (new Set(locks).size > 1) throw new Error(`${template} gives lock= more than once (${locks.join(", ")}); a project has one released state.`);
  return { lockPath: locks[0] };
}

/**
 * The template for a release run, as data for `buf generate --template`: the same, with the plugin
 * option `release` added to protoc-gen-entity (the plugin entry that names the lock), so that the
 * plugin adds the next lock to its output. buf reads a template given as data as it reads the file.
 */
export async function releaseTemplate(template: string, releaseOption: string): Promise<string> {
  const { parse } = await import("yaml");
  const text = existsSync(template) ? readFileSync(template, "utf8") : template;
  const document: unknown = parse(text);
  const plugins = isRecord(document) && Array.isArray(document.plugins) ? document.plugins : [];
  const released = plugins.map((plugin: unknown) =>
    isRecord(plugin) && optionsOf(plugin).some((option) => option.startsWith("lock=")) ? { ...plugin, opt: [...optionsOf(plugin), releaseOption] } : plugin,
  );
  return JSON.stringify({ ...(document as Record<string, unknown>), plugins: released });
}

/** A plugin entry's `opt`: a list of strings, or one string of comma-separated options. */
function optionsOf(plugin: unknown): string[] {
  if (!isRecord(plugin)) return [];
  const opt = plugin.opt;
  if (typeof opt === "string") return opt.split(",");
  return Array.isArray(opt) ? opt.filter((o): o is string => typeof o === "string").flatMap((o) => o.split(",")) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
