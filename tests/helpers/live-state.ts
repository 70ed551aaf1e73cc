// A LiveState in the middle of a profiling run, for the dashboard and progress-line tests.
import type { LiveState } from "../../src/report/live-state.ts";
import type { LiveSnapshot } from "../../src/report/live-stats.ts";

/** 90 s of requests per second: a wave between 140 and 260. */
const SERIES = Array.from({ length: 90 }, (_, i) => 200 + Math.round(60 * Math.sin(i / 5)));

export function liveSnapshot(over: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    done: { warmup: 100, profiling: 2250 },
    failed: { warmup: 0, profiling: 3 },
    lastPhase: "profiling",
    profilingStartNs: 1,
    windowS: 10,
    requestsPerSec: 240.1,
    finishedPerSec: 241,
    outputTokensPerSec: 12_345,
    ttft: { p50: 42.1e6, p90: 80e6, p99: 118e6 },
    itl: { p50: 5.02e6, p90: 7e6, p99: 9.81e6 },
    latency: { p50: 812e6, p90: 1.1e9, p99: 1.2e9 },
    requestSeries: SERIES,
    ttftSeries: SERIES.map((v) => v * 2e5),
    latencySeries: SERIES.map((v) => v * 4e6),
    errors: [
      { type: "http_error", code: 500, count: 2, message: "Internal Server Error" },
      { type: "timeout", code: 0, count: 1, message: "request timed out after 1 s" },
    ],
    errorKinds: 2,
    ...over,
  };
}

export function liveState(over: Partial<LiveState> = {}): LiveState {
  return {
    title: "mock-model  http://127.0.0.1:39017/v1/chat/completions",
    progress: { phase: "profiling", done: 2250, failed: 3, total: 5000, fraction: 0.45, elapsedMs: 10_200, etaMs: 12_400, durationMs: null },
    inFlight: 16,
    stopping: null,
    streaming: true,
    stats: liveSnapshot(),
    logs: [],
    ...over,
  };
}
