// Server metrics over the profiling window, AIPerf's way (its server_metrics_export.json layout):
// gauges (and untyped) as avg/min/max/std and exact percentiles of the scraped values; counters as the
// delta from the reference (the last scrape before the window) to the window's last scrape, and that
// delta's rate; histograms as per-bucket deltas over the same span, with percentiles estimated from the
// bucket deltas. AIPerf estimates those with its own polynomial bucket model; here it is Prometheus's
// histogram_quantile (linear within the bucket), the figure Grafana dashboards show.
import type { PromType } from "./prometheus-parse.ts";

/** The gauge percentiles AIPerf reports (p1 .. p99). */
export const GAUGE_QUANTILES = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] as const;
const PCT_NAMES = ["p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"] as const;

/** One stored series' window statistics (store/server-metrics-db.ts computes them in SQL). */
export interface SeriesWindow {
  url: string;
  /** The sample name as exposed (`x_bucket`, `x_sum`, ...). */
  metric: string;
  family: string;
  type: PromType;
  /** JSON object, without `le`/`quantile`. */
  labels: string;
  le: string | null;
  /** Finite samples in the window. */
  n: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  std: number | null;
  /** At GAUGE_QUANTILES, linear interpolation (numpy's default, DuckDB's quantile_cont). */
  quantiles: number[] | null;
  /** The last sample before the window (null when the first scrape was already in it). */
  refValue: number | null;
  refNs: number | null;
  firstValue: number | null;
  firstNs: number | null;
  lastValue: number | null;
  lastNs: number | null;
}

export interface ScrapeStats {
  url: string;
  attempts: number;
  ok: number;
  avgLatencyMs: number | null;
  firstNs: number | null;
  lastNs: number | null;
  /** One of the errors of the failed attempts, if any. */
  anError: string | null;
}

export type SeriesStats = Record<string, number>;

export interface ExportSeries {
  endpoint_url: string;
  labels: Record<string, string> | null;
  stats: SeriesStats;
  /** Histograms: cumulative bucket deltas over the window, keyed by `le` as exposed. */
  buckets?: Record<string, number>;
}

export interface ExportMetric {
  type: "gauge" | "counter" | "histogram" | "summary" | "unknown";
  description: string | null;
  unit: string | null;
  series: ExportSeries[];
}

export interface EndpointInfo {
  total_fetches: number;
  successful_fetches: number;
  first_fetch_ns: number | null;
  last_fetch_ns: number | null;
  avg_fetch_latency_ms: number | null;
}

export interface ServerMetricsExport {
  summary: {
    endpoints_configured: string[];
    endpoints_successful: string[];
    start_time: string | null;
    end_time: string | null;
    endpoint_info: Record<string, EndpointInfo>;
  };
  metrics: Record<string, ExportMetric>;
}

/** AIPerf's unit inference from the name's suffix (longest first). */
const UNIT_SUFFIXES: [string, string][] = [
  ["_seconds_total", "seconds"],
  ["_tokens_total", "tokens"],
  ["_requests_total", "requests"],
  ["_errors_total", "errors"],
  ["_blocks_total", "blocks"],
  ["_bytes_total", "bytes"],
  ["_ms_total", "milliseconds"],
  ["_ns_total", "nanoseconds"],
  ["_milliseconds", "milliseconds"],
  ["_nanoseconds", "nanoseconds"],
  ["_seconds", "seconds"],
  ["_kilobytes", "kilobytes"],
  ["_megabytes", "megabytes"],
  ["_gigabytes", "gigabytes"],
  ["_bytes", "bytes"],
  ["_tokens", "tokens"],
  ["_requests", "requests"],
  ["_reqs", "requests"],
  ["_errors", "errors"],
  ["_blocks", "blocks"],
  ["_percent", "percent"],
  ["_perc", "percent"],
  ["_ratio", "ratio"],
  ["_celsius", "celsius"],
  ["_joules", "joule"],
  ["_watts", "watt"],
  ["_gb_s", "gb/s"],
  ["_ms", "milliseconds"],
  ["_ns", "nanoseconds"],
  ["_total", "count"],
  ["_count", "count"],
];

