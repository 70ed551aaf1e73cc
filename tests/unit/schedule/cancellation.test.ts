import { describe, expect, test } from "bun:test";
import { cancelAfterNs } from "../../../src/schedule/cancellation.ts";

const N = 100_000;

function cancelledCount(seed: number, ratePct: number): number {
  let n = 0;
  for (let i = 0; i < N; i++) if (cancelAfterNs(seed, i, ratePct, 1) !== null) n++;
  return n;
}

describe("cancelAfterNs", () => {
  for (const ratePct of [1, 10, 25, 50, 90]) {
    test(`rate ${ratePct}% cancels about that fraction of ${N} requests`, () => {
      for (const seed of [0, 42, 2 ** 40 + 3]) {
        expect(Math.abs(cancelledCount(seed, ratePct) / N - ratePct / 100)).toBeLessThan(0.005);
      }
    });
  }

  test("rate 0 never cancels, rate 100 always does", () => {
    expect(cancelledCount(5, 0)).toBe(0);
    expect(cancelledCount(5, 100)).toBe(N);
  });

  const delays: { delaySec: number; wantNs: number }[] = [
    { delaySec: 0, wantNs: 0 },
    { delaySec: 0.3, wantNs: 300_000_000 },
    { delaySec: 2, wantNs: 2_000_000_000 },
  ];
  for (const d of delays) {
    test(`delay ${d.delaySec} s → ${d.wantNs} ns`, () => {
      expect(cancelAfterNs(1, 0, 100, d.delaySec)).toBe(d.wantNs);
    });
  }

  test("deterministic per (seed, index) and independent of call order", () => {
    const forward = Array.from({ length: 2000 }, (_, i) => cancelAfterNs(42, i, 30, 1));
    const backward: (number | null)[] = [];
    for (let i = 1999; i >= 0; i--) backward[i] = cancelAfterNs(42, i, 30, 1);
    expect(backward).toEqual(forward);
    // Interleaving calls for another seed changes nothing either.
    const interleaved = forward.map((_, i) => (cancelAfterNs(7, i, 30, 1), cancelAfterNs(42, i, 30, 1)));
    expect(interleaved).toEqual(forward);
  });

  test("different seeds pick different requests", () => {
    const a = Array.from({ length: 1000 }, (_, i) => cancelAfterNs(1, i, 50, 1));
    const b = Array.from({ length: 1000 }, (_, i) => cancelAfterNs(2, i, 50, 1));
    expect(a).not.toEqual(b);
  });

  test("a higher rate cancels a superset of the requests a lower rate does", () => {
    const picked = (ratePct: number) => Array.from({ length: 5000 }, (_, i) => i).filter((i) => cancelAfterNs(9, i, ratePct, 1) !== null);
    const low = picked(20);
    const high = new Set(picked(40));
    expect(low.length).toBeGreaterThan(800);
    expect(high.size).toBeGreaterThan(low.length);
    expect(low.filter((i) => !high.has(i))).toEqual([]);
  });

  const invalid: [number, number, number][] = [
    [-1, 1, 0],
    [101, 1, 0],
    [50, -1, 0],
    [50, 1, -1],
    [50, 1, 1.5],
  ];
  for (const [ratePct, delaySec, index] of invalid) {
    test(`RangeError for rate ${ratePct}, delay ${delaySec}, index ${index}`, () => {
      expect(() => cancelAfterNs(1, index, ratePct, delaySec)).toThrow(RangeError);
    });
  }
});
