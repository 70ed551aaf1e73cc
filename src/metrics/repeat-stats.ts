// One metric over the repeated runs of a point: mean, sample standard deviation, coefficient of
// variation and the Student-t confidence interval of the mean (AIPerf's multi-run statistics).
import { tQuantile } from "./student-t.ts";

/** A point whose CV passes this on some metric is flagged (AIPerf's guidance: above 20%, more runs or a look). */
export const HIGH_CV = 0.2;

export interface RepeatStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  std: number;
  /** std / |mean|; null for one value or a zero mean. */
  cv: number | null;
  /** Bounds of the confidence interval of the mean; null for one value. */
  ciLow: number | null;
  ciHigh: number | null;
  /** The t quantile used; null for one value. */
  tCritical: number | null;
}

/** Statistics of `values` (finite numbers) at `confidence` (0-1); null when there are none. */
export function repeatStats(values: readonly number[], confidence: number): RepeatStats | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, std: 0, cv: null, ciLow: null, ciHigh: null, tCritical: null };
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const tCritical = tQuantile(1 - (1 - confidence) / 2, n - 1);
  const half = (tCritical * std) / Math.sqrt(n);
  return { n, mean, std, cv: mean === 0 ? null : std / Math.abs(mean), ciLow: mean - half, ciHigh: mean + half, tCritical };
}
