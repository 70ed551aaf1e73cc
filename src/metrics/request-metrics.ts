// Per-request metrics from a record's timestamps, with AIPerf's tags and formulas (values in ms).
// null when the metric does not apply (failed request, no tokens, a single token for ITL).
import type { RequestRecord } from "../record/request-record.ts";

export interface RequestMetrics {
  /** first_token - start */
  time_to_first_token: number | null;
  /** end - start */
  request_latency: number | null;
  /** (request_latency - ttft) / (output_sequence_length - 1) */
  inter_token_latency: number | null;
  /** 1000 / inter_token_latency: tokens/s a single user sees during decode */
  output_token_throughput_per_user: number | null;
  /** output + reasoning tokens */
  output_sequence_length: number | null;
}

const MS = 1e6;

export function requestMetrics(r: RequestRecord): RequestMetrics {
  const ok = r.error === null && !r.cancelled;
  const osl = r.output_tokens + r.reasoning_tokens;
  const ttft = ok && r.first_token_ns > 0 ? (r.first_token_ns - r.start_ns) / MS : null;
  const latency = ok ? (r.end_ns - r.start_ns) / MS : null;
  const itl = ttft !== null && latency !== null && osl > 1 ? (latency - ttft) / (osl - 1) : null;
  return {
    time_to_first_token: ttft,
    request_latency: latency,
    inter_token_latency: itl,
    output_token_throughput_per_user: itl !== null && itl > 0 ? 1000 / itl : null,
    output_sequence_length: ok ? osl : null,
  };
}
