// k6/HAR phases of one HTTP exchange from the transport's stamps (record/request-record.ts HttpTiming),
// with AIPerf's metric tags. Every phase ends where the next begins, so
// sending + waiting + receiving = duration exactly, and blocked + connecting + duration = total:
//
//   pool wait start -> end        http_req_blocked     (0 when no wait)
//   connect start -> end          http_req_connecting  (TCP + TLS, DNS too; 0 on a reused connection)
//   send start -> send end        http_req_sending
//   send end -> first body byte   http_req_waiting     (TTFB: the first *body* byte, as AIPerf)
//   first -> last byte            http_req_receiving
//   send start -> last byte       http_req_duration    (excludes blocked and connecting, as k6)
//
// A phase is undefined when the transport cannot see one of its stamps (null) or a stamp is missing
// (0 where an event had to happen) or out of order.
import type { HttpTiming } from "../record/request-record.ts";

export interface HttpPhases {
  http_req_blocked?: number;
  http_req_connecting?: number;
  http_req_sending?: number;
  http_req_waiting?: number;
  http_req_receiving?: number;
  http_req_duration?: number;
  http_req_connection_overhead?: number;
  http_req_total?: number;
  http_req_data_sent?: number;
  http_req_data_received?: number;
  http_req_chunks_sent?: number;
  http_req_chunks_received?: number;
  http_req_connection_reused?: number;
}

/** `to - from` in ns when both stamps exist (> 0) and are in order, else undefined. */
function span(from: number | null, to: number | null): number | undefined {
  return from !== null && to !== null && from > 0 && to >= from ? to - from : undefined;
}

/** The phases (ns), byte and read/write counts and reuse (0/1) of one exchange. */
export function httpPhases(t: HttpTiming): HttpPhases {
  const out: HttpPhases = {};
  addHttpPhases(t, out);
  return out;
}

/** httpPhases() written into `out` (a record's metric values: no intermediate object per request). */
export function addHttpPhases(t: HttpTiming, out: { [K in keyof HttpPhases]?: unknown }): void {
  const blocked = t.pool_wait_start_ns === null ? undefined : t.pool_wait_start_ns === 0 ? 0 : span(t.pool_wait_start_ns, t.pool_wait_end_ns);
  const connecting = t.reused === null ? undefined : t.reused ? 0 : span(t.connect_start_ns, t.connect_end_ns);
  const sending = span(t.send_start_ns, t.send_end_ns);
  const waiting = span(t.send_end_ns, t.first_byte_ns);
  const receiving = span(t.first_byte_ns, t.last_byte_ns);
  const duration = span(t.send_start_ns, t.last_byte_ns);
  if (blocked !== undefined) out.http_req_blocked = blocked;
  if (connecting !== undefined) out.http_req_connecting = connecting;
  if (sending !== undefined) out.http_req_sending = sending;
  if (waiting !== undefined) out.http_req_waiting = waiting;
  if (receiving !== undefined) out.http_req_receiving = receiving;
  if (duration !== undefined) out.http_req_duration = duration;
  if (blocked !== undefined && connecting !== undefined) {
    out.http_req_connection_overhead = blocked + connecting;
    if (sending !== undefined && waiting !== undefined && receiving !== undefined) out.http_req_total = blocked + connecting + sending + waiting + receiving;
  }
  if (t.bytes_sent !== null) out.http_req_data_sent = t.bytes_sent;
  if (t.bytes_received !== null) out.http_req_data_received = t.bytes_received;
  if (t.writes !== null) out.http_req_chunks_sent = t.writes;
  if (t.reads !== null) out.http_req_chunks_received = t.reads;
  if (t.reused !== null) out.http_req_connection_reused = t.reused ? 1 : 0;
}
