// SLO capacity search over one load dimension (concurrency or request rate), as AIPerf's monotonic
// planner: probe the minimum, double while probes pass, and once one fails bisect between the largest
// passing and the smallest failing load until they are adjacent (integers) or within `precision` of
// each other. Assumes more load never passes where less failed. Pure: the runner asks for a value,
// runs it, and tells the verdict.

export interface SearchSpec {
  lo: number;
  hi: number;
  /** Concurrency: whole numbers; request rate: any (rounded to 4 significant digits). */
  integer: boolean;
  maxProbes: number;
  /** Stop when (smallest failing - largest passing) / smallest failing is below this. */
  precision: number;
}

export type SearchEnd = "precision_reached" | "no_pass_in_range" | "no_failure_in_range" | "max_iterations";

/** AIPerf's default: bisect until the bracket is within 5%. */
export const SEARCH_PRECISION = 0.05;

const round4 = (x: number): number => Number(x.toPrecision(4));

export class MonotonicSearch {
  /** Largest load that passed. */
  feasibleMax: number | null = null;
  /** Smallest load that failed. */
  infeasibleMin: number | null = null;
  ended: SearchEnd | null = null;
  probes = 0;
  private pending: number;
  private bisecting = false;

  constructor(private readonly spec: SearchSpec) {
    if (!(spec.lo > 0 && spec.hi > spec.lo)) throw new RangeError(`search bounds need 0 < lo < hi (got ${spec.lo}, ${spec.hi})`);
    this.pending = spec.lo;
  }

  /** The next load to probe, or null once the search has ended. */
  next(): number | null {
    if (this.ended === null && this.probes >= this.spec.maxProbes) this.ended = "max_iterations";
    return this.ended === null ? this.pending : null;
  }

  /** The verdict for the load next() returned. */
  tell(value: number, feasible: boolean): void {
    this.probes++;
    if (feasible) {
      if (this.feasibleMax === null || value > this.feasibleMax) this.feasibleMax = value;
    } else if (this.infeasibleMin === null || value < this.infeasibleMin) this.infeasibleMin = value;
    if (!this.bisecting) {
      if (!feasible) {
        if (this.feasibleMax === null) this.ended = "no_pass_in_range";
        else this.bisect();
        this.bisecting = true;
        return;
      }
      if (value >= this.spec.hi) this.ended = "no_failure_in_range";
      else this.pending = Math.min(value * 2, this.spec.hi);
      return;
    }
    this.bisect();
  }

  private bisect(): void {
    const f = this.feasibleMax!;
    const i = this.infeasibleMin!;
    if ((this.spec.integer && i - f <= 1) || (i - f) / i < this.spec.precision) {
      this.ended = "precision_reached";
      return;
    }
    const mid = this.spec.integer ? Math.floor((f + i) / 2) : round4((f + i) / 2);
    if (mid <= f || mid >= i) this.ended = "precision_reached";
    else this.pending = mid;
  }
}
