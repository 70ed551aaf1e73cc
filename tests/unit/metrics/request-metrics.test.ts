import { describe, expect, test } from "bun:test";
import { requestMetrics } from "../../../src/metrics/request-metrics.ts";
import { makeRecord } from "../../helpers/records.ts";

describe("requestMetrics (AIPerf formulas)", () => {
  test("ttft, latency, ITL = (latency - ttft) / (osl - 1), per-user throughput", () => {
    const m = requestMetrics(makeRecord({ chunkMs: [20, 30, 40, 50, 60], endMs: 60 }));
    expect(m.time_to_first_token).toBeCloseTo(20, 6);
    expect(m.request_latency).toBeCloseTo(60, 6);
    expect(m.inter_token_latency).toBeCloseTo(10, 6);
    expect(m.output_token_throughput_per_user).toBeCloseTo(100, 6);
    expect(m.output_sequence_length).toBe(5);
  });
  test("bundled chunks count tokens, not chunks", () => {
    // 3 chunks x 4 tokens = 12 tokens over 40 ms of decode.
    const m = requestMetrics(makeRecord({ chunkMs: [10, 30, 50], tokensPerChunk: 4, endMs: 50 }));
    expect(m.output_sequence_length).toBe(12);
    expect(m.inter_token_latency).toBeCloseTo(40 / 11, 6);
  });
  test("one token: no ITL", () => {
    const m = requestMetrics(makeRecord({ chunkMs: [10], endMs: 11 }));
    expect(m.inter_token_latency).toBeNull();
    expect(m.output_token_throughput_per_user).toBeNull();
  });
  test("failed and cancelled requests have no latency metrics", () => {
    for (const r of [
      makeRecord({ chunkMs: [10, 20], error: { code: 500, type: "http_error", message: "x" } }),
      makeRecord({ chunkMs: [10, 20], cancelled: true, error: { code: 499, type: "cancelled", message: "c" } }),
    ]) {
      const m = requestMetrics(r);
      expect(m.time_to_first_token).toBeNull();
      expect(m.request_latency).toBeNull();
      expect(m.output_sequence_length).toBeNull();
    }
  });
});
