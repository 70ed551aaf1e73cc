// A sweep's summary, one row per point: the load values, throughput, latency percentiles, goodput and
// errors; with repeats, each metric's mean, confidence interval and CV (high CVs flagged); the Pareto
// points (output tokens/s per GPU vs per user) and the knee. Built from each run's results in memory
// (every run also keeps its own files and database). Pure: the JSON, the CSV and the console table.
import type { MetricTag } from "../metrics/metric-table.ts";
import { pareto } from "../metrics/pareto.ts";
import { HIGH_CV, type RepeatStats, repeatStats } from "../metrics/repeat-stats.ts";
import { type Cell, renderCsv } from "../report/text-table.ts";
import { axisColumn, type SweepAxis } from "../config/sweep-axes.ts";
import type { RunResults } from "./exports.ts";

export interface SweepMetric {
  /** Column name: AIPerf's `<tag>_<stat>`, or a derived name. */
  key: string;
  /** Console header. */
  short: string;
  kind: "throughput" | "latency" | "fraction" | "count";
}

/** The per-point metrics, in table order. */
export const SWEEP_METRICS: readonly SweepMetric[] = [
  { key: "request_throughput_avg", short: "req/s", kind: "throughput" },
  { key: "output_token_throughput_avg", short: "out tok/s", kind: "throughput" },
  { key: "output_token_throughput_per_gpu", short: "tok/s/GPU", kind: "throughput" },
  { key: "output_token_throughput_per_user_avg", short: "tok/s/user", kind: "throughput" },
  { key: "time_to_first_token_p50", short: "TTFT p50", kind: "latency" },
  { key: "time_to_first_token_p90", short: "TTFT p90", kind: "latency" },
  { key: "time_to_first_token_p99", short: "TTFT p99", kind: "latency" },
  { key: "inter_token_latency_p50", short: "ITL p50", kind: "latency" },
  { key: "inter_token_latency_p90", short: "ITL p90", kind: "latency" },
  { key: "inter_token_latency_p99", short: "ITL p99", kind: "latency" },
  { key: "request_latency_p50", short: "lat p50", kind: "latency" },
  { key: "request_latency_p90", short: "lat p90", kind: "latency" },
  { key: "request_latency_p99", short: "lat p99", kind: "latency" },
  { key: "goodput_avg", short: "goodput", kind: "throughput" },
  { key: "good_request_fraction_avg", short: "good", kind: "fraction" },
  { key: "error_request_count", short: "errors", kind: "count" },
];

/** The console keeps these first when the terminal is narrow (then table order). */
const CONSOLE_PRIORITY = [
  "output_token_throughput_avg",
  "error_request_count",
  "time_to_first_token_p99",
  "inter_token_latency_p99",
  "output_token_throughput_per_gpu",
  "output_token_throughput_per_user_avg",
  "good_request_fraction_avg",
  "request_throughput_avg",
  "request_latency_p99",
  "time_to_first_token_p50",
  "inter_token_latency_p50",
  "goodput_avg",
  "request_latency_p50",
];

/** How each of a run's metrics is read from its summary (display units: ms, tokens/s, ratio). */
export function runMetrics(results: RunResults, gpus: number | null): Record<string, number | null> {
  const stat = (tag: MetricTag, s: string): number | null => {
    const m = results.summary.metrics.find((x) => x.tag === tag);
    if (m === undefined) return null;
    return s === "avg" ? m.avg : (m.percentiles.find((p) => p.key === s)?.value ?? null);
  };
  const out: Record<string, number | null> = {};
  for (const { key } of SWEEP_METRICS) {
    const m = /^(.*)_(avg|p\d+)$/.exec(key);
    if (m) out[key] = stat(m[1] as MetricTag, m[2]!);
  }
  const tput = out.output_token_throughput_avg ?? null;
  out.output_token_throughput_per_gpu = gpus === null || tput === null ? null : tput / gpus;
  out.error_request_count = results.counts.failed;
  return out;
}

/** How a run ended. Only finished runs ("ok", "failed") count in a point's statistics. */
export type RunStatus = "ok" | "failed" | "cancelled" | "aborted" | "storage_failure";