export function unitOf(name: string): string | null {
  if (name.endsWith("request_success") || name.endsWith("request_success_total")) return "requests";
  for (const [suffix, unit] of UNIT_SUFFIXES) if (name.endsWith(suffix)) return unit;
  return null;
}

/** The export's key for a family: counters without `_total`, as Prometheus's own clients name them. */
export function exportName(family: string, type: PromType): string {
  return type === "counter" && family.endsWith("_total") ? family.slice(0, -6) : family;
}

/** Prometheus's histogram_quantile over cumulative bucket counts (sorted by bound, +Inf last). */
export function histogramQuantile(q: number, buckets: readonly (readonly [number, number])[]): number | null {
  if (buckets.length === 0) return null;
  const total = buckets[buckets.length - 1]![1];
  if (!(total > 0)) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (let i = 0; i < buckets.length; i++) {
    const [bound, count] = buckets[i]!;
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return i === 0 ? null : buckets[i - 1]![0];
      if (i === 0 && bound <= 0) return bound;
      const inBucket = count - prevCount;
      return inBucket > 0 ? prevBound + ((bound - prevBound) * (rank - prevCount)) / inBucket : bound;
    }
    prevBound = bound;
    prevCount = count;
  }
  return buckets[buckets.length - 1]![0];
}

/** The window's increase of a cumulative series and the span it covers (counter resets clamp to 0, as AIPerf). */
export function windowDelta(w: SeriesWindow): { delta: number; spanNs: number } | null {
  if (w.lastValue === null || w.lastNs === null) return null;
  const refV = w.refValue ?? w.firstValue;
  const refNs = w.refNs ?? w.firstNs;
  if (refV === null || refNs === null) return null;
  return { delta: Math.max(0, w.lastValue - refV), spanNs: w.lastNs - refNs };
}

const perSec = (x: number, spanNs: number): number => (spanNs > 0 ? x / (spanNs / 1e9) : 0);

function parseLabels(json: string): Record<string, string> | null {
  if (json === "{}") return null;
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return null;
  }
}

function gaugeStats(w: SeriesWindow): SeriesStats | null {
  if (w.n === 0 || w.avg === null || w.min === null || w.max === null) return null;
  const s: SeriesStats = { avg: w.avg, min: w.min, max: w.max, std: w.n > 1 ? (w.std ?? 0) : 0 };
  PCT_NAMES.forEach((p, i) => {
    const v = w.quantiles?.[i];
    if (v !== undefined && Number.isFinite(v)) s[p] = v;
  });
  return s;
}

function leNumber(le: string): number {
  const v = le.toLowerCase() === "+inf" || le.toLowerCase() === "inf" ? Number.POSITIVE_INFINITY : Number(le);
  return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
}

interface Group {
  url: string;
  family: string;
  type: PromType;
  labels: string;
  rows: SeriesWindow[];
}

function histogramSeries(g: Group): ExportSeries | null {
  const count = g.rows.find((r) => r.metric === `${g.family}_count`);
  const sum = g.rows.find((r) => r.metric === `${g.family}_sum`);
  const bucketRows = g.rows.filter((r) => r.metric === `${g.family}_bucket` && r.le !== null);
  const cd = count === undefined ? null : windowDelta(count);
  if (cd === null) return null;
  const sd = sum === undefined ? null : windowDelta(sum);
  const buckets: Record<string, number> = {};
  const sorted: [number, number][] = [];
  for (const b of bucketRows.sort((a, b) => leNumber(a.le!) - leNumber(b.le!))) {
    const d = windowDelta(b);
    if (d === null) continue;
    buckets[b.le!] = d.delta;
    sorted.push([leNumber(b.le!), d.delta]);
  }
  const stats: SeriesStats = { count: cd.delta };
  if (cd.delta > 0) {
    const total = sd?.delta ?? 0;
    stats.sum = total;
    stats.avg = total / cd.delta;
    stats.count_rate = perSec(cd.delta, cd.spanNs);
    stats.sum_rate = perSec(total, cd.spanNs);
    PCT_NAMES.forEach((p, i) => {
      const v = histogramQuantile(GAUGE_QUANTILES[i]!, sorted);
      if (v !== null) stats[`${p}_estimate`] = v;
    });
  }
  return { endpoint_url: g.url, labels: parseLabels(g.labels), stats, buckets };
}

