import { describe, expect, test } from "bun:test";
import { MonotonicSearch, SEARCH_PRECISION, type SearchEnd, type SearchSpec } from "../../../src/run/search-planner.ts";

/** Runs the search against a load that passes up to `boundary` (inclusive); returns the probes and the end. */
function drive(spec: SearchSpec, boundary: number) {
  const s = new MonotonicSearch(spec);
  const probes: number[] = [];
  for (let v = s.next(); v !== null; v = s.next()) {
    probes.push(v);
    s.tell(v, v <= boundary);
  }
  return { probes, feasibleMax: s.feasibleMax, infeasibleMin: s.infeasibleMin, ended: s.ended };
}

const CONC: SearchSpec = { lo: 1, hi: 1000, integer: true, maxProbes: 20, precision: SEARCH_PRECISION };

const CASES: {
  name: string;
  spec: SearchSpec;
  boundary: number;
  probes: number[];
  feasibleMax: number | null;
  infeasibleMin: number | null;
  ended: SearchEnd;
}[] = [
  {
    name: "concurrency: doubling to the first failure, then bisection down to adjacent integers",
    spec: CONC,
    boundary: 8,
    probes: [1, 2, 4, 8, 16, 12, 10, 9],
    feasibleMax: 8,
    infeasibleMin: 9,
    ended: "precision_reached",
  },
  {
    name: "a large boundary stops within 5% rather than at adjacent integers",
    spec: CONC,
    boundary: 300,
    probes: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 384, 320, 288, 304, 296],
    feasibleMax: 296,
    infeasibleMin: 304,
    ended: "precision_reached",
  },
  { name: "nothing passes: the minimum fails", spec: CONC, boundary: 0, probes: [1], feasibleMax: null, infeasibleMin: 1, ended: "no_pass_in_range" },
  {
    name: "everything passes: capped at the maximum",
    spec: { ...CONC, hi: 40 },
    boundary: 1000,
    probes: [1, 2, 4, 8, 16, 32, 40],
    feasibleMax: 40,
    infeasibleMin: null,
    ended: "no_failure_in_range",
  },
  {
    name: "the probe budget ends it",
    spec: { ...CONC, maxProbes: 5 },
    boundary: 100,
    probes: [1, 2, 4, 8, 16],
    feasibleMax: 16,
    infeasibleMin: null,
    ended: "max_iterations",
  },
  {
    name: "request rate: real values, 4 significant digits, within 5%",
    spec: { lo: 0.5, hi: 100, integer: false, maxProbes: 20, precision: SEARCH_PRECISION },
    boundary: 6.3,
    probes: [0.5, 1, 2, 4, 8, 6, 7, 6.5, 6.25],
    feasibleMax: 6.25,
    infeasibleMin: 6.5,
    ended: "precision_reached",
  },
];

describe("MonotonicSearch", () => {
  test.each(CASES)("$name", (c) => {
    expect(drive(c.spec, c.boundary)).toEqual({ probes: c.probes, feasibleMax: c.feasibleMax, infeasibleMin: c.infeasibleMin, ended: c.ended });
  });

  test("bounds must be 0 < lo < hi", () => {
    expect(() => new MonotonicSearch({ ...CONC, lo: 5, hi: 5 })).toThrow(RangeError);
    expect(() => new MonotonicSearch({ ...CONC, lo: 0 })).toThrow(RangeError);
  });
});