export interface RunEntry {
  /** 1-based. */
  repeat: number;
  /** Relative to the sweep's directory. */
  dir: string;
  runId: string | null;
  status: RunStatus;
  exitCode: number;
  metrics: Record<string, number | null>;
}

export interface PointEntry {
  /** 1-based. */
  point: number;
  /** flag -> raw value. */
  values: Record<string, string>;
  label: string;
  runs: RunEntry[];
}

export interface SweepSummaryOptions {
  axes: readonly SweepAxis[];
  repeats: number;
  confidence: number;
  gpus: number | null;
}

export type PointMetric = { value: number | null } | (RepeatStats & { values: number[] });

export interface PointSummary {
  point: number;
  values: Record<string, string>;
  label: string;
  /** ok, or the worst of its runs' ends; "not run" when stopped before it. */
  status: RunStatus | "not run" | "incomplete";
  runs: RunEntry[];
  metrics: Record<string, PointMetric>;
  /** Metrics whose CV across runs passes HIGH_CV. */
  highCv: string[];
  paretoOptimal: boolean;
  knee: boolean;
}

const counted = (r: RunEntry): boolean => r.status === "ok" || r.status === "failed";

/** The point's value of a metric: its one run's, or the mean over its runs. */
export function pointValue(m: PointMetric | undefined): number | null {
  if (m === undefined) return null;
  return "value" in m ? m.value : m.mean;
}

function pointStatus(p: PointEntry, repeats: number): PointSummary["status"] {
  if (p.runs.length === 0) return "not run";
  const bad = p.runs.find((r) => r.status !== "ok");
  if (bad !== undefined) return bad.status;
  return p.runs.length < repeats ? "incomplete" : "ok";
}

