// The union of N shard plans is the one-process plan, in every load mode: the same arrival times and
// sessions (open loop, traces), the same lane start offsets (closed loop), the same request indexes
// and so the same cancellation picks. What each process would send is read off its plan with the
// functions its workers use (sessionOfOrdinal, requestIndexOf).
import { describe, expect, test } from "bun:test";
import type { LoadSpec } from "../../../src/config/load-spec.ts";
import type { Dataset, SessionSpec } from "../../../src/dataset/plan-types.ts";
import { requestIndexOf, sessionNumOf, sessionOfOrdinal } from "../../../src/engine/session-order.ts";
import type { PhaseSpec } from "../../../src/engine/worker-protocol.ts";
import { planPhase, UNLIMITED, type PhasePlanInput } from "../../../src/run/phase-plan.ts";
import { cancelAfterNs } from "../../../src/schedule/cancellation.ts";
import type { ShardSlot } from "../../../src/schedule/shard.ts";
import { planInput } from "../../helpers/phase-spec.ts";

const SEED = 42;

function dataset(n: number, sampling: Dataset["sampling"], turns = (i: number) => 1 + (i % 3)): Dataset {
  const sessions: SessionSpec[] = Array.from({ length: n }, (_, i) => ({
    sessionId: `s${i}`,
    turns: Array.from({ length: turns(i) }, (_, t) => ({
      prompt: { kind: "text" as const, text: `p${i}.${t}`, tokens: 4 },
      maxTokens: 8,
      // Out of order on purpose, with ties: the schedule sorts them.
      timestampMs: t === 0 ? ((i * 7919) % 5000) + (i % 4 === 0 ? 0 : 0.5) : null,
      delayMs: 10,
    })),
  }));
  return { sessions, systemPrompt: null, sampling, blockSize: 512 };
}

type Plan = Omit<PhaseSpec, "startNs">;

/** What a process sends, position by position: [global ordinal, due offset, session, session_num]. */
function timedSends(p: Plan, d: Dataset): [number, number, string, number][] {
  const out: [number, number, string, number][] = [];
  for (let k = 0; k < Math.min(p.sessionLimit, p.offsetsNs!.length); k++) {
    out.push([sessionNumOf(k, p), p.offsetsNs![k]!, d.sessions[sessionOfOrdinal(k, p, d, SEED)]!.sessionId, sessionNumOf(k, p)]);
  }
  return out;
}

/** Closed loop: lane start offsets, and (bounded by sessionLimit, else the first 60) the sessions taken. */
function closedLoop(p: Plan, d: Dataset): { lanes: number[]; sessions: [number, string][] } {
  const lanes = Array.from({ length: p.lanes }, (_, g) => p.laneStartNs?.[g] ?? 0);
  const n = Math.min(p.sessionLimit, 60);
  const sessions = Array.from({ length: n }, (_, k): [number, string] => [sessionNumOf(k, p), d.sessions[sessionOfOrdinal(k, p, d, SEED)]!.sessionId]);
  return { lanes, sessions };
}

/** The request indexes a process may use, and which of them are cancelled. */
function requests(p: Plan): { indexes: number[]; cancelled: number[] } {
  const indexes = Array.from({ length: p.requestLimit }, (_, k) => requestIndexOf(k, p));
  const cancelled = indexes.filter((i) => cancelAfterNs(SEED, i, p.cancellation?.ratePct ?? 0, 1) !== null);
  return { indexes, cancelled };
}

