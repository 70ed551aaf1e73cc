import { describe, expect, test } from "bun:test";
import { hasFlag, METRICS, type MetricTag } from "../../../src/metrics/metric-table.ts";
import { displayMetrics, isValidRecord, recordError, recordValues, type RecordOptions, toDisplay } from "../../../src/metrics/record-values.ts";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { makeRecord, type RecordSpec } from "../../helpers/records.ts";
import { convert, type Unit } from "../../../src/metrics/units.ts";

// Start below 2^53 so every ns offset is exact and expectations are exact integers.
const S = 1_000_000_000_000;
const rec = (s: RecordSpec, i = 0) => makeRecord({ startNs: S, ...s }, i);
const STREAM: RecordOptions = { streaming: true };
const MS = 1_000_000; // ns per ms, to write hand-computed ns values readably

type Expect = Partial<Record<MetricTag, number | number[] | undefined>>;

interface Case {
  name: string;
  spec: RecordSpec;
  opts?: RecordOptions;
  /** Internal-unit values (ns, tokens); `undefined` = the metric must be absent. */
  expect: Expect;
}

const CASES: Case[] = [
  {
    name: "streaming: TTFT, TTST, ICL, latency to the last chunk, ITL, per-user throughputs",
    spec: { chunkMs: [20, 30, 40, 50, 60], endMs: 61, inputTokens: 100 },
    expect: {
      input_sequence_length: 100,
      time_to_first_token: 20 * MS,
      time_to_second_token: 10 * MS,
      time_to_first_output_token: 20 * MS,
      inter_chunk_latency: [10 * MS, 10 * MS, 10 * MS, 10 * MS],
      request_latency: 60 * MS, // last content chunk, not end_ns (61 ms)
      output_token_count: 5,
      output_sequence_length: 5,
      inter_token_latency: (60 * MS - 20 * MS) / (5 - 1),
      output_token_throughput_per_user: 1 / (10 * MS * 1e-9),
      prefill_throughput_per_user: 100 / (20 * MS * 1e-9),
      reasoning_token_count: undefined,
      request_count: 1,
      error_isl: undefined,
    },
  },
  {
    name: "bundled chunks: tokens, not chunks, drive OSL and ITL",
    spec: { chunkMs: [10, 30, 50], tokensPerChunk: 4 },
    expect: { output_sequence_length: 12, inter_token_latency: (40 * MS) / 11, inter_chunk_latency: [20 * MS, 20 * MS] },
  },
  {
    name: "reasoning: TTFT at the first reasoning chunk, TTFO at the first content chunk, OSL counts both",
    spec: { chunkMs: [10, 20, 30, 40], reasoningChunks: 2, tokensPerChunk: 2 },
    expect: {
      time_to_first_token: 10 * MS,
      time_to_first_output_token: 30 * MS,
      reasoning_token_count: 4,
      output_token_count: 4,
      output_sequence_length: 8,
      inter_token_latency: (40 * MS - 10 * MS) / 7,
    },
  },
  {
    name: "non-streaming: latency is end - start; streaming-only metrics are absent",
    spec: { chunkMs: [20, 30, 40, 50, 60], endMs: 61 },
    opts: { streaming: false },
    expect: {
      request_latency: 61 * MS,
      output_sequence_length: 5,
      time_to_first_token: undefined,
      time_to_second_token: undefined,
      time_to_first_output_token: undefined,
      inter_chunk_latency: undefined,
      inter_token_latency: undefined,
      output_token_throughput_per_user: undefined,
      prefill_throughput_per_user: undefined,
    },
  },
  {
    name: "one token: no TTST, no ICL, no ITL (needs OSL >= 2)",
    spec: { chunkMs: [15], endMs: 16 },
    expect: {
      time_to_first_token: 15 * MS,
      request_latency: 15 * MS,
      time_to_second_token: undefined,
      inter_chunk_latency: undefined,
      inter_token_latency: undefined,
      output_token_throughput_per_user: undefined,
    },
  },
  {
    name: "no token at all: counted, OSL 0, but no latency metrics",
    spec: { chunkMs: [], endMs: 5 },
    expect: { request_count: 1, output_sequence_length: 0, output_token_count: undefined, request_latency: undefined, time_to_first_token: undefined },
  },
  {
    name: "usage: values, diffs |server - client| / client * 100, discrepancy above 10 %",
    spec: { chunkMs: [10, 20, 30, 40, 50], inputTokens: 100, usage: { prompt: 110, completion: 6, total: 116 } },
    expect: {
      usage_prompt_tokens: 110,
      usage_completion_tokens: 6,
      usage_total_tokens: 116,
      usage_reasoning_tokens: undefined,
      usage_prompt_tokens_diff_pct: (10 / 100) * 100.0, // exactly 10 %: not a discrepancy by itself
      usage_completion_tokens_diff_pct: (1 / 5) * 100.0,
      usage_discrepancy_count: 1, // completion is 20 % off
    },
  },
  {
    name: "usage within threshold: discrepancy 0",
    spec: { chunkMs: [10, 20], inputTokens: 100, usage: { prompt: 105, completion: 2 } },
    expect: { usage_prompt_tokens_diff_pct: 5, usage_completion_tokens_diff_pct: 0, usage_discrepancy_count: 0 },
  },
  {
    name: "usage reasoning diff against the client's reasoning count",
    spec: { chunkMs: [10, 20, 30], reasoningChunks: 2, tokensPerChunk: 2, usage: { prompt: 10, completion: 6, reasoning: 5 } },
    expect: { usage_reasoning_tokens: 5, usage_reasoning_tokens_diff_pct: (1 / 4) * 100.0, usage_discrepancy_count: 1 },
  },
  {
    name: "usage diffs need a non-zero client count; prompt diff missing -> no discrepancy value",
    spec: { chunkMs: [10, 20], inputTokens: 0, usage: { prompt: 50, completion: 2 } },
    expect: { usage_prompt_tokens_diff_pct: undefined, usage_completion_tokens_diff_pct: 0, usage_discrepancy_count: undefined },
  },
  {
    name: "--use-server-token-count disables the usage diffs",
    spec: { chunkMs: [10, 20], usage: { prompt: 50, completion: 2 } },
    opts: { streaming: true, useServerTokenCount: true },
    expect: {
      usage_prompt_tokens: 50,
      usage_prompt_tokens_diff_pct: undefined,
      usage_completion_tokens_diff_pct: undefined,
      usage_discrepancy_count: undefined,
    },
  },
  {
    name: "--use-server-token-count: ISL, OSL, ITL and throughputs from usage, not the client's count",
    spec: { chunkMs: [20, 30, 40, 50, 60], inputTokens: 100, usage: { prompt: 200, completion: 9 } },
    opts: { streaming: true, useServerTokenCount: true },
    expect: {
      input_sequence_length: 200,
      output_sequence_length: 9,
      output_token_count: 9,
      reasoning_token_count: undefined,
      inter_token_latency: (60 * MS - 20 * MS) / (9 - 1),
      prefill_throughput_per_user: 200 / (20 * MS * 1e-9),
    },
  },
  {
    name: "--use-server-token-count: reasoning from usage, the rest of the completion is output",
    spec: { chunkMs: [10, 20, 30], reasoningChunks: 2, usage: { prompt: 10, completion: 12, reasoning: 8 } },
    opts: { streaming: true, useServerTokenCount: true },
    expect: { output_sequence_length: 12, output_token_count: 4, reasoning_token_count: 8 },
  },
  {
    name: "--use-server-token-count without usage: no token counts (AIPerf: None), latencies stay",
    spec: { chunkMs: [20, 30, 40], inputTokens: 100, requestedOutputTokens: 3 },
    opts: { streaming: true, useServerTokenCount: true },
    expect: {
      input_sequence_length: undefined,
      output_sequence_length: undefined,
      output_token_count: undefined,
      inter_token_latency: undefined,
      prefill_throughput_per_user: undefined,
      osl_mismatch_count: undefined,
      time_to_first_token: 20 * MS,
      request_count: 1,
    },
  },
  {
    name: "OSL mismatch: signed diff, counted beyond min(5 % of requested, 50 tokens)",
    spec: { chunkMs: [10, 20, 30, 40, 50], requestedOutputTokens: 10 },
    expect: { osl_mismatch_diff_pct: ((5 - 10) / 10) * 100.0, osl_mismatch_count: 1 },
  },
  {
    name: "OSL mismatch within tolerance",
    spec: { chunkMs: [10, 20, 30], tokensPerChunk: 33, requestedOutputTokens: 100 },
    expect: { osl_mismatch_diff_pct: ((99 - 100) / 100) * 100.0, osl_mismatch_count: 0 },
  },
  {
    name: "OSL mismatch tolerance caps at 50 tokens",
    spec: { chunkMs: [10, 20], tokensPerChunk: 970, requestedOutputTokens: 2000 },
    expect: { osl_mismatch_diff_pct: ((1940 - 2000) / 2000) * 100.0, osl_mismatch_count: 1 },
  },
  {
    name: "no max-tokens limit: no OSL mismatch metrics",
    spec: { chunkMs: [10, 20] },
    expect: { osl_mismatch_diff_pct: undefined, osl_mismatch_count: undefined },
  },
  {
    name: "failed request: only error metrics",
    spec: { chunkMs: [10, 20], inputTokens: 77, error: { code: 500, type: "http_error", message: "x" } },
    expect: {
      error_isl: 77,
      error_request_count: 1,
      input_sequence_length: undefined,
      request_count: undefined,
      time_to_first_token: undefined,
      output_sequence_length: undefined,
    },
  },
  {
    name: "cancelled request: only error metrics",
    spec: { chunkMs: [10, 20], inputTokens: 66, cancelled: true },
    expect: { error_isl: 66, error_request_count: 1, request_latency: undefined },
  },
];

