// Every metric llmbench reports, declared once with AIPerf's (v0.6.0) tag, header, units, kind and flags.
// Computation lives in record-values.ts (per request) and summary.ts (aggregates, derived); this table
// drives filtering, unit conversion, export layout and console order. Timestamps are epoch ns.
//
// Kinds: "record" = one value (or list) per request -> full statistics; "aggregate" = a running value
// over requests (all ours are counters); "derived" = computed once at the end from other results.
import type { Unit } from "./units.ts";

export type MetricKind = "record" | "aggregate" | "derived";

export type MetricFlag =
  /** Disabled unless --streaming (AIPerf STREAMING_ONLY). */
  | "streaming-only"
  /** Only for endpoints that generate tokens (chat, completions). */
  | "produces-tokens-only"
  /** Only for endpoints whose input is tokenized. */
  | "tokenizes-input-only"
  /** Never a row of the console table. */
  | "no-console"
  /** Higher is better: goodput SLOs use `>=` instead of `<=`. */
  | "larger-is-better"
  /** Computed only for failed/cancelled requests (and not shown on the console). */
  | "error-only"
  /** Computed only when --goodput SLOs are given. */
  | "goodput-only"
  /** Meaningful for reasoning models (reasoning vs. content tokens). */
  | "supports-reasoning"
  /** Aggregate whose per-request contribution is not written to profile_export.jsonl. */
  | "no-individual-records"
  /** Compares server `usage` with client counts; disabled by --use-server-token-count. */
  | "usage-diff-only"
  /** llmbench only: open-loop runs (--request-rate, --fixed-schedule), where a request has a due time. */
  | "timed-only"
  /** From the transport's HTTP trace (AIPerf HTTP_TRACE_ONLY): the --show-trace-timing table's rows. */
  | "http-trace";

/** Python type of the value in the metric's internal unit; decides `550` vs `550.0` in JSONL. */
export type ValueType = "int" | "float" | "int[]";

export interface MetricSpec {
  readonly tag: string;
  readonly header: string;
  /** Unit the value is computed in. */
  readonly unit: Unit;
  /** Unit every export shows. */
  readonly displayUnit: Unit;
  readonly kind: MetricKind;
  readonly valueType: ValueType;
  readonly flags: readonly MetricFlag[];
  /** Console row order (AIPerf display_order); null = after all ordered rows. */
  readonly displayOrder: number | null;
}

const STREAMING_TOKENS = ["streaming-only", "produces-tokens-only"] as const;

/** llmbench's schedule metrics: per request, ns shown in ms, exported for open-loop runs only. */
const TIMED_MS = { unit: "ns", displayUnit: "ms", kind: "record", valueType: "int", flags: ["no-console", "timed-only"], displayOrder: null } as const;

/** AIPerf's HTTP trace metrics: per request, from the transport's stamps, never in the main console table. */
const HTTP_NS = { unit: "ns", displayUnit: "ms", kind: "record", valueType: "int", flags: ["http-trace", "no-console"] } as const;
const HTTP_BYTES = { unit: "B", displayUnit: "KB", kind: "record", valueType: "int", flags: ["http-trace", "no-console"] } as const;
const HTTP_COUNT = { unit: "count", displayUnit: "count", kind: "record", valueType: "int", flags: ["http-trace", "no-console"] } as const;

/**
 * Table order is llmbench's canonical order: record metrics in the profile_export.jsonl order the AIPerf
 * docs show, then the other record metrics, aggregates, derived metrics.
 */
