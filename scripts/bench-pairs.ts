// Paired runs (this build and arm B, alternating): in how many pairs this build's figure was lower.

/** "N of M": pairs (mine[i], theirs[i]) where f(mine) < f(theirs). */
export function lowerInPairs<T>(mine: readonly T[], theirs: readonly T[], f: (x: T) => number): string {
  return `${mine.filter((x, i) => f(x) < f(theirs[i]!)).length} of ${mine.length}`;
}