describe("recordValues: AIPerf formulas on crafted records (internal units)", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const v = recordValues(rec(c.spec), c.opts ?? STREAM);
      for (const [tag, want] of Object.entries(c.expect)) {
        if (want === undefined) expect({ tag, has: v.has(tag as MetricTag) }).toEqual({ tag, has: false });
        else expect({ tag, value: v.get(tag as MetricTag) }).toEqual({ tag, value: want });
      }
    });
  }
});

/** The reference conversion: convert() element by element. */
const asDisplayed = (from: Unit, to: Unit, v: number | number[]): number | number[] =>
  Array.isArray(v) ? v.map((x) => convert(x, from, to)) : convert(v, from, to);

describe("displayMetrics: the per-request view for profile_export.jsonl", () => {
  test("display units (ns * 1e-6 = ms) and the documented key order", () => {
    const m = displayMetrics(recordValues(rec({ chunkMs: [20, 30, 45], endMs: 46, inputTokens: 550 }), STREAM));
    expect(m.map((x) => x.tag)).toEqual([
      "input_sequence_length",
      "time_to_first_token",
      "request_latency",
      "output_token_count",
      "time_to_second_token",
      "inter_chunk_latency",
      "output_sequence_length",
      "inter_token_latency",
      "output_token_throughput_per_user",
      "time_to_first_output_token",
      "prefill_throughput_per_user",
    ]);
    const by = Object.fromEntries(m.map((x) => [x.tag, x]));
    expect(by.time_to_first_token).toEqual({ tag: "time_to_first_token", value: 20 * MS * 1e-6, unit: "ms" });
    expect(by.inter_chunk_latency!.value).toEqual([10 * MS * 1e-6, 15 * MS * 1e-6]);
    expect(by.inter_token_latency).toEqual({ tag: "inter_token_latency", value: 12.5 * MS * 1e-6, unit: "ms" });
    expect(by.input_sequence_length).toEqual({ tag: "input_sequence_length", value: 550, unit: "tokens" });
    expect(by.output_token_throughput_per_user!.unit).toBe("tokens/sec/user");
  });
  test("every metric of the table shows as convert() converts it, in its display unit, unless it has no individual records", () => {
    const values = new Map<MetricTag, number | number[]>();
    for (const spec of METRICS) values.set(spec.tag, spec.tag.includes("inter_chunk") ? [123_456_789, 7] : 987_654_321.123);
    const shown = displayMetrics(values);
    const expected = METRICS.filter((spec) => !hasFlag(spec, "no-individual-records")).map((spec) => ({
      tag: spec.tag,
      value: asDisplayed(spec.unit, spec.displayUnit, values.get(spec.tag)!),
      unit: spec.displayUnit,
    }));
    expect(expected.length).toBeGreaterThan(40);
    expect(shown).toEqual(expected);
    // toDisplay, the same conversion for one value.
    for (const e of expected) expect(toDisplay(e.tag as MetricTag, values.get(e.tag as MetricTag)!)).toEqual(e.value);
    // Asked twice, the same (the per-metric lookups are made once).
    expect(displayMetrics(values)).toEqual(expected);
  });
  test("each options object keeps its own set of metrics", () => {
    const r = rec({ chunkMs: [20, 30], endMs: 31 });
    const streaming = { ...STREAM };
    const plain = { ...STREAM, streaming: false };
    const a = [...recordValues(r, streaming).keys()];
    const b = [...recordValues(r, plain).keys()];
    expect(a).toContain("time_to_first_token");
    expect(b).not.toContain("time_to_first_token");
    expect([...recordValues(r, streaming).keys()]).toEqual(a);
    expect([...recordValues(r, plain).keys()]).toEqual(b);
  });
  test("ns -> ms is a multiplication by 1e-6, as in AIPerf (not a division by 1e6)", () => {
    const ns = 255_886_568;
    const m = displayMetrics(recordValues(rec({ chunkMs: [ns / MS] }), STREAM));
    expect(m.find((x) => x.tag === "time_to_first_token")!.value).toBe(255.88656799999998);
    expect(ns / 1e6).toBe(255.886568);
  });
  test("aggregates without individual records (request_count, mismatch counters) are not listed", () => {
    const m = displayMetrics(recordValues(rec({ chunkMs: [10, 20], requestedOutputTokens: 2, usage: { prompt: 10, completion: 2 } }), STREAM));
    const tags = m.map((x) => x.tag);
    for (const t of ["request_count", "osl_mismatch_count", "usage_discrepancy_count"]) expect(tags).not.toContain(t);
    expect(tags).toContain("osl_mismatch_diff_pct");
  });
  test("a failed request lists only error_isl", () => {
    const m = displayMetrics(recordValues(rec({ inputTokens: 9, error: { code: 503, type: "http_error", message: "busy" } }), STREAM));
    expect(m).toEqual([{ tag: "error_isl", value: 9, unit: "tokens" }]);
  });
  test("good_request_count appears per request only with SLOs", () => {
    const r = rec({ chunkMs: [20, 30] });
    const plain = displayMetrics(recordValues(r, STREAM)).map((x) => x.tag);
    expect(plain).toContain("time_to_first_token");
    expect(plain).not.toContain("good_request_count");
    const slos = parseGoodput(["time_to_first_token:25"]).slos;
    expect(displayMetrics(recordValues(r, { streaming: true, slos })).find((x) => x.tag === "good_request_count")).toEqual({
      tag: "good_request_count",
      value: 1,
      unit: "requests",
    });
  });
});

describe("validity and errors", () => {
  test("valid = no error and not cancelled", () => {
    expect(isValidRecord(rec({ chunkMs: [1] }))).toBe(true);
    expect(isValidRecord(rec({ chunkMs: [1], cancelled: true }))).toBe(false);
    expect(isValidRecord(rec({ error: { code: 500, type: "t", message: "m" } }))).toBe(false);
  });
  test("a cancelled record without an error reports AIPerf's 499", () => {
    expect(recordError(rec({ cancelled: true }))).toEqual({ code: 499, type: "cancelled", message: "request cancelled" });
    expect(recordError(rec({ chunkMs: [1] }))).toBeNull();
  });
  test("failed requests are never good: no good_request_count, whatever their latency", () => {
    const slos = parseGoodput(["request_latency:1000"]).slos;
    expect(recordValues(rec({ chunkMs: [10] }), { streaming: true, slos }).get("good_request_count")).toBe(1);
    const failed = recordValues(rec({ chunkMs: [10], error: { code: 500, type: "t", message: "m" } }), { streaming: true, slos });
    expect(failed.has("good_request_count")).toBe(false);
    expect(failed.get("error_request_count")).toBe(1);
  });
});
