import { describe, expect, test } from "bun:test";
import { currentPhase, estimateEtaMs, phaseProgress, type LivePlan } from "../../../src/report/live-state.ts";
import { LiveStats } from "../../../src/report/live-stats.ts";

const COUNTED: LivePlan = { warmup: true, warmupTotal: 10, warmupDurationMs: null, profilingTotal: 100, profilingDurationMs: null };
const TIMED: LivePlan = { warmup: true, warmupTotal: null, warmupDurationMs: 5000, profilingTotal: null, profilingDurationMs: 60_000 };
const NO_WARMUP: LivePlan = { ...COUNTED, warmup: false, warmupTotal: 0 };

describe("currentPhase", () => {
  test.each([
    ["no warmup", NO_WARMUP, 0, 0, null, "profiling"],
    ["warmup running", COUNTED, 3, 0, "warmup", "warmup"],
    ["warmup count reached", COUNTED, 10, 0, "warmup", "profiling"],
    ["a profiling record seen", COUNTED, 3, 1, "profiling", "profiling"],
    ["timed warmup before any record", TIMED, 0, 0, null, "warmup"],
    ["timed warmup running", TIMED, 500, 0, "warmup", "warmup"],
  ] as const)("%s", (_name, plan, warm, prof, last, phase) => {
    expect(currentPhase(plan, { done: { warmup: warm, profiling: prof }, lastPhase: last })).toBe(phase);
  });
});

describe("estimateEtaMs", () => {
  test.each([
    ["by time", { done: 5, total: null, elapsedMs: 20_000, durationMs: 60_000 }, 10, 40_000],
    ["by time, overrun", { done: 5, total: null, elapsedMs: 70_000, durationMs: 60_000 }, 10, 0],
    ["by count", { done: 1200, total: 5000, elapsedMs: 5000, durationMs: null }, 240, 15_833.33],
    ["by count, done", { done: 5000, total: 5000, elapsedMs: 5000, durationMs: null }, null, 0],
    ["by count, no rate yet", { done: 0, total: 5000, elapsedMs: 100, durationMs: null }, null, null],
    ["by count, zero rate", { done: 10, total: 5000, elapsedMs: 100, durationMs: null }, 0, null],
    ["no bound", { done: 10, total: null, elapsedMs: 100, durationMs: null }, 5, null],
  ] as const)("%s", (_name, p, rate, eta) => {
    const got = estimateEtaMs(p, rate);
    if (eta === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(eta, 1);
  });
});

describe("phaseProgress", () => {
  const T0 = 1_000e9;
  const snap = (stats: LiveStats) => stats.snapshot(T0 + 10e9, 60, 10);

  test("profiling by count: fraction by requests, elapsed since the phase's start", () => {
    const p = phaseProgress(
      COUNTED,
      { ...snap(new LiveStats()), done: { warmup: 10, profiling: 45 }, failed: { warmup: 0, profiling: 2 }, finishedPerSec: 5 },
      "profiling",
      T0 + 1e9,
      T0 + 10e9,
    );
    expect(p).toEqual({ phase: "profiling", done: 45, failed: 2, total: 100, fraction: 0.45, elapsedMs: 9000, etaMs: 11_000, durationMs: null });
  });

  test("timed warmup: fraction by time", () => {
    const p = phaseProgress(TIMED, snap(new LiveStats()), "warmup", T0 + 9e9, T0 + 10e9);
    expect(p.fraction).toBe(0.2);
    expect(p.etaMs).toBe(4000);
    expect(p.total).toBeNull();
  });

  test("unknown total and no duration: no fraction, no ETA", () => {
    const plan: LivePlan = { ...NO_WARMUP, profilingTotal: null };
    const p = phaseProgress(plan, snap(new LiveStats()), "profiling", T0, T0 + 10e9);
    expect(p.fraction).toBeNull();
    expect(p.etaMs).toBeNull();
  });
});