const sorted = <T>(xs: T[]): T[] => xs.toSorted((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const byFirst = <T extends [number, ...unknown[]]>(xs: T[]): T[] => xs.toSorted((a, b) => a[0] - b[0]);

function plans(input: Omit<PhasePlanInput, "shard">, count: number): { whole: Plan; parts: Plan[] } {
  const whole = planPhase({ ...input, shard: null });
  const parts = Array.from({ length: count }, (_, index) => planPhase({ ...input, shard: { index, count } satisfies ShardSlot }));
  return { whole, parts };
}

const base = (load: LoadSpec, d: Dataset, over: Partial<PhasePlanInput> = {}): Omit<PhasePlanInput, "shard"> => planInput(load, d, { seed: SEED, ...over });

const rate = (pattern: "poisson" | "constant" | "gamma", over: Partial<Extract<LoadSpec, { kind: "rate" }>> = {}): LoadSpec => ({
  kind: "rate",
  ratePerSec: 250,
  pattern,
  smoothness: 0.5,
  rampNs: 0,
  cap: null,
  ...over,
});

const SHARD_COUNTS = [2, 3, 4, 7];

describe("open loop: the shards' arrivals are the one-process arrivals", () => {
  const cases: [string, Omit<PhasePlanInput, "shard">][] = [
    ["poisson, 1,001 requests", base(rate("poisson"), dataset(37, "sequential"), { requestLimit: 1001 })],
    ["gamma, 4 s", base(rate("gamma"), dataset(37, "shuffle"), { durationNs: 4e9 })],
    ["constant with a 2 s ramp, 500 requests", base(rate("constant", { rampNs: 2e9 }), dataset(10, "random"), { requestLimit: 500 })],
    ["an input file once through (random pool)", base(rate("poisson"), dataset(83, "random"), { onePass: true })],
  ];
  for (const [name, input] of cases) {
    test.each(SHARD_COUNTS)(`${name}: %i shards`, (count) => {
      const { whole, parts } = plans(input, count);
      const want = timedSends(whole, input.dataset);
      expect(want.length).toBeGreaterThan(80);
      const got = parts.flatMap((p) => timedSends(p, input.dataset));
      expect(byFirst(got)).toEqual(want);
      // Each shard's own schedule is in time order (its dispatcher walks it front to back).
      for (const p of parts) expect([...p.offsetsNs!]).toEqual([...p.offsetsNs!].toSorted((a, b) => a - b));
      expect(parts.reduce((a, p) => a + p.requestLimit, 0)).toBe(whole.requestLimit >= UNLIMITED ? UNLIMITED * count : whole.requestLimit);
    });
  }

  test("the in-flight and prefill caps are split as evenly as lanes", () => {
    const { whole, parts } = plans(base(rate("poisson", { cap: 10 }), dataset(5, "sequential"), { requestLimit: 50, prefillCap: 7 }), 4);
    expect(whole.inFlightCap).toBe(10);
    expect(parts.map((p) => p.inFlightCap)).toEqual([3, 3, 2, 2]);
    expect(parts.map((p) => p.prefillCap)).toEqual([2, 2, 2, 1]);
  });
});

describe("fixed schedule: whole sessions in timestamp order", () => {
  const fixed: LoadSpec = { kind: "fixed", autoOffset: true, startOffsetMs: null, endOffsetMs: null, speedup: 3, cap: 9 };
  test.each(SHARD_COUNTS)("multi-turn trace, %i shards", (count) => {
    const d = dataset(101, "sequential");
    const { whole, parts } = plans(base(fixed, d), count);
    const want = timedSends(whole, d);
    expect(want.length).toBe(101);
    const got = parts.map((p) => timedSends(p, d));
    expect(byFirst(got.flat())).toEqual(want);
    // Every session (with all its turns) is in exactly one shard.
    const sessionsPerShard = got.map((g) => g.map((s) => s[2]));
    expect(sessionsPerShard.flat().length).toBe(new Set(sessionsPerShard.flat()).size);
    // The later turns' trace clock is the same for all.
    for (const p of parts) expect(p.trace).toEqual(whole.trace);
    expect(parts.reduce((a, p) => a + (p.inFlightCap ?? 0), 0)).toBe(9);
  });
});

describe("closed loop: lanes split as evenly as possible", () => {
  test.each([
    [16, 4, 0, [4, 4, 4, 4]],
    [10, 4, 3e9, [3, 3, 2, 2]],
    [5, 3, 1e9, [2, 2, 1]],
    [7, 7, 6e9, [1, 1, 1, 1, 1, 1, 1]],
  ])("%i lanes over %i shards, ramp %d ns", (concurrency, count, rampNs, lanesPerShard) => {
    const d = dataset(40, "shuffle");
    const { whole, parts } = plans(base({ kind: "concurrency", concurrency, rampNs }, d, { requestLimit: 333 }), count);
    expect(parts.map((p) => p.lanes)).toEqual(lanesPerShard);
    const w = closedLoop(whole, d);
    const got = parts.map((p) => closedLoop(p, d));
    // The same lane start offsets: the ramp climbs as one process's would.
    expect(got.flatMap((g) => g.lanes).toSorted((a, b) => a - b)).toEqual(w.lanes);
    // Sessions: the shards take disjoint global ordinals, each replaying the session one process would.
    const bySession = byFirst(got.flatMap((g) => g.sessions));
    expect(bySession.length).toBe(60 * count);
    expect(new Set(bySession.map((s) => s[0])).size).toBe(bySession.length);
    for (const [num, id] of bySession.slice(0, 60)) expect(id).toBe(w.sessions[num]![1]);
  });

  test.each(SHARD_COUNTS)("an input file once through: every session once over %i shards", (count) => {
    const d = dataset(53, "random");
    const { whole, parts } = plans(base({ kind: "concurrency", concurrency: 8, rampNs: 0 }, d, { onePass: true }), count);
    const w = closedLoop(whole, d).sessions;
    expect(w.length).toBe(53);
    expect(new Set(w.map((s) => s[1])).size).toBe(53);
    expect(byFirst(parts.flatMap((p) => closedLoop(p, d).sessions))).toEqual(w);
  });
});

describe("requests: counts, indexes and cancellation picks by global index", () => {
  test.each([
    [1000, 4, 10],
    [999, 3, 25],
    [17, 7, 50],
    [5000, 2, 1],
  ])("%i requests over %i shards, %d%% cancelled", (requestLimit, count, ratePct) => {
    const d = dataset(5, "sequential");
    const { whole, parts } = plans(
      base({ kind: "concurrency", concurrency: 8, rampNs: 0 }, d, { requestLimit, cancellation: { ratePct, delaySec: 1 }, requestBase: 12, sessionBase: 12 }),
      count,
    );
    const w = requests(whole);
    const got = parts.map(requests);
    expect(got.reduce((a, g) => a + g.indexes.length, 0)).toBe(requestLimit);
    expect(got.flatMap((g) => g.indexes).toSorted((a, b) => a - b)).toEqual(w.indexes);
    expect(sorted(got.flatMap((g) => g.cancelled))).toEqual(sorted(w.cancelled));
    expect(w.cancelled.length).toBeGreaterThan(0);
  });
});
