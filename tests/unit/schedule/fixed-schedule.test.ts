import { describe, expect, test } from "bun:test";
import { type FixedScheduleOptions, fixedScheduleOffsetsNs, withinOffsets } from "../../../src/schedule/fixed-schedule.ts";

describe("withinOffsets", () => {
  const cases: { ts: number | null; start: number | null; end: number | null; want: boolean }[] = [
    { ts: 500, start: null, end: null, want: true },
    { ts: null, start: 1000, end: 2000, want: true },
    { ts: 999, start: 1000, end: null, want: false },
    { ts: 1000, start: 1000, end: null, want: true },
    { ts: 2000, start: null, end: 2000, want: true },
    { ts: 2001, start: null, end: 2000, want: false },
    { ts: 1500, start: 1000, end: 2000, want: true },
    { ts: 0, start: 0, end: 0, want: true },
  ];
  for (const c of cases) {
    test(`ts ${c.ts} in [${c.start}, ${c.end}] → ${c.want}`, () => {
      expect(withinOffsets(c.ts, { startOffsetMs: c.start, endOffsetMs: c.end })).toBe(c.want);
    });
  }
});

describe("fixedScheduleOffsetsNs", () => {
  const base: FixedScheduleOptions = { autoOffset: false, startOffsetMs: null, endOffsetMs: null, speedup: 1 };
  const cases: { name: string; ts: number[]; o: Partial<FixedScheduleOptions>; wantMs: number[] }[] = [
    { name: "raw timestamps from 0", ts: [0, 10, 250], o: {}, wantMs: [0, 10, 250] },
    { name: "auto offset: earliest is 0, order kept", ts: [1200, 1000, 1500], o: { autoOffset: true }, wantMs: [200, 0, 500] },
    { name: "auto offset wins over the start offset", ts: [1200, 1500], o: { autoOffset: true, startOffsetMs: 1000 }, wantMs: [0, 300] },
    { name: "start offset is the zero without auto offset", ts: [1000, 1200, 1500], o: { startOffsetMs: 1000 }, wantMs: [0, 200, 500] },
    { name: "speedup 2 halves the gaps", ts: [1000, 1200, 1600], o: { autoOffset: true, speedup: 2 }, wantMs: [0, 100, 300] },
    { name: "speedup 0.5 doubles them", ts: [1000, 1200, 1600], o: { autoOffset: true, speedup: 0.5 }, wantMs: [0, 400, 1200] },
    { name: "before the zero clamps to 0", ts: [900, 1000, 1100], o: { startOffsetMs: 1000 }, wantMs: [0, 0, 100] },
    { name: "fractional ms", ts: [0.5, 1.25], o: {}, wantMs: [0.5, 1.25] },
    { name: "empty", ts: [], o: { autoOffset: true }, wantMs: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      expect(Array.from(fixedScheduleOffsetsNs(c.ts, { ...base, ...c.o }))).toEqual(c.wantMs.map((ms) => ms * 1e6));
    });
  }

  test("filter with withinOffsets, then offset: end offset drops late entries, auto offset uses the survivors", () => {
    const o: FixedScheduleOptions = { autoOffset: true, startOffsetMs: 1000, endOffsetMs: 2000, speedup: 1 };
    const kept = [500, 1100, 1500, 2000, 2500].filter((t) => withinOffsets(t, o));
    expect(kept).toEqual([1100, 1500, 2000]);
    expect(Array.from(fixedScheduleOffsetsNs(kept, o))).toEqual([0, 400e6, 900e6]);
  });

  for (const speedup of [0, -1, Infinity, Number.NaN]) {
    test(`RangeError for speedup ${speedup}`, () => {
      expect(() => fixedScheduleOffsetsNs([0], { ...base, speedup })).toThrow(RangeError);
    });
  }
});
