import { describe, expect, test } from "bun:test";
import { computeStats, percentileSorted } from "../../../src/metrics/stats.ts";

// Expected values from numpy 1.x: np.percentile(a, p) (linear) and np.std(a) (population).
const A = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
const NUMPY: [number, number][] = [
  [1, 1.0], [5, 1.0], [10, 1.0], [25, 2.5], [50, 4.0], [75, 5.0], [90, 6.0], [95, 7.5], [99, 8.7], [99.9, 8.97],
];

describe("computeStats", () => {
  test("matches numpy percentiles (linear) and population std", () => {
    const s = computeStats(A, NUMPY.map(([p]) => p))!;
    for (const [p, v] of NUMPY) expect(s.percentiles.get(p)).toBeCloseTo(v, 9);
    expect(s.std).toBeCloseTo(2.256304299271065, 12);
    expect(s.avg).toBe(4);
    expect(s.min).toBe(1);
    expect(s.max).toBe(9);
    expect(s.sum).toBe(44);
    expect(s.count).toBe(11);
  });
  test("empty input has no stats", () => {
    expect(computeStats([])).toBeNull();
  });
  test("single value: every percentile is that value, std 0", () => {
    const s = computeStats([7])!;
    expect([...s.percentiles.values()].every((v) => v === 7)).toBe(true);
    expect(s.std).toBe(0);
  });
  test("percentile endpoints", () => {
    const sorted = [10, 20, 30, 40];
    expect(percentileSorted(sorted, 0)).toBe(10);
    expect(percentileSorted(sorted, 100)).toBe(40);
    expect(percentileSorted(sorted, 50)).toBe(25);
  });
  test("does not mutate or depend on input order", () => {
    const input = [5, 1, 3];
    computeStats(input);
    expect(input).toEqual([5, 1, 3]);
    expect(computeStats([3, 5, 1])!.percentiles.get(50)).toBe(3);
  });
});
