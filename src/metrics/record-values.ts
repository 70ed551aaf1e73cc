// Per-request metric values with AIPerf's formulas and filters (see metric-table.ts for each formula).
// recordValues() works in internal units (ns, tokens) for statistics and goodput; displayMetrics()
// gives the display-unit view written to profile_export.jsonl.
import type { RecordError, RequestRecord } from "../record/request-record.ts";
import { METRICS, hasFlag, metricSpec, type MetricSpec, type MetricTag } from "./metric-table.ts";
import { convert, type Unit } from "./units.ts";
import { sloVerdict, type Slo } from "./goodput.ts";
import { addHttpPhases } from "./http-phases.ts";

/** AIPerf's defaults for the mismatch counters (env AIPERF_METRICS_*). */
export interface Thresholds {
  /** usage_discrepancy_count: a usage diff above this percentage counts. */
  usageDiffPct: number;
  /** osl_mismatch_count: tolerated |osl - requested| is min(requested * pct / 100, maxTokens). */
  oslMismatchPct: number;
  oslMismatchMaxTokens: number;
}

const DEFAULT_THRESHOLDS: Thresholds = { usageDiffPct: 10, oslMismatchPct: 5, oslMismatchMaxTokens: 50 };

export interface RecordOptions {
  /** --streaming: streaming-only metrics (TTFT, ITL, ...) exist only then. */
  streaming: boolean;
  /** --goodput SLOs; good_request_count is computed only when non-empty. */
  slos?: readonly Slo[];
  /**
   * --use-server-token-count: token counts come from the server's usage (none when it sent none), and
   * the usage-vs-client diff metrics are disabled.
   */
  useServerTokenCount?: boolean;
  thresholds?: Thresholds;
  /** Open-loop run (rate or fixed schedule): the schedule metrics (send_lag, ...) are computed. */
  timed?: boolean;
  /** false for APIs without generated text (embeddings, rankings): token metrics are not reported, as in AIPerf. */
  producesTokens?: boolean;
}

export type MetricValue = number | number[];

/** Internal-unit values of one request, in table order. Includes per-request aggregate contributions. */
export type RecordValues = Map<MetricTag, MetricValue>;

export interface RecordMetric {
  tag: MetricTag;
  value: MetricValue;
  /** Display unit. */
  unit: Unit;
}

/** A request counts as valid (successful) when it neither failed nor was cancelled. */
export function isValidRecord(r: RequestRecord): boolean {
  return r.error === null && !r.cancelled;
}

/** What a cancelled request without an error of its own reports (AIPerf's 499). */
export const CANCELLED_ERROR: Readonly<RecordError> = { code: 499, type: "cancelled", message: "request cancelled" };

/** The error to report for an invalid record (a cancelled one without an error gets AIPerf's 499). */
export function recordError(r: RequestRecord): RecordError | null {
  if (r.error !== null) return r.error;
  if (r.cancelled) return { ...CANCELLED_ERROR };
  return null;
}

/** Is the metric computed at all under these options (AIPerf's per-run metric filters)? */
export function metricEnabled(spec: MetricSpec, opts: RecordOptions): boolean {
  if (hasFlag(spec, "streaming-only") && !opts.streaming) return false;
  if (hasFlag(spec, "goodput-only") && !(opts.slos && opts.slos.length > 0)) return false;
  if (hasFlag(spec, "usage-diff-only") && opts.useServerTokenCount) return false;
  if (hasFlag(spec, "timed-only") && !opts.timed) return false;
  if (hasFlag(spec, "produces-tokens-only") && opts.producesTokens === false) return false;
  return true;
}

/** Elapsed ns between two epoch-ns points, or undefined when `at` did not happen or precedes `from`. */
function since(from: number, at: number): number | undefined {
  return at > 0 && at >= from ? at - from : undefined;
}

/**
 * Input, output (content), reasoning and total output tokens of a request: the client's counts, or with
 * --use-server-token-count the server's usage (completion tokens include reasoning, as OpenAI reports
 * them); null where the server reported nothing.
 */
