/**
 * Which numeric columns are quantities, and so get sums, averages, minimums and maximums in
 * Looker: read once here from the contract, so emitters only print what the column says.
 */
import { NO_AGGREGATES } from "./shared.js";
import type { DescField } from "@bufbuild/protobuf";
import { Measure, type Field as FieldOption } from "../gen/entity/v1/options_pb.js";
import type { Problems } from "./errors.js";
import type { Aggregate, BigQueryType, Conversion, SourceLocation } from "./types.js";

export const ALL_AGGREGATES: readonly Aggregate[] = Object.freeze(["sum", "average", "min", "max"]);

const NUMERIC: ReadonlySet<BigQueryType> = new Set(["INT64", "FLOAT64", "NUMERIC", "BIGNUMERIC"]);

/**
 * Names of numbers that are labels rather than amounts: adding up ids, codes, serial or frame
 * numbers, versions or years gives nothing an analyst wants.
 */
const LABEL_NAME = /(^|_)(id|ids|code|codes|number|numbers|no|year|years|version|index|key|crc|counter|serial)$/i;

const BY_OPTION: Readonly<Record<number, Aggregate>> = {
  [Measure.SUM]: "sum",
  [Measure.AVERAGE]: "average",
  [Measure.MIN]: "min",
  [Measure.MAX]: "max",
};

export interface QuantityInput {
  readonly field: DescField;
  readonly fieldName: string;
  readonly location: SourceLocation;
  readonly option: FieldOption | undefined;
  readonly name: string;
  readonly bigQueryType: BigQueryType;
  readonly conversion: Conversion;
  readonly references: string | undefined;
}

/**
 * The measures of a field's column. For a google.type.Money field, the measures of its amount
 * (the STRUCT itself has none).
 */
export function measuresOf(input: QuantityInput, problems: Problems): readonly Aggregate[] {
  const picked = input.option?.measures ?? [];
  const numeric = input.conversion.kind === "money" || NUMERIC.has(input.bigQueryType);
  if (picked.length > 0) {
    if (picked.includes(Measure.NONE)) {
      if (picked.length > 1) {
        problems.add(input.location, input.fieldName, "lists MEASURE_NONE together with other measures.", "write [(entity.v1.field).measures = MEASURE_NONE] alone to turn measures off, or list only the measures you want.");
      }
      return NO_AGGREGATES;
    }
    if (picked.includes(Measure.UNSPECIFIED)) {
      problems.add(input.location, input.fieldName, "lists MEASURE_UNSPECIFIED as a measure.", "list MEASURE_SUM, MEASURE_AVERAGE, MEASURE_MIN or MEASURE_MAX, or leave measures out for the default.");
      return NO_AGGREGATES;
    }
    if (!numeric || input.conversion.kind === "enum_name") {
      problems.add(input.location, input.fieldName, `picks measures, but its column is ${input.bigQueryType}, not a number Looker can add up.`, "remove (entity.v1.field).measures from this field.");
      return NO_AGGREGATES;
    }
    return ALL_AGGREGATES.filter((a) => picked.some((p) => BY_OPTION[p] === a));
  }
  return isQuantity(input) ? ALL_AGGREGATES : NO_AGGREGATES;
}

function isQuantity(input: QuantityInput): boolean {
  if (input.references !== undefined || input.conversion.kind === "enum_name") return false;
  // Latitude and longitude are coordinates: Looker shows them as a location, not a sum.
  if (input.field.parent.typeName === "google.type.LatLng") return false;
  if (LABEL_NAME.test(input.name)) return false;
  return input.conversion.kind === "money" || NUMERIC.has(input.bigQueryType);
}
