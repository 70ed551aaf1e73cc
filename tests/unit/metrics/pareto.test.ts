import { describe, expect, test } from "bun:test";
import { pareto, type TradeoffPoint } from "../../../src/metrics/pareto.ts";

const p = (perGpu: number | null, perUser: number | null): TradeoffPoint => ({ perGpu, perUser });

const CASES: { name: string; points: TradeoffPoint[]; optimal: boolean[]; knee: number | null }[] = [
  {
    // A batched server with 8 slots at concurrency 1, 2, 4, 8, 16, 32: throughput grows to 8, then only
    // per-user speed falls. Below 8 per-user speed drops a little (scheduling), so 1..8 are all optimal.
    name: "saturating server: knee at the batch size",
    points: [p(100, 200), p(199, 199), p(396, 198), p(780, 195), p(790, 98), p(792, 49)],
    optimal: [true, true, true, true, true, true],
    knee: 3,
  },
  {
    name: "a point worse on both is dominated; equal on one and worse on the other too",
    points: [p(100, 50), p(90, 40), p(100, 45), p(50, 60)],
    optimal: [true, false, false, true],
    knee: 0,
  },
  {
    name: "one usable point is the frontier and the knee; points missing a value are never optimal",
    points: [p(null, 50), p(10, 5), p(20, null)],
    optimal: [false, true, false],
    knee: 1,
  },
  { name: "nothing usable", points: [p(null, null)], optimal: [false], knee: null },
  {
    // Per-user speed halves as throughput doubles: equal scores; the tie goes to more throughput.
    name: "two-point tie goes to the higher throughput",
    points: [p(100, 100), p(200, 50)],
    optimal: [true, true],
    knee: 1,
  },
  {
    name: "smooth trade-off: the knee balances both (relative gain = relative loss)",
    points: [p(100, 100), p(180, 95), p(250, 85), p(300, 60), p(320, 30)],
    optimal: [true, true, true, true, true],
    knee: 2,
  },
];

describe("pareto", () => {
  test.each(CASES)("$name", ({ points, optimal, knee }) => {
    const r = pareto(points);
    expect(r.optimal).toEqual(optimal);
    expect(r.knee).toBe(knee);
  });
});
