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
    comment = commentFrom(source.leading, source.trailing);
    comments.set(desc, comment);
  }
  return comment;
}

/** The comment as prose from a declaration's leading and trailing comments, as commentOf reads them. */
export function commentFrom(leading: string, trailing: string): string {
  return cleanedComment(leading) || cleanedComment(trailing);
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

/**
 * Each source comment's cleaned text, by the comment as the source info holds it: the same comment
 * (a shared convention's, an id's) is cleaned once, not once per entity.
 */
let cleanedComments = new Map<string, string>();

function cleanedComment(raw: string): string {
  if (raw === "") return raw;
  let cleaned = cleanedComments.get(raw);
  if (cleaned === undefined) {
    cleaned = interned(cleanComment(normalizeLineBreaks(raw)));
    cleanedComments.set(raw, cleaned);
  }
  return cleaned;
}

/** CRLF, CR, U+2028 and U+2029 turned into LF, as protoplugin's getComments does. */
function normalizeLineBreaks(comment: string): string {
  return comment.replace(/\r\n|[\r\u2028\u2029]/g, "\n");
}

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
  cleanedComments = new Map();
}

function cleanComment(raw: string): string {
  if (raw === "") return raw;
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
  // A string has at least as many UTF-16 code units as code points: short enough either way.
  if (text.length <= MAX_DESCRIPTION_LENGTH) return text;
  const chars = Array.from(text);
  if (chars.length <= MAX_DESCRIPTION_LENGTH) return text;
  return chars.slice(0, MAX_DESCRIPTION_LENGTH - TRUNCATION_MARKER.length).join("") + TRUNCATION_MARKER;
}
