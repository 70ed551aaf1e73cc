import { describe, expect, test } from "bun:test";
import { niceStep, niceTicks, shortNumber, tickLabel } from "../../../src/plot/axes.ts";

describe("niceStep", () => {
  test.each([
    [0.7, 1],
    [1.3, 2],
    [2.2, 2.5],
    [3, 5],
    [7, 10],
    [0.031, 0.05],
    [1234, 2000],
    [0, 1],
    [Number.NaN, 1],
  ])("%p -> %p", (raw, step) => expect(niceStep(raw)).toBeCloseTo(step, 12));
});

describe("niceTicks", () => {
  test.each([
    [0, 100, 5, [0, 20, 40, 60, 80, 100]],
    [3, 97, 5, [0, 20, 40, 60, 80, 100]],
    [0.12, 0.93, 4, [0, 0.25, 0.5, 0.75, 1]],
    [-7, 7, 4, [-10, -5, 0, 5, 10]],
    [5, 5, 4, [4.5, 4.75, 5, 5.25, 5.5]],
    [0, 0, 4, [-1, -0.5, 0, 0.5, 1]],
  ])("[%p, %p] in about %p ticks", (lo, hi, n, values) => {
    const t = niceTicks(lo, hi, n);
    expect(t.values).toEqual(values);
    expect(t.min).toBeLessThanOrEqual(Math.min(lo, hi));
    expect(t.max).toBeGreaterThanOrEqual(Math.max(lo, hi));
  });
});

describe("labels", () => {
  test.each([
    [1500, 500, "1.5k"],
    [2000, 1000, "2k"],
    [2_000_000, 1_000_000, "2M"],
    [0.25, 0.25, "0.25"],
    [2.5, 2.5, "2.5"],
    [40, 20, "40"],
    [1200, 200, "1.2k"],
    [0, 0.05, "0"],
  ])("tickLabel(%p, step %p) = %p", (v, step, label) => expect(tickLabel(v, step)).toBe(label));

  test.each([
    [0, "0"],
    [6.2874, "6.29"],
    [152.4, "152"],
    [12_345, "12.3k"],
    [2_500_000, "2.5M"],
    [0.001234, "0.00123"],
  ])("shortNumber(%p) = %p", (v, s) => expect(shortNumber(v)).toBe(s));
});
