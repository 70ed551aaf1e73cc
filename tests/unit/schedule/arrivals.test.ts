import { describe, expect, test } from "bun:test";
import { type ArrivalOptions, arrivalOffsetsNs } from "../../../src/schedule/arrivals.ts";

const NS_PER_S = 1e9;

function intervals(a: Float64Array): Float64Array {
  const d = new Float64Array(a.length - 1);
  for (let i = 1; i < a.length; i++) d[i - 1] = (a[i] as number) - (a[i - 1] as number);
  return d;
}

function meanAndCv2(xs: Float64Array): { mean: number; cv2: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let sq = 0;
  for (const x of xs) sq += (x - mean) ** 2;
  return { mean, cv2: sq / xs.length / (mean * mean) };
}

function isAscending(a: Float64Array): boolean {
  for (let i = 1; i < a.length; i++) if ((a[i] as number) < (a[i - 1] as number)) return false;
  return true;
}

/** Arrivals in [fromNs, toNs). */
function countIn(a: Float64Array, fromNs: number, toNs: number): number {
  let n = 0;
  for (const t of a) if (t >= fromNs && t < toNs) n++;
  return n;
}

describe("arrivalOffsetsNs: rate and shape per pattern", () => {
  const N = 200_000;
  const rate = 250;
  const cases: { name: string; o: Partial<ArrivalOptions>; cv2: number; cv2Tol: number }[] = [
    { name: "constant", o: { pattern: "constant" }, cv2: 0, cv2Tol: 1e-12 },
    { name: "poisson", o: { pattern: "poisson" }, cv2: 1, cv2Tol: 0.03 },
    { name: "gamma k=0.25", o: { pattern: "gamma", smoothness: 0.25 }, cv2: 4, cv2Tol: 0.2 },
    { name: "gamma k=0.5", o: { pattern: "gamma", smoothness: 0.5 }, cv2: 2, cv2Tol: 0.08 },
    { name: "gamma k=1", o: { pattern: "gamma", smoothness: 1 }, cv2: 1, cv2Tol: 0.03 },
    { name: "gamma k=2", o: { pattern: "gamma", smoothness: 2 }, cv2: 0.5, cv2Tol: 0.015 },
    { name: "gamma k=4", o: { pattern: "gamma", smoothness: 4 }, cv2: 0.25, cv2Tol: 0.008 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const a = arrivalOffsetsNs({ pattern: "poisson", ratePerSec: rate, maxCount: N, seed: 42, ...c.o });
      expect(a.length).toBe(N);
      expect(a[0]).toBe(0);
      expect(isAscending(a)).toBe(true);
      const { mean, cv2 } = meanAndCv2(intervals(a));
      // Four standard errors of the mean interval (zero for constant, which is exact).
      expect(Math.abs(mean / (NS_PER_S / rate) - 1)).toBeLessThanOrEqual(4 * Math.sqrt(c.cv2 / N) + 1e-9);
      expect(Math.abs(cv2 - c.cv2)).toBeLessThan(c.cv2Tol);
    });
  }

  test("constant intervals are exact, even far out", () => {
    const a = arrivalOffsetsNs({ pattern: "constant", ratePerSec: 3, maxCount: 3_000_001, seed: 1 });
    expect(Array.from(a.subarray(0, 4))).toEqual([0, 1e9 / 3, 2e9 / 3, 1e9]);
    expect(a[3_000_000]).toBe(1e15);
  });
});

describe("arrivalOffsetsNs: seeds", () => {
  const base: ArrivalOptions = { pattern: "poisson", ratePerSec: 100, maxCount: 1000, seed: 7 };
  for (const pattern of ["poisson", "gamma"] as const) {
    test(`${pattern}: same seed, same arrays; different seed, different`, () => {
      const o = { ...base, pattern, smoothness: 0.5 };
      expect(arrivalOffsetsNs(o)).toEqual(arrivalOffsetsNs(o));
      expect(arrivalOffsetsNs({ ...o, seed: 8 })).not.toEqual(arrivalOffsetsNs(o));
    });
  }
});

