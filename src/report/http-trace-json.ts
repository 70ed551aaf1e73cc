// The `trace_data` object --export-http-trace adds to each profile_export.jsonl record, laid out like
// AIPerf's TraceDataExport / AioHttpTraceDataExport (wall-clock epoch ns; a field without a value is
// left out). What llmbench does not keep, to stay allocation-free per chunk, is left out too: the
// request/response headers and reason, the per-chunk [timestamp, size] lists (their counts and byte
// totals are given), DNS events (DNS is inside the connect time) and socket addresses.
// trace_type names the transport: "http1" sees every phase, "fetch" only the response body's reads.
import { httpPhases } from "../metrics/http-phases.ts";
import type { RequestRecord } from "../record/request-record.ts";
import type { PyJsonValue } from "./py-json.ts";

/** A stamp, or undefined (left out) when the transport cannot see it or it did not happen. */
const at = (ns: number | null): number | undefined => (ns !== null && ns > 0 ? ns : undefined);
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** The record's trace_data, or undefined when it has no HTTP trace (no request went out). */
export function traceData(r: RequestRecord): PyJsonValue | undefined {
  const h = r.http;
  if (h === undefined) return undefined;
  const p = httpPhases(h);
  const waited = h.pool_wait_start_ns !== null && h.pool_wait_start_ns > 0;
  return {
    trace_type: h.transport,
    request_send_start_ns: at(h.send_start_ns),
    request_send_end_ns: at(h.send_end_ns),
    request_chunks_count: opt(h.writes),
    request_bytes_total: opt(h.bytes_sent),
    response_status_code: r.http_status > 0 ? r.http_status : undefined,
    response_receive_start_ns: at(h.first_byte_ns),
    response_headers_received_ns: at(r.ack_ns),
    response_chunks_count: opt(h.reads),
    response_bytes_total: opt(h.bytes_received),
    response_receive_end_ns: at(h.last_byte_ns),
    error_timestamp_ns: r.error !== null ? at(r.end_ns) : undefined,
    connection_pool_wait_start_ns: waited ? at(h.pool_wait_start_ns) : undefined,
    connection_pool_wait_end_ns: waited ? at(h.pool_wait_end_ns) : undefined,
    tcp_connect_start_ns: h.reused === false ? at(h.connect_start_ns) : undefined,
    tcp_connect_end_ns: h.reused === false ? at(h.connect_end_ns) : undefined,
    connection_reused_ns: h.reused === true ? at(h.send_start_ns) : undefined,
    sending_ns: p.http_req_sending,
    waiting_ns: p.http_req_waiting,
    receiving_ns: p.http_req_receiving,
    duration_ns: p.http_req_duration,
    blocked_ns: waited ? p.http_req_blocked : undefined,
    connecting_ns: h.reused === false ? p.http_req_connecting : undefined,
  };
}
