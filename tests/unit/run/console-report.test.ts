import { describe, expect, test } from "bun:test";
import type { MetricResult, Summary } from "../../../src/metrics/summary.ts";
import { consoleReport, errorLines } from "../../../src/run/console-report.ts";
import type { ProfileOutcome } from "../../../src/run/profile-run.ts";

const metric = (tag: MetricResult["tag"], header: string, base: number): MetricResult => ({
  tag,
  header,
  unit: "ms",
  kind: "record",
  avg: base,
  min: base / 2,
  max: base * 3,
  sum: null,
  std: base / 4,
  percentiles: [50, 90, 99, 99.9].map((p) => ({ p, key: `p${p}`, value: base * (1 + p / 50) })),
  count: 2000,
});

const ids = Array.from({ length: 2000 }, (_, i) => ({
  error: { code: 500, type: "http_error", message: `Internal error for request req-${i.toString(16).padStart(8, "0")}7a (trace ${crypto.randomUUID()})` },
  count: 1,
}));

const summary: Summary = {
  metrics: [
    metric("time_to_first_token", "Time to First Token", 12_345.678),
    metric("inter_token_latency", "Inter Token Latency", 23.4),
    metric("request_latency", "Request Latency", 98_765.4),
  ],
  errorSummary: ids,
  benchmarkDurationNs: 12e9,
  recordCount: 4000,
};

const outcome = (s: Summary): ProfileOutcome => ({
  results: { summary: s, schedule: null, counts: { total: 4000, succeeded: 2000, failed: 2000 }, perSlice: [] },
  runId: "run-1",
  dir: "/tmp/run",
  dbPath: "/tmp/run/results.duckdb",
  interrupted: false,
  abortedOnFailures: false,
  storageFailure: null,
  startNs: 0,
  endNs: 1,
});

describe("consoleReport", () => {
  test.each([80, 120])("at %i columns: every line fits, p99.9 shown, 2,000 id-bearing errors in one line", (width) => {
    const text = consoleReport(outcome(summary), { threshold: undefined, width, extraPercentiles: [99.9] });
    const lines = text.split("\n");
    expect(lines.filter((l) => l.length > width)).toEqual([]);
    expect(text).toContain(" p99.9 ");
    const errors = lines.slice(lines.indexOf("Errors:"));
    expect(errors[0]).toBe("Errors:");
    expect(errors[1]!.startsWith("  2000 x http_error (500): Internal error for request req-000000007a")).toBe(true);
    expect(errors[2]!.startsWith("Benchmark Duration:")).toBe(true);
  });

  test.each([
    [80, ["The profile run was cancelled early.", "Results shown may be incomplete or inaccurate."]],
    [120, ["The profile run was cancelled early. Results shown may be incomplete or inaccurate."]],
  ])("a cancelled run at %i columns: AIPerf's sentence, split to fit", (width, want) => {
    const text = consoleReport({ ...outcome(summary), interrupted: true }, { threshold: undefined, width, extraPercentiles: [] });
    const lines = text.trimEnd().split("\n");
    expect(lines.slice(-want.length)).toEqual(want);
    expect(lines.filter((l) => l.length > width)).toEqual([]);
  });

  test("long example messages are cut to the width; more than ten kinds end with a count", () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ error: { code: 400 + i, type: "http_error", message: `${"x".repeat(200)} ${i}` }, count: 1 }));
    const lines = errorLines(many, 80);
    expect(lines.length).toBe(1 + 10 + 1);
    expect(lines.slice(1, 11).every((l) => l.length === 80 && l.endsWith("…"))).toBe(true);
    expect(lines[11]).toBe("  4 more kinds (4 requests); all in profile_export_aiperf.json");
  });
});
