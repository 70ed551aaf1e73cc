// Bins of value series accumulated one value at a time, as a run stores its requests, keyed exactly as
// the SQL of store/binned-stats.ts keys the stored values ("round" bins): the end-of-run summary then
// skips its full scan. Memory is bounded by the values' spread (1024 bins per octave per series), not
// by their number.
import { roundKeyOf } from "./bin-keys.ts";
import type { RawBin } from "./binned-stats.ts";

interface LiveBin {
  n: number;
  lo: number;
  hi: number;
  sum: number;
  mean: number;
  m2: number;
}

export class LiveBins<S extends string = string> {
  private readonly series = new Map<S, Map<number, LiveBin>>();

  add(series: S, v: number): void {
    // The database stores non-finite numbers as NULL, which the SQL side skips.
    if (!Number.isFinite(v)) return;
    let bins = this.series.get(series);
    if (bins === undefined) this.series.set(series, (bins = new Map()));
    const key = roundKeyOf(v);
    const b = bins.get(key);
    if (b === undefined) {
      bins.set(key, { n: 1, lo: v, hi: v, sum: v, mean: v, m2: 0 });
      return;
    }
    b.n++;
    b.sum += v;
    if (v < b.lo) b.lo = v;
    if (v > b.hi) b.hi = v;
    // Welford's update: the bin's variance without cancellation.
    const d = v - b.mean;
    b.mean += d / b.n;
    b.m2 += d * (v - b.mean);
  }

  /** The series' bins in value order, or undefined when it has no values. */
  bins(series: S): RawBin[] | undefined {
    const bins = this.series.get(series);
    if (bins === undefined) return undefined;
    return [...bins].map(([key, b]) => ({ key, n: b.n, lo: b.lo, hi: b.hi, sum: b.sum, varPop: b.m2 / b.n })).sort((a, b) => a.lo - b.lo);
  }

  /** Bins held (to check the bound). */
  get size(): number {
    let n = 0;
    for (const bins of this.series.values()) n += bins.size;
    return n;
  }
}
