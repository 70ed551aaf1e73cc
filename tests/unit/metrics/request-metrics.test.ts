import { describe, expect, test } from "bun:test";
import { requestMetrics } from "../../../src/metrics/request-metrics.ts";
import { makeRecord } from "../../helpers/records.ts";

// requestMetrics is the store's column view (ms / tokens / null); it must agree with the exports.
describe("requestMetrics (AIPerf formulas, ms)", () => {
  test("ttft, latency, ITL = (latency - ttft) / (osl - 1), per-user throughput", () => {
    const m = requestMetrics(makeRecord({ chunkMs: [20, 30, 40, 50, 60], endMs: 60 }));
    expect(m.time_to_first_token).toBeCloseTo(20, 6);
    expect(m.request_latency).toBeCloseTo(60, 6);
    expect(m.inter_token_latency).toBeCloseTo(10, 6);
    expect(m.output_token_throughput_per_user).toBeCloseTo(100, 6);
    expect(m.output_sequence_length).toBe(5);
    expect(m.time_to_second_token).toBeCloseTo(10, 3); // default epoch base: 256 ns steps
    expect(m.input_sequence_length).toBe(10);
  });
  test("streaming latency ends at the last content chunk; non-streaming at the response end", () => {
    const r = makeRecord({ startNs: 1e12, chunkMs: [20, 60], endMs: 75 });
    expect(requestMetrics(r).request_latency).toBe(60_000_000 * 1e-6);
    expect(requestMetrics(r, { streaming: false }).request_latency).toBe(75_000_000 * 1e-6);
    expect(requestMetrics(r, { streaming: false }).time_to_first_token).toBeNull();
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
      expect(m.input_sequence_length).toBeNull();
    }
  });
});
