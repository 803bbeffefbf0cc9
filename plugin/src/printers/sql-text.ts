/**
 * GoogleSQL lexical pieces, for the typed SQL printer (`sql.ts`) only: emitters and layers print
 * SQL through its fragments, so that no comment from a .proto can end a string early, start a SQL
 * comment or change what a statement means (test/printers/sql.test.ts checks who imports this).
 */

/**
 * A double-quoted GoogleSQL string literal that reads back as exactly `text`. Backslashes and
 * quotes are escaped, line breaks and other control characters become escapes, and printable
 * non-ASCII stays as it is so that the DDL remains readable.
 */
export function sqlString(text: string): string {
  let out = "";
  for (const ch of text) out += escapeChar(ch);
  return `"${out}"`;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

function escapeChar(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0)!;
  // C0 and C1 controls, DEL, and the Unicode line and paragraph separators: invisible, and some
  // editors and terminals break lines on them.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    return `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return ch;
}

/** An identifier in backticks (names are validated upstream; this keeps any name harmless). */
export function sqlIdentifier(name: string): string {
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

/** A column path (`payload.id`), each part quoted. */
export function sqlPath(path: readonly string[]): string {
  return path.map(sqlIdentifier).join(".");
}

/** `-- ` line comments; line breaks in `text` start new comment lines rather than SQL. */
export function sqlLineComment(text: string): string {
  return text
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((line) => `-- ${line}`.trimEnd())
    .join("\n");
}
