// Statistics across runs (pure): mean with a Student-t confidence interval over repeats, and the
// Pareto frontier of (tokens/s per user, tokens/s per GPU).

/** ln Gamma(x), Lanczos approximation (|error| < 1e-13 for x > 0). */
function lnGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(T <= t) for Student's t with `df` degrees of freedom (t >= 0), by Simpson integration of the density. */
function tCdf(t: number, df: number): number {
  const k = Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2)) / Math.sqrt(df * Math.PI);
  const pdf = (x: number) => k * (1 + (x * x) / df) ** (-(df + 1) / 2);
  const n = 2000;
  const h = t / n;
  let s = pdf(0) + pdf(t);
  for (let i = 1; i < n; i++) s += pdf(i * h) * (i % 2 === 1 ? 4 : 2);
  return 0.5 + (s * h) / 3;
}

/** The t value with P(T <= t) = p (p in (0.5, 1)), by bisection. */
export function tQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface MeanCi {
  mean: number;
  n: number;
  /** Interval bounds; equal to the mean when there is one value. */
  lo: number;
  hi: number;
}

/** Mean of the values with its two-sided confidence interval at `level` (e.g. 0.95). */
export function meanCi(values: readonly number[], level = 0.95): MeanCi {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: Number.NaN, n: 0, lo: Number.NaN, hi: Number.NaN };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, n, lo: mean, hi: mean };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, n, lo: mean - half, hi: mean + half };
}

/** Indices of the points no other point beats on both x and y (larger is better), by increasing x. */
export function paretoFrontier(xs: readonly number[], ys: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).filter((i) => Number.isFinite(xs[i]!) && Number.isFinite(ys[i]!));
  // Walk from the largest x down, keeping each point whose y beats every point to its right.
  idx.sort((a, b) => xs[b]! - xs[a]! || ys[b]! - ys[a]!);
  const keep: number[] = [];
  let best = -Infinity;
  for (const i of idx) {
    if (ys[i]! > best) {
      keep.push(i);
      best = ys[i]!;
    }
  }
  return keep.reverse();
}
