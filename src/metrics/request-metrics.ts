// The few per-request metrics the results store keeps as columns (values in ms / tokens, null when the
// metric does not apply). A view over recordValues(), so the store and the exports cannot disagree.
import type { RequestRecord } from "../record/request-record.ts";
import { recordValues } from "./record-values.ts";
import type { MetricTag } from "./metric-table.ts";
import { nsToMs } from "./units.ts";

export interface RequestMetrics {
  /** first_token - start, ms */
  time_to_first_token: number | null;
  /** last content chunk - start (streaming) or end - start (non-streaming), ms */
  request_latency: number | null;
  /** (request_latency - ttft) / (output_sequence_length - 1), ms */
  inter_token_latency: number | null;
  /** 1 / ITL in seconds: tokens/s a single user sees during decode */
  output_token_throughput_per_user: number | null;
  /** output + reasoning tokens */
  output_sequence_length: number | null;
  /** second chunk - first chunk, ms */
  time_to_second_token: number | null;
  /** first non-reasoning chunk - start, ms */
  time_to_first_output_token: number | null;
  /** input tokens (the ISL) of a successful request */
  input_sequence_length: number | null;
}

export interface RequestMetricsOptions {
  /** Streaming requests measure latency to the last content chunk; default true (the profile pipeline streams). */
  streaming?: boolean;
}

export function requestMetrics(r: RequestRecord, opts: RequestMetricsOptions = {}): RequestMetrics {
  const v = recordValues(r, { streaming: opts.streaming ?? true });
  const num = (tag: MetricTag): number | null => {
    const x = v.get(tag);
    return typeof x === "number" ? x : null;
  };
  const ms = (tag: MetricTag): number | null => {
    const x = num(tag);
    return x === null ? null : nsToMs(x);
  };
  return {
    time_to_first_token: ms("time_to_first_token"),
    request_latency: ms("request_latency"),
    inter_token_latency: ms("inter_token_latency"),
    output_token_throughput_per_user: num("output_token_throughput_per_user"),
    output_sequence_length: num("output_sequence_length"),
    time_to_second_token: ms("time_to_second_token"),
    time_to_first_output_token: ms("time_to_first_output_token"),
    input_sequence_length: num("input_sequence_length"),
  };
}
