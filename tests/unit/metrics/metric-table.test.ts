import { describe, expect, test } from "bun:test";
import { METRICS, hasFlag, isFloatInDisplay, metricSpec } from "../../../src/metrics/metric-table.ts";
import { conversionFactor, convert, nsToMs, nsToSec } from "../../../src/metrics/units.ts";

describe("metric table", () => {
  test("tags are unique and cover AIPerf's exported metrics plus good_request_fraction", () => {
    const tags = METRICS.map((m) => m.tag);
    expect(new Set(tags).size).toBe(tags.length);
    const required = [
      "time_to_first_token",
      "time_to_second_token",
      "time_to_first_output_token",
      "request_latency",
      "inter_token_latency",
      "inter_chunk_latency",
      "output_token_throughput_per_user",
      "prefill_throughput_per_user",
      "input_sequence_length",
      "output_sequence_length",
      "output_token_count",
      "reasoning_token_count",
      "usage_prompt_tokens",
      "usage_completion_tokens",
      "usage_total_tokens",
      "usage_reasoning_tokens",
      "usage_prompt_tokens_diff_pct",
      "usage_completion_tokens_diff_pct",
      "usage_reasoning_tokens_diff_pct",
      "osl_mismatch_diff_pct",
      "osl_mismatch_count",
      "usage_discrepancy_count",
      "request_count",
      "error_request_count",
      "error_isl",
      "total_error_isl",
      "request_throughput",
      "output_token_throughput",
      "total_token_throughput",
      "benchmark_duration",
      "total_isl",
      "total_osl",
      "total_output_tokens",
      "total_reasoning_tokens",
      "total_usage_prompt_tokens",
      "total_usage_completion_tokens",
      "total_usage_total_tokens",
      "good_request_count",
      "goodput",
      "good_request_fraction",
      // HTTP trace (AIPerf http_trace_metrics.py, all but http_req_dns_lookup: DNS is inside connecting)
      "http_req_blocked",
      "http_req_connecting",
      "http_req_sending",
      "http_req_waiting",
      "http_req_receiving",
      "http_req_connection_reused",
      "http_req_data_sent",
      "http_req_chunks_sent",
      "http_req_data_received",
      "http_req_chunks_received",
      "http_req_connection_overhead",
      "http_req_duration",
      "http_req_total",
    ];
    // llmbench's own, for open-loop runs only (flag timed-only): the schedule kept or not.
    const ours = ["send_lag", "client_queue_time", "request_latency_from_schedule"];
    for (const t of ours) expect(hasFlag(metricSpec(t as never), "timed-only")).toBe(true);
    expect(tags.sort() as string[]).toEqual([...required, ...ours].sort());
  });
  test("console rows in AIPerf's display order", () => {
    const shown = METRICS.filter((m) => m.displayOrder !== null && !hasFlag(m, "http-trace"))
      .sort((a, b) => a.displayOrder! - b.displayOrder!)
      .map((m) => m.tag);
    expect(shown).toEqual([
      "time_to_first_token",
      "time_to_second_token",
      "time_to_first_output_token",
      "request_latency",
      "inter_token_latency",
      "output_token_throughput_per_user",
      "output_sequence_length",
      "input_sequence_length",
      "output_token_throughput",
      "request_throughput",
      "goodput",
      "good_request_fraction",
      "request_count",
    ]);
    expect(
      METRICS.filter((m) => m.displayOrder !== null && !hasFlag(m, "http-trace") && (hasFlag(m, "no-console") || hasFlag(m, "error-only"))).map((m) => m.tag),
    ).toEqual([]);
  });
  test("HTTP trace metrics: never in the main table, in AIPerf's display order for --show-trace-timing, sizes in KB of 1024 B", () => {
    const trace = METRICS.filter((m) => hasFlag(m, "http-trace"));
    expect(trace.length).toBe(13);
    expect(trace.filter((m) => !hasFlag(m, "no-console") || m.kind !== "record" || m.displayOrder === null).map((m) => m.tag)).toEqual([]);
    expect(trace.sort((a, b) => a.displayOrder! - b.displayOrder!).map((m) => m.tag)).toEqual([
      "http_req_blocked",
      "http_req_connecting",
      "http_req_sending",
      "http_req_waiting",
      "http_req_receiving",
      "http_req_connection_reused",
      "http_req_data_sent",
      "http_req_chunks_sent",
      "http_req_data_received",
      "http_req_chunks_received",
      "http_req_connection_overhead",
      "http_req_duration",
      "http_req_total",
    ]);
    expect(metricSpec("http_req_data_sent")).toMatchObject({ unit: "B", displayUnit: "KB" });
    expect(convert(2048, "B", "KB")).toBe(2);
    expect(conversionFactor("KB", "B")).toBe(1024);
  });
  test("units as AIPerf shows them", () => {
    expect(metricSpec("time_to_first_token")).toMatchObject({ unit: "ns", displayUnit: "ms" });
    expect(metricSpec("benchmark_duration")).toMatchObject({ unit: "ns", displayUnit: "sec" });
    expect(metricSpec("request_throughput").displayUnit).toBe("requests/sec");
    expect(metricSpec("output_token_throughput_per_user").displayUnit).toBe("tokens/sec/user");
    expect(metricSpec("usage_prompt_tokens_diff_pct").displayUnit).toBe("%");
  });
  test("Python value types: converted and float metrics print as floats, token counts as ints", () => {
    expect(isFloatInDisplay(metricSpec("time_to_first_token"))).toBe(true);
    expect(isFloatInDisplay(metricSpec("inter_token_latency"))).toBe(true);
    expect(isFloatInDisplay(metricSpec("input_sequence_length"))).toBe(false);
    expect(isFloatInDisplay(metricSpec("good_request_count"))).toBe(false);
  });
});

describe("units", () => {
  test("AIPerf conversion is value * (to.per_second / from.per_second)", () => {
    expect(conversionFactor("ns", "ms")).toBe(1e-6);
    expect(conversionFactor("ns", "sec")).toBe(1e-9);
    expect(conversionFactor("ms", "ns")).toBe(1e6);
    expect(conversionFactor("tokens", "tokens")).toBe(1);
    expect(convert(5, "requests", "requests/sec")).toBe(5);
  });
  test("multiplying by 1e-6 differs from dividing by 1e6 in the last bit", () => {
    expect(nsToMs(255_886_568)).toBe(255.88656799999998);
    expect(255_886_568 / 1e6).toBe(255.886568);
    expect(nsToSec(15_196_591_969)).toBe(15_196_591_969 * 1e-9);
  });
});