function summarySeries(g: Group): ExportSeries | null {
  const count = g.rows.find((r) => r.metric === `${g.family}_count`);
  const sum = g.rows.find((r) => r.metric === `${g.family}_sum`);
  const cd = count === undefined ? null : windowDelta(count);
  if (cd === null) return null;
  const total = (sum === undefined ? null : windowDelta(sum))?.delta ?? 0;
  const stats: SeriesStats = { count: cd.delta, sum: total, count_rate: perSec(cd.delta, cd.spanNs) };
  if (cd.delta > 0) stats.avg = total / cd.delta;
  // The server's own quantiles (over its window, not ours): their last value in the window.
  for (const r of g.rows) if (r.metric === g.family && r.le !== null && r.lastValue !== null) stats[`quantile_${r.le}`] = r.lastValue;
  return { endpoint_url: g.url, labels: parseLabels(g.labels), stats };
}

function counterSeries(g: Group): ExportSeries | null {
  const r = g.rows.find((x) => !x.metric.endsWith("_created"));
  const d = r === undefined ? null : windowDelta(r);
  if (d === null) return null;
  return { endpoint_url: g.url, labels: parseLabels(g.labels), stats: { total: d.delta, rate: perSec(d.delta, d.spanNs) } };
}

function scalarSeries(g: Group): ExportSeries | null {
  const r = g.rows.find((x) => x.metric === g.family) ?? g.rows[0];
  const stats = r === undefined ? null : gaugeStats(r);
  return stats === null ? null : { endpoint_url: g.url, labels: parseLabels(g.labels), stats };
}

const EXPORT_TYPE: Record<PromType, ExportMetric["type"]> = {
  gauge: "gauge",
  counter: "counter",
  histogram: "histogram",
  summary: "summary",
  untyped: "unknown",
};

const isoOf = (ns: number | null): string | null => (ns === null ? null : new Date(ns / 1e6).toISOString());

/** The AIPerf-layout export of a run's server metrics. */
export function serverMetricsExport(
  windows: readonly SeriesWindow[],
  help: ReadonlyMap<string, string>,
  scrapes: readonly ScrapeStats[],
  configured: readonly string[],
): ServerMetricsExport {
  const groups = new Map<string, Group>();
  for (const w of windows) {
    const key = `${w.url}\n${w.family}\n${w.labels}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { url: w.url, family: w.family, type: w.type, labels: w.labels, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(w);
  }
  const metrics: Record<string, ExportMetric> = {};
  for (const g of groups.values()) {
    const series =
      g.type === "histogram" ? histogramSeries(g) : g.type === "summary" ? summarySeries(g) : g.type === "counter" ? counterSeries(g) : scalarSeries(g);
    if (series === null) continue;
    const name = exportName(g.family, g.type);
    let m = metrics[name];
    if (m === undefined) {
      m = { type: EXPORT_TYPE[g.type], description: help.get(g.family) ?? null, unit: unitOf(g.family), series: [] };
      metrics[name] = m;
    }
    m.series.push(series);
  }
  const info: Record<string, EndpointInfo> = {};
  for (const s of scrapes)
    info[s.url] = {
      total_fetches: s.attempts,
      successful_fetches: s.ok,
      first_fetch_ns: s.firstNs,
      last_fetch_ns: s.lastNs,
      avg_fetch_latency_ms: s.avgLatencyMs,
    };
  const okFirst = scrapes.map((s) => s.firstNs).filter((x): x is number => x !== null);
  const okLast = scrapes.map((s) => s.lastNs).filter((x): x is number => x !== null);
  return {
    summary: {
      endpoints_configured: [...configured],
      endpoints_successful: scrapes.filter((s) => s.ok > 0).map((s) => s.url),
      start_time: isoOf(okFirst.length > 0 ? Math.min(...okFirst) : null),
      end_time: isoOf(okLast.length > 0 ? Math.max(...okLast) : null),
      endpoint_info: info,
    },
    metrics,
  };
}
