/**
 * Values that many columns have alike, as one shared, frozen value rather than a copy per column:
 * the model lives through the whole run (66,000 columns on the 1,000-entity benchmark), and an
 * empty list or a `{ kind: "scalar" }` per column was a fifth of its memory. A column's parts are
 * never changed after it is built (the types say readonly; freezing makes a slip throw).
 */
import type { Aggregate, Column, ColumnSource, Conversion } from "./types.js";

export const NO_COLUMNS: readonly Column[] = Object.freeze([]);
export const NO_AGGREGATES: readonly Aggregate[] = Object.freeze([]);
export const SCALAR_CONVERSION: Conversion = Object.freeze({ kind: "scalar" });
export const MAP_CONVERSION: Conversion = Object.freeze({ kind: "map" });
export const MAP_KEY_CONVERSION: Conversion = Object.freeze({ kind: "map_key" });
export const ENVELOPE_CONVERSION: Conversion = Object.freeze({ kind: "envelope" });
export const ENVELOPE_SOURCE: ColumnSource = Object.freeze({ kind: "envelope" });