export function summarizePoints(points: readonly PointEntry[], o: SweepSummaryOptions): PointSummary[] {
  const out = points.map((p): PointSummary => {
    const runs = p.runs.filter(counted);
    const metrics: Record<string, PointMetric> = {};
    const highCv: string[] = [];
    for (const { key, kind } of SWEEP_METRICS) {
      const values = runs.map((r) => r.metrics[key]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
      if (o.repeats === 1) {
        metrics[key] = { value: values[0] ?? null };
        continue;
      }
      const s = repeatStats(values, o.confidence);
      metrics[key] = s === null ? { value: null } : { ...s, values };
      if (s?.cv != null && s.cv > HIGH_CV && kind !== "count") highCv.push(key);
    }
    return {
      point: p.point,
      values: p.values,
      label: p.label,
      status: pointStatus(p, o.repeats),
      runs: p.runs,
      metrics,
      highCv,
      paretoOptimal: false,
      knee: false,
    };
  });
  if (out.length > 1) {
    const perGpuKey = o.gpus === null ? "output_token_throughput_avg" : "output_token_throughput_per_gpu";
    const front = pareto(out.map((p) => ({ perGpu: pointValue(p.metrics[perGpuKey]), perUser: pointValue(p.metrics.output_token_throughput_per_user_avg) })));
    for (const [i, opt] of front.optimal.entries()) out[i]!.paretoOptimal = opt;
    if (front.knee !== null) out[front.knee]!.knee = true;
  }
  return out;
}

const round = (v: number | null, digits = 6): number | null => (v === null ? null : Number(v.toPrecision(digits)));

/** sweep_summary.json: the sweep, and per point its parameters, runs, metrics, flags. */
export function sweepSummaryJson(points: readonly PointSummary[], o: SweepSummaryOptions, meta: Record<string, unknown>): string {
  const kneePoint = points.find((p) => p.knee);
  const doc = {
    ...meta,
    sweep_parameters: o.axes.map((a) => ({ name: axisColumn(a.flag), values: a.values.map(Number) })),
    num_profile_runs: o.repeats,
    confidence_level: o.confidence,
    gpus: o.gpus,
    pareto: {
      x: o.gpus === null ? "output_token_throughput_avg" : "output_token_throughput_per_gpu",
      y: "output_token_throughput_per_user_avg",
      optimal_points: points.filter((p) => p.paretoOptimal).map((p) => p.point),
      knee_point: kneePoint?.point ?? null,
    },
    points: points.map((p) => ({
      point: p.point,
      parameters: Object.fromEntries(Object.entries(p.values).map(([k, v]) => [axisColumn(k), Number(v)])),
      status: p.status,
      pareto_optimal: p.paretoOptimal,
      knee: p.knee,
      high_cv: p.highCv,
      metrics: Object.fromEntries(
        Object.entries(p.metrics).map(([k, m]) => [
          k,
          "value" in m
            ? { value: m.value }
            : {
                mean: m.mean,
                std: m.std,
                cv: m.cv,
                ci_low: m.ciLow,
                ci_high: m.ciHigh,
                t_critical: round(m.tCritical, 10),
                n: m.n,
                values: m.values,
              },
        ]),
      ),
      runs: p.runs.map((r) => ({ repeat: r.repeat, dir: r.dir, run_id: r.runId, status: r.status, exit_code: r.exitCode, metrics: r.metrics })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** sweep_summary.csv: one row per point; with repeats each metric as mean, ci_low, ci_high, cv. */
export function sweepSummaryCsv(points: readonly PointSummary[], o: SweepSummaryOptions): string {
  const columns = ["point", ...o.axes.map((a) => axisColumn(a.flag)), "status", "runs"];
  for (const { key } of SWEEP_METRICS) columns.push(...(o.repeats === 1 ? [key] : [`${key}_mean`, `${key}_ci_low`, `${key}_ci_high`, `${key}_cv`]));
  columns.push("pareto_optimal", "knee", "high_cv");
  const rows: Cell[][] = points.map((p) => {
    const row: Cell[] = [p.point, ...o.axes.map((a) => Number(p.values[a.flag])), p.status, p.runs.filter(counted).length];
    for (const { key } of SWEEP_METRICS) {
      const m = p.metrics[key];
      if (o.repeats === 1) row.push(pointValue(m));
      else if (m === undefined || "value" in m) row.push(m?.value ?? null, null, null, null);
      else row.push(m.mean, m.ciLow, m.ciHigh, m.cv);
    }
    row.push(p.paretoOptimal, p.knee, p.highCv.join(" "));
    return row;
  });
  return renderCsv({ columns, rows });
}

/** 1234.5 -> "1235", 45.12 -> "45.1", 4.567 -> "4.57"; a fraction as a percentage. */
function fmt(v: number | null, kind: SweepMetric["kind"], decimalsOf = v): string {
  if (v === null || !Number.isFinite(v)) return "-";
  if (kind === "fraction") return `${(v * 100).toFixed(1)}%`;
  if (kind === "count") return String(Math.round(v));
  const a = Math.abs(decimalsOf ?? v);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

function cell(m: PointMetric | undefined, kind: SweepMetric["kind"]): string {
  if (m === undefined) return "-";
  if ("value" in m) return fmt(m.value, kind);
  if (m.ciLow === null || m.ciHigh === null || kind === "count") return fmt(m.mean, kind);
  const half = (m.ciHigh - m.ciLow) / 2;
  return kind === "fraction" ? `${fmt(m.mean, kind)} ±${(half * 100).toFixed(1)}` : `${fmt(m.mean, kind)} ±${fmt(half, kind, m.mean)}`;
}

interface ConsoleColumn {
  header: string;
  cells: string[];
  /** Lower first when the terminal is too narrow for all. */
  priority: number;
  left?: boolean;
}

/** Columns in order, as many as fit `width` (the most important kept); says which were left out. */
export function fitColumns(columns: readonly ConsoleColumn[], width: number): { lines: string[]; omitted: string[] } {
  const widths = columns.map((c) => Math.max(c.header.length, ...c.cells.map((s) => s.length)));
  const byPriority = columns.map((_, i) => i).sort((a, b) => columns[a]!.priority - columns[b]!.priority || a - b);
  const kept = new Set<number>();
  let used = -2;
  for (const i of byPriority) {
    if (used + 2 + widths[i]! > width && kept.size > 0) continue;
    kept.add(i);
    used += 2 + widths[i]!;
  }
  const shown = columns.map((_, i) => i).filter((i) => kept.has(i));
  const pad = (s: string, i: number) => (columns[i]!.left ? s.padEnd(widths[i]!) : s.padStart(widths[i]!));
  const rows = columns[0]?.cells.length ?? 0;
  const lines = [
    shown
      .map((i) => pad(columns[i]!.header, i))
      .join("  ")
      .trimEnd(),
  ];
  for (let r = 0; r < rows; r++)
    lines.push(
      shown
        .map((i) => pad(columns[i]!.cells[r]!, i))
        .join("  ")
        .trimEnd(),
    );
  return { lines, omitted: columns.filter((_, i) => !kept.has(i)).map((c) => c.header) };
}

/** `text` broken at spaces into lines of at most `width` columns (a longer word stays whole), later lines indented. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** The console summary: the table fitted to `width`, then what its marks mean and where the files are. */
export function sweepConsole(points: readonly PointSummary[], o: SweepSummaryOptions, width: number): string[] {
  const axisCols: ConsoleColumn[] = o.axes.map((a) => ({ header: a.flag, cells: points.map((p) => p.values[a.flag] ?? ""), priority: -1 }));
  const shownMetrics = SWEEP_METRICS.filter((m) => {
    if (m.key === "output_token_throughput_per_gpu") return o.gpus !== null;
    // Goodput only with SLOs, per-user speed only when streaming: columns nobody has stay out.
    return points.some((p) => pointValue(p.metrics[m.key]) !== null) || m.key === "error_request_count";
  });
  const metricCols: ConsoleColumn[] = shownMetrics.map((m) => ({
    header: m.short,
    cells: points.map((p) => cell(p.metrics[m.key], m.kind)),
    priority: CONSOLE_PRIORITY.includes(m.key) ? CONSOLE_PRIORITY.indexOf(m.key) : CONSOLE_PRIORITY.length,
  }));
  const marks = (p: PointSummary): string =>
    [p.knee ? "knee" : p.paretoOptimal ? "*" : "", p.highCv.length > 0 ? "!" : "", p.status === "ok" ? "" : p.status].filter(Boolean).join(" ");
  const markCol: ConsoleColumn = { header: "", cells: points.map(marks), priority: -1, left: true };
  const { lines, omitted } = fitColumns([...axisCols, ...metricCols, markCol], width);
  const notes: string[] = [];
  const latency = shownMetrics.some((m) => m.kind === "latency") ? "Latencies in ms" : "";
  const ci = o.repeats > 1 ? `± is the ${Math.round(o.confidence * 1000) / 10}% confidence interval of the mean over ${o.repeats} runs (Student's t)` : "";
  if (latency || ci) notes.push(`${[latency, ci].filter(Boolean).join("; ")}.`);
  const knee = points.find((p) => p.knee);
  if (knee !== undefined) {
    const x = o.gpus === null ? "output_token_throughput_avg" : "output_token_throughput_per_gpu";
    const at = (k: string) => fmt(pointValue(knee.metrics[k]), "throughput");
    notes.push(
      `* Pareto-optimal (output tokens/s ${o.gpus === null ? "" : "per GPU "}vs per user); knee at ${knee.label}: ${at(x)} tok/s${o.gpus === null ? "" : "/GPU"}, ${at("output_token_throughput_per_user_avg")} tok/s/user`,
    );
  }
  const noisy = points.filter((p) => p.highCv.length > 0);
  if (noisy.length > 0) {
    const names = (p: PointSummary) => p.highCv.map((k) => SWEEP_METRICS.find((m) => m.key === k)!.short).join(", ");
    notes.push(`! CV above ${HIGH_CV * 100}% (more runs would help): ${noisy.map((p) => `${p.label} (${names(p)})`).join("; ")}`);
  }
  if (omitted.length > 0) notes.push(`Left out to fit ${width} columns: ${omitted.join(", ")} (all in sweep_summary.csv).`);
  return [...lines, ...notes.flatMap((n) => wrap(n, width))];
}
