import { describe, expect, test } from "bun:test";
import { computeStats, numpyMean, numpyStd, pairwiseSum, percentileSorted } from "../../../src/metrics/stats.ts";

// Expected values are numpy 2.4 output (np.percentile linear, np.mean, np.std ddof=0), pasted as literals.
const A = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
const NUMPY: [number, number][] = [
  [1, 1.0],
  [5, 1.0],
  [10, 1.0],
  [25, 2.5],
  [50, 4.0],
  [75, 5.0],
  [90, 6.0],
  [95, 7.5],
  [99, 8.700000000000001],
  [99.9, 8.970000000000006],
];

describe("computeStats", () => {
  test("matches numpy bit for bit: linear percentiles, population std", () => {
    const s = computeStats(
      A,
      NUMPY.map(([p]) => p),
    )!;
    for (const [p, v] of NUMPY) expect(s.percentiles.get(p)).toBe(v);
    expect(s.std).toBe(2.256304299271065);
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
    expect([...s.percentiles]).toEqual([1, 5, 10, 25, 50, 75, 90, 95, 99].map((p) => [p, 7]));
    expect(s.std).toBe(0);
  });
  test("percentile endpoints", () => {
    const sorted = [10, 20, 30, 40];
    expect(percentileSorted(sorted, 0)).toBe(10);
    expect(percentileSorted(sorted, 100)).toBe(40);
    expect(percentileSorted(sorted, 50)).toBe(25);
  });
  test("does not mutate or depend on input order for percentiles", () => {
    const input = [5, 1, 3];
    computeStats(input);
    expect(input).toEqual([5, 1, 3]);
    expect(computeStats([3, 5, 1])!.percentiles.get(50)).toBe(3);
  });
  test("sum defaults to a left-to-right running sum; an explicit sum wins", () => {
    expect(computeStats([0.1, 0.2, 0.3])!.sum).toBe(0.1 + 0.2 + 0.3);
    expect(computeStats([1, 2], [50], 99)!.sum).toBe(99);
  });
});

describe("numpy arithmetic details", () => {
  test("np.mean uses pairwise summation (differs from a naive loop here)", () => {
    const a = [32.383, 15.085, 65.093, 7.244, 53.588, 36.569, 5.8, 50.744, 3.75, 43.365, 6.986, 9.071];
    let naive = 0;
    for (const x of a) naive += x;
    expect(naive / a.length).toBe(27.473166666666668);
    expect(numpyMean(a)).toBe(27.47316666666667);
  });
  test("np.percentile interpolates from the upper neighbour when the weight is >= 0.5", () => {
    const sorted = [18.985, 24.932, 26.573, 37.335, 51.096, 88.427, 95.617];
    expect(percentileSorted(sorted, 99)).toBe(95.18560000000001);
    const naive = 88.427 + (95.617 - 88.427) * (6 * 0.99 - 5);
    expect(naive).toBe(95.1856);
  });
  test("pairwise sum: blocks of 8 and recursive halves", () => {
    const a = Array.from({ length: 300 }, (_, i) => i * 0.1);
    expect(pairwiseSum(a)).toBe(4485.0); // np.sum(np.arange(300) * 0.1)
    expect(pairwiseSum([1, 2, 3])).toBe(6);
  });
  test("np.std is the population std", () => {
    expect(numpyStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
  });
});
