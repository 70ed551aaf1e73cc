import { describe, expect, test } from "bun:test";
import { traceData } from "../../../src/report/http-trace-json.ts";
import type { HttpTiming } from "../../../src/record/request-record.ts";
import { makeRecord } from "../../helpers/records.ts";

const S = 1_000_000_000_000; // start, ns (exact doubles)

const FRESH: HttpTiming = {
  transport: "http1",
  pool_wait_start_ns: S + 1000,
  pool_wait_end_ns: S + 5000,
  connect_start_ns: S + 5000,
  connect_end_ns: S + 9000,
  send_start_ns: S + 9000,
  send_end_ns: S + 9500,
  first_byte_ns: S + 20_000,
  last_byte_ns: S + 50_000,
  bytes_sent: 321,
  bytes_received: 4567,
  writes: 1,
  reads: 4,
  reused: false,
};

describe("trace_data", () => {
  test("a fresh connection after a pool wait: AIPerf's fields in its order, with the computed durations", () => {
    const r = { ...makeRecord({ startNs: S, chunkMs: [0.02, 0.05], ackMs: 0.015 }), http: FRESH };
    expect(JSON.stringify(traceData(r))).toBe(
      JSON.stringify({
        trace_type: "http1",
        request_send_start_ns: S + 9000,
        request_send_end_ns: S + 9500,
        request_chunks_count: 1,
        request_bytes_total: 321,
        response_status_code: 200,
        response_receive_start_ns: S + 20_000,
        response_headers_received_ns: S + 15_000,
        response_chunks_count: 4,
        response_bytes_total: 4567,
        response_receive_end_ns: S + 50_000,
        connection_pool_wait_start_ns: S + 1000,
        connection_pool_wait_end_ns: S + 5000,
        tcp_connect_start_ns: S + 5000,
        tcp_connect_end_ns: S + 9000,
        sending_ns: 500,
        waiting_ns: 10_500,
        receiving_ns: 30_000,
        duration_ns: 41_000,
        blocked_ns: 4000,
        connecting_ns: 4000,
      }),
    );
  });

  test("a reused connection without a pool wait: the reuse stamp instead of connect and wait fields; an error stamps error_timestamp_ns", () => {
    const http: HttpTiming = { ...FRESH, pool_wait_start_ns: 0, pool_wait_end_ns: 0, connect_start_ns: 0, connect_end_ns: 0, reused: true };
    const r = { ...makeRecord({ startNs: S, chunkMs: [0.02], endMs: 0.06, error: { code: 0, type: "connection_error", message: "x" } }), http };
    const t = traceData(r) as Record<string, unknown>;
    expect(t.connection_reused_ns).toBe(S + 9000);
    expect(t.error_timestamp_ns).toBe(S + 60_000);
    expect(["connection_pool_wait_start_ns", "tcp_connect_start_ns", "blocked_ns", "connecting_ns"].filter((k) => t[k] !== undefined)).toEqual([]);
  });

  test("no trace when no request went out", () => {
    expect(traceData(makeRecord({ chunkMs: [1] }))).toBeUndefined();
  });
});
