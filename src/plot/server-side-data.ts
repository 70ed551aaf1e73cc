// The server's and the GPUs' side of one run over time, for the report: the named server gauges
// (running/waiting requests, KV-cache usage), a server histogram's per-slice estimate from bucket
// deltas, and per-GPU telemetry. Each from one aggregating SQL query over the profiling-phase scrapes,
// in the same time buckets as the request charts (so an hour stays a few hundred points per line).
import { POWER } from "../metrics/gpu-telemetry.ts";
import { histogramQuantile } from "../metrics/server-metrics-summary.ts";
import { KNOWN_SERVER_METRICS } from "../metrics/server-metric-names.ts";
import type { RunTotals } from "./run-data.ts";
import { jsonCell, num, num0, type Query, rowObjects, sqlNum, sqlString } from "./sql.ts";

export interface Line {
  name: string;
  /** Bucket middles, seconds since the first profiling request. */
  t: number[];
  v: number[];
}

export interface OverTime {
  /** The metric the lines are of (the first recognised name the run has, for a named question). */
  metric: string;
  bucketNs: number;
  lines: Line[];
  /** Lines left out past the cap. */
  hidden: number;
}

/** DCGM's field for GPU utilization (%); nvidia-smi's utilization.gpu is stored under it too. */
export const GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";
export { POWER };

/** At most this many lines per chart (one color each). */
export const MAX_LINES = 10;

/** The bucket of a `time_ns` column (never below 0: a scrape just before the first request joins bucket 0). */
const bucketSql = (totals: RunTotals, B: number): string => `greatest(0, floor((time_ns - ${sqlNum(totals.startNs)}) / ${sqlNum(B)}))::INTEGER`;
const mid = (b: number, B: number): number => ((b + 0.5) * B) / 1e9;

/** SQL that orders names by their position in `names` (the first recognised one wins). */
const rankSql = (col: string, names: readonly string[]): string => `CASE ${col} ${names.map((n, i) => `WHEN ${sqlString(n)} THEN ${i}`).join(" ")} END`;

/** The metric names answering a named question, in preference order. */
export function knownNames(key: string): string[] {
  return KNOWN_SERVER_METRICS.find((k) => k.key === key)?.names.map((n) => n.name) ?? [];
}

/** Is a question answered by a 0..1 ratio (shown as %)? */
export function isRatio(key: string, metric: string): boolean {
  return KNOWN_SERVER_METRICS.find((k) => k.key === key)?.names.find((n) => n.name === metric)?.how === "ratio_gauge";
}

/**
 * Names for lines keyed by endpoint and label set: only what tells them apart (the endpoint's
 * host:port when there are several, then the labels whose values differ); "" for a single line.
 */
export function lineNames(keys: readonly { url: string; labels: Record<string, string> }[]): string[] {
  const urls = new Set(keys.map((k) => k.url));
  const labelKeys = [...new Set(keys.flatMap((k) => Object.keys(k.labels)))].sort();
  const differing = labelKeys.filter((l) => new Set(keys.map((k) => k.labels[l] ?? "")).size > 1);
  return keys.map((k) => {
    const parts: string[] = [];
    if (urls.size > 1) parts.push(hostPort(k.url));
    for (const l of differing) parts.push(`${l}=${k.labels[l] ?? ""}`);
    return parts.join(" ");
  });
}

function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function capLines(lines: Line[]): { lines: Line[]; hidden: number } {
  return { lines: lines.slice(0, MAX_LINES), hidden: Math.max(0, lines.length - MAX_LINES) };
}

/**
 * A named server gauge (e.g. "waiting_requests") per bucket: the mean of its profiling scrapes, one
 * line per endpoint and label set; ratios as %. Null when the run has none of its metric names.
 */
export async function serverGaugeOverTime(q: Query, totals: RunTotals, key: string, B: number): Promise<OverTime | null> {
  const names = knownNames(key);
  if (names.length === 0) return null;
  const rows = rowObjects(
    await q(`WITH pick AS (
        SELECT metric FROM server_metrics WHERE metric IN (${names.map(sqlString).join(", ")}) AND phase = 'profiling' AND value IS NOT NULL
        GROUP BY metric ORDER BY ${rankSql("metric", names)} LIMIT 1)
      SELECT metric, url, labels::VARCHAR AS labels, ${bucketSql(totals, B)} AS b, avg(value) AS v
      FROM server_metrics WHERE metric = (SELECT metric FROM pick) AND phase = 'profiling' AND value IS NOT NULL
      GROUP BY ALL ORDER BY url, labels, b`),
  );
  if (rows.length === 0) return null;
  const metric = String(rows[0]!.metric);
  const scale = isRatio(key, metric) ? 100 : 1;
  const byKey = new Map<string, { url: string; labels: Record<string, string>; t: number[]; v: number[] }>();
  for (const r of rows) {
    const id = `${String(r.url)}\n${String(r.labels)}`;
    let s = byKey.get(id);
    if (!s) {
      s = { url: String(r.url), labels: jsonCell<Record<string, string>>(r.labels) ?? {}, t: [], v: [] };
      byKey.set(id, s);
    }
    s.t.push(mid(num0(r.b), B));
    s.v.push(num0(r.v) * scale);
  }
  const series = [...byKey.values()];
  const names_ = lineNames(series);
  return { metric, bucketNs: B, ...capLines(series.map((s, i) => ({ name: names_[i]!, t: s.t, v: s.v }))) };
}

