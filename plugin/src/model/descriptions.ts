import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { sourceCommentsOf } from "./location.js";

/** BigQuery's limit for table and column descriptions, in characters. */
export const MAX_DESCRIPTION_LENGTH = 1024;
export const TRUNCATION_MARKER = " [truncated]";

/**
 * The declaration's comment as prose: leading comment, else trailing, without lint directives.
 * A leading comment that held only lint directives counts as absent.
 */
export function commentOf(desc: DescMessage | DescField | DescEnum): string {
  let comment = comments.get(desc);
  if (comment === undefined) {
    const source = sourceCommentsOf(desc);
    comment = interned(cleanComment(source.leading) || cleanComment(source.trailing));
    comments.set(desc, comment);
  }
  return comment;
}

/** Each declaration's comment, made once however many columns a message used several times gets. */
let comments = new Map<DescMessage | DescField | DescEnum, string>();

/**
 * Each distinct comment text, as one flat string. A cleaned comment is a slice of the joined
 * lines (`trim`), which keeps the whole joined string alive behind it, and the same comment on a
 * field of every entity (a shared field convention, an id's or a timestamp's) was a copy per
 * entity: the model's descriptions held ~3 MB of such slices and parents on the 1,000-entity
 * benchmark, for the whole run.
 */
let commentTexts = new Map<string, string>();

function interned(comment: string): string {
  let text = commentTexts.get(comment);
  if (text === undefined) {
    text = flatCopy(comment);
    commentTexts.set(text, text);
  }
  return text;
}

/** A string of its own characters (not a slice of a larger one): parsing JSON makes a new one. */
function flatCopy(text: string): string {
  return text === "" ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** Lets the comments go once the model is built (see buildModel); a later call reads them again. */
export function forgetComments(): void {
  comments = new Map();
  commentTexts = new Map();
}

function cleanComment(raw: string): string {
  return raw
    .split("\n")
    .map((line) => (line.startsWith(" ") ? line.slice(1) : line).trimEnd())
    .filter((line) => !/^\s*buf:lint:/.test(line))
    .join("\n")
    .trim();
}

/**
 * Cuts a description to BigQuery's limit. Counting is in Unicode code points, as BigQuery counts
 * characters; the marker shows readers that the contract says more.
 */
export function fitDescription(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= MAX_DESCRIPTION_LENGTH) return text;
  return chars.slice(0, MAX_DESCRIPTION_LENGTH - TRUNCATION_MARKER.length).join("") + TRUNCATION_MARKER;
}
