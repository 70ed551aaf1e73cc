// One run's charts from its numbers (pure): distributions with percentiles and SLO lines, per-time
// statistics, the latency scatter, in-flight requests, errors, ISL/OSL.
import type { Slo } from "../metrics/goodput.ts";
import { shortNumber } from "./axes.ts";
import { CDF_PS, type Distribution, type ErrorRow, quantileAt, type Scatter, type TimeSeries } from "./run-data.ts";
import { ERROR_COLOR, INK, MUTED, type Scene } from "./scene.ts";
import { type RefLine, xyChart } from "./xy-chart.ts";

export interface MetricView {
  /** Column / metric tag. */
  tag: string;
  /** Chart id prefix, e.g. "ttft". */
  id: string;
  name: string;
  unit: string;
}

const SLO_COLOR = "#2ca02c";
const PCT_LINES: readonly [number, string, string][] = [
  [0.5, "p50", INK],
  [0.9, "p90", MUTED],
  [0.99, "p99", ERROR_COLOR],
];

function refs(d: Distribution, unit: string, slo: Slo | undefined): RefLine[] {
  const out: RefLine[] = PCT_LINES.map(([p, name, color]) => ({
    axis: "x",
    value: quantileAt(d, p),
    label: `${name} ${shortNumber(quantileAt(d, p))} ${unit}`,
    color,
  }));
  if (slo) out.push({ axis: "x", value: slo.displayValue, label: `SLO ${slo.op} ${shortNumber(slo.displayValue)} ${unit}`, color: SLO_COLOR, dash: [2, 3] });
  return out;
}

export function histogramChart(m: MetricView, d: Distribution, slo?: Slo, integer = false): Scene {
  const w = (d.bins[0]?.hi ?? 0) - (d.bins[0]?.lo ?? 0);
  const tail = d.above > 0 ? `; ${d.above} above p99.9 (${shortNumber(d.top)} ${m.unit}) counted in the last bin` : "";
  const binNote = integer ? `bins of ${shortNumber(w)}` : `bins of ${shortNumber(w)} ${m.unit}`;
  return xyChart({
    id: `${m.id}-histogram`,
    title: `${m.name}: distribution`,
    note: `${d.n} requests; ${binNote}${tail}`,
    x: { label: `${m.name} (${m.unit})` },
    y: { label: "requests", zero: true },
    series: [
      {
        type: "bars",
        name: "requests",
        lo: d.bins.map((b) => b.lo),
        hi: d.bins.map((b) => b.hi),
        ys: d.bins.map((b) => b.count),
        titles: d.bins.map((b) => `${shortNumber(b.lo)}-${shortNumber(b.hi)} ${m.unit}: ${b.count}`),
      },
    ],
    refs: integer ? [] : refs(d, m.unit, slo),
  });
}

export function cdfChart(m: MetricView, d: Distribution, slo?: Slo): Scene {
  return xyChart({
    id: `${m.id}-cdf`,
    title: `${m.name}: CDF`,
    note: `share of ${d.n} requests at or below each value; min ${shortNumber(d.min)}, max ${shortNumber(d.max)} ${m.unit}`,
    x: { label: `${m.name} (${m.unit})` },
    y: { label: "% of requests", min: 0, max: 100 },
    series: [{ type: "line", name: m.name, xs: d.quantiles, ys: CDF_PS.map((p) => p * 100) }],
    refs: refs(d, m.unit, slo),
  });
}

const timeAxis = { label: "time since the first request (s)", zero: true };

export function percentileOverTimeChart(id: string, name: string, ts: TimeSeries, p50: (number | null)[], p99: (number | null)[], slo?: Slo): Scene {
  return xyChart({
    id,
    title: `${name} p50 and p99 over time`,
    note: `per ${shortNumber(ts.bucketNs / 1e9)} s slice of request start times`,
    x: timeAxis,
    y: { label: `${name} (ms)`, zero: true },
    series: [
      { type: "line", name: "p50", xs: ts.t, ys: p50, markers: ts.t.length <= 30 },
      { type: "line", name: "p99", xs: ts.t, ys: p99, color: ERROR_COLOR, markers: ts.t.length <= 30 },
    ],
    refs: slo ? [{ axis: "y", value: slo.displayValue, label: `SLO ${slo.op} ${shortNumber(slo.displayValue)} ms`, color: SLO_COLOR, dash: [2, 3] }] : [],
  });
}