export interface HistogramOverTime {
  metric: string;
  bucketNs: number;
  /** Bucket middles (s) of the buckets that observed something. */
  t: number[];
  count: number[];
  /** Seconds, from the deltas of _sum/_count and of the buckets (Prometheus's histogram_quantile). */
  mean: (number | null)[];
  p50: (number | null)[];
  p99: (number | null)[];
}

const leNumber = (le: string): number => (/^\+?inf$/i.test(le) ? Number.POSITIVE_INFINITY : Number(le));

/**
 * A named server histogram (e.g. "server_ttft") per bucket: the increase of each of its cumulative
 * samples since the scrape before (resets clamp to 0, as the export does), summed over the bucket's
 * profiling scrapes and over every endpoint and label set; mean and estimated p50/p99 from those.
 */
export async function serverHistogramOverTime(q: Query, totals: RunTotals, key: string, B: number): Promise<HistogramOverTime | null> {
  const names = knownNames(key);
  if (names.length === 0) return null;
  const rows = rowObjects(
    await q(`WITH pick AS (
        SELECT family FROM server_metrics WHERE family IN (${names.map(sqlString).join(", ")}) AND type = 'histogram' AND phase = 'profiling'
        GROUP BY family ORDER BY ${rankSql("family", names)} LIMIT 1),
      s AS (
        SELECT family, metric, le, time_ns, phase,
          value - lag(value) OVER (PARTITION BY url, labels::VARCHAR, metric, le ORDER BY time_ns) AS d
        FROM server_metrics WHERE family = (SELECT family FROM pick) AND value IS NOT NULL
          AND (metric = family || '_bucket' OR metric = family || '_sum' OR metric = family || '_count'))
      SELECT family, metric, coalesce(le, '') AS le, ${bucketSql(totals, B)} AS b, sum(greatest(d, 0)) AS d
      FROM s WHERE phase = 'profiling' AND d IS NOT NULL GROUP BY ALL ORDER BY b`),
  );
  if (rows.length === 0) return null;
  const family = String(rows[0]!.family);
  const byB = new Map<number, { sum: number; count: number; buckets: [number, number][] }>();
  for (const r of rows) {
    const b = num0(r.b);
    let x = byB.get(b);
    if (!x) {
      x = { sum: 0, count: 0, buckets: [] };
      byB.set(b, x);
    }
    const d = num0(r.d);
    const metric = String(r.metric);
    if (metric.endsWith("_sum")) x.sum += d;
    else if (metric.endsWith("_count")) x.count += d;
    else x.buckets.push([leNumber(String(r.le)), d]);
  }
  const out: HistogramOverTime = { metric: family, bucketNs: B, t: [], count: [], mean: [], p50: [], p99: [] };
  for (const b of [...byB.keys()].sort((a, z) => a - z)) {
    const x = byB.get(b)!;
    if (!(x.count > 0)) continue;
    // Deltas of the same bound from several series add up; then cumulative by bound, as exposed.
    const merged = new Map<number, number>();
    for (const [le, d] of x.buckets) merged.set(le, (merged.get(le) ?? 0) + d);
    const cumulative = [...merged.entries()].sort((a, z) => a[0] - z[0]);
    out.t.push(mid(b, B));
    out.count.push(x.count);
    out.mean.push(x.sum / x.count);
    out.p50.push(histogramQuantile(0.5, cumulative));
    out.p99.push(histogramQuantile(0.99, cumulative));
  }
  return out.t.length === 0 ? null : out;
}

/** One DCGM field per GPU per bucket: the mean of its profiling readings; null when the run has none. */
export async function gpuOverTime(q: Query, totals: RunTotals, metric: string, B: number): Promise<OverTime | null> {
  const rows = rowObjects(
    await q(`SELECT host, gpu_index, uuid, ${bucketSql(totals, B)} AS b, avg(value) AS v
      FROM gpu_telemetry WHERE metric = ${sqlString(metric)} AND phase = 'profiling' AND value IS NOT NULL
      GROUP BY ALL ORDER BY host, gpu_index, uuid, b`),
  );
  if (rows.length === 0) return null;
  const hosts = new Set(rows.map((r) => String(r.host)));
  const byGpu = new Map<string, Line>();
  for (const r of rows) {
    const id = `${String(r.host)}\n${String(r.uuid)}`;
    let line = byGpu.get(id);
    if (!line) {
      const idx = num(r.gpu_index);
      const gpu = idx === null ? String(r.uuid) : `GPU ${idx}`;
      line = { name: hosts.size > 1 ? `${String(r.host)} ${gpu}` : gpu, t: [], v: [] };
      byGpu.set(id, line);
    }
    line.t.push(mid(num0(r.b), B));
    line.v.push(num0(r.v));
  }
  return { metric, bucketNs: B, ...capLines([...byGpu.values()]) };
}
