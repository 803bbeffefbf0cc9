/**
 * An entity whose comments and descriptions try every way text can break a generated file:
 * quotes of every kind, backslashes, line breaks, comment markers of SQL, LookML, YAML, proto and
 * TypeScript, template markers, non-ASCII, and a description longer than BigQuery allows.
 * Every emitter's tests generate it and check that the text survives exactly.
 */

/** Text of a field option `description`, as the plugin must see it after the proto string is unescaped. */
export const HOSTILE_OPTION_DESCRIPTION =
  `He said "stop"; she said 'go' and ''' then """ and \`tick\` \\ backslash \\n not-a-newline\n` +
  `real newline -- sql comment # yaml comment /* block */ ;; looker } { \${template} {{handlebars}} <b>html</b> ` +
  `{% jinja %} é ü 日本語 🚀 \u2028 line separator: end`;

/** The option description as a proto string literal (escaped for the .proto source). */
function protoString(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else out += ch;
  }
  return `"${out}"`;
}

/** Lines of a leading comment; the plugin's description is these lines joined with "\n". */
export const HOSTILE_COMMENT_LINES = [
  `Comment with "double" and 'single' quotes, ''' triple ''' and """ triple """.`,
  "Backslashes \\ \\\\ and \\n literally; SQL -- dash comment and /* block */ and */ closer.",
  "LookML ;; terminator, braces } { and YAML: key: value # hash - dash [list] & anchor * alias | pipe > fold",
  "Template ${x} {{y}} {% z %} and non-ASCII: Grüße, 東京, 🚀.",
];
export const HOSTILE_COMMENT = HOSTILE_COMMENT_LINES.join("\n");

/** 2,000 characters: BigQuery keeps 1,024, so the plugin cuts it with a visible marker. */
export const LONG_DESCRIPTION = Array.from({ length: 200 }, (_, i) => `word${String(i).padStart(4, "0")}.`).join(" ").slice(0, 2000);

export const HOSTILE_PROTO_PATH = "hostile/v1/hostile.proto";

export const HOSTILE_PROTO = `syntax = "proto3";

package hostile.v1;

import "entity/v1/options.proto";

${HOSTILE_COMMENT_LINES.map((l) => `// ${l}`).join("\n")}
message Hostile {
  option (entity.v1.entity) = {
    description: ${protoString(HOSTILE_OPTION_DESCRIPTION)}
  };

${HOSTILE_COMMENT_LINES.map((l) => `  // ${l}`).join("\n")}
  string id = 1;
  // Plain comment, overridden by the option.
  string quoted = 2 [(entity.v1.field).description = ${protoString(HOSTILE_OPTION_DESCRIPTION)}];
  string long_text = 3 [(entity.v1.field).description = ${protoString(LONG_DESCRIPTION)}];
  // A nested message with a hostile comment too.
  Inner inner = 4;
  // An enum whose comment has quotes "too".
  Mood mood = 5;
}

${HOSTILE_COMMENT_LINES.map((l) => `// ${l}`).join("\n")}
message Inner {
${HOSTILE_COMMENT_LINES.map((l) => `  // ${l}`).join("\n")}
  string note = 1;
}

// Mood with "quotes".
enum Mood {
  // Not set.
  MOOD_UNSPECIFIED = 0;
  // Happy.
  MOOD_HAPPY = 1;
}
`;

/** What the description columns must hold: the entity's, the id's, the option's, the long one's. */
export const HOSTILE_EXPECTED = {
  entity: HOSTILE_OPTION_DESCRIPTION,
  id: HOSTILE_COMMENT,
  quoted: HOSTILE_OPTION_DESCRIPTION,
  /** Cut to 1,024 characters including the marker. */
  longText: LONG_DESCRIPTION.slice(0, 1024 - " [truncated]".length) + " [truncated]",
  innerNote: HOSTILE_COMMENT,
};