export const METRICS = [
  /** `input_tokens` (the ISL as the client built/counted it). */
  {
    tag: "input_sequence_length",
    header: "Input Sequence Length",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["tokenizes-input-only", "larger-is-better"],
    displayOrder: 700,
  },
  /** `first_token_ns - start_ns`: first chunk carrying any token (content or reasoning). */
  {
    tag: "time_to_first_token",
    header: "Time to First Token",
    unit: "ns",
    displayUnit: "ms",
    kind: "record",
    valueType: "int",
    flags: STREAMING_TOKENS,
    displayOrder: 100,
  },
  /** Streaming: `last_token_ns - start_ns` (last content chunk); non-streaming: `end_ns - start_ns`. */
  {
    tag: "request_latency",
    header: "Request Latency",
    unit: "ns",
    displayUnit: "ms",
    kind: "record",
    valueType: "int",
    flags: [],
    displayOrder: 300,
  },
  /** `output_tokens` (content only, whole text); absent when 0. */
  {
    tag: "output_token_count",
    header: "Output Token Count",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `chunks[1].arrival_ns - chunks[0].arrival_ns`; needs two content chunks. */
  {
    tag: "time_to_second_token",
    header: "Time to Second Token",
    unit: "ns",
    displayUnit: "ms",
    kind: "record",
    valueType: "int",
    flags: STREAMING_TOKENS,
    displayOrder: 200,
  },
  /** `[chunks[i].arrival_ns - chunks[i-1].arrival_ns]` (a list, flattened into the statistics); needs two chunks. */
  {
    tag: "inter_chunk_latency",
    header: "Inter Chunk Latency",
    unit: "ns",
    displayUnit: "ms",
    kind: "record",
    valueType: "int[]",
    flags: [...STREAMING_TOKENS, "no-console"],
    displayOrder: null,
  },
  /** `output_tokens + reasoning_tokens`. */
  {
    tag: "output_sequence_length",
    header: "Output Sequence Length",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better"],
    displayOrder: 600,
  },
  /** `(request_latency - time_to_first_token) / (output_sequence_length - 1)` in ns; needs OSL >= 2. */
  {
    tag: "inter_token_latency",
    header: "Inter Token Latency",
    unit: "ns",
    displayUnit: "ms",
    kind: "record",
    valueType: "float",
    flags: STREAMING_TOKENS,
    displayOrder: 400,
  },
  /** `1 / (inter_token_latency_ns * 1e-9)`; absent when ITL is 0. */
  {
    tag: "output_token_throughput_per_user",
    header: "Output Token Throughput Per User",
    unit: "tokens/sec/user",
    displayUnit: "tokens/sec/user",
    kind: "record",
    valueType: "float",
    flags: [...STREAMING_TOKENS, "larger-is-better"],
    displayOrder: 500,
  },
  /** `first_output_token_ns - start_ns`: first chunk with non-reasoning content ("TTFO"). */
  {
    tag: "time_to_first_output_token",
    header: "Time to First Output Token",
    unit: "ns",
    displayUnit: "ms",
    kind: "record",
    valueType: "int",
    flags: [...STREAMING_TOKENS, "supports-reasoning"],
    displayOrder: 210,
  },
  /** `input_sequence_length / (time_to_first_token_ns * 1e-9)`; absent when TTFT is 0. */
  {
    tag: "prefill_throughput_per_user",
    header: "Prefill Throughput Per User",
    unit: "tokens/sec/user",
    displayUnit: "tokens/sec/user",
    kind: "record",
    valueType: "float",
    flags: [...STREAMING_TOKENS, "tokenizes-input-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `reasoning_tokens`; absent when the response had no reasoning text (0). */
  {
    tag: "reasoning_token_count",
    header: "Reasoning Token Count",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "supports-reasoning", "no-console"],
    displayOrder: null,
  },
  /** Server-reported `usage.prompt_tokens` (last one seen); absent when not reported. */
  {
    tag: "usage_prompt_tokens",
    header: "Usage Prompt Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["tokenizes-input-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** Server-reported `usage.completion_tokens`. */
  {
    tag: "usage_completion_tokens",
    header: "Usage Completion Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** Server-reported `usage.total_tokens`. */
  {
    tag: "usage_total_tokens",
    header: "Usage Total Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** Server-reported `usage.completion_tokens_details.reasoning_tokens`. */
  {
    tag: "usage_reasoning_tokens",
    header: "Usage Reasoning Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `abs(usage_prompt_tokens - input_sequence_length) / input_sequence_length * 100.0`; ISL 0 -> absent. */
  {
    tag: "usage_prompt_tokens_diff_pct",
    header: "Usage Prompt Diff",
    unit: "%",
    displayUnit: "%",
    kind: "record",
    valueType: "float",
    flags: ["tokenizes-input-only", "usage-diff-only", "no-console"],
    displayOrder: null,
  },
  /** `abs(usage_completion_tokens - output_sequence_length) / output_sequence_length * 100.0`; OSL 0 -> absent. */
  {
    tag: "usage_completion_tokens_diff_pct",
    header: "Usage Completion Diff %",
    unit: "%",
    displayUnit: "%",
    kind: "record",
    valueType: "float",
    flags: ["produces-tokens-only", "usage-diff-only", "no-console"],
    displayOrder: null,
  },
  /** `abs(usage_reasoning_tokens - reasoning_token_count) / reasoning_token_count * 100.0`. */
  {
    tag: "usage_reasoning_tokens_diff_pct",
    header: "Usage Reasoning Diff %",
    unit: "%",
    displayUnit: "%",
    kind: "record",
    valueType: "float",
    flags: ["produces-tokens-only", "supports-reasoning", "usage-diff-only", "no-console"],
    displayOrder: null,
  },
  /** Signed `(output_sequence_length - requested) / requested * 100.0`; needs a max-tokens limit (> 0). */
  {
    tag: "osl_mismatch_diff_pct",
    header: "OSL Mismatch Diff %",
    unit: "%",
    displayUnit: "%",
    kind: "record",
    valueType: "float",
    flags: ["produces-tokens-only", "no-console"],
    displayOrder: null,
  },
  /** llmbench: `start_ns - scheduled_ns`, how late the request left compared with its schedule. */
  { tag: "send_lag", header: "Send Lag", ...TIMED_MS },
  /** llmbench: `queue_ns`, time waiting for a --concurrency / --prefill-concurrency slot (part of send_lag). */
  { tag: "client_queue_time", header: "Client Queue Time", ...TIMED_MS },
  /** llmbench: request_latency counted from `scheduled_ns` instead of `start_ns` (what a user waited). */
  { tag: "request_latency_from_schedule", header: "Request Latency From Schedule", ...TIMED_MS },
  // i15-trace: HTTP trace metrics (AIPerf http_trace_metrics.py: tags, headers, units, display order).
  // Formulas in http-phases.ts; http1 sees all of them, fetch only http_req_receiving.
  /** Pool wait for a connection (per-origin limit reached); 0 when none. */
  { tag: "http_req_blocked", header: "HTTP Blocked", ...HTTP_NS, displayOrder: 2000 },
  /** TCP connect incl. DNS and TLS handshake; 0 on a reused connection. */
  { tag: "http_req_connecting", header: "HTTP Connecting", ...HTTP_NS, displayOrder: 2020 },
  /** First to last request byte handed to the socket. */
  { tag: "http_req_sending", header: "HTTP Sending", ...HTTP_NS, displayOrder: 2030 },
  /** Request sent -> first response body byte (TTFB). */
  { tag: "http_req_waiting", header: "HTTP Waiting (TTFB)", ...HTTP_NS, displayOrder: 2040 },
  /** First -> last response byte. */
  { tag: "http_req_receiving", header: "HTTP Receiving", ...HTTP_NS, displayOrder: 2050 },
  /** 1 when the connection had served a request before (or was opened ahead), else 0. */
  {
    tag: "http_req_connection_reused",
    header: "HTTP Connection Reused",
    unit: "ratio",
    displayUnit: "ratio",
    kind: "record",
    valueType: "int",
    flags: ["http-trace", "no-console"],
    displayOrder: 2060,
  },
  /** Request bytes on the wire (head + body). */
  { tag: "http_req_data_sent", header: "HTTP Data Sent", ...HTTP_BYTES, displayOrder: 2070 },
  /** Socket writes of the request. */
  { tag: "http_req_chunks_sent", header: "HTTP Chunks Sent", ...HTTP_COUNT, displayOrder: 2080 },
  /** Response bytes on the wire (head, framing, body). */
  { tag: "http_req_data_received", header: "HTTP Data Received", ...HTTP_BYTES, displayOrder: 2090 },
  /** Socket reads of the response. */
  { tag: "http_req_chunks_received", header: "HTTP Chunks Received", ...HTTP_COUNT, displayOrder: 2100 },
  /** blocked + connecting. */
  { tag: "http_req_connection_overhead", header: "HTTP Connection Overhead", ...HTTP_NS, displayOrder: 2110 },
  /** Send start -> last response byte = sending + waiting + receiving. */
  { tag: "http_req_duration", header: "HTTP Duration (excl. conn)", ...HTTP_NS, displayOrder: 2120 },
  /** blocked + connecting + sending + waiting + receiving. */
  { tag: "http_req_total", header: "HTTP Total Time", ...HTTP_NS, displayOrder: 2130 },
  /** `input_tokens` of a failed or cancelled request. */
  {
    tag: "error_isl",
    header: "Error Input Sequence Length",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "record",
    valueType: "int",
    flags: ["tokenizes-input-only", "larger-is-better", "no-console", "error-only"],
    displayOrder: null,
  },
  /** +1 per valid request that meets every SLO (0 otherwise; absent when an SLO metric is missing). */
  {
    tag: "good_request_count",
    header: "GoodRequestCount",
    unit: "requests",
    displayUnit: "requests",
    kind: "aggregate",
    valueType: "int",
    flags: ["goodput-only", "no-console"],
    displayOrder: null,
  },
  /** +1 per valid request (error === null && !cancelled). */
  {
    tag: "request_count",
    header: "Request Count",
    unit: "requests",
    displayUnit: "requests",
    kind: "aggregate",
    valueType: "int",
    flags: ["larger-is-better", "no-individual-records"],
    displayOrder: 1100,
  },
  /** +1 per failed or cancelled request. */
  {
    tag: "error_request_count",
    header: "Error Request Count",
    unit: "requests",
    displayUnit: "requests",
    kind: "aggregate",
    valueType: "int",
    flags: ["error-only", "no-individual-records"],
    displayOrder: null,
  },
  /** +1 when `abs(osl - requested) > min(requested * 5 / 100, 50)` (AIPerf's default thresholds). */
  {
    tag: "osl_mismatch_count",
    header: "OSL Mismatch Count",
    unit: "requests",
    displayUnit: "requests",
    kind: "aggregate",
    valueType: "int",
    flags: ["produces-tokens-only", "no-console", "no-individual-records"],
    displayOrder: null,
  },
  /** +1 when the prompt, completion or reasoning usage diff exceeds 10 % (needs prompt and completion diffs). */
  {
    tag: "usage_discrepancy_count",
    header: "Usage Discrepancy Count",
    unit: "requests",
    displayUnit: "requests",
    kind: "aggregate",
    valueType: "int",
    flags: ["usage-diff-only", "no-console", "no-individual-records"],
    displayOrder: null,
  },
  /** `max(start_ns + request_latency_ns) - min(start_ns)` over valid requests; absent unless max > min. */
  {
    tag: "benchmark_duration",
    header: "Benchmark Duration",
    unit: "ns",
    displayUnit: "sec",
    kind: "derived",
    valueType: "int",
    flags: ["no-console"],
    displayOrder: null,
  },
  /** `request_count / (benchmark_duration_ns * 1e-9)`. */
  {
    tag: "request_throughput",
    header: "Request Throughput",
    unit: "requests/sec",
    displayUnit: "requests/sec",
    kind: "derived",
    valueType: "float",
    flags: ["larger-is-better"],
    displayOrder: 900,
  },
  /** `total_osl / (benchmark_duration_ns * 1e-9)`. */
  {
    tag: "output_token_throughput",
    header: "Output Token Throughput",
    unit: "tokens/sec",
    displayUnit: "tokens/sec",
    kind: "derived",
    valueType: "float",
    flags: ["produces-tokens-only", "larger-is-better"],
    displayOrder: 800,
  },
  /** `(total_isl + total_osl) / (benchmark_duration_ns * 1e-9)`. */
  {
    tag: "total_token_throughput",
    header: "Total Token Throughput",
    unit: "tokens/sec",
    displayUnit: "tokens/sec",
    kind: "derived",
    valueType: "float",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `good_request_count / (benchmark_duration_ns * 1e-9)`. */
  {
    tag: "goodput",
    header: "Goodput",
    unit: "requests/sec",
    displayUnit: "requests/sec",
    kind: "derived",
    valueType: "float",
    flags: ["goodput-only"],
    displayOrder: 1000,
  },
  /**
   * `good_request_count / (request_count + error_request_count)`, 0.0 when no request finished.
   * Not in AIPerf 0.6: llmbench's own, so success-rate and SLO attainment read as one number.
   */
  {
    tag: "good_request_fraction",
    header: "Good Request Fraction",
    unit: "ratio",
    displayUnit: "ratio",
    kind: "derived",
    valueType: "float",
    flags: ["goodput-only", "larger-is-better"],
    displayOrder: 1010,
  },
  /** `sum(input_sequence_length)` over valid requests. */
  {
    tag: "total_isl",
    header: "Total Input Sequence Length",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["tokenizes-input-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `sum(output_sequence_length)`. */
  {
    tag: "total_osl",
    header: "Total Output Sequence Length",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `sum(output_token_count)`. */
  {
    tag: "total_output_tokens",
    header: "Total Output Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `sum(reasoning_token_count)`. */
  {
    tag: "total_reasoning_tokens",
    header: "Total Reasoning Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `sum(error_isl)`. */
  {
    tag: "total_error_isl",
    header: "Total Error Input Sequence Length",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["tokenizes-input-only", "larger-is-better", "no-console", "error-only"],
    displayOrder: null,
  },
  /** `sum(usage_prompt_tokens)`. */
  {
    tag: "total_usage_prompt_tokens",
    header: "Total Usage Prompt Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["tokenizes-input-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `sum(usage_completion_tokens)`. */
  {
    tag: "total_usage_completion_tokens",
    header: "Total Usage Completion Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
  /** `sum(usage_total_tokens)`. */
  {
    tag: "total_usage_total_tokens",
    header: "Total Usage Total Tokens",
    unit: "tokens",
    displayUnit: "tokens",
    kind: "derived",
    valueType: "int",
    flags: ["produces-tokens-only", "larger-is-better", "no-console"],
    displayOrder: null,
  },
] as const satisfies readonly MetricSpec[];

export type MetricTag = (typeof METRICS)[number]["tag"];

const BY_TAG = new Map<string, MetricSpec>(METRICS.map((m) => [m.tag, m]));

export function isMetricTag(tag: string): tag is MetricTag {
  return BY_TAG.has(tag);
}

export function metricSpec(tag: MetricTag): MetricSpec {
  return BY_TAG.get(tag)!;
}

export function hasFlag(spec: MetricSpec, flag: MetricFlag): boolean {
  return spec.flags.includes(flag);
}

/** Would Python hold this metric's display value as a float? (Any unit conversion makes a float.) */
export function isFloatInDisplay(spec: MetricSpec): boolean {
  return spec.valueType === "float" || spec.unit !== spec.displayUnit;
}
