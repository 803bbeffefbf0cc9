/**
 * "Did you mean" for names a user typed: a field path, an entity, a plugin option. A misspelling
 * is usually one or two keystrokes away from the name meant, so the closest name within a small
 * edit distance is offered; nothing is offered when every name is far off, since a wrong
 * suggestion sends the reader the wrong way.
 */

/** The closest of `candidates` to `typed`, or undefined when none is close enough to be the one meant. */
export function closestName(typed: string, candidates: Iterable<string>): string | undefined {
  const budget = Math.max(2, Math.floor(typed.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === typed) continue;
    const distance = editDistance(typed.toLowerCase(), candidate.toLowerCase(), budget);
    if (distance > budget) continue;
    // Ties go to the name first in code-point order, so that the message does not depend on input order.
    if (best === undefined || distance < best.distance || (distance === best.distance && candidate < best.name)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** ` Did you mean "x"?`, ready to append to a sentence, or "" when nothing is close. */
export function didYouMean(typed: string, candidates: Iterable<string>): string {
  const closest = closestName(typed, candidates);
  return closest === undefined ? "" : ` Did you mean "${closest}"?`;
}

/**
 * Optimal string alignment distance (Levenshtein with adjacent transpositions, the commonest
 * typo). Stops early once every alignment exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2]! + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
