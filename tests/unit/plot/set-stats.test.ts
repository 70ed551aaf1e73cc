import { describe, expect, test } from "bun:test";
import { meanCi, paretoFrontier, tQuantile } from "../../../src/plot/set-stats.ts";

describe("tQuantile (two-sided 95% = p 0.975)", () => {
  // Values from any t table.
  test.each([
    [1, 12.706],
    [2, 4.303],
    [4, 2.776],
    [9, 2.262],
    [29, 2.045],
    [1000, 1.962],
  ])("df %p -> %p", (df, t) => expect(tQuantile(0.975, df)).toBeCloseTo(t, 2));
  test("p 0.95, df 5 (90% two-sided) = 2.015", () => expect(tQuantile(0.95, 5)).toBeCloseTo(2.015, 2));
});

describe("meanCi", () => {
  test("three values: mean and t-interval", () => {
    const c = meanCi([10, 12, 14]);
    expect(c.mean).toBe(12);
    expect(c.n).toBe(3);
    // sd 2, se 2/sqrt(3), t(0.975, 2) = 4.303
    expect(c.hi - c.mean).toBeCloseTo((4.303 * 2) / Math.sqrt(3), 2);
    expect(c.mean - c.lo).toBeCloseTo(c.hi - c.mean, 10);
  });
  test("one value: no interval", () => expect(meanCi([5])).toEqual({ mean: 5, n: 1, lo: 5, hi: 5 }));
  test("no finite value", () => expect(meanCi([Number.NaN]).n).toBe(0));
  test("identical values: zero-width interval", () => expect(meanCi([3, 3, 3])).toEqual({ mean: 3, n: 3, lo: 3, hi: 3 }));
});

describe("paretoFrontier (larger x and y are better)", () => {
  test.each([
    ["a trade-off curve: all on it", [10, 20, 30], [300, 200, 100], [0, 1, 2]],
    ["one point dominates", [10, 20, 30], [100, 200, 300], [2]],
    ["a dominated point in the middle", [10, 20, 30], [300, 100, 200], [0, 2]],
    ["equal x: the higher y", [10, 10], [5, 7], [1]],
    ["NaN left out", [10, Number.NaN, 5], [1, 9, 2], [2, 0]],
    ["empty", [], [], []],
  ])("%s", (_, xs, ys, front) => expect(paretoFrontier(xs, ys)).toEqual(front));
});
