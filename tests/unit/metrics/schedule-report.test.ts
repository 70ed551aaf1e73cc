import { describe, expect, test } from "bun:test";
import { scheduleLines, scheduleReport } from "../../../src/metrics/schedule-report.ts";
import { makeRecord } from "../../helpers/records.ts";

const T0 = 1_000_000_000_000;
/** A request due at dueMs, sent lagMs later after queueMs of that in a slot queue, taking 50 ms. */
const rec = (i: number, dueMs: number, lagMs: number, queueMs = 0) => {
  const r = makeRecord({ startNs: T0 + (dueMs + lagMs) * 1e6, ttftMs: 10, chunkMs: [10, 50], endMs: 50 }, i);
  r.scheduled_ns = T0 + dueMs * 1e6;
  r.queue_ns = queueMs * 1e6;
  return r;
};

describe("scheduleReport", () => {
  test("on time: achieved rate from the sends, tiny lag, not behind", () => {
    const rs = Array.from({ length: 101 }, (_, i) => rec(i, i * 10, 0.01));
    const r = scheduleReport(rs, { requestedRatePerSec: 100, streaming: true });
    expect(r.requests).toBe(101);
    expect(r.achievedRatePerSec).toBeCloseTo(100, 6);
    expect(r.sendLagNs.p99).toBeCloseTo(0.01e6, -1);
    expect(r.queued).toBe(0);
    expect(r.behind).toBe(false);
    expect(r.latencyFromScheduleNs!.p50 - r.latencyFromSendNs!.p50).toBeCloseTo(0.01e6, -1);
    expect(scheduleLines(r).join("\n")).not.toContain("fell behind");
  });

  test("queued behind a cap: lag and latency from schedule grow, latency from send does not", () => {
    // Each request waits 20 ms longer than the one before.
    const rs = Array.from({ length: 50 }, (_, i) => rec(i, i * 10, i * 20, i * 20));
    const r = scheduleReport(rs, { requestedRatePerSec: 100, streaming: true });
    expect(r.queued).toBe(49);
    expect(r.sendLagNs.max).toBe(49 * 20e6);
    expect(r.latencyFromSendNs!.p99).toBe(50e6);
    expect(r.latencyFromScheduleNs!.max).toBe(50e6 + 49 * 20e6);
    expect(r.achievedRatePerSec!).toBeLessThan(40);
    expect(r.behind).toBe(true);
    const text = scheduleLines(r).join("\n");
    expect(text).toContain("fell behind");
    expect(text).toContain("Client queue: 49 requests waited");
  });

  test("late without queueing: behind when the lag is a meaningful part of the latency; warmup is left out", () => {
    // 50 ms requests sent 10 ms late (a fifth of the latency), no slot to wait for: the pacer lagged.
    const late = Array.from({ length: 20 }, (_, i) => rec(i, i * 100, 10));
    const r = scheduleReport(late, { requestedRatePerSec: null, streaming: true });
    expect(r.behindCause).toBe("pacer");
    expect(scheduleLines(r).join("\n")).toContain("fewer --workers");
    const warm = rec(2, 20, 500);
    warm.phase = "warmup";
    expect(scheduleReport([rec(0, 0, 0), warm], { requestedRatePerSec: null, streaming: true }).requests).toBe(1);
  });

  test("the issue's run: 50 req/s under a cap of 100 with nothing queued, p99 send lag 4 ms: no warning", () => {
    // 100 requests 20 ms apart, most sent 0.05 ms late, two 4 ms late (the p99), none waited for a slot.
    const rs = Array.from({ length: 100 }, (_, i) => rec(i, i * 20, i === 40 || i === 80 ? 4 : 0.05));
    const r = scheduleReport(rs, { requestedRatePerSec: 50, streaming: true, mode: "rate" });
    expect(r.sendLagNs.p99).toBeGreaterThan(1e6);
    expect(r.queued).toBe(0);
    expect(r.behind).toBe(false);
    expect(scheduleLines(r).join("\n")).not.toContain("WARNING");
  });

  test("a fixed schedule's bursts (many requests due together, sent a few ms apart) are not falling behind", () => {
    // Bursts of 10 requests due at the same ms, sent 0.5 ms after one another; 1 s between bursts.
    const rs = Array.from({ length: 100 }, (_, i) => rec(i, Math.floor(i / 10) * 1000, (i % 10) * 0.5));
    const r = scheduleReport(rs, { requestedRatePerSec: 100, streaming: true, mode: "fixed" });
    expect(r.sendLagNs.p90).toBeGreaterThan(1e6);
    expect(r.behind).toBe(false);
    // The same lags under --request-rate 100 (10 ms between arrivals) are not behind either: p90 4 ms < 10 ms.
    expect(scheduleReport(rs, { requestedRatePerSec: 100, streaming: true, mode: "rate" }).behind).toBe(false);
  });
});
