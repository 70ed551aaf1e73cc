// Run summary as AIPerf computes it: statistics of every record metric (inter_chunk_latency flattened),
// counters over requests, then derived metrics; all in internal units, converted to display units last
// (each statistic multiplied by the conversion factor, exactly like AIPerf's to_display_unit).
// Only profiling-phase records count: warmup requests are excluded from every statistic.
import type { RecordError, RequestRecord } from "../record/request-record.ts";
import { METRICS, metricSpec, type MetricKind, type MetricTag } from "./metric-table.ts";
import { isValidRecord, metricEnabled, recordError, recordValues, type RecordOptions } from "./record-values.ts";
import { DEFAULT_PERCENTILES, computeStats, pairwiseSum, type Stats } from "./stats.ts";
import { convert, nsToSec, type Unit } from "./units.ts";

export interface SummaryOptions extends RecordOptions {
  /** Percentiles beyond AIPerf's fixed p1..p99 (e.g. 99.9 -> key "p99.9"). */
  percentiles?: readonly number[];
}

export interface PercentileValue {
  p: number;
  /** "p50", "p99.9" */
  key: string;
  value: number;
}

/** One metric's result in display units. Aggregate/derived metrics have only `avg` (count 1). */
export interface MetricResult {
  tag: MetricTag;
  header: string;
  /** Display unit. */
  unit: Unit;
  kind: MetricKind;
  avg: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  std: number | null;
  /** Ascending by p; empty for aggregate/derived metrics. */
  percentiles: PercentileValue[];
  /** Number of values behind the statistics (1 for single values). */
  count: number;
}

export interface ErrorCount {
  error: RecordError;
  count: number;
}

export interface Summary {
  /** Metrics that have a value, in metric-table order. */
  metrics: MetricResult[];
  /** Failed/cancelled profiling requests grouped by (code, type, message), in order of first appearance. */
  errorSummary: ErrorCount[];
  /** max(start + request_latency) - min(start) over valid requests, ns; null when not computable. */
  benchmarkDurationNs: number | null;
  /** Profiling-phase records considered (valid + failed). */
  recordCount: number;
}

const percentileKey = (p: number): string => `p${String(p)}`;

/** Default p1..p99 plus extras, deduplicated, ascending. */
export function percentileList(extra: readonly number[] = []): number[] {
  return [...new Set([...DEFAULT_PERCENTILES, ...extra])].sort((a, b) => a - b);
}

/** What a summary is made of, however it was computed (in memory here, or in SQL: store/summary-db.ts). */
export interface SummaryParts {
  /** Statistics of each record metric that has values, already in display units. */
  stats: ReadonlyMap<MetricTag, Stats>;
  /** Aggregate metrics: the sum of the per-request contributions, for those any request contributed to. */
  counters: ReadonlyMap<MetricTag, number>;
  /** max(start + request_latency) - min(start) over valid requests (epoch-ns doubles), when max > min. */
  durationNs: number | undefined;
  errorSummary: ErrorCount[];
  recordCount: number;
}

export function summarize(records: readonly RequestRecord[], opts: SummaryOptions): Summary {
  const pcts = percentileList(opts.percentiles);
  const arrays = new Map<MetricTag, number[]>();
  const runningSums = new Map<MetricTag, number>();
  const counters = new Map<MetricTag, number>();
  const errors = new Map<string, ErrorCount>();
  let minStart = Infinity;
  let maxResponse = -Infinity;
  let recordCount = 0;

  for (const r of records) {
    if (r.phase !== "profiling") continue;
    recordCount++;
    const values = recordValues(r, opts);
    for (const [tag, value] of values) {
      const kind = metricSpec(tag).kind;
      if (kind === "record") {
        const arr = arrays.get(tag) ?? [];
        if (Array.isArray(value)) for (const x of value) arr.push(x);
        else arr.push(value);
        arrays.set(tag, arr);
        // AIPerf's array keeps a running sum; a list is added as its own numpy sum.
        runningSums.set(tag, (runningSums.get(tag) ?? 0) + (Array.isArray(value) ? pairwiseSum(value) : value));
      } else if (kind === "aggregate") {
        counters.set(tag, (counters.get(tag) ?? 0) + (value as number));
      }
    }
    if (isValidRecord(r)) {
      minStart = Math.min(minStart, r.start_ns);
      const latency = values.get("request_latency");
      if (typeof latency === "number") maxResponse = Math.max(maxResponse, r.start_ns + latency);
    } else {
      const e = recordError(r)!;
      const key = JSON.stringify([e.code, e.type, e.message]);
      const entry = errors.get(key);
      if (entry) entry.count++;
      else errors.set(key, { error: { code: e.code, type: e.type, message: e.message }, count: 1 });
    }
  }

  // Statistics in internal units (as AIPerf keeps them), each then multiplied into the display unit.
  const stats = new Map<MetricTag, Stats>();
  for (const [tag, arr] of arrays) {
    const spec = metricSpec(tag);
    const d = (v: number) => convert(v, spec.unit, spec.displayUnit);
    const s = computeStats(arr, pcts, runningSums.get(tag))!;
    stats.set(tag, {
      count: s.count,
      avg: d(s.avg),
      min: d(s.min),
      max: d(s.max),
      sum: d(s.sum),
      std: d(s.std),
      percentiles: new Map([...s.percentiles].map(([p, v]) => [p, d(v)])),
    });
  }
  const durationNs = maxResponse > minStart ? maxResponse - minStart : undefined;
  return assembleSummary({ stats, counters, durationNs, errorSummary: [...errors.values()], recordCount }, opts);
}

