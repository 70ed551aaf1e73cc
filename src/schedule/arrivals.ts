// Open-loop arrival times for --request-rate: constant, Poisson or gamma intervals, with an optional
// linear rate ramp, precomputed as ns offsets from the phase start so the sender only has to wait.

import { mulberry32 } from "../dataset/seeded-rng.ts";
import { exponential, gamma } from "../random/distributions.ts";

export type ArrivalPattern = "constant" | "poisson" | "gamma";

export interface ArrivalOptions {
  pattern: ArrivalPattern;
  /** Target request rate, > 0. */
  ratePerSec: number;
  /** Gamma shape k (AIPerf --arrival-smoothness / vLLM burstiness): < 1 bursty, 1 = Poisson, > 1 smoother; default 1. */
  smoothness?: number;
  /** --request-rate-ramp-duration in ns; 0/undefined = no ramp. */
  rampNs?: number;
  /** Stop after this many arrivals. */
  maxCount?: number;
  /** Stop before the first arrival at or after this offset. */
  maxOffsetNs?: number;
  seed: number;
}

const NS_PER_S = 1e9;

/**
 * Arrival offsets in ns from the phase start, ascending, the first at 0 (AIPerf sends the first request
 * at once and then sleeps the next interval). Needs maxCount or maxOffsetNs (else RangeError).
 *
 * Intervals are drawn in "operational time" s, where the process has unit rate (mean interval 1):
 * constant 1, Poisson Exp(1), gamma Gamma(k, 1/k) (mean 1, CV² 1/k). Real time is t = Λ⁻¹(s), with
 * Λ(t) the expected number of arrivals by t. Without a ramp Λ(t) = r·t; with a ramp of R ns the rate
 * rises linearly from 0 to r, so Λ(t) = r·t²/(2R) for t < R and r·R/2 + r·(t − R) after. This time
 * change keeps the pattern's shape while making the local rate follow the ramp.
 */
export function arrivalOffsetsNs(o: ArrivalOptions): Float64Array {
  const { maxCount, maxOffsetNs } = validate(o);
  const ratePerNs = o.ratePerSec / NS_PER_S;
  const rampNs = o.rampNs ?? 0;
  const toRealNs = rampNs > 0 ? rampedInverse(ratePerNs, rampNs) : (s: number) => s / ratePerNs;
  const nextInterval = intervalSampler(o);

  let out = new Float64Array(initialCapacity(maxCount, maxOffsetNs, ratePerNs, rampNs));
  let n = 0;
  let s = 0;
  while (n < maxCount) {
    // Constant spacing is i·interval, not a running sum, so it stays exact over millions of arrivals.
    const t = toRealNs(o.pattern === "constant" ? n : s);
    if (t >= maxOffsetNs) break;
    if (n === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = t;
    s += nextInterval();
  }
  return n === out.length ? out : out.slice(0, n);
}

function validate(o: ArrivalOptions): { maxCount: number; maxOffsetNs: number } {
  if (!(o.ratePerSec > 0) || !Number.isFinite(o.ratePerSec)) throw new RangeError(`ratePerSec must be > 0, got ${o.ratePerSec}`);
  const k = o.smoothness ?? 1;
  if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`smoothness must be > 0, got ${o.smoothness}`);
  const rampNs = o.rampNs ?? 0;
  if (!(rampNs >= 0) || !Number.isFinite(rampNs)) throw new RangeError(`rampNs must be >= 0, got ${o.rampNs}`);
  const maxCount = o.maxCount ?? Infinity;
  const maxOffsetNs = o.maxOffsetNs ?? Infinity;
  if (!(maxCount >= 0) || (Number.isFinite(maxCount) && !Number.isInteger(maxCount))) {
    throw new RangeError(`maxCount must be a whole number >= 0, got ${o.maxCount}`);
  }
  if (!(maxOffsetNs >= 0)) throw new RangeError(`maxOffsetNs must be >= 0, got ${o.maxOffsetNs}`);
  if (!Number.isFinite(maxCount) && !Number.isFinite(maxOffsetNs)) {
    throw new RangeError("arrivalOffsetsNs needs a finite maxCount or maxOffsetNs");
  }
  return { maxCount, maxOffsetNs };
}

/** Unit-mean intervals in operational time. */
function intervalSampler(o: ArrivalOptions): () => number {
  const u = mulberry32(o.seed);
  switch (o.pattern) {
    case "constant":
      return () => 1;
    case "poisson":
      return () => exponential(u, 1);
    case "gamma": {
      const k = o.smoothness ?? 1;
      const scale = 1 / k;
      return () => gamma(u, k, scale);
    }
  }
}

/** Λ⁻¹ for the linear ramp: s = r·t²/(2R) before R, so t = sqrt(2·R·s / r); after it, linear at rate r. */
function rampedInverse(ratePerNs: number, rampNs: number): (s: number) => number {
  const sAtRampEnd = (ratePerNs * rampNs) / 2;
  const twoRampOverRate = (2 * rampNs) / ratePerNs;
  return (s) => (s < sAtRampEnd ? Math.sqrt(twoRampOverRate * s) : rampNs + (s - sAtRampEnd) / ratePerNs);
}

/** A first guess at the count, so the buffer rarely has to grow (and never starts absurdly large). */
function initialCapacity(maxCount: number, maxOffsetNs: number, ratePerNs: number, rampNs: number): number {
  let expected = Infinity;
  if (Number.isFinite(maxOffsetNs)) {
    const lambda =
      maxOffsetNs <= rampNs ? (ratePerNs * maxOffsetNs * maxOffsetNs) / (2 * rampNs || 1) : (ratePerNs * rampNs) / 2 + ratePerNs * (maxOffsetNs - rampNs);
    expected = Math.ceil(lambda * 1.05) + 64;
  }
  const guess = Math.min(maxCount, expected, 1 << 24);
  return Math.max(16, Math.floor(guess));
}
