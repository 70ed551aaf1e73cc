import { describe, expect, test } from "bun:test";
import { countSuccess, escapeLabel, formatFloat, Histogram, newModelMetrics, renderPrometheus, TTFT_BUCKETS_S } from "../../../src/mock/prometheus.ts";
import { MockMetrics, OVERFLOW_MODEL_LABEL } from "../../../src/mock/mock-metrics.ts";

describe("histogram", () => {
  test("le is inclusive; values past the last bound land in +Inf", () => {
    const h = new Histogram([0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 1, 2]) h.observe(v);
    expect(h.counts).toEqual([2, 2, 1]);
    expect(h.count).toBe(5);
    expect(h.sum).toBeCloseTo(3.65, 12);
  });
});

describe("formatting", () => {
  const floats: [number, string][] = [
    [1, "1.0"],
    [0, "0.0"],
    [0.005, "0.005"],
    [2560, "2560.0"],
    [Infinity, "+Inf"],
    [12.5, "12.5"],
  ];
  for (const [v, s] of floats) test(`formatFloat(${v})`, () => expect(formatFloat(v)).toBe(s));
  test("label escaping", () => expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd'));
});

describe("render", () => {
  const m = newModelMetrics();
  m.running = 3;
  m.waiting = 2;
  m.promptTokens = 100;
  m.generationTokens = 42;
  m.ttft.observe(0.015);
  m.ttft.observe(0.5);
  m.ttft.observe(5000);
  const text = renderPrometheus([["org/model-x", m]]);
  const lines = text.split("\n");

  test("gauges and counters with HELP/TYPE and model_name label", () => {
    for (const [name, type, value] of [
      ["vllm:num_requests_running", "gauge", "3.0"],
      ["vllm:num_requests_waiting", "gauge", "2.0"],
      ["vllm:prompt_tokens_total", "counter", "100.0"],
      ["vllm:generation_tokens_total", "counter", "42.0"],
    ] as const) {
      expect(lines).toContain(`# TYPE ${name} ${type}`);
      expect(lines.some((l) => l.startsWith(`# HELP ${name} `))).toBe(true);
      expect(lines).toContain(`${name}{model_name="org/model-x"} ${value}`);
    }
  });

  test("histogram buckets are cumulative, end in +Inf = count", () => {
    const b = (le: string): string | undefined =>
      lines.find((l) => l.startsWith(`vllm:time_to_first_token_seconds_bucket{model_name="org/model-x",le="${le}"}`));
    expect(b("0.01")).toEndWith(" 0.0");
    expect(b("0.02")).toEndWith(" 1.0");
    expect(b("0.5")).toEndWith(" 2.0");
    expect(b("2560.0")).toEndWith(" 2.0");
    expect(b("+Inf")).toEndWith(" 3.0");
    expect(lines).toContain('vllm:time_to_first_token_seconds_count{model_name="org/model-x"} 3.0');
    expect(lines).toContain('vllm:time_to_first_token_seconds_sum{model_name="org/model-x"} 5000.515');
    const bucketLines = lines.filter((l) => l.startsWith("vllm:time_to_first_token_seconds_bucket"));
    expect(bucketLines.length).toBe(TTFT_BUCKETS_S.length + 1);
    expect(lines).toContain("# TYPE vllm:e2e_request_latency_seconds histogram");
  });

  test("every sample line parses as name{labels} number", () => {
    for (const l of lines) {
      if (l === "" || l.startsWith("#")) continue;
      expect(l).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\} [-+0-9.eInfNa]+$/);
    }
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("MockMetrics", () => {
  test("served models are listed before any request; model labels are bounded", () => {
    const mm = new MockMetrics(["a", "b"]);
    expect(mm.render()).toContain('vllm:num_requests_running{model_name="b"} 0.0');
    for (let i = 0; i < 400; i++) mm.model(`m${i}`).generationTokens++;
    const text = mm.render();
    const labels = new Set([...text.matchAll(/vllm:generation_tokens_total\{model_name="([^"]+)"\}/g)].map((x) => x[1]));
    expect(labels.size).toBeLessThanOrEqual(257);
    expect(text).toContain(`model_name="${OVERFLOW_MODEL_LABEL}"`);
  });
});

describe("load-following vLLM metrics", () => {
  test("KV-cache usage is running / batch slots (both vLLM names), 0 without a batch model", () => {
    const m = newModelMetrics();
    m.running = 3;
    const batched = renderPrometheus([["a", m]], { batchSlots: 4 }).split("\n");
    expect(batched).toContain('vllm:kv_cache_usage_perc{model_name="a"} 0.75');
    expect(batched).toContain('vllm:gpu_cache_usage_perc{model_name="a"} 0.75');
    expect(batched).toContain("# TYPE vllm:kv_cache_usage_perc gauge");
    const independent = renderPrometheus([["a", m]]).split("\n");
    expect(independent).toContain('vllm:kv_cache_usage_perc{model_name="a"} 0.0');
  });

  test("request_success_total counts finished requests by finished_reason; preemptions stay 0", () => {
    const m = newModelMetrics();
    countSuccess(m, "stop");
    countSuccess(m, "stop");
    countSuccess(m, "length");
    const lines = renderPrometheus([["a", m]]).split("\n");
    expect(lines).toContain("# TYPE vllm:request_success_total counter");
    expect(lines).toContain('vllm:request_success_total{finished_reason="stop",model_name="a"} 2.0');
    expect(lines).toContain('vllm:request_success_total{finished_reason="length",model_name="a"} 1.0');
    expect(lines).toContain('vllm:num_preemptions_total{model_name="a"} 0.0');
  });
});
