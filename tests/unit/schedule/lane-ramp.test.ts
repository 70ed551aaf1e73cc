import { describe, expect, test } from "bun:test";
import { laneStartOffsetsNs } from "../../../src/schedule/lane-ramp.ts";

describe("laneStartOffsetsNs", () => {
  const cases: { concurrency: number; rampNs: number; want: number[] }[] = [
    { concurrency: 1, rampNs: 0, want: [0] },
    { concurrency: 1, rampNs: 5e9, want: [0] },
    { concurrency: 4, rampNs: 0, want: [0, 0, 0, 0] },
    { concurrency: 2, rampNs: 1e9, want: [0, 1e9] },
    { concurrency: 5, rampNs: 4e9, want: [0, 1e9, 2e9, 3e9, 4e9] },
    { concurrency: 4, rampNs: 1e9, want: [0, 1e9 / 3, 2e9 / 3, 1e9] },
  ];
  for (const c of cases) {
    test(`concurrency ${c.concurrency}, ramp ${c.rampNs} ns`, () => {
      expect(Array.from(laneStartOffsetsNs(c.concurrency, c.rampNs))).toEqual(c.want);
    });
  }

  test("the last lane starts exactly at the ramp end", () => {
    const lanes = laneStartOffsetsNs(1000, 7e9);
    expect(lanes[999]).toBe(7e9);
  });

  for (const [concurrency, rampNs] of [
    [0, 1e9],
    [1.5, 1e9],
    [2, -1],
    [2, Infinity],
  ] as const) {
    test(`RangeError for concurrency ${concurrency}, ramp ${rampNs}`, () => {
      expect(() => laneStartOffsetsNs(concurrency, rampNs)).toThrow(RangeError);
    });
  }
});
