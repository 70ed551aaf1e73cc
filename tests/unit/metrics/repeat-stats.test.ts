import { describe, expect, test } from "bun:test";
import { repeatStats } from "../../../src/metrics/repeat-stats.ts";

// Expected values from numpy/scipy: mean, std(ddof=1), std/mean, mean -/+ t.ppf(1-(1-c)/2, n-1) * std / sqrt(n).
const CASES: { values: number[]; confidence: number; mean: number; std: number; cv: number; ciLow: number; ciHigh: number; t: number }[] = [
  {
    values: [100, 110, 105],
    confidence: 0.95,
    mean: 105,
    std: 5,
    cv: 0.047619047619047616,
    ciLow: 92.57931144124835,
    ciHigh: 117.42068855875165,
    t: 4.302652729749462,
  },
  {
    values: [10, 12, 11, 13],
    confidence: 0.9,
    mean: 11.5,
    std: 1.2909944487358056,
    cv: 0.11226038684659179,
    ciLow: 9.980910434906509,
    ciHigh: 13.019089565093491,
    t: 2.3533634348018233,
  },
];

describe("repeatStats", () => {
  test.each(CASES)("$values at $confidence", (c) => {
    const s = repeatStats(c.values, c.confidence)!;
    expect(s.n).toBe(c.values.length);
    expect(s.mean).toBeCloseTo(c.mean, 12);
    expect(s.std).toBeCloseTo(c.std, 12);
    expect(s.cv!).toBeCloseTo(c.cv, 12);
    expect(s.ciLow!).toBeCloseTo(c.ciLow, 8);
    expect(s.ciHigh!).toBeCloseTo(c.ciHigh, 8);
    expect(s.tCritical!).toBeCloseTo(c.t, 9);
  });

  test("one value: its mean, no spread, no interval; none: null; a zero mean has no CV", () => {
    expect(repeatStats([7], 0.95)).toEqual({ n: 1, mean: 7, std: 0, cv: null, ciLow: null, ciHigh: null, tCritical: null });
    expect(repeatStats([], 0.95)).toBeNull();
    const z = repeatStats([-1, 1], 0.95)!;
    expect(z.mean).toBe(0);
    expect(z.cv).toBeNull();
    expect(z.ciLow!).toBeLessThan(0);
    expect(z.ciHigh!).toBeGreaterThan(0);
  });

  test("identical values: a zero-width interval at the value", () => {
    const s = repeatStats([3, 3, 3], 0.99)!;
    expect([s.std, s.cv, s.ciLow, s.ciHigh]).toEqual([0, 0, 3, 3]);
  });
});
