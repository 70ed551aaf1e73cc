import { describe, expect, test } from "bun:test";
import { BEHIND_LAG_P99_NS, scheduleLines, scheduleReport } from "../../../src/metrics/schedule-report.ts";
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

  test("late without queueing counts as behind past the lag threshold; warmup is left out", () => {
    const late = [rec(0, 0, 0), rec(1, 10, (BEHIND_LAG_P99_NS * 3) / 1e6)];
    expect(scheduleReport(late, { requestedRatePerSec: null, streaming: true }).behind).toBe(true);
    const warm = rec(2, 20, 500);
    warm.phase = "warmup";
    expect(scheduleReport([rec(0, 0, 0), warm], { requestedRatePerSec: null, streaming: true }).requests).toBe(1);
  });
});
