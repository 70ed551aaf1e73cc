// Exact statistics over a set of values, as AIPerf reports them: population std, and percentiles by
// linear interpolation between closest ranks (numpy's default "linear" method).

export interface Stats {
  count: number;
  avg: number;
  min: number;
  max: number;
  sum: number;
  std: number;
  /** Keyed by percentile, e.g. 50 -> p50. */
  percentiles: Map<number, number>;
}

export const DEFAULT_PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

/** numpy.percentile(sorted, p) with the default linear interpolation; `sorted` ascending, non-empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  const frac = rank - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return frac === 0 ? a : a + (b - a) * frac;
}

export function computeStats(values: readonly number[], percentiles: readonly number[] = DEFAULT_PERCENTILES): Stats | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const avg = sum / sorted.length;
  let sq = 0;
  for (const v of sorted) sq += (v - avg) * (v - avg);
  const pct = new Map<number, number>();
  for (const p of percentiles) pct.set(p, percentileSorted(sorted, p));
  return {
    count: sorted.length,
    avg,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    sum,
    std: Math.sqrt(sq / sorted.length),
    percentiles: pct,
  };
}
