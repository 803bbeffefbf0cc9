/**
 * Terraform test support: the generated module read back as data (all `terraform/*.tf.json`
 * files merged the way Terraform merges a module's files), and the resources of one entity.
 */
import type { Entity } from "../../../plugin/src/model/types.js";

type Json = Record<string, unknown>;

/** A module's configuration: resource type → name → body, and its variables, outputs, locals. */
export interface TerraformModule {
  readonly resource: Record<string, Record<string, Json>>;
  readonly variable: Record<string, Json>;
  readonly output: Record<string, Json>;
  readonly files: ReadonlyMap<string, Json>;
}

/** Merges the module's files; a resource declared twice fails, as Terraform would refuse it. */
export function readModule(files: ReadonlyMap<string, string>): TerraformModule {
  const module = { resource: {} as Record<string, Record<string, Json>>, variable: {} as Record<string, Json>, output: {} as Record<string, Json>, files: new Map<string, Json>() };
  for (const [name, text] of files) {
    if (!name.startsWith("terraform/")) continue;
    if (!name.endsWith(".tf.json")) throw new Error(`${name}: not a .tf.json file`);
    const config = JSON.parse(text) as Json;
    module.files.set(name, config);
    for (const [type, byName] of Object.entries((config.resource ?? {}) as Record<string, Record<string, Json>>)) {
      const merged = (module.resource[type] ??= {});
      for (const [key, body] of Object.entries(byName)) {
        if (key in merged) throw new Error(`${type}.${key} is declared twice`);
        merged[key] = body;
      }
    }
    Object.assign(module.variable, config.variable ?? {});
    Object.assign(module.output, config.output ?? {});
  }
  return module;
}

/** The module's key of an entity's resources, as the emitter names them. */
export function keyOf(entity: Entity): string {
  return `${entity.dataset}__${entity.table}`.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^(?=[^A-Za-z_])/, "_");
}

/** A resource, or a failed test naming what is missing. */
export function resourceOf(module: TerraformModule, type: string, key: string): Json {
  const body = module.resource[type]?.[key];
  if (body === undefined) throw new Error(`the module has no ${type}.${key}`);
  return body;
}

/** The one block of a block list (`schema_settings = [{…}]`). */
export function block(body: Json, name: string): Json {
  const blocks = body[name] as Json[] | undefined;
  if (blocks?.length !== 1) throw new Error(`expected one ${name} block, got ${JSON.stringify(blocks)}`);
  return blocks[0];
}

/** A string of the module with the deployment's project put in for `${var.project_id}`. */
export function inProject(text: string, project: string): string {
  return text.replaceAll("${var.project_id}", project);
}

/** A string of the module as Terraform reads it: `$${` and `%%{` are a literal `${` and `%{`. */
export function literalValue(text: string): string {
  return text.replaceAll("$${", "${").replaceAll("%%{", "%{");
}
