/**
 * dbt renders descriptions and config values with Jinja before it uses them, so text from a
 * .proto that contains `{{`, `{%` or `{#` would be evaluated (or fail `dbt parse` with an unknown
 * tag). Each such opener is written as a Jinja expression that prints it, which dbt renders back
 * to the original text.
 */
const JINJA_OPENERS = /\{[{%#]/g;

/** Text that Jinja renders to `text` exactly. */
export function jinjaLiteral(text: string): string {
  return text.replace(JINJA_OPENERS, (opener) => `{{ '${opener}' }}`);
}
