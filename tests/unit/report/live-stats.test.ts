import { describe, expect, test } from "bun:test";
import { recordValues } from "../../../src/metrics/record-values.ts";
import { LiveStats } from "../../../src/report/live-stats.ts";
import { makeRecord, type RecordSpec } from "../../helpers/records.ts";

const S = 1e9;
/** Epoch ns of the view's start: a whole second, small enough for exact arithmetic. */
const T0 = 1_000 * S;
const OPTS = { streaming: true };

function feed(stats: LiveStats, specs: RecordSpec[]): void {
  specs.forEach((spec, i) => {
    const r = makeRecord(spec, i);
    stats.add(r, recordValues(r, OPTS));
  });
}

const near = (got: number | null | undefined, want: number) => expect(Math.abs(got! - want) / want).toBeLessThan(0.01);

describe("LiveStats", () => {
  test("counts by phase, failures, and the start of profiling", () => {
    const stats = new LiveStats();
    feed(stats, [
      { phase: "warmup", startNs: T0, ttftMs: 10, chunkMs: [10, 20] },
      { phase: "warmup", startNs: T0, error: { code: 500, type: "http_error", message: "boom" } },
      { startNs: T0 + 0.5 * S, ttftMs: 10, chunkMs: [10, 20] },
      { startNs: T0 + 0.2 * S, cancelled: true },
    ]);
    const snap = stats.snapshot(T0 + S, 60, 10);
    expect(snap.done).toEqual({ warmup: 2, profiling: 2 });
    expect(snap.failed).toEqual({ warmup: 1, profiling: 1 });
    expect(snap.lastPhase).toBe("profiling");
    expect(snap.profilingStartNs).toBe(T0 + 0.2 * S);
    expect(snap.errorKinds).toBe(2);
    expect(snap.errors).toEqual([
      { type: "http_error", code: 500, count: 1, message: "boom" },
      { type: "cancelled", code: 499, count: 1, message: "request cancelled" },
    ]);
  });

  test("rates and percentiles over the last 10 s only", () => {
    const stats = new LiveStats();
    const specs: RecordSpec[] = [];
    // Seconds 0..19: ten requests a second; TTFT 100 ms in the first 10 s, then 10 ms. Two chunks of 3 tokens.
    for (let sec = 0; sec < 20; sec++) {
      for (let i = 0; i < 10; i++) {
        const ttft = sec < 10 ? 100 : 10;
        specs.push({ startNs: T0 + sec * S + i * 50e6, chunkMs: [ttft, ttft + 20], tokensPerChunk: 3 });
      }
    }
    feed(stats, specs);
    const snap = stats.snapshot(T0 + 20 * S, 60, 10);
    // The window is the ten whole seconds 11..20, up to now (the start of 20): 90 requests over 9 s.
    expect(snap.windowS).toBe(9);
    near(snap.requestsPerSec, 10);
    near(snap.finishedPerSec, 10);
    near(snap.outputTokensPerSec, 60);
    near(snap.ttft?.p50, 10e6);
    near(snap.ttft?.p99, 10e6);
    near(snap.itl?.p50, 4e6); // (30 - 10) ms over 5 gaps
    near(snap.latency?.p50, 30e6);
  });

  test("early in a run the window starts at the first request sent; before any, no rates", () => {
    const stats = new LiveStats();
    expect(stats.snapshot(T0, 60, 10)).toMatchObject({ windowS: 0, requestsPerSec: null, requestSeries: [], ttftSeries: [] });
    feed(stats, [
      { startNs: T0 + 0.7 * S, ttftMs: 10 },
      { startNs: T0 + 0.5 * S, ttftMs: 10 },
    ]);
    const snap = stats.snapshot(T0 + 1.5 * S, 60, 10);
    expect(snap.windowS).toBe(1);
    expect(snap.requestsPerSec).toBe(2);
    // Under a quarter second there is no rate yet.
    expect(stats.snapshot(T0 + 0.6 * S, 60, 10).requestsPerSec).toBeNull();
  });

  test("per-second series for the sparklines, from the start, older seconds from the history", () => {
    const stats = new LiveStats();
    const specs: RecordSpec[] = [];
    // 40 s: (sec % 5) + 1 requests in second sec, TTFT (sec + 1) ms; nothing in second 3.
    for (let sec = 0; sec < 40; sec++) {
      if (sec === 3) continue;
      for (let i = 0; i <= sec % 5; i++) specs.push({ startNs: T0 + sec * S + i * 1e6, ttftMs: sec + 1 });
    }
    feed(stats, specs);
    const snap = stats.snapshot(T0 + 40.5 * S, 100, 10);
    expect(snap.requestSeries.length).toBe(40);
    expect(snap.ttftSeries.length).toBe(40);
    expect(snap.requestSeries.slice(0, 7)).toEqual([1, 2, 3, 0, 5, 1, 2]);
    expect(snap.requestSeries.at(-1)).toBe(5);
    expect(snap.ttftSeries[3]).toBeNull();
    // Seconds long out of the histogram slots keep their p50; recent ones come from the slots.
    for (const sec of [0, 10, 30, 39]) near(snap.ttftSeries[sec], (sec + 1) * 1e6);
    expect(snap.latencySeries.length).toBe(40);
    // Only the last `points` seconds.
    expect(stats.snapshot(T0 + 40.5 * S, 5, 10).requestSeries).toEqual([1, 2, 3, 4, 5]);
  });

  test("the first, partial second is scaled to a per-second rate", () => {
    const stats = new LiveStats();
    feed(stats, [
      { startNs: T0 + 0.5 * S, ttftMs: 1 },
      { startNs: T0 + 1.1 * S, ttftMs: 1 },
    ]);
    expect(stats.snapshot(T0 + 2.5 * S, 60, 10).requestSeries).toEqual([2, 1]);
  });

  test("error kinds: most frequent first, the latest message, a bounded count of kinds", () => {
    const stats = new LiveStats();
    const err = (code: number, type: string, message: string): RecordSpec => ({ startNs: T0, error: { code, type, message } });
    feed(stats, [err(500, "http_error", "a"), err(0, "timeout", "t"), err(500, "http_error", "b"), err(429, "http_error", "slow")]);
    const snap = stats.snapshot(T0 + S, 60, 2);
    expect(snap.errorKinds).toBe(3);
    expect(snap.errors).toEqual([
      { type: "http_error", code: 500, count: 2, message: "b" },
      { type: "timeout", code: 0, count: 1, message: "t" },
    ]);
    const many = new LiveStats();
    feed(
      many,
      Array.from({ length: 100 }, (_, i) => err(400 + i, "http_error", "x")),
    );
    const manySnap = many.snapshot(T0 + S, 60, 100);
    expect(manySnap.errorKinds).toBe(41);
    expect(manySnap.errors[0]).toEqual({ type: "other", code: 0, count: 60, message: "more kinds than listed" });
  });

  test("a record older than the slots counts but is left out of the window", () => {
    const stats = new LiveStats();
    feed(stats, [
      { startNs: T0 + 30 * S, ttftMs: 5 },
      { startNs: T0, ttftMs: 500 },
    ]);
    const snap = stats.snapshot(T0 + 31 * S, 60, 10);
    expect(snap.done.profiling).toBe(2);
    expect(snap.ttft?.p99).toBeLessThan(6e6);
  });
});
