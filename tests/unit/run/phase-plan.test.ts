import { describe, expect, test } from "bun:test";
import { fixedScheduleProblem, MAX_FIRST_WAIT_MS, planPhase } from "../../../src/run/phase-plan.ts";
import type { Dataset, SessionSpec } from "../../../src/dataset/plan-types.ts";
import type { LoadSpec } from "../../../src/config/load-spec.ts";
import { sessionIndexFor } from "../../../src/engine/session-order.ts";
import { planInput } from "../../helpers/phase-spec.ts";

const session = (id: string, ts: number | null, turns = 1): SessionSpec => ({
  sessionId: id,
  turns: Array.from({ length: turns }, (_, i) => ({
    prompt: { kind: "text", text: "x", tokens: 1 },
    maxTokens: null,
    timestampMs: i === 0 ? ts : null,
    delayMs: 0,
  })),
});
const dataset = (sessions: SessionSpec[], sampling: Dataset["sampling"] = "sequential"): Dataset => ({
  sessions,
  systemPrompt: null,
  sampling,
  blockSize: 512,
});
const plan = (load: LoadSpec, d: Dataset, over: { requestLimit?: number; durationNs?: number | null } = {}) => planPhase(planInput(load, d, over));

describe("planPhase", () => {
  test("closed loop: lanes, ramp offsets, no schedule", () => {
    const p = plan({ kind: "concurrency", concurrency: 3, rampNs: 2e9 }, dataset([session("a", null)]));
    expect(p.lanes).toBe(3);
    expect([...p.laneStartNs!]).toEqual([0, 1e9, 2e9]);
    expect(p.offsetsNs).toBeNull();
    expect(plan({ kind: "concurrency", concurrency: 2, rampNs: 0 }, dataset([session("a", null)])).laneStartNs).toBeNull();
  });

  test.each([
    ["count bound", { requestLimit: 25 }, 25],
    ["duration bound: 2 s at 10 req/s", { durationNs: 2e9 }, 20],
  ] as const)("rate, %s", (_, over, n) => {
    const p = plan({ kind: "rate", ratePerSec: 10, pattern: "constant", smoothness: 1, rampNs: 0, cap: 4 }, dataset([session("a", null)]), over);
    expect(p.offsetsNs!.length).toBe(n);
    expect(p.sessionLimit).toBe(n);
    expect(p.offsetsNs![1]).toBe(1e8);
    expect(p.inFlightCap).toBe(4);
  });

  test("fixed schedule: sessions sent in timestamp order, offsets from the zero, later turns keep the trace clock", () => {
    const d = dataset([session("late", 3000), session("first", 1000, 2), session("mid", 2000), session("tie", 2000)]);
    const p = plan({ kind: "fixed", autoOffset: true, startOffsetMs: null, endOffsetMs: null, speedup: 2, cap: null }, d);
    expect([...p.order!].map((i) => d.sessions[i]!.sessionId)).toEqual(["first", "mid", "tie", "late"]);
    expect([...p.offsetsNs!]).toEqual([0, 500e6, 500e6, 1000e6]);
    expect(p.trace).toEqual({ zeroMs: 1000, speedup: 2 });
    // Without auto offset, time 0 is the trace's 0 (or the start offset).
    const q = plan({ kind: "fixed", autoOffset: false, startOffsetMs: null, endOffsetMs: null, speedup: 1, cap: 8 }, d);
    expect(q.offsetsNs![0]).toBe(1000e6);
    expect(q.inFlightCap).toBe(8);
  });

  test("one pass: every session once in closed loop and at a rate; a random pool becomes one shuffled pass", () => {
    const onePass = (load: LoadSpec, d: Dataset) => planPhase(planInput(load, d, { onePass: true }));
    const names = ["a", "b", "c", "d", "e"];
    const seq = dataset(names.map((n) => session(n, null)));
    const rate: LoadSpec = { kind: "rate", ratePerSec: 10, pattern: "constant", smoothness: 1, rampNs: 0, cap: null };
    for (const load of [{ kind: "concurrency", concurrency: 8, rampNs: 0 } as const, rate]) {
      const p = onePass(load, seq);
      expect(p.sessionLimit).toBe(5);
      expect(p.order).toBeNull();
      const pool = dataset(seq.sessions, "random");
      const q = onePass(load, pool);
      expect(q.sessionLimit).toBe(5);
      const picked = Array.from({ length: 5 }, (_, j) => sessionIndexFor(j, pool, q.order, 1));
      expect([...picked].sort()).toEqual([0, 1, 2, 3, 4]);
    }
    // Without one pass a random pool stays random (with replacement).
    expect(plan({ kind: "concurrency", concurrency: 2, rampNs: 0 }, dataset(seq.sessions, "random")).order).toBeNull();
  });

  test("fixed schedule refuses an entry without a timestamp, naming it", () => {
    expect(() =>
      plan({ kind: "fixed", autoOffset: false, startOffsetMs: null, endOffsetMs: null, speedup: 1, cap: null }, dataset([session("a", 0), session("b", null)])),
    ).toThrow("session b (entry 2) has no timestamp");
  });
});

