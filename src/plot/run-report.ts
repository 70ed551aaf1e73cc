// One run's report: its queries, then its charts and tables.
import { parseGoodput, type Slo } from "../metrics/goodput.ts";
import { shortNumber } from "./axes.ts";
import type { ReportModel, Section } from "./report-html.ts";
import { distribution, errorBreakdown, latencyScatter, quantileAt, runInfo, runTotals, timeSeries, type RunInfo } from "./run-data.ts";
import {
  cdfChart,
  errorChart,
  histogramChart,
  inFlightChart,
  type MetricView,
  percentileOverTimeChart,
  requestRateOverTimeChart,
  scatterChart,
  throughputOverTimeChart,
} from "./run-charts.ts";
import { serverSideSection } from "./server-side-report.ts";
import { goodSql, type Query } from "./sql.ts";

export const LATENCY_METRICS: readonly MetricView[] = [
  { tag: "time_to_first_token", id: "ttft", name: "Time to first token", unit: "ms" },
  { tag: "inter_token_latency", id: "itl", name: "Inter-token latency", unit: "ms" },
  { tag: "request_latency", id: "latency", name: "Request latency", unit: "ms" },
];

/** The run's --goodput SLOs as stored in its config (problems were refused when it ran). */
export function runSlos(config: Record<string, unknown>): Slo[] {
  const g = config.goodput;
  if (!Array.isArray(g) || g.length === 0) return [];
  return parseGoodput(g.map(String), { streaming: config.streaming !== false }).slos;
}

/** "concurrency 16", "request rate 20/s", ... from a run's config. */
export function loadText(config: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof config.requestRate === "number") parts.push(`request rate ${config.requestRate}/s`);
  if (typeof config.concurrency === "number") parts.push(`concurrency ${config.concurrency}`);
  if (parts.length === 0 && config.fixedSchedule) parts.push("fixed schedule");
  return parts.join(", ") || "load not recorded";
}

const ms = (v: number): string => `${shortNumber(v)} ms`;
const fmtS = (ns: number): string => `${shortNumber(ns / 1e9)} s`;