export function throughputOverTimeChart(ts: TimeSeries): Scene {
  return xyChart({
    id: "throughput-over-time",
    title: "Output token throughput over time",
    note: `tokens of requests finished in each ${shortNumber(ts.bucketNs / 1e9)} s slice, per second`,
    x: timeAxis,
    y: { label: "output tokens/s", zero: true },
    series: [{ type: "line", name: "output tokens/s", xs: ts.t, ys: ts.outputTokensPerSec, markers: ts.t.length <= 30 }],
  });
}

export function requestRateOverTimeChart(ts: TimeSeries): Scene {
  const series: Parameters<typeof xyChart>[0]["series"][number][] = [
    { type: "line", name: "finished OK/s", xs: ts.t, ys: ts.requestsPerSec },
    { type: "line", name: "failed/s", xs: ts.t, ys: ts.failedPerSec, color: ERROR_COLOR },
  ];
  if (ts.goodPerSec) series.push({ type: "line", name: "goodput (met every SLO)/s", xs: ts.t, ys: ts.goodPerSec, color: SLO_COLOR, dash: [6, 3] });
  return xyChart({
    id: "requests-over-time",
    title: "Requests per second over time",
    note: `by end time, per ${shortNumber(ts.bucketNs / 1e9)} s slice`,
    x: timeAxis,
    y: { label: "requests/s", zero: true },
    series,
  });
}

export function inFlightChart(ts: TimeSeries): Scene {
  return xyChart({
    id: "in-flight",
    title: "Requests in flight",
    note: `time-weighted mean over each ${shortNumber(ts.bucketNs / 1e9)} s slice`,
    x: timeAxis,
    y: { label: "requests in flight", zero: true },
    series: [{ type: "line", name: "in flight", xs: ts.t.map((t) => t + ts.bucketNs / 2e9), ys: ts.inFlight, markers: ts.t.length <= 30 }],
  });
}

export function scatterChart(s: Scatter): Scene {
  const ok = s.failed.map((f, i) => (f ? -1 : i)).filter((i) => i >= 0);
  const bad = s.failed.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
  const sampled = s.okShown < s.okTotal || s.failedShown < s.failedTotal;
  const note = sampled
    ? `${s.okShown} of ${s.okTotal} successful and ${s.failedShown} of ${s.failedTotal} failed requests shown (a fixed sample)`
    : `${s.okTotal} successful, ${s.failedTotal} failed requests`;
  return xyChart({
    id: "latency-scatter",
    title: "Request latency by start time",
    note,
    x: timeAxis,
    y: { label: "request latency (ms)", zero: true },
    series: [
      { type: "points", name: "succeeded", xs: ok.map((i) => s.x[i]!), ys: ok.map((i) => s.y[i]!), r: 2, opacity: 0.45 },
      { type: "points", name: "failed", xs: bad.map((i) => s.x[i]!), ys: bad.map((i) => s.y[i]!), r: 3, opacity: 0.8, color: ERROR_COLOR },
    ],
  });
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function errorChart(errors: readonly ErrorRow[]): Scene {
  const labels = errors.map((e) => clip(e.code === null ? e.type : `${e.type} ${e.code}`, 22));
  return xyChart({
    id: "errors",
    title: "Failed requests by error",
    note: `${errors.reduce((a, e) => a + e.count, 0)} failed or cancelled requests`,
    x: { label: "error type (and code)", categories: labels },
    y: { label: "requests", zero: true },
    series: [
      {
        type: "bars",
        name: "requests",
        color: ERROR_COLOR,
        lo: errors.map((_, i) => i - 0.35),
        hi: errors.map((_, i) => i + 0.35),
        ys: errors.map((e) => e.count),
        titles: errors.map((e) => `${e.type}: ${e.count}`),
      },
    ],
  });
}