describe("fixedScheduleProblem", () => {
  type Fixed = Extract<LoadSpec, { kind: "fixed" }>;
  const fixed = (over: Partial<Fixed> = {}): Fixed => ({
    kind: "fixed",
    autoOffset: false,
    startOffsetMs: null,
    endOffsetMs: null,
    speedup: 1,
    cap: null,
    ...over,
  });
  const epochMs = 1_700_000_000_000;
  const day = MAX_FIRST_WAIT_MS;

  test("epoch-ms timestamps without auto offset: names the file, the first timestamp and the wait, suggests the flag", () => {
    const problem = fixedScheduleProblem(dataset([session("b", epochMs + 5), session("a", epochMs)]), fixed(), "trace.jsonl");
    expect(problem).toBe(
      "--input-file trace.jsonl: the first timestamp is 1700000000000 ms, so the first request would wait 19676 days (53.9 years) at --trace-speedup 1 (more than 24 h); " +
        "for absolute timestamps add --fixed-schedule-auto-offset to start at the first one",
    );
  });

  const problemFor = (ts: readonly number[], over: Partial<Fixed>) =>
    fixedScheduleProblem(dataset(ts.map((t, i) => session(`s${i}`, t))), fixed(over), "t.jsonl");

  test.each([
    ["trace-relative times", [0, 500], {}],
    ["first request due exactly 24 h out", [day], {}],
    ["30 h of trace at 2x is 15 h", [30 * 3_600_000], { speedup: 2 }],
    ["epoch ms with auto offset", [epochMs, epochMs + 10], { autoOffset: true }],
    ["epoch ms counted from a start offset just before", [epochMs + 1000], { startOffsetMs: epochMs }],
    ["epoch ms at a huge speedup", [epochMs], { speedup: 1e6 }],
  ] as const)("accepted: %s", (_, ts, over) => {
    expect(problemFor(ts, over)).toBeNull();
  });

  test.each([
    ["just past 24 h", [day + 1], {}, "wait 24.0 h at --trace-speedup 1"],
    ["30 h of trace at 1x", [30 * 3_600_000], {}, "wait 30.0 h"],
    ["100 days", [100 * day], {}, "wait 100 days at"],
    ["a start offset far before", [epochMs], { startOffsetMs: 1000 }, "after --fixed-schedule-start-offset 1000, so the first request would wait 19676 days"],
  ] as const)("refused: %s", (_, ts, over, expected) => {
    expect(problemFor(ts, over)).toContain(expected);
  });

  test("a missing timestamp is reported first; an empty dataset is left to the caller", () => {
    expect(fixedScheduleProblem(dataset([session("a", epochMs), session("b", null)]), fixed(), "t.jsonl")).toContain("session b (entry 2) has no timestamp");
    expect(fixedScheduleProblem(dataset([]), fixed(), "t.jsonl")).toBeNull();
  });

  test("the planner still plans a far schedule (the wait is the CLI's call; the timers handle any length)", () => {
    const p = plan(fixed(), dataset([session("a", epochMs)]));
    expect([...p.offsetsNs!]).toEqual([epochMs * 1e6]);
  });
});

describe("sessionIndexFor", () => {
  const d = dataset([session("a", null), session("b", null), session("c", null)]);
  test("sequential cycles through the file; an explicit order wins", () => {
    expect([0, 1, 2, 3, 4].map((j) => sessionIndexFor(j, d, null, 1))).toEqual([0, 1, 2, 0, 1]);
    expect(sessionIndexFor(1, d, Int32Array.from([2, 0, 1]), 1)).toBe(0);
  });
  test("shuffle: every session once per pass, a new order each pass, the same from the same seed", () => {
    const big = dataset(
      Array.from({ length: 10 }, (_, i) => session(`s${i}`, null)),
      "shuffle",
    );
    const picks = Array.from({ length: 30 }, (_, j) => sessionIndexFor(j, big, null, 9));
    for (let pass = 0; pass < 3; pass++) expect([...picks.slice(pass * 10, pass * 10 + 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(picks.slice(0, 10)).not.toEqual(picks.slice(10, 20));
    expect(picks.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(
      Array.from({ length: 30 }, (_, j) => 29 - j)
        .map((j) => sessionIndexFor(j, big, null, 9))
        .reverse(),
    ).toEqual(picks);
  });
  test("random: reproducible from the seed, covers the pool, independent of call order", () => {
    const r = dataset(d.sessions, "random");
    const a = Array.from({ length: 300 }, (_, j) => sessionIndexFor(j, r, null, 5));
    const b = Array.from({ length: 300 }, (_, j) => 299 - j)
      .map((j) => sessionIndexFor(j, r, null, 5))
      .reverse();
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([0, 1, 2]));
    expect(Array.from({ length: 300 }, (_, j) => sessionIndexFor(j, r, null, 6))).not.toEqual(a);
  });
});

test("a fixed schedule of 300,000 sessions plans without blowing the argument limit", () => {
  const sessions = Array.from({ length: 300_000 }, (_, i) => session(`s${i}`, 300_000 - i));
  const p = plan({ kind: "fixed", autoOffset: true, startOffsetMs: null, endOffsetMs: null, speedup: 1, cap: null }, dataset(sessions));
  expect(p.offsetsNs!.length).toBe(300_000);
  expect(p.offsetsNs![0]).toBe(0);
  expect(p.order![0]).toBe(299_999);
});
