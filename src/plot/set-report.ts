// A sweep's or a comparison's report: the Pareto chart, throughput, goodput and latency percentiles
// against load (mean and confidence interval over repeats), and each run's distributions overlaid.
import { shortNumber } from "./axes.ts";
import type { ReportModel, Section } from "./report-html.ts";
import { CDF_PS } from "./run-data.ts";
import type { FoundRun } from "./run-set.ts";
import { ERROR_COLOR, INK, MUTED, seriesColor, type Scene } from "./scene.ts";
import { loadAxis, type RunFigures, runFigures, SET_METRICS, type SetMetric } from "./set-data.ts";
import { type MeanCi, meanCi, paretoFrontier } from "./set-stats.ts";
import type { Query } from "./sql.ts";
import { type Series, xyChart } from "./xy-chart.ts";

const CONFIDENCE = 0.95;

const METRIC_NAMES: Record<SetMetric, [string, string]> = {
  time_to_first_token: ["Time to first token", "ttft"],
  inter_token_latency: ["Inter-token latency", "itl"],
  request_latency: ["Request latency", "latency"],
};

export interface Point {
  label: string;
  /** Load value on the x axis, or the point's index on a categorical axis. */
  x: number;
  runs: RunFigures[];
}

/** Repeats of one point share its directory (sweep) ; in a comparison each run is its own point. */
export function groupPoints(figs: readonly RunFigures[], mode: "sweep" | "compare"): { points: Point[]; axisLabel: string; categorical: boolean } {
  const axis = loadAxis(figs.map((f) => f.config));
  const groups = new Map<string, RunFigures[]>();
  for (const f of figs) {
    // A sweep's repeats share runs.sweep_point (or, in older files, their point directory).
    const key = mode === "compare" ? f.run.label : f.sweepPoint !== null ? `point ${f.sweepPoint}` : f.run.point;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const points = [...groups.entries()].map(([key, runs], i) => {
    const v = axis ? runs[0]!.config[axis.key] : undefined;
    return { label: typeof v === "number" ? `${axis!.short}=${v}` : key, x: typeof v === "number" ? v : i, runs };
  });
  if (axis) points.sort((a, b) => a.x - b.x);
  else for (const [i, p] of points.entries()) p.x = i;
  return { points, axisLabel: axis?.label ?? "run", categorical: axis === null };
}

const pct = (f: RunFigures, m: SetMetric, p: number): number => f.cdf[m]?.[CDF_PS.findIndex((x) => Math.abs(x - p) < 1e-12)] ?? Number.NaN;

function stat(points: readonly Point[], get: (f: RunFigures) => number | null): MeanCi[] {
  return points.map((p) =>
    meanCi(
      p.runs.map(get).filter((v): v is number => v !== null),
      CONFIDENCE,
    ),
  );
}

const repeated = (cis: readonly MeanCi[]) => cis.some((c) => c.n > 1);

/** Line with markers at each point's mean, plus error bars when a point has repeats. */
function meanSeries(name: string, points: readonly Point[], cis: readonly MeanCi[], color: string, dash?: number[]): Series[] {
  const line: Series = {
    type: "line",
    name,
    color,
    xs: points.map((p) => p.x),
    ys: cis.map((c) => (Number.isFinite(c.mean) ? c.mean : null)),
    markers: true,
    titles: points.map(
      (p, i) =>
        `${p.label}: ${shortNumber(cis[i]!.mean)}${cis[i]!.n > 1 ? ` (${cis[i]!.n} runs, ${CONFIDENCE * 100}% CI ${shortNumber(cis[i]!.lo)}-${shortNumber(cis[i]!.hi)})` : ""}`,
    ),
    ...(dash ? { dash } : {}),
  };
  if (!repeated(cis)) return [line];
  const ok = cis.map((c, i) => (Number.isFinite(c.lo) ? i : -1)).filter((i) => i >= 0);
  return [
    line,
    {
      type: "errorbars",
      name: `${name} CI`,
      color,
      noLegend: true,
      xs: ok.map((i) => points[i]!.x),
      lo: ok.map((i) => cis[i]!.lo),
      hi: ok.map((i) => cis[i]!.hi),
    },
  ];
}

function paretoChart(points: readonly Point[]): Scene {
  const gpus = points.every((p) => p.runs.every((r) => r.gpus !== null));
  const perUser = stat(points, (f) => f.tokensPerSecPerUser);
  const perGpu = stat(points, (f) => f.outputTokensPerSec / (gpus ? f.gpus! : f.servers));
  const xs = perUser.map((c) => c.mean);
  const ys = perGpu.map((c) => c.mean);
  const front = paretoFrontier(xs, ys);
  const unit = gpus ? "GPU" : "server";
  return xyChart({
    id: "pareto",
    title: `Pareto: output tokens/s per ${unit} vs tokens/s per user`,
    note: `${front.length} of ${points.length} points on the frontier (line)${gpus ? "" : "; no --gpus recorded, so throughput is per server"}`,
    x: { label: "output tokens/s per user" },
    y: { label: `output tokens/s per ${unit}`, zero: true },
    series: [
      { type: "line", name: "Pareto frontier", xs: front.map((i) => xs[i]!), ys: front.map((i) => ys[i]!), color: ERROR_COLOR, dash: [6, 3] },
      {
        type: "points",
        name: "load points",
        xs,
        ys,
        r: 5,
        opacity: 0.9,
        labels: points.map((p) => p.label),
        titles: points.map((p, i) => `${p.label}: ${shortNumber(xs[i]!)} tok/s per user, ${shortNumber(ys[i]!)} tok/s per ${unit}`),
      },
    ],
  });
}

/** Runs `fn` with queries over one run's database (opened once for all of them). */
export type WithRun = <T>(run: FoundRun, fn: (q: Query) => Promise<T>) => Promise<T>;

export async function setReport(runs: readonly FoundRun[], mode: "sweep" | "compare", withRun: WithRun): Promise<ReportModel> {
  const figs: RunFigures[] = [];
  for (const run of runs) figs.push(await withRun(run, (q) => runFigures(q, run)));
  const { points, axisLabel, categorical } = groupPoints(figs, mode);
  const x = { label: axisLabel, zero: !categorical, ...(categorical ? { categories: points.map((p) => p.label) } : {}) };
  const anyRepeats = points.some((p) => p.runs.length > 1);
  const ciNote = anyRepeats ? `mean over repeats, bars: ${CONFIDENCE * 100}% confidence interval` : "one run per point";

  const outTok = stat(points, (f) => f.outputTokensPerSec);
  const reqs = stat(points, (f) => f.requestsPerSec);
  const good = stat(points, (f) => f.goodPerSec);
  const hasGood = figs.some((f) => f.goodPerSec !== null);
  const throughput: Scene[] = [
    paretoChart(points),
    xyChart({
      id: "throughput-vs-load",
      title: "Output token throughput",
      note: ciNote,
      x,
      y: { label: "output tokens/s", zero: true },
      series: meanSeries("output tokens/s", points, outTok, seriesColor(0)),
    }),
    xyChart({
      id: "requests-vs-load",
      title: hasGood ? "Request throughput and goodput" : "Request throughput",
      note: ciNote,
      x,
      y: { label: "requests/s", zero: true },
      series: [
        ...meanSeries("requests/s", points, reqs, seriesColor(0)),
        ...(hasGood ? meanSeries("goodput (met every SLO)/s", points, good, "#2ca02c", [6, 3]) : []),
      ],
    }),
  ];

  const latency: Scene[] = [];
  const overlays: Scene[] = [];
  for (const m of SET_METRICS) {
    if (!figs.some((f) => f.cdf[m])) continue;
    const [name, id] = METRIC_NAMES[m];
    const series = ([0.5, 0.9, 0.99] as const).flatMap((p, i) =>
      meanSeries(
        `p${p * 100}`,
        points,
        stat(points, (f) => pct(f, m, p)),
        [INK, MUTED, ERROR_COLOR][i]!,
        i === 1 ? [4, 3] : undefined,
      ),
    );
    latency.push(xyChart({ id: `${id}-vs-load`, title: `${name} percentiles`, note: ciNote, x, y: { label: `${name} (ms)`, zero: true }, series }));
    // One CDF per run, colored by point (repeats share their point's color).
    const cdfSeries: Series[] = [];
    for (const [pi, p] of points.entries())
      for (const [ri, f] of p.runs.entries()) {
        const q = f.cdf[m];
        if (q) cdfSeries.push({ type: "line", name: p.label, color: seriesColor(pi), xs: q, ys: CDF_PS.map((v) => v * 100), width: 1.5, noLegend: ri > 0 });
      }
    overlays.push(
      xyChart({
        id: `${id}-cdf-overlay`,
        title: `${name}: CDF per run`,
        note: "share of successful requests at or below each value",
        x: { label: `${name} (ms)` },
        y: { label: "% of requests", min: 0, max: 100 },
        series: cdfSeries,
      }),
    );
  }

  const f1 = (v: number | null) => (v === null || !Number.isFinite(v) ? "" : shortNumber(v));
  const table = {
    columns: ["point", "runs", "requests", "failed", "req/s", "output tok/s", "tok/s per user", "goodput/s", "TTFT p50", "TTFT p99", "ITL p50", "ITL p99"],
    rows: points.map((p, i) => {
      const mean = (get: (f: RunFigures) => number | null) => meanCi(p.runs.map(get).filter((v): v is number => v !== null)).mean;
      return [
        p.label,
        String(p.runs.length),
        String(p.runs.reduce((a, f) => a + f.requests, 0)),
        String(p.runs.reduce((a, f) => a + f.requests - f.ok, 0)),
        f1(reqs[i]!.mean),
        f1(outTok[i]!.mean),
        f1(mean((f) => f.tokensPerSecPerUser)),
        hasGood ? f1(good[i]!.mean) : "",
        f1(mean((f) => pct(f, "time_to_first_token", 0.5))),
        f1(mean((f) => pct(f, "time_to_first_token", 0.99))),
        f1(mean((f) => pct(f, "inter_token_latency", 0.5))),
        f1(mean((f) => pct(f, "inter_token_latency", 0.99))),
      ];
    }),
  };
  // Without SLOs there is no goodput column.
  const keep = (_: unknown, i: number) => hasGood || i !== 7;
  const shown = { columns: table.columns.filter(keep), rows: table.rows.map((r) => r.filter(keep)) };
  const sections: Section[] = [
    { title: "Throughput", charts: throughput, tables: [shown] },
    { title: "Latency against load", charts: latency },
    { title: "Distributions per run", charts: overlays },
  ];
  const what = mode === "sweep" ? `sweep of ${points.length} points, ${figs.length} runs` : `comparison of ${figs.length} runs`;
  const models = [...new Set(figs.map((f) => String(f.config.model ?? "?")))].join(", ");
  return {
    title: `llmbench report: ${what}`,
    subtitle: [`model ${models}; x axis: ${axisLabel}`, `runs: ${figs.map((f) => f.run.label).join(", ")}`],
    stats: [
      ["runs", String(figs.length)],
      ["points", String(points.length)],
      ["best output tok/s", shortNumber(Math.max(...outTok.map((c) => c.mean).filter(Number.isFinite), 0))],
    ],
    sections: sections.filter((s) => s.charts.length > 0),
    notes: ["Percentiles per run over its successful profiling requests; throughput over each run's first request start to last request end."],
  };
}
