/** Text formatting shared by the runner and the benchmarks. */

/** An aligned plain-text table, as lines. */
export function tableLines(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => String(c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

export const formatMs = (ms) => `${ms.toFixed(0)} ms`;

/** Decimal megabytes (10^6 bytes), the stricter reading of a target given in MB. */
export const formatMb = (bytes, digits = 0) => `${(bytes / 1e6).toFixed(digits)} MB`;