function tokenCounts(r: RequestRecord, server: boolean): { isl: number | null; osl: number | null; output: number; reasoning: number } {
  if (!server) return { isl: r.input_tokens, osl: r.output_tokens + r.reasoning_tokens, output: r.output_tokens, reasoning: r.reasoning_tokens };
  const completion = r.usage_completion_tokens;
  const reasoning = completion === null ? 0 : Math.min(r.usage_reasoning_tokens ?? 0, completion);
  return { isl: r.usage_prompt_tokens, osl: completion, output: completion === null ? 0 : completion - reasoning, reasoning };
}

function validValues(r: RequestRecord, opts: RecordOptions): Partial<Record<MetricTag, MetricValue>> {
  const th = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const v: Partial<Record<MetricTag, MetricValue>> = {};
  const chunks = r.chunks;
  const t = tokenCounts(r, opts.useServerTokenCount === true);
  const { isl, osl } = t;
  if (isl !== null) v.input_sequence_length = isl;
  if (osl !== null) v.output_sequence_length = osl;
  if (t.output > 0) v.output_token_count = t.output;
  if (t.reasoning > 0) v.reasoning_token_count = t.reasoning;

  const latency = opts.streaming ? since(r.start_ns, r.last_token_ns) : since(r.start_ns, r.end_ns);
  if (latency !== undefined) v.request_latency = latency;
  if (r.scheduled_ns > 0 && r.start_ns > 0) {
    v.send_lag = Math.max(0, r.start_ns - r.scheduled_ns);
    v.client_queue_time = r.queue_ns;
    if (latency !== undefined) v.request_latency_from_schedule = latency + Math.max(0, r.start_ns - r.scheduled_ns);
  }
  const ttft = since(r.start_ns, r.first_token_ns);
  if (ttft !== undefined) {
    v.time_to_first_token = ttft;
    if (ttft !== 0 && isl !== null) v.prefill_throughput_per_user = isl / (ttft * 1e-9);
  }
  const ttfo = since(r.start_ns, r.first_output_token_ns);
  if (ttfo !== undefined) v.time_to_first_output_token = ttfo;
  if (chunks.length >= 2) {
    v.time_to_second_token = chunks[1]!.arrival_ns - chunks[0]!.arrival_ns;
    const icl: number[] = [];
    for (let i = 1; i < chunks.length; i++) icl.push(chunks[i]!.arrival_ns - chunks[i - 1]!.arrival_ns);
    v.inter_chunk_latency = icl;
  }
  if (osl !== null && osl >= 2 && ttft !== undefined && latency !== undefined) {
    const itl = (latency - ttft) / (osl - 1);
    v.inter_token_latency = itl;
    // AIPerf converts ITL to seconds first: 1 / (itl_ns * 1e-9).
    if (itl !== 0) v.output_token_throughput_per_user = 1 / (itl * 1e-9);
  }

  if (r.usage_prompt_tokens !== null) v.usage_prompt_tokens = r.usage_prompt_tokens;
  if (r.usage_completion_tokens !== null) v.usage_completion_tokens = r.usage_completion_tokens;
  if (r.usage_total_tokens !== null) v.usage_total_tokens = r.usage_total_tokens;
  if (r.usage_reasoning_tokens !== null) v.usage_reasoning_tokens = r.usage_reasoning_tokens;
  const pct = (server: number, client: number) => (Math.abs(server - client) / client) * 100.0;
  if (r.usage_prompt_tokens !== null && isl !== null && isl !== 0) v.usage_prompt_tokens_diff_pct = pct(r.usage_prompt_tokens, isl);
  if (r.usage_completion_tokens !== null && osl !== null && osl !== 0) v.usage_completion_tokens_diff_pct = pct(r.usage_completion_tokens, osl);
  if (r.usage_reasoning_tokens !== null && r.reasoning_tokens > 0) {
    v.usage_reasoning_tokens_diff_pct = pct(r.usage_reasoning_tokens, r.reasoning_tokens);
  }

  const requested = r.requested_output_tokens;
  if (requested !== null && requested !== 0 && osl !== null) {
    v.osl_mismatch_diff_pct = ((osl - requested) / requested) * 100.0;
    const tolerated = Math.min(requested * (th.oslMismatchPct / 100), th.oslMismatchMaxTokens);
    v.osl_mismatch_count = Math.abs(osl - requested) > tolerated ? 1 : 0;
  }
  const promptDiff = v.usage_prompt_tokens_diff_pct as number | undefined;
  const completionDiff = v.usage_completion_tokens_diff_pct as number | undefined;
  const reasoningDiff = v.usage_reasoning_tokens_diff_pct as number | undefined;
  if (promptDiff !== undefined && completionDiff !== undefined) {
    const over = promptDiff > th.usageDiffPct || completionDiff > th.usageDiffPct || (reasoningDiff ?? -Infinity) > th.usageDiffPct;
    v.usage_discrepancy_count = over ? 1 : 0;
  }
  if (r.http !== undefined) addHttpPhases(r.http, v);
  v.request_count = 1;
  return v;
}

