/**
 * Terraform's JSON configuration syntax, as plain objects. Every string in a `.tf.json` file is a
 * template: `${…}` and `%{…}` in a literal (a SQL comment, a description, a topic schema's
 * comment) would be evaluated. So literals and expressions are different types here, and literals
 * are escaped (`$${`, `%%{`) when the file is printed.
 */

/** A Terraform expression, printed as `${…}`. */
export class Expression {
  /**
   * Made once: one expression object is often printed many times (an entity's labels on each of
   * its resources, MODULE_INPUTS on every resource).
   */
  private readonly printed: string;

  constructor(readonly text: string) {
    this.printed = `\${${text}}`;
  }

  /** What JSON.stringify prints for it. */
  toJSON(): string {
    return this.printed;
  }
}

/** `expr("var.project_id")` prints as `"${var.project_id}"`. */
export function expr(text: string): Expression {
  return new Expression(text);
}

/**
 * The module's inputs that every entity's resources name: one expression each per run, printed
 * once, instead of a new object and text per resource.
 */
export const MODULE_INPUTS = {
  projectId: expr("var.project_id"),
  location: expr("var.location"),
  kmsKeyName: expr("var.kms_key_name"),
  messageRetentionDuration: expr("var.message_retention_duration"),
  maxDeliveryAttempts: expr("var.max_delivery_attempts"),
  notificationChannels: expr("var.notification_channels"),
  scheduledQueryServiceAccount: expr("var.scheduled_query_service_account"),
  freshnessNotificationTopic: expr("var.freshness_notification_topic"),
  pubsubServiceAgent: expr("local.pubsub_service_agent"),
} as const;

/** A string made of literal parts and expressions, e.g. `${var.name_prefix}contract`. */
export class Template {
  constructor(readonly parts: readonly (string | Expression)[]) {}

  /** What JSON.stringify prints for it: the literal parts escaped, the expressions as `${…}`. */
  toJSON(): string {
    let text = "";
    for (const part of this.parts) text += typeof part === "string" ? escapeLiteral(part) : part.toJSON();
    return text;
  }
}

export function template(...parts: (string | Expression)[]): Template {
  return new Template(parts);
}

export type ConfigValue =
  | string
  | number
  | boolean
  | null
  | Expression
  | Template
  | readonly ConfigValue[]
  | { readonly [key: string]: ConfigValue | undefined };

/**
 * A `.tf.json` file: the object, keys in the order they were written, two-space indented. Printed
 * by JSON.stringify from the tree, expressions and templates by their toJSON; only the objects and
 * arrays on the way to a literal that needs escaping are copied (rarely any: most of a file,
 * expressions included, is printed as it is).
 */
export function printConfig(config: ConfigValue): string {
  return JSON.stringify(escapedLiterals(config), null, 2) + "\n";
}

function escapedLiterals(value: ConfigValue | undefined): unknown {
  if (typeof value === "string") return escapeLiteral(value);
  if (value === null || typeof value !== "object" || value instanceof Expression || value instanceof Template) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = escapedLiterals(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  // Undefined entries stay in a copy: JSON.stringify leaves them out, as it does in the original.
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const entry = (value as { readonly [key: string]: ConfigValue | undefined })[key];
    if (entry === undefined) continue;
    const printed = escapedLiterals(entry);
    if (printed !== entry) (copy ??= { ...value })[key] = printed;
  }
  return copy ?? value;
}

/** A literal string as Terraform reads it back unchanged. */
export function escapeLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` means one `$`.
  // Most literals (schemas in JSON and SQL included) hold neither: returned as they are, without a regex pass.
  if (!text.includes("${") && !text.includes("%{")) return text;
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A string literal inside an HCL expression (`"a\"b"`), for map keys and values in `merge(...)`. */
export function hclString(text: string): string {
  return escapeLiteral(JSON.stringify(text));
}
