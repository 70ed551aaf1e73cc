import { describe, expect, test } from "bun:test";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { percentileList, summarize, type MetricResult } from "../../../src/metrics/summary.ts";
import type { MetricTag } from "../../../src/metrics/metric-table.ts";
import { makeRecord, type RecordSpec } from "../../helpers/records.ts";

const S = 1_000_000_000_000;
const at = (ms: number, s: RecordSpec, i: number) => makeRecord({ ...s, startNs: S + ms * 1_000_000 }, i);
const boom = { code: 500, type: "http_error", message: "HTTP 500: boom" };

function records() {
  return [
    at(-100, { chunkMs: [1000], phase: "warmup", inputTokens: 5000 }, 0), // excluded from everything
    at(0, { chunkMs: [12.5, 20, 31], inputTokens: 100 }, 1),
    at(5, { chunkMs: [8, 15.25], inputTokens: 120 }, 2),
    at(-3, { inputTokens: 40, error: boom }, 3), // starts first, but failed: not part of the duration
    at(9, { chunkMs: [30, 41, 52, 63], tokensPerChunk: 2, inputTokens: 90 }, 4),
    at(11, { chunkMs: [5], inputTokens: 60, cancelled: true, error: { code: 499, type: "cancelled", message: "c" } }, 5),
    at(12, { inputTokens: 41, error: boom }, 6),
  ];
}

const get = (tag: MetricTag, m: MetricResult[]) => m.find((x) => x.tag === tag);

describe("summarize", () => {
  const s = summarize(records(), { streaming: true, percentiles: [99.9] });
  const m = (tag: MetricTag) => get(tag, s.metrics)!;

  test("record metric statistics equal numpy's (computed in ns, then * 1e-6)", () => {
    const ttft = m("time_to_first_token");
    expect(ttft).toMatchObject({ unit: "ms", kind: "record", count: 3, avg: 16.833333333333332, min: 8.0, max: 30.0, sum: 50.5, std: 9.48976056365784 });
    expect(ttft.percentiles.map((p) => [p.key, p.value])).toEqual([
      ["p1", 8.09],
      ["p5", 8.45],
      ["p10", 8.9],
      ["p25", 10.25],
      ["p50", 12.5],
      ["p75", 21.25],
      ["p90", 26.5],
      ["p95", 28.25],
      ["p99", 29.65],
      ["p99.9", 29.965000000000003],
    ]);
  });
  test("inter_chunk_latency is flattened over requests", () => {
    const icl = m("inter_chunk_latency");
    expect(icl.count).toBe(6);
    expect(icl.avg).toBe(9.791666666666666);
    expect(icl.percentiles.find((p) => p.key === "p50")!.value).toBe(11.0);
    expect(icl.std).toBe(1.7103646459811492);
  });
  test("warmup requests are excluded", () => {
    expect(s.recordCount).toBe(6);
    expect(m("input_sequence_length").max).toBe(120);
    expect(m("time_to_first_token").max).toBe(30);
  });
  test("benchmark_duration = max(start + latency) - min(start) over valid requests, shown in seconds", () => {
    // valid starts at 0, 5, 9 ms; last chunks at 31, 5 + 15.25, 9 + 63 ms -> 72 ms
    expect(s.benchmarkDurationNs).toBe(72_000_000);
    expect(m("benchmark_duration")).toMatchObject({ unit: "sec", kind: "derived", avg: 72_000_000 * 1e-9, count: 1, min: null, percentiles: [] });
  });
  test("counters and derived metrics", () => {
    expect(m("request_count").avg).toBe(3);
    expect(m("error_request_count").avg).toBe(3);
    expect(m("total_isl").avg).toBe(310);
    expect(m("total_osl").avg).toBe(13);
    expect(m("total_output_tokens").avg).toBe(13);
    expect(m("total_error_isl").avg).toBe(141);
    expect(m("error_isl").count).toBe(3);
    const sec = 72_000_000 * 1e-9;
    expect(m("request_throughput").avg).toBe(3 / sec);
    expect(m("request_throughput").avg).toBe(41.666666666666664);
    expect(m("output_token_throughput").avg).toBe(180.55555555555554);
    expect(m("total_token_throughput").avg).toBe(4486.11111111111);
  });
  test("error summary grouped by (code, type, message), first appearance first", () => {
    expect(s.errorSummary).toEqual([
      { error: boom, count: 2 },
      { error: { code: 499, type: "cancelled", message: "c" }, count: 1 },
    ]);
  });
  test("metrics without values are absent; goodput metrics need SLOs", () => {
    for (const t of ["reasoning_token_count", "usage_prompt_tokens", "osl_mismatch_count", "goodput", "good_request_count", "good_request_fraction"] as const) {
      expect(get(t, s.metrics)).toBeUndefined();
    }
  });
  test("extra percentiles are merged into the fixed list", () => {
    expect(percentileList([99.9, 50, 12.5])).toEqual([1, 5, 10, 12.5, 25, 50, 75, 90, 95, 99, 99.9]);
  });
});

describe("summarize: goodput", () => {
  test("goodput = good / duration; good_request_fraction = good / (valid + failed)", () => {
    const slos = parseGoodput(["time_to_first_token:13"]).slos; // requests 1 (12.5 ms) and 2 (8 ms) are good
    const s = summarize(records(), { streaming: true, slos });
    expect(get("good_request_count", s.metrics)!.avg).toBe(2);
    expect(get("goodput", s.metrics)!.avg).toBe(2 / (72_000_000 * 1e-9));
    expect(get("good_request_fraction", s.metrics)).toMatchObject({ unit: "ratio", avg: 2 / 6 });
  });
  test("good_request_fraction is 0.0 when no request finished", () => {
    const slos = parseGoodput(["request_latency:100"]).slos;
    for (const recs of [[], records().filter((r) => r.phase === "warmup")]) {
      const s = summarize(recs, { streaming: true, slos });
      expect(s.metrics.map((x) => [x.tag, x.avg])).toEqual([["good_request_fraction", 0]]);
      expect(s.benchmarkDurationNs).toBeNull();
    }
  });
  test("only failures: no request-count-based metrics, fraction 0", () => {
    const slos = parseGoodput(["request_latency:100"]).slos;
    const s = summarize(
      records().filter((r) => r.error !== null),
      { streaming: true, slos },
    );
    expect(s.metrics.map((x) => x.tag)).toEqual(["error_isl", "error_request_count", "good_request_fraction", "total_error_isl"]);
    expect(get("good_request_fraction", s.metrics)!.avg).toBe(0);
  });
});

describe("summarize: non-streaming", () => {
  test("latency is end - start, streaming-only metrics are absent, duration uses it", () => {
    const recs = [at(0, { chunkMs: [10, 20], endMs: 25 }, 0), at(2, { chunkMs: [10], endMs: 30 }, 1)];
    const s = summarize(recs, { streaming: false });
    expect(get("time_to_first_token", s.metrics)).toBeUndefined();
    expect(get("inter_token_latency", s.metrics)).toBeUndefined();
    expect(get("request_latency", s.metrics)).toMatchObject({ min: 25, max: 30 });
    expect(s.benchmarkDurationNs).toBe(32_000_000);
  });
});
