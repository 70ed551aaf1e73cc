import { describe, expect, test } from "bun:test";
import { ASCII_GLYPHS, textWidth } from "../../../src/report/live-format.ts";
import { heartbeatLine, progressLine } from "../../../src/report/progress-line.ts";
import { liveSnapshot, liveState } from "../../helpers/live-state.ts";

describe("progressLine", () => {
  test.each([
    [200, "profiling  45%  2250/5000 req  [##############................]  240 req/s  16 in flight  3 failed  TTFT p50 42.1 ms  ETA 12 s"],
    [120, "profiling  45%  2250/5000 req  [##########.............]  240 req/s  16 in flight  3 failed  TTFT p50 42.1 ms  ETA 12 s"],
    // 80 columns: the bar and the in-flight count give way; the line is 78 long, under the 79 it may use.
    [80, "profiling  45%  2250/5000 req  240 req/s  3 failed  TTFT p50 42.1 ms  ETA 12 s"],
    [60, "profiling  45%  2250/5000 req  240 req/s  ETA 12 s"],
    [40, "profiling  45%  2250/5000 req  ETA 12 s"],
    [20, "45%  2250/5000 req"],
    [5, "2250"],
  ])("at %p columns", (width, line) => {
    expect(progressLine(liveState(), width, ASCII_GLYPHS)).toBe(line);
  });

  test("never wider than width - 1, from 1 to 200 columns, in every state", () => {
    const states = [
      liveState(),
      liveState({ stats: liveSnapshot({ requestsPerSec: null, ttft: null }), streaming: false }),
      liveState({ progress: { phase: "warmup", done: 123456, failed: 99999, total: 9999999, fraction: 0.01, elapsedMs: 1e7, etaMs: 3.6e9, durationMs: null } }),
    ];
    let checked = 0;
    for (const s of states) {
      for (let width = 1; width <= 200; width++) {
        expect(textWidth(progressLine(s, width))).toBeLessThanOrEqual(Math.max(1, width - 1));
        checked++;
      }
    }
    expect(checked).toBe(600);
  });

  test("without streaming the latency shown is the request latency", () => {
    expect(progressLine(liveState({ streaming: false }), 200, ASCII_GLYPHS)).toContain("latency p50 812 ms");
  });
});

describe("heartbeatLine", () => {
  test.each([
    ["by count", liveState(), "profiling 2250/5000 req, 240 req/s, 16 in flight, 3 failed, TTFT p50 42.1 ms, ETA 12 s"],
    [
      "by duration, stopping",
      liveState({
        stopping: "stopping",
        progress: { phase: "profiling", done: 500, failed: 0, total: null, fraction: 0.25, elapsedMs: 15_000, etaMs: 45_000, durationMs: 60_000 },
      }),
      "profiling 500 req, 15 s of 1:00, 240 req/s, 16 in flight, 0 failed, TTFT p50 42.1 ms, ETA 45 s, stopping",
    ],
    [
      "nothing measured yet",
      liveState({
        stats: liveSnapshot({ requestsPerSec: null, ttft: null }),
        progress: { phase: "warmup", done: 0, failed: 0, total: 10, fraction: 0, elapsedMs: 0, etaMs: null, durationMs: null },
      }),
      "warmup 0/10 req, 16 in flight, 0 failed",
    ],
  ])("%s", (_name, state, line) => {
    expect(heartbeatLine(state)).toBe(line);
  });
});
