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
  // Runs of characters that need no escape are copied as slices, not character by character.
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const escape = escapeOf(text.charCodeAt(i));
    if (escape === undefined) continue;
    out += text.slice(copied, i) + escape;
    copied = i + 1;
  }
  return `"${copied === 0 ? text : out + text.slice(copied)}"`;
}

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x5c: "\\\\", // backslash
  0x22: '\\"',
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
};

/**
 * The escape of a UTF-16 code unit, or undefined when it stays as it is. Every character escaped
 * is in the BMP and not a surrogate, so code units say the same as code points; a surrogate pair
 * is copied as it is.
 */
function escapeOf(code: number): string | undefined {
  // Printable ASCII, most of any text: only the backslash and the quote are escaped.
  if (code >= 0x20 && code < 0x7f) return code === 0x5c || code === 0x22 ? NAMED_ESCAPES[code] : undefined;
  const named = NAMED_ESCAPES[code];
  if (named !== undefined) return named;
  // C0 and C1 controls, DEL, and the Unicode line and paragraph separators: invisible, and some
  // editors and terminals break lines on them.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    return `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return undefined;
}

/** An identifier in backticks (names are validated upstream; this keeps any name harmless). */
export function sqlIdentifier(name: string): string {
  // Names hold neither character: no regex pass for them.
  if (!name.includes("`") && !name.includes("\\")) return `\`${name}\``;
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