type Internal = { kind: "stats"; stats: Stats } | { kind: "value"; value: number };

/** Adds the derived metrics (AIPerf's formulas) to the parts and lays the result out in metric-table order. */
export function assembleSummary(parts: SummaryParts, opts: SummaryOptions): Summary {
  const pcts = percentileList(opts.percentiles);
  const results = new Map<MetricTag, Internal>();
  for (const [tag, stats] of parts.stats) results.set(tag, { kind: "stats", stats });
  for (const [tag, value] of parts.counters) results.set(tag, { kind: "value", value });

  const single = (tag: MetricTag): number | undefined => {
    const r = results.get(tag);
    return r?.kind === "value" ? r.value : undefined;
  };
  const setDerived = (tag: MetricTag, value: number | undefined) => {
    if (value !== undefined && metricEnabled(metricSpec(tag), opts)) results.set(tag, { kind: "value", value });
  };
  /** A record metric's sum in its internal unit. */
  const sumOf = (tag: MetricTag) => {
    const s = parts.stats.get(tag);
    const spec = metricSpec(tag);
    return s === undefined ? undefined : convert(s.sum, spec.displayUnit, spec.unit);
  };

  const durationNs = parts.durationNs;
  setDerived("benchmark_duration", durationNs);
  setDerived("total_isl", sumOf("input_sequence_length"));
  setDerived("total_osl", sumOf("output_sequence_length"));
  setDerived("total_output_tokens", sumOf("output_token_count"));
  setDerived("total_reasoning_tokens", sumOf("reasoning_token_count"));
  setDerived("total_error_isl", sumOf("error_isl"));
  setDerived("total_usage_prompt_tokens", sumOf("usage_prompt_tokens"));
  setDerived("total_usage_completion_tokens", sumOf("usage_completion_tokens"));
  setDerived("total_usage_total_tokens", sumOf("usage_total_tokens"));

  // Throughputs divide by the duration converted to seconds (ns * 1e-9), as AIPerf does.
  const seconds = durationNs !== undefined ? nsToSec(durationNs) : undefined;
  const perSecond = (n: number | undefined) => (n !== undefined && seconds !== undefined && seconds !== 0 ? n / seconds : undefined);
  const totalIsl = single("total_isl");
  const totalOsl = single("total_osl");
  setDerived("request_throughput", perSecond(single("request_count")));
  setDerived("output_token_throughput", perSecond(totalOsl));
  setDerived("total_token_throughput", totalIsl !== undefined && totalOsl !== undefined ? perSecond(totalIsl + totalOsl) : undefined);
  setDerived("goodput", perSecond(single("good_request_count")));
  const finished = (single("request_count") ?? 0) + (single("error_request_count") ?? 0);
  setDerived("good_request_fraction", finished > 0 ? (single("good_request_count") ?? 0) / finished : 0.0);

  const metrics: MetricResult[] = [];
  for (const spec of METRICS) {
    const r = results.get(spec.tag);
    if (!r) continue;
    const base = { tag: spec.tag, header: spec.header, unit: spec.displayUnit, kind: spec.kind };
    if (r.kind === "value") {
      const d = (v: number) => convert(v, spec.unit, spec.displayUnit);
      metrics.push({ ...base, avg: d(r.value), min: null, max: null, sum: null, std: null, percentiles: [], count: 1 });
      continue;
    }
    const s = r.stats;
    metrics.push({
      ...base,
      avg: s.avg,
      min: s.min,
      max: s.max,
      sum: s.sum,
      std: s.std,
      percentiles: pcts.map((p) => ({ p, key: percentileKey(p), value: s.percentiles.get(p)! })),
      count: s.count,
    });
  }
  return { metrics, errorSummary: parts.errorSummary, benchmarkDurationNs: durationNs ?? null, recordCount: parts.recordCount };
}
