import { describe, expect, test } from "bun:test";
import { chooseFault, dropAtChunk, malformedChunk, parseFaultHeader, truncateJson, type FaultPcts } from "../../../src/mock/faults.ts";

const none: FaultPcts = { fault500Pct: 0, fault429Pct: 0, faultDropPct: 0, faultMalformedPct: 0, faultStallPct: 0 };

describe("fault choice", () => {
  const mixed: FaultPcts = { fault500Pct: 10, fault429Pct: 10, faultDropPct: 10, faultMalformedPct: 10, faultStallPct: 10 };
  const cases: [FaultPcts, number, string | null][] = [
    [none, 0, null],
    [none, 0.999, null],
    [mixed, 0, "500"],
    [mixed, 0.0999, "500"],
    [mixed, 0.1, "429"],
    [mixed, 0.25, "drop"],
    [mixed, 0.35, "malformed"],
    [mixed, 0.45, "stall"],
    [mixed, 0.5, null],
    [{ ...none, faultStallPct: 100 }, 0.999, "stall"],
    [{ ...none, fault429Pct: 30 }, 0.29, "429"],
    [{ ...none, fault429Pct: 30 }, 0.3, null],
  ];
  for (const [p, u, want] of cases) {
    test(`u=${u} -> ${want}`, () => expect(chooseFault(p, u)).toBe(want as never));
  }

  test("observed rates follow the percentages", () => {
    const p: FaultPcts = { ...none, fault500Pct: 20, faultDropPct: 5 };
    const n = 10_000;
    const counts = new Map<string | null, number>();
    for (let i = 0; i < n; i++) {
      const f = chooseFault(p, (i + 0.5) / n);
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    expect(counts.get("500")).toBe(2000);
    expect(counts.get("drop")).toBe(500);
    expect(counts.get(null)).toBe(7500);
  });
});

describe("fault header", () => {
  const cases: [string | null, unknown][] = [
    [null, { kind: "absent" }],
    ["500", { kind: "forced", fault: "500" }],
    [" DROP ", { kind: "forced", fault: "drop" }],
    ["stall", { kind: "forced", fault: "stall" }],
    ["none", { kind: "forced", fault: null }],
    ["503", { kind: "invalid" }],
    ["", { kind: "invalid" }],
  ];
  for (const [v, want] of cases) test(JSON.stringify(v), () => expect(parseFaultHeader(v)).toEqual(want as never));
});

describe("fault placement", () => {
  const cases: [number, number, number][] = [
    // chunks, dropAt, malformedAt
    [1, 1, 0],
    [2, 1, 1],
    [3, 1, 1],
    [10, 5, 5],
  ];
  for (const [chunks, drop, bad] of cases) {
    test(`${chunks} chunks`, () => {
      expect(dropAtChunk(chunks)).toBe(drop);
      expect(malformedChunk(chunks)).toBe(bad);
    });
  }

  test("truncated JSON never parses", () => {
    for (const j of ['{"a":1}', JSON.stringify({ choices: [{ delta: { content: " the" } }] }), "{}"]) {
      expect(() => JSON.parse(truncateJson(j))).toThrow();
    }
  });
});
