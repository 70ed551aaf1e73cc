// A fixed-size histogram with log-spaced bins, for live percentiles: recording is one Math.log and
// one increment (no allocation), merging is a loop over the bins, and a percentile is a scan. Bins
// grow by RATIO, so a reported value (the bin's geometric middle) is within 1% of every value in it.
// The exact statistics of a run come from the stored records; this is only for what is shown live.

const RATIO = 1.02;
const LOG_RATIO = Math.log(RATIO);
/** Values at or below this land in bin 0 (reported as 0); in ns, 1 µs. */
const LOWEST = 1_000;
/** Values above this land in the last bin; in ns, 1,000 s. */
const HIGHEST = 1e12;
export const BIN_COUNT = Math.ceil(Math.log(HIGHEST / LOWEST) / LOG_RATIO) + 2;

/** Bin of a value (non-negative; ns for latencies). */
export function binOf(value: number): number {
  if (!(value > LOWEST)) return 0;
  return Math.min(BIN_COUNT - 1, 1 + Math.floor(Math.log(value / LOWEST) / LOG_RATIO));
}

/** The value a bin stands for: the geometric middle of its bounds (0 for bin 0). */
export function binValue(bin: number): number {
  if (bin <= 0) return 0;
  return LOWEST * RATIO ** (bin - 0.5);
}

export class LogHistogram {
  readonly counts = new Uint32Array(BIN_COUNT);
  count = 0;

  record(value: number): void {
    this.counts[binOf(value)]!++;
    this.count++;
  }

  /** Adds another histogram's counts to this one. */
  merge(other: LogHistogram): void {
    if (other.count === 0) return;
    const a = this.counts;
    const b = other.counts;
    for (let i = 0; i < BIN_COUNT; i++) a[i]! += b[i]!;
    this.count += other.count;
  }

  clear(): void {
    if (this.count === 0) return;
    this.counts.fill(0);
    this.count = 0;
  }

  /** Nearest-rank percentile (0 < p <= 100), or null when empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BIN_COUNT; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return binValue(i);
    }
    return binValue(BIN_COUNT - 1);
  }
}
