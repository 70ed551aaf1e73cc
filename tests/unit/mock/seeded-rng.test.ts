import { describe, expect, test } from "bun:test";
import { hashString, jitterMs, mix32, mulberry32, requestRng } from "../../../src/mock/seeded-rng.ts";

const take = (rng: () => number, n: number): number[] => Array.from({ length: n }, () => rng());

describe("seeded rng", () => {
  test("mulberry32 repeats per seed, differs across seeds, stays in [0, 1)", () => {
    const a = take(mulberry32(42), 1000);
    expect(take(mulberry32(42), 1000)).toEqual(a);
    expect(take(mulberry32(43), 1000)).not.toEqual(a);
    for (const x of a) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });

  test("requestRng: same (seed, index) same stream; any change gives another", () => {
    const base = take(requestRng(7, 3), 5);
    expect(take(requestRng(7, 3), 5)).toEqual(base);
    expect(take(requestRng(7, 4), 5)).not.toEqual(base);
    expect(take(requestRng(8, 3), 5)).not.toEqual(base);
    expect(take(requestRng(7 + 2 ** 32, 3), 5)).not.toEqual(base);
  });

  test("first draws of consecutive requests are spread out", () => {
    const firsts = Array.from({ length: 200 }, (_, i) => requestRng(0, i)());
    const low = firsts.filter((x) => x < 0.5).length;
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(130);
  });

  test("mix32 and hashString are stable 32-bit values", () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).not.toBe(mix32(2));
    expect(hashString("abc")).toBe(hashString("abc"));
    expect(hashString("abc")).not.toBe(hashString("abd"));
    expect(hashString("")).toBe(0x811c9dc5);
  });

  const jitterCases: [number, number, number, number][] = [
    // base_ms, pct, u, expected_ms
    [20, 0, 0.9, 20],
    [20, 50, 0, 10],
    [20, 50, 0.5, 20],
    [20, 50, 1, 30],
    [20, 100, 0, 0],
    [0, 50, 1, 0],
  ];
  for (const [base, pct, u, want] of jitterCases) {
    test(`jitterMs(${base}, ${pct}%, u=${u}) = ${want}`, () => {
      expect(jitterMs(base, pct, u)).toBeCloseTo(want, 9);
    });
  }
});
