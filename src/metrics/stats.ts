// Exact statistics over a set of values, bit-for-bit as AIPerf computes them with numpy (float64):
// np.mean / np.std use numpy's pairwise summation, np.std is the population std (ddof=0), and
// np.percentile is "linear" interpolation with numpy's two-sided lerp. Summing naively or
// interpolating as `a + (b - a) * t` differs from numpy in the last bits, which can flip a `.2f`.

export interface Stats {
  count: number;
  avg: number;
  min: number;
  max: number;
  sum: number;
  std: number;
  /** Keyed by percentile, e.g. 50 -> p50, 99.9 -> p99.9. */
  percentiles: Map<number, number>;
}

export const DEFAULT_PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

/** numpy's block size below which pairwise summation runs the 8-way unrolled loop. */
const PW_BLOCKSIZE = 128;

/** numpy's `pairwise_sum` for float64 (what `np.add.reduce` runs on a contiguous array). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    }
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** np.mean: pairwise sum (after the reduction's 0.0 identity) divided by the count. */
export function numpyMean(a: ArrayLike<number>): number {
  return (0 + pairwiseSum(a)) / a.length;
}

/** np.std(a) (ddof=0): sqrt(pairwise_sum((a - mean)^2) / n). */
export function numpyStd(a: ArrayLike<number>): number {
  const mean = numpyMean(a);
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - mean;
    sq[i] = d * d;
  }
  return Math.sqrt((0 + pairwiseSum(sq)) / a.length);
}

/** The 0-based order statistics numpy.percentile(p) reads from n sorted values (one or two ranks). */
export function percentileRanks(n: number, p: number): number[] {
  const virtualIndex = (n - 1) * (p / 100);
  if (virtualIndex >= n - 1) return [n - 1];
  if (virtualIndex < 0) return [0];
  const lo = Math.floor(virtualIndex);
  return [lo, lo + 1];
}

/**
 * numpy.percentile with the default "linear" method over n sorted values, read through `at(rank)`
 * (only the ranks percentileRanks names are read).
 */
export function percentileOf(n: number, p: number, at: (rank: number) => number): number {
  if (n === 0) return NaN;
  const q = p / 100;
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return at(n - 1);
  if (virtualIndex < 0) return at(0);
  const lo = Math.floor(virtualIndex);
  const gamma = virtualIndex - lo;
  const a = at(lo);
  const b = at(lo + 1);
  // numpy's _lerp: interpolate from the nearer end so that t=1 yields exactly b.
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** numpy.percentile(sorted, p) with the default "linear" method; `sorted` ascending, non-empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  return percentileOf(sorted.length, p, (i) => sorted[i]!);
}

/**
 * Statistics in the order values were collected (order matters to the sums, as in numpy).
 * `sum` defaults to a running left-to-right sum, which is how AIPerf's metric arrays track it.
 */
export function computeStats(values: readonly number[], percentiles: readonly number[] = DEFAULT_PERCENTILES, sum?: number): Stats | null {
  if (values.length === 0) return null;
  const arr = Float64Array.from(values);
  const sorted = Float64Array.from(values).sort();
  let running = 0;
  for (const v of arr) running += v;
  const pct = new Map<number, number>();
  for (const p of percentiles) pct.set(p, percentileSorted(sorted, p));
  return {
    count: arr.length,
    avg: numpyMean(arr),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    sum: sum ?? running,
    std: numpyStd(arr),
    percentiles: pct,
  };
}
