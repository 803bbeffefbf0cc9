/**
 * dbt renders descriptions and config values with Jinja before it uses them, so text from a
 * .proto that contains `{{`, `{%` or `{#` would be evaluated (or fail `dbt parse` with an unknown
 * tag). Each such opener is written as a Jinja expression that prints it, which dbt renders back
 * to the original text.
 */
const JINJA_OPENERS = /\{[{%#]/g;

/** Text that Jinja renders to `text` exactly. */
export function jinjaLiteral(text: string): string {
  // Every description goes through here; most hold no `{` and need no regex pass.
  if (!text.includes("{")) return text;
  return text.replace(JINJA_OPENERS, (opener) => `{{ '${opener}' }}`);
}

/**
 * `{{ var('name', 'default') }}`: a value a dbt project can set per environment (`vars:` in
 * dbt_project.yml, or `dbt build --vars`), the generated value by default. Names and defaults are
 * GCP project ids and BigQuery dataset names, which hold no quote or backslash.
 */
export function jinjaVar(name: string, defaultValue: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /['\\{}%#]/.test(defaultValue)) throw new Error(`dbt: cannot write ${name}=${defaultValue} as a var`);
  return `{{ var('${name}', '${defaultValue}') }}`;
}
