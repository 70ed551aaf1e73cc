// profile_export_aiperf.json: AIPerf's JsonExportData (schema 1.5) as pydantic writes it (indent 2, no
// trailing newline, None fields left out). Keys: the model's declared fields in declaration order, then
// the metrics it does not declare (AIPerf: insertion order, which is hash-seed dependent; here table
// order). Schema 1.1 added `count` and `sum` to record metrics, 1.2/1.3 the `run_info` block; 1.4's
// warmup_metrics, 1.5's GPU telemetry platform and runtime_submission_invalid_reasons (scenarios) are
// not written: llmbench reports no warmup metrics and has no scenarios.
import type { MetricTag } from "../metrics/metric-table.ts";
import type { MetricResult, Summary } from "../metrics/summary.ts";
import { dumpPyJson, pyFloat, type PyJsonValue } from "./py-json.ts";

export const SCHEMA_VERSION = "1.5";

/** Metric fields JsonExportData declares, in order (min_request/max_response timestamps are internal). */
const DECLARED_BEFORE_CONFIG: readonly MetricTag[] = [
  "request_throughput",
  "request_latency",
  "request_count",
  "time_to_first_token",
  "time_to_second_token",
  "inter_token_latency",
  "output_token_throughput",
  "output_token_throughput_per_user",
  "output_sequence_length",
  "input_sequence_length",
  "goodput",
  "good_request_count",
  "output_token_count",
  "reasoning_token_count",
  "inter_chunk_latency",
  "total_output_tokens",
  "total_reasoning_tokens",
  "benchmark_duration",
  "total_isl",
  "total_osl",
  "error_request_count",
  "error_isl",
  "total_error_isl",
];

export interface ProfileJsonOptions {
  /** Written as `aiperf_version`, the field name AIPerf uses for the producing tool's version. */
  toolVersion: string;
  benchmarkId: string;
  /** The run configuration (any JSON-serializable value; integral numbers print as ints). */
  inputConfig: unknown;
  wasCancelled: boolean;
  /** Profiling phase start / end of requests, epoch ns; null or 0 leaves the field out. */
  startNs: number | null;
  endNs: number | null;
  /** Minutes east of UTC at an epoch-ms instant; default: this machine's time zone (AIPerf writes naive local time). */
  utcOffsetMinutes?: (epochMs: number) => number;
  /** llmbench's schedule report (open-loop runs), written last as `llmbench_schedule`; AIPerf has no such key. */
  schedule?: PyJsonValue;
  /** AIPerf's `run_info` (schema 1.2+): what reproduces the run; absent: not written. */
  runInfo?: RunInfo;
  /** llmbench's sections AIPerf keeps in other files (server metrics, GPU energy), written after the schedule. */
  extra?: Record<string, PyJsonValue>;
}

/** AIPerf's RunInfo; null fields are left out of the file, as pydantic's exclude_none does. */
export interface RunInfo {
  benchmarkId: string;
  /** The sweep or search this run is a point of, or null. */
  sweepId: string | null;
  randomSeed: number | null;
  /** Zero-based run of the point (--num-profile-runs). */
  trial: number;
  runLabel: string;
  /** "base" outside a sweep. */
  variationLabel: string;
  variationIndex: number;
  variationValues: Record<string, PyJsonValue>;
  cliCommand: string | null;
}

function runInfoJson(r: RunInfo): PyJsonValue {
  const out: Record<string, PyJsonValue> = { benchmark_id: r.benchmarkId };
  if (r.sweepId !== null) out.sweep_id = r.sweepId;
  if (r.randomSeed !== null) out.random_seed = r.randomSeed;
  out.trial = r.trial;
  out.run_label = r.runLabel;
  out.variation_label = r.variationLabel;
  out.variation_index = r.variationIndex;
  out.variation_values = r.variationValues;
  if (r.cliCommand !== null) out.cli_command = r.cliCommand;
  return out;
}

/**
 * JsonMetricResult: unit, avg, p1..p99 (extra percentiles in order), min, max, std, then for record
 * metrics only `count` (values behind the statistics, an int) and `sum` (schema 1.1); floats otherwise.
 */
export function jsonMetricBlock(m: MetricResult): PyJsonValue {
  const out: Record<string, PyJsonValue> = { unit: m.unit, avg: pyFloat(m.avg) };
  for (const p of m.percentiles) out[p.key] = pyFloat(p.value);
  if (m.min !== null) out.min = pyFloat(m.min);
  if (m.max !== null) out.max = pyFloat(m.max);
  if (m.std !== null) out.std = pyFloat(m.std);
  if (m.kind === "record") {
    out.count = m.count;
    if (m.sum !== null) out.sum = pyFloat(m.sum);
  }
  return out;
}

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/**
 * Python's `datetime.fromtimestamp(ns / 1e9).isoformat()`: naive local time, microseconds rounded
 * half-even from the float seconds and omitted when zero.
 */
export function naiveLocalIso(ns: number, utcOffsetMinutes: (epochMs: number) => number = (ms) => -new Date(ms).getTimezoneOffset()): string {
  const t = ns / 1e9;
  let secs = Math.floor(t);
  let us = roundHalfEven((t - secs) * 1e6);
  if (us >= 1_000_000) {
    us -= 1_000_000;
    secs += 1;
  }
  const d = new Date((secs + utcOffsetMinutes(secs * 1000) * 60) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const base = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return us ? `${base}.${p(us, 6)}` : base;
}

function profileJsonObject(summary: Summary, opts: ProfileJsonOptions): PyJsonValue {
  const byTag = new Map(summary.metrics.map((m) => [m.tag, m]));
  const out: Record<string, PyJsonValue> = {
    schema_version: SCHEMA_VERSION,
    aiperf_version: opts.toolVersion,
    benchmark_id: opts.benchmarkId,
  };
  for (const tag of DECLARED_BEFORE_CONFIG) {
    const m = byTag.get(tag);
    if (m) out[tag] = jsonMetricBlock(m);
  }
  // Normalized through JSON so any plain config object fits (undefined fields dropped, dates as strings).
  out.input_config = opts.inputConfig === undefined ? {} : (JSON.parse(JSON.stringify(opts.inputConfig)) as PyJsonValue);
  out.was_cancelled = opts.wasCancelled;
  out.error_summary = summary.errorSummary.map((e) => ({
    error_details: { code: e.error.code, type: e.error.type, message: e.error.message },
    count: e.count,
  }));
  if (opts.startNs) out.start_time = naiveLocalIso(opts.startNs, opts.utcOffsetMinutes);
  if (opts.endNs) out.end_time = naiveLocalIso(opts.endNs, opts.utcOffsetMinutes);
  if (opts.runInfo !== undefined) out.run_info = runInfoJson(opts.runInfo);
  for (const m of summary.metrics) {
    if (!(DECLARED_BEFORE_CONFIG as readonly string[]).includes(m.tag)) out[m.tag] = jsonMetricBlock(m);
  }
  if (opts.schedule !== undefined) out.llmbench_schedule = opts.schedule;
  for (const [k, v] of Object.entries(opts.extra ?? {})) out[k] = v;
  return out;
}

/** The file's full text (no trailing newline, as pydantic's model_dump_json). */
export function profileExportJson(summary: Summary, opts: ProfileJsonOptions): string {
  return dumpPyJson(profileJsonObject(summary, opts), { style: "pydantic", indent: 2 });
}
