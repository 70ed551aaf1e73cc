import { describe, expect, test } from "bun:test";
import { namedServerRows } from "../../../src/metrics/server-metric-names.ts";
import { exportName, histogramQuantile, type SeriesWindow, serverMetricsExport, unitOf, windowDelta } from "../../../src/metrics/server-metrics-summary.ts";

describe("histogramQuantile (Prometheus's, linear within the bucket)", () => {
  const b: [number, number][] = [
    [0.1, 10],
    [0.5, 30],
    [1, 40],
    [Infinity, 40],
  ];
  const cases: [string, number, [number, number][], number | null][] = [
    ["median inside the second bucket", 0.5, b, 0.1 + 0.4 * (10 / 20)],
    ["first bucket from 0", 0.1, b, 0.1 * (4 / 10)],
    ["top lands on the last finite bound", 1, b, 1],
    [
      "rank in +Inf -> highest finite bound",
      0.99,
      [
        [1, 1],
        [Infinity, 10],
      ],
      1,
    ],
    [
      "empty histogram",
      0.5,
      [
        [1, 0],
        [Infinity, 0],
      ],
      null,
    ],
    ["no buckets", 0.5, [], null],
    [
      "first bound <= 0",
      0.5,
      [
        [0, 5],
        [Infinity, 5],
      ],
      0,
    ],
  ];
  for (const [name, q, buckets, want] of cases)
    test(name, () => {
      const got = histogramQuantile(q, buckets);
      if (want === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(want, 12);
    });
});

const base: SeriesWindow = {
  url: "http://s/metrics",
  metric: "m",
  family: "m",
  type: "gauge",
  labels: "{}",
  le: null,
  n: 0,
  avg: null,
  min: null,
  max: null,
  std: null,
  quantiles: null,
  refValue: null,
  refNs: null,
  firstValue: null,
  firstNs: null,
  lastValue: null,
  lastNs: null,
};
const w = (o: Partial<SeriesWindow>): SeriesWindow => ({ ...base, ...o });

describe("windowDelta", () => {
  test("from the reference before the window to the last sample", () => {
    expect(windowDelta(w({ refValue: 10, refNs: 1e9, firstValue: 12, firstNs: 2e9, lastValue: 25, lastNs: 3e9 }))).toEqual({ delta: 15, spanNs: 2e9 });
  });
  test("no reference: from the window's first sample", () => {
    expect(windowDelta(w({ firstValue: 12, firstNs: 2e9, lastValue: 25, lastNs: 3e9 }))).toEqual({ delta: 13, spanNs: 1e9 });
  });
  test("a counter reset clamps to 0 (as AIPerf)", () => {
    expect(windowDelta(w({ refValue: 100, refNs: 1e9, lastValue: 5, lastNs: 3e9 }))?.delta).toBe(0);
  });
  test("nothing in the window", () => {
    expect(windowDelta(w({ refValue: 1, refNs: 1 }))).toBeNull();
  });
});

describe("names and units", () => {
  const units: [string, string | null][] = [
    ["vllm:time_to_first_token_seconds", "seconds"],
    ["vllm:prompt_tokens_total", "tokens"],
    ["vllm:request_success_total", "requests"],
    ["vllm:kv_cache_usage_perc", "percent"],
    ["vllm:num_requests_running", null],
    ["foo_total", "count"],
  ];
  for (const [n, u] of units) test(`unitOf(${n})`, () => expect(unitOf(n)).toBe(u));
  test("counters lose _total in the export, others keep their name", () => {
    expect(exportName("vllm:prompt_tokens_total", "counter")).toBe("vllm:prompt_tokens");
    expect(exportName("x_total", "gauge")).toBe("x_total");
  });
});

describe("serverMetricsExport", () => {
  const url = "http://s/metrics";
  const windows: SeriesWindow[] = [
    w({
      metric: "vllm:num_requests_waiting",
      family: "vllm:num_requests_waiting",
      labels: '{"model_name":"m"}',
      n: 3,
      avg: 2,
      min: 0,
      max: 5,
      std: 2.5,
      quantiles: [0, 0, 0, 0.5, 1, 3, 4.4, 4.7, 4.94],
    }),
    w({
      metric: "vllm:request_success_total",
      family: "vllm:request_success_total",
      type: "counter",
      labels: '{"finished_reason":"stop"}',
      refValue: 4,
      refNs: 1e9,
      firstValue: 4,
      firstNs: 2e9,
      lastValue: 24,
      lastNs: 3e9,
    }),
    ...(
      [
        ["0.1", 1, 6],
        ["1.0", 2, 12],
        ["+Inf", 2, 12],
      ] as const
    ).map(([le, ref, last]) =>
      w({ metric: "h_seconds_bucket", family: "h_seconds", type: "histogram", le, refValue: ref, refNs: 1e9, lastValue: last, lastNs: 3e9 }),
    ),
    w({ metric: "h_seconds_count", family: "h_seconds", type: "histogram", refValue: 2, refNs: 1e9, lastValue: 12, lastNs: 3e9 }),
    w({ metric: "h_seconds_sum", family: "h_seconds", type: "histogram", refValue: 0.5, refNs: 1e9, lastValue: 3.5, lastNs: 3e9 }),
    w({ metric: "h_seconds_created", family: "h_seconds", type: "histogram", refValue: 1, refNs: 1e9, lastValue: 1, lastNs: 3e9 }),
    w({ metric: "u", family: "u", type: "untyped", n: 1, avg: 7, min: 7, max: 7, std: null, quantiles: [7, 7, 7, 7, 7, 7, 7, 7, 7] }),
  ];
  const exp = serverMetricsExport(
    windows,
    new Map([["h_seconds", "Some latency."]]),
    [{ url, attempts: 10, ok: 9, avgLatencyMs: 1.5, firstNs: 1e9, lastNs: 3e9, anError: "HTTP 500" }],
    [url],
  );

  test("gauge: avg/min/max/std and p1..p99", () => {
    const s = exp.metrics["vllm:num_requests_waiting"]!;
    expect(s.type).toBe("gauge");
    expect(s.series[0]!.labels).toEqual({ model_name: "m" });
    expect(s.series[0]!.stats).toEqual({ avg: 2, min: 0, max: 5, std: 2.5, p1: 0, p5: 0, p10: 0, p25: 0.5, p50: 1, p75: 3, p90: 4.4, p95: 4.7, p99: 4.94 });
  });
  test("counter: keyed without _total; total and rate over the span", () => {
    const s = exp.metrics["vllm:request_success"]!;
    expect(s.type).toBe("counter");
    expect(s.unit).toBe("requests");
    expect(s.series[0]!.stats).toEqual({ total: 20, rate: 10 });
  });
  test("histogram: bucket deltas, count/sum/avg/rates, estimated percentiles; _created ignored", () => {
    const s = exp.metrics.h_seconds!;
    expect(s.description).toBe("Some latency.");
    expect(s.series.length).toBe(1);
    const x = s.series[0]!;
    expect(x.buckets).toEqual({ "0.1": 5, "1.0": 10, "+Inf": 10 });
    expect(x.stats.count).toBe(10);
    expect(x.stats.sum).toBeCloseTo(3, 12);
    expect(x.stats.avg).toBeCloseTo(0.3, 12);
    expect(x.stats.count_rate).toBe(5);
    expect(x.stats.p50_estimate).toBeCloseTo(0.1, 12);
    expect(x.stats.p99_estimate).toBeCloseTo(0.1 + 0.9 * (4.9 / 5), 12);
  });
  test("untyped exports as unknown with gauge stats (std 0 for one sample)", () => {
    expect(exp.metrics.u!.type).toBe("unknown");
    expect(exp.metrics.u!.series[0]!.stats.std).toBe(0);
  });
  test("summary: endpoints and fetch info", () => {
    expect(exp.summary.endpoints_configured).toEqual([url]);
    expect(exp.summary.endpoints_successful).toEqual([url]);
    expect(exp.summary.endpoint_info[url]).toEqual({
      total_fetches: 10,
      successful_fetches: 9,
      first_fetch_ns: 1e9,
      last_fetch_ns: 3e9,
      avg_fetch_latency_ms: 1.5,
    });
  });
  test("named rows: recognised vLLM names answer their questions", () => {
    const rows = namedServerRows(exp);
    expect(rows.map((r) => [r.key, r.metric])).toEqual([
      ["waiting_requests", "vllm:num_requests_waiting"],
      ["successful_requests", "vllm:request_success"],
    ]);
  });
});

test("prefix-cache hit rate from vLLM's hits and queries counters", () => {
  const url = "http://s/metrics";
  const c = (family: string, last: number): SeriesWindow =>
    w({ url, metric: `${family}_total`, family: `${family}_total`, type: "counter", refValue: 0, refNs: 0, lastValue: last, lastNs: 1e9 });
  const exp = serverMetricsExport([c("vllm:prefix_cache_hits", 30), c("vllm:prefix_cache_queries", 120)], new Map(), [], [url]);
  const rows = namedServerRows(exp).filter((r) => r.key === "prefix_cache_hit_rate");
  expect(rows.length).toBe(1);
  expect(rows[0]!.stats).toEqual({ hits: 30, queries: 120, ratio: 0.25 });
});
