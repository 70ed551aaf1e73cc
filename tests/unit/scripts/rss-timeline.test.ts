import { expect, test } from "bun:test";
import { peakWithEnds, perSecond, vmRssMib } from "../../../scripts/rss-timeline.ts";

test("vmRssMib: the VmRSS line in MiB, rounded; null when the status has none", () => {
  const cases: [string, number | null][] = [
    ["Name:\tllmbench\nVmPeak:\t 999 kB\nVmRSS:\t  430080 kB\nRssAnon:\t 1 kB\n", 420],
    ["VmRSS:\t1536 kB\n", 2],
    ["Name:\tzombie\nState:\tZ (zombie)\n", null],
    ["", null],
  ];
  for (const [status, want] of cases) expect([status, vmRssMib(status)]).toEqual([status, want]);
});

test("perSecond: the highest RSS and the ends of each second from t0, in order; ends before t0 left out", () => {
  const t0 = 1_000_000;
  const samples = [
    { atMs: t0 + 100, rssMib: 90 },
    { atMs: t0 + 900, rssMib: 95 },
    { atMs: t0 + 1200, rssMib: 300 },
    { atMs: t0 + 1800, rssMib: 250 },
    { atMs: t0 + 3100, rssMib: 200 },
  ];
  const ends = [t0 - 5, t0 + 1000, t0 + 1999, t0 + 2500];
  expect(perSecond(samples, ends, t0)).toEqual([
    { s: 0, rssMib: 95, ended: 0 },
    { s: 1, rssMib: 300, ended: 2 },
    { s: 2, rssMib: 0, ended: 1 },
    { s: 3, rssMib: 200, ended: 0 },
  ]);
});

test("peakWithEnds: the first highest sample and the ends in the window up to it; null without samples", () => {
  const samples = [
    { atMs: 1000, rssMib: 100 },
    { atMs: 5000, rssMib: 400 },
    { atMs: 6000, rssMib: 400 },
    { atMs: 7000, rssMib: 300 },
  ];
  // Ends at 1999 (before the window), 2000 and 4999 (in it), 5000 (at the peak), 5001 (after).
  expect(peakWithEnds(samples, [1999, 2000, 4999, 5000, 5001], 3000)).toEqual({ peak: { atMs: 5000, rssMib: 400 }, endsBefore: 3 });
  expect(peakWithEnds([], [1, 2], 3000)).toBeNull();
});