/**
 * Metric values of one request in internal units, in table order. Valid requests get every enabled
 * non-error metric that has a value; failed/cancelled ones only error metrics (error_isl, error count).
 */
export function recordValues(r: RequestRecord, opts: RecordOptions): RecordValues {
  let v: Partial<Record<MetricTag, MetricValue>>;
  if (isValidRecord(r)) {
    v = validValues(r, opts);
    if (opts.slos && opts.slos.length > 0) {
      // An SLO on a metric disabled for this run (e.g. TTFT without --streaming) never has a value.
      const good = sloVerdict((tag) => (metricEnabled(metricSpec(tag), opts) ? v[tag] : undefined), opts.slos);
      if (good !== undefined) v.good_request_count = good;
    }
  } else {
    v = { error_isl: r.input_tokens, error_request_count: 1 };
  }
  const out: RecordValues = new Map();
  for (const spec of enabledMetrics(opts)) {
    const value = v[spec.tag];
    if (value !== undefined) out.set(spec.tag, value);
  }
  return out;
}

/** Per options object (a run makes one and does not change it), the metrics it enables, in table order. */
type TableSpec = (typeof METRICS)[number];
const enabledByOpts = new WeakMap<RecordOptions, readonly TableSpec[]>();

function enabledMetrics(opts: RecordOptions): readonly TableSpec[] {
  let specs = enabledByOpts.get(opts);
  if (specs === undefined) enabledByOpts.set(opts, (specs = METRICS.filter((spec) => metricEnabled(spec, opts))));
  return specs;
}

/** Converts an internal-unit value to the metric's display unit (element-wise for lists). */
export function toDisplay(tag: MetricTag, value: MetricValue): MetricValue {
  return displayValue(displayOf(tag), value);
}

/**
 * A request's metrics as profile_export.jsonl shows them: display units, table order, without
 * aggregates flagged no-individual-records (request_count etc.).
 */
export function displayMetrics(values: RecordValues): RecordMetric[] {
  const out: RecordMetric[] = [];
  // forEach, not for-of over entries: no [tag, value] array per metric.
  values.forEach((value, tag) => {
    const d = displayOf(tag);
    if (!d.hidden) out.push({ tag, value: displayValue(d, value), unit: d.unit });
  });
  return out;
}

/** `value` in the display unit: as it is when the units match, else times the factor (element-wise for lists). */
function displayValue(d: DisplayOf, value: MetricValue): MetricValue {
  const f = d.factor;
  if (f === null) return value;
  if (!Array.isArray(value)) return value * f;
  const out = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = value[i]! * f;
  return out;
}

/** How a metric is shown in the records: looked up once per metric, not per record. */
interface DisplayOf {
  hidden: boolean;
  /** What convert() multiplies by; null when the units match (the value is shown as it is). */
  factor: number | null;
  unit: Unit;
}

const displayByTag = new Map<MetricTag, DisplayOf>();

function displayOf(tag: MetricTag): DisplayOf {
  let d = displayByTag.get(tag);
  if (d === undefined) {
    const spec = metricSpec(tag);
    d = {
      hidden: hasFlag(spec, "no-individual-records"),
      factor: spec.unit === spec.displayUnit ? null : convert(1, spec.unit, spec.displayUnit),
      unit: spec.displayUnit,
    };
    displayByTag.set(tag, d);
  }
  return d;
}