describe("arrivalOffsetsNs: bounds", () => {
  // Each case checks an exact length or, for a time bound, the last arrival before it.
  const cases: ({ name: string; o: Partial<ArrivalOptions> } & ({ length: number } | { lastBelowNs: number }))[] = [
    { name: "maxCount", o: { maxCount: 123 }, length: 123 },
    { name: "maxCount 0", o: { maxCount: 0 }, length: 0 },
    { name: "maxCount 1 is just the first at 0", o: { maxCount: 1 }, length: 1 },
    { name: "maxOffsetNs", o: { maxOffsetNs: 2 * NS_PER_S }, lastBelowNs: 2 * NS_PER_S },
    { name: "maxOffsetNs 0 excludes the first", o: { maxOffsetNs: 0 }, length: 0 },
    { name: "both: count wins", o: { maxCount: 10, maxOffsetNs: 100 * NS_PER_S }, length: 10 },
    { name: "both: offset wins", o: { maxCount: 1e9, maxOffsetNs: NS_PER_S }, lastBelowNs: NS_PER_S },
    { name: "constant stops before an arrival exactly at the bound", o: { pattern: "constant", maxOffsetNs: NS_PER_S }, length: 100 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const a = arrivalOffsetsNs({ pattern: "poisson", ratePerSec: 100, seed: 3, ...c.o });
      if ("length" in c) {
        expect(a.length).toBe(c.length);
      } else {
        expect(a.length).toBeGreaterThan(0);
        expect(a[a.length - 1]).toBeLessThan(c.lastBelowNs);
        // The next arrival (same seed, one more) would be at or past the bound.
        const more = arrivalOffsetsNs({ pattern: "poisson", ratePerSec: 100, seed: 3, ...c.o, maxOffsetNs: undefined, maxCount: a.length + 1 });
        expect(more[a.length]).toBeGreaterThanOrEqual(c.lastBelowNs);
      }
    });
  }

  test("the offset bound cuts the same sequence the count bound produces", () => {
    const byCount = arrivalOffsetsNs({ pattern: "gamma", smoothness: 2, ratePerSec: 50, maxCount: 5000, seed: 9 });
    const byOffset = arrivalOffsetsNs({ pattern: "gamma", smoothness: 2, ratePerSec: 50, maxOffsetNs: 20 * NS_PER_S, seed: 9 });
    expect(byOffset).toEqual(byCount.slice(0, byOffset.length));
  });

  const invalid: { name: string; o: Partial<ArrivalOptions> }[] = [
    { name: "no bound", o: { maxCount: undefined, maxOffsetNs: undefined } },
    { name: "rate 0", o: { ratePerSec: 0 } },
    { name: "negative rate", o: { ratePerSec: -1 } },
    { name: "smoothness 0", o: { pattern: "gamma", smoothness: 0 } },
    { name: "negative ramp", o: { rampNs: -1 } },
    { name: "fractional count", o: { maxCount: 1.5 } },
    { name: "negative offset bound", o: { maxCount: undefined, maxOffsetNs: -1 } },
    { name: "only an infinite offset bound", o: { maxCount: undefined, maxOffsetNs: Infinity } },
  ];
  for (const c of invalid) {
    test(`RangeError: ${c.name}`, () => {
      expect(() => arrivalOffsetsNs({ pattern: "poisson", ratePerSec: 10, maxCount: 10, seed: 1, ...c.o })).toThrow(RangeError);
    });
  }
});

describe("arrivalOffsetsNs: ramp", () => {
  const rate = 8000;
  const rampNs = 10 * NS_PER_S;
  for (const pattern of ["constant", "poisson", "gamma"] as const) {
    test(`${pattern}: arrivals grow as t² during the ramp, then run at the target rate`, () => {
      const a = arrivalOffsetsNs({ pattern, smoothness: 2, ratePerSec: rate, rampNs, maxOffsetNs: 3 * rampNs, seed: 11 });
      expect(a[0]).toBe(0);
      expect(isAscending(a)).toBe(true);
      const firstHalf = countIn(a, 0, rampNs / 2);
      const wholeRamp = countIn(a, 0, rampNs);
      // Λ(R) = rate·R/2 = 40,000 expected arrivals in the ramp; Λ(R/2) is a quarter of that.
      expect(Math.abs(wholeRamp / ((rate * rampNs) / NS_PER_S / 2) - 1)).toBeLessThan(0.03);
      expect(Math.abs(firstHalf / wholeRamp - 0.25)).toBeLessThan(0.02);
      const after = countIn(a, rampNs, 3 * rampNs);
      expect(Math.abs(after / ((rate * 2 * rampNs) / NS_PER_S) - 1)).toBeLessThan(0.02);
    });
  }

  test("constant with a ramp: intervals shrink during the ramp and are exactly 1/rate after it", () => {
    const a = arrivalOffsetsNs({ pattern: "constant", ratePerSec: 100, rampNs: NS_PER_S, maxCount: 200, seed: 1 });
    const d = intervals(a);
    for (let i = 1; i < 49; i++) expect(d[i] as number).toBeLessThan(d[i - 1] as number);
    // Λ(1 s) = 50, so arrival 50 is at the ramp end and the ones after are 10 ms apart.
    expect(a[50]).toBeCloseTo(NS_PER_S, 3);
    for (let i = 50; i < d.length; i++) expect(d[i] as number).toBeCloseTo(1e7, 3);
  });

  test("ramp 0 is the same as no ramp", () => {
    const o: ArrivalOptions = { pattern: "poisson", ratePerSec: 100, maxCount: 500, seed: 5 };
    expect(arrivalOffsetsNs({ ...o, rampNs: 0 })).toEqual(arrivalOffsetsNs(o));
  });
});

describe("arrivalOffsetsNs: size", () => {
  test("millions of arrivals (5,000 req/s over 600 s)", () => {
    const a = arrivalOffsetsNs({ pattern: "poisson", ratePerSec: 5000, maxOffsetNs: 600 * NS_PER_S, seed: 1 });
    expect(Math.abs(a.length / 3_000_000 - 1)).toBeLessThan(0.005);
    expect(a[a.length - 1]).toBeLessThan(600 * NS_PER_S);
  });
});
