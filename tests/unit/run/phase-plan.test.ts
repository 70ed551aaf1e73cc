import { describe, expect, test } from "bun:test";
import { planPhase, UNLIMITED } from "../../../src/run/phase-plan.ts";
import type { Dataset, SessionSpec } from "../../../src/dataset/plan-types.ts";
import type { LoadSpec } from "../../../src/config/profile-config.ts";
import { sessionIndexFor } from "../../../src/engine/session-order.ts";

const session = (id: string, ts: number | null, turns = 1): SessionSpec => ({
  sessionId: id,
  turns: Array.from({ length: turns }, (_, i) => ({ prompt: { kind: "text", text: "x", tokens: 1 }, maxTokens: null, timestampMs: i === 0 ? ts : null, delayMs: 0 })),
});
const dataset = (sessions: SessionSpec[], sampling: Dataset["sampling"] = "sequential"): Dataset => ({ sessions, systemPrompt: null, sampling, blockSize: 512 });
const plan = (load: LoadSpec, d: Dataset, over: { requestLimit?: number; durationNs?: number | null } = {}) =>
  planPhase({ phase: "profiling", load, dataset: d, requestLimit: over.requestLimit ?? UNLIMITED, durationNs: over.durationNs ?? null, seed: 1, prefillCap: null, cancellation: null, requestBase: 0, sessionBase: 0, fedPrompts: false });

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
    const onePass = (load: LoadSpec, d: Dataset) =>
      planPhase({ phase: "profiling", load, dataset: d, requestLimit: UNLIMITED, durationNs: null, seed: 1, prefillCap: null, cancellation: null, requestBase: 0, sessionBase: 0, fedPrompts: false, onePass: true });
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
    expect(() => plan({ kind: "fixed", autoOffset: false, startOffsetMs: null, endOffsetMs: null, speedup: 1, cap: null }, dataset([session("a", 0), session("b", null)]))).toThrow(
      "session b (entry 2) has no timestamp",
    );
  });
});

describe("sessionIndexFor", () => {
  const d = dataset([session("a", null), session("b", null), session("c", null)]);
  test("sequential cycles through the file; an explicit order wins", () => {
    expect([0, 1, 2, 3, 4].map((j) => sessionIndexFor(j, d, null, 1))).toEqual([0, 1, 2, 0, 1]);
    expect(sessionIndexFor(1, d, Int32Array.from([2, 0, 1]), 1)).toBe(0);
  });
  test("shuffle: every session once per pass, a new order each pass, the same from the same seed", () => {
    const big = dataset(Array.from({ length: 10 }, (_, i) => session(`s${i}`, null)), "shuffle");
    const picks = Array.from({ length: 30 }, (_, j) => sessionIndexFor(j, big, null, 9));
    for (let pass = 0; pass < 3; pass++) expect([...picks.slice(pass * 10, pass * 10 + 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(picks.slice(0, 10)).not.toEqual(picks.slice(10, 20));
    expect(picks.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from({ length: 30 }, (_, j) => 29 - j).map((j) => sessionIndexFor(j, big, null, 9)).reverse()).toEqual(picks);
  });
  test("random: reproducible from the seed, covers the pool, independent of call order", () => {
    const r = dataset(d.sessions, "random");
    const a = Array.from({ length: 300 }, (_, j) => sessionIndexFor(j, r, null, 5));
    const b = Array.from({ length: 300 }, (_, j) => 299 - j).map((j) => sessionIndexFor(j, r, null, 5)).reverse();
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
