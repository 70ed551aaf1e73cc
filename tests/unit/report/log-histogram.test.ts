import { describe, expect, test } from "bun:test";
import { BIN_COUNT, binOf, binValue, LogHistogram } from "../../../src/report/log-histogram.ts";

describe("LogHistogram", () => {
  test.each([1_500, 42_100_000, 812_000_000, 1.2e9, 999e9])("a value comes back within 1%%: %p ns", (v) => {
    expect(Math.abs(binValue(binOf(v)) - v) / v).toBeLessThan(0.01);
  });

  test.each([
    [0, 0],
    [-5, 0],
    [1_000, 0],
    [Number.NaN, 0],
    [1e15, BIN_COUNT - 1],
  ])("out-of-range value %p lands in bin %p", (v, bin) => {
    expect(binOf(v)).toBe(bin);
  });

  test("nearest-rank percentiles, merge and clear", () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    expect(a.percentile(50)).toBeNull();
    for (let i = 1; i <= 90; i++) a.record(i * 1e6); // 1..90 ms
    for (let i = 91; i <= 100; i++) b.record(i * 1e6); // 91..100 ms
    a.merge(b);
    expect(a.count).toBe(100);
    const near = (got: number | null, want: number) => expect(Math.abs(got! - want) / want).toBeLessThan(0.01);
    near(a.percentile(50), 50e6);
    near(a.percentile(99), 99e6);
    near(a.percentile(100), 100e6);
    near(a.percentile(0.1), 1e6);
    a.clear();
    expect(a.count).toBe(0);
    expect(a.percentile(50)).toBeNull();
    expect(b.count).toBe(10);
  });
});