export async function runReport(q: Query, name: string): Promise<ReportModel> {
  const info: RunInfo = await runInfo(q);
  const cfg = info.config;
  const slos = runSlos(cfg);
  const good = goodSql(slos, info.columns);
  const totals = await runTotals(q, good);
  const sloFor = (tag: string) => slos.find((s) => s.tag === tag);
  const notes: string[] = [];
  const skipped = slos.filter((s) => !info.columns.has(s.tag));
  if (skipped.length > 0) notes.push(`SLOs on ${skipped.map((s) => s.tag).join(", ")} are not columns of this results.duckdb and were left out of goodput.`);

  // Latency distributions.
  const dists = new Map<string, Awaited<ReturnType<typeof distribution>>>();
  const latencySection: Section = {
    title: "Latency distributions",
    intro: "Successful profiling requests only. Percentiles are exact (DuckDB quantile_cont).",
    charts: [],
  };
  const pctRows: string[][] = [];
  for (const m of LATENCY_METRICS) {
    if (!info.columns.has(m.tag)) continue;
    const d = await distribution(q, m.tag);
    dists.set(m.tag, d);
    if (!d) continue;
    latencySection.charts.push(histogramChart(m, d, sloFor(m.tag)), cdfChart(m, d, sloFor(m.tag)));
    pctRows.push([m.name, ...[0.5, 0.9, 0.95, 0.99].map((p) => ms(quantileAt(d, p))), ms(d.min), ms(d.max)]);
  }
  latencySection.tables = pctRows.length > 0 ? [{ columns: ["metric", "p50", "p90", "p95", "p99", "min", "max"], rows: pctRows }] : [];

  // Over time.
  const sliceS = typeof cfg.sliceDuration === "number" ? cfg.sliceDuration : undefined;
  const timeSection: Section = { title: "Over the run", charts: [] };
  const charts = timeSection.charts;
  if (totals.requests > 0) {
    const ts = await timeSeries(q, totals, info.columns, good, sliceS);
    if (dists.get("time_to_first_token"))
      charts.push(percentileOverTimeChart("ttft-over-time", "TTFT", ts, ts.ttftP50, ts.ttftP99, sloFor("time_to_first_token")));
    if (dists.get("inter_token_latency")) charts.push(percentileOverTimeChart("itl-over-time", "ITL", ts, ts.itlP50, ts.itlP99, sloFor("inter_token_latency")));
    charts.push(throughputOverTimeChart(ts), requestRateOverTimeChart(ts), inFlightChart(ts), scatterChart(await latencyScatter(q, totals)));
  }

  // Errors.
  const errors = await errorBreakdown(q);
  const errorSection: Section = {
    title: "Errors",
    intro: errors.length === 0 ? "No request failed." : "Messages as the server sent them (shown as text).",
    charts: errors.length > 0 ? [errorChart(errors)] : [],
    tables:
      errors.length > 0
        ? [
            {
              columns: ["error", "code", "requests", "example message"],
              rows: errors.map((e) => [e.type, e.code === null ? "" : String(e.code), String(e.count), e.message]),
            },
          ]
        : [],
  };

  // Sequence lengths.
  const seqSection: Section = { title: "Input and output lengths", charts: [] };
  for (const [tag, id, label] of [
    ["input_tokens", "isl", "Input sequence length"],
    ["output_tokens", "osl", "Output sequence length"],
  ] as const) {
    if (!info.columns.has(tag)) continue;
    const d = await distribution(q, tag, { integer: true });
    if (d) seqSection.charts.push(histogramChart({ tag, id, name: label, unit: "tokens" }, d, undefined, true));
  }

  // Server and GPU metrics, when the run collected them.
  const teleSection = await serverSideSection(q, info.tables, totals, sliceS);

  const durationNs = Math.max(1, totals.endNs - totals.startNs);
  const perSec = (x: number) => `${shortNumber((x * 1e9) / durationNs)}/s`;
  const stats: [string, string][] = [
    ["requests (profiling)", String(totals.requests)],
    ["failed", String(totals.requests - totals.ok)],
    ["duration", fmtS(durationNs)],
    ["request throughput", perSec(totals.ok)],
    ["output tokens", perSec(totals.outputTokens)],
  ];
  const ttft = dists.get("time_to_first_token");
  const itl = dists.get("inter_token_latency");
  if (ttft) stats.push(["TTFT p50 / p99", `${shortNumber(quantileAt(ttft, 0.5))} / ${ms(quantileAt(ttft, 0.99))}`]);
  if (itl) stats.push(["ITL p50 / p99", `${shortNumber(quantileAt(itl, 0.5))} / ${ms(quantileAt(itl, 0.99))}`]);
  if (totals.good !== null) {
    stats.push(["goodput", perSec(totals.good)]);
    stats.push(["met every SLO", `${shortNumber(totals.requests > 0 ? (100 * totals.good) / totals.requests : 0)}%`]);
  }
  const urls = Array.isArray(cfg.urls) ? cfg.urls.map(String) : [];
  const subtitle = [
    `${String(cfg.model ?? "model not recorded")} · ${urls.join(", ") || "URL not recorded"} · ${loadText(cfg)}${cfg.streaming === false ? " · not streaming (no TTFT/ITL)" : ""}`,
    `run ${info.runId} on ${info.host}, llmbench ${info.toolVersion}`,
  ];
  if (slos.length > 0) subtitle.push(`SLOs: ${slos.map((s) => `${s.tag} ${s.op} ${s.displayValue}`).join(", ")}`);
  return {
    title: `llmbench report: ${name}`,
    subtitle,
    stats,
    sections: [latencySection, timeSection, errorSection, seqSection, teleSection].filter(
      (s) => s.charts.length > 0 || (s.tables?.length ?? 0) > 0 || s.title === "Errors",
    ),
    notes,
  };
}
