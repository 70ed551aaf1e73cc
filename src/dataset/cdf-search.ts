// Drawing an index by cumulative weight (prompt words by their Zipf weights, synthetic-prompts.ts).

/** Buckets of cdfSearch's guide table. */
const GUIDE_BUCKETS = 4096;

/**
 * The smallest index whose cumulative weight is above x (the last index when none is), as a binary
 * search over `cdf` (ascending, positive weights) finds it, through a guide table: the first candidate
 * of x's bucket, then a few steps up. With the binary search, drawing words was 10% of building a
 * trace's prompts (1.44 of 13.9 s of CPU samples); with the table the build takes 0.85-0.89x the CPU
 * (bench/block-prompts.md).
 */
export function cdfSearch(cdf: Float64Array): (x: number) => number {
  const n = cdf.length;
  const total = cdf[n - 1] ?? 0;
  const bound = new Float64Array(GUIDE_BUCKETS);
  const start = new Int32Array(GUIDE_BUCKETS);
  for (let b = 0, i = 0; b < GUIDE_BUCKETS; b++) {
    bound[b] = (b / GUIDE_BUCKETS) * total;
    while (i < n - 1 && cdf[i]! <= bound[b]!) i++;
    start[b] = i;
  }
  return (x) => {
    let b = Math.min(GUIDE_BUCKETS - 1, Math.max(0, Math.floor((x / total) * GUIDE_BUCKETS)));
    // Rounding may put x below its bucket's bound. Every index before a bucket's start is at or below
    // the bound, so the search may start there only from a bucket whose bound is at or below x.
    while (b > 0 && bound[b]! > x) b--;
    let i = start[b]!;
    while (i < n - 1 && cdf[i]! <= x) i++;
    return i;
  };
}
