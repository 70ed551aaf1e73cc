import { describe, expect, test } from "bun:test";
import type { LoadSpec } from "../../../src/config/load-spec.ts";
import type { Dataset, SessionSpec } from "../../../src/dataset/plan-types.ts";
import { planPhase } from "../../../src/run/phase-plan.ts";
import { planInput } from "../../helpers/phase-spec.ts";

const session = (id: string, turns: number): SessionSpec => ({
  sessionId: id,
  turns: Array.from({ length: turns }, () => ({ prompt: { kind: "text", text: "x", tokens: 1 }, maxTokens: null, timestampMs: null, delayMs: 0 })),
});
const dataset: Dataset = { sessions: [session("a", 3), session("b", 1), session("c", 2)], systemPrompt: null, sampling: "sequential", blockSize: 512 };
const load: LoadSpec = { kind: "user_centric", ratePerSec: 2, numUsers: 2, cap: 3 };
const plan = (over: { requestLimit?: number; durationNs?: number | null; shard?: { index: number; count: number } | null }) =>
  planPhase(planInput(load, dataset, { ...over, shard: over.shard ?? null }));

describe("planPhase: user-centric", () => {
  // Average turns (3+1+2)/3 = 2: lifetime 1; 2 users at 2 req/s: stagger 0.5 s, gap 1 s. Initial: the
  // second user at order 1 with 1 turn, the new user at 0 with all its session's turns. Sessions are
  // taken in order a, b, c, a, ...: ordinal 0 -> a (3 turns, replaced at 3 s), 1 -> b (1 turn, at
  // 0.5 s, replaced at 1.5 s), 2 -> c at 1.5 s (2 turns, replaced at 3.5 s), 3 -> a at 3 s.
  test("offsets, turn limits and gap, bounded by the request limit", () => {
    const p = plan({ requestLimit: 4 });
    expect([...p.offsetsNs!]).toEqual([0, 0.5e9, 1.5e9, 3e9]);
    expect([...p.turnLimit!]).toEqual([3, 1, 2, 3]);
    expect(p.turnGapNs).toBe(1e9);
    expect(p.sessionLimit).toBe(4);
    expect(p.inFlightCap).toBe(3);
    expect(p.lanes).toBe(0);
  });
  test("bounded by the duration", () => {
    expect([...plan({ durationNs: 3e9 }).offsetsNs!]).toEqual([0, 0.5e9, 1.5e9]);
  });
  test("a shard takes every N-th user with its own turn limit", () => {
    const p = plan({ requestLimit: 4, shard: { index: 1, count: 2 } });
    expect([...p.offsetsNs!]).toEqual([0.5e9, 3e9]);
    expect([...p.turnLimit!]).toEqual([1, 3]);
    expect(p.inFlightCap).toBe(1);
  });
});
