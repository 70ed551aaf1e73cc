// The report's "Server and GPU metrics" section: which charts a run's scrapes give. Files from before
// the scrapers (no server_metrics / gpu_telemetry table) simply get none.
import type { Section } from "./report-html.ts";
import { bucketNs, type RunTotals } from "./run-data.ts";
import { overTimeChart, type OverTimeView, serverHistogramChart } from "./server-side-charts.ts";
import { GPU_UTIL, gpuOverTime, POWER, serverGaugeOverTime, serverHistogramOverTime } from "./server-side-data.ts";
import type { Query } from "./sql.ts";

const GAUGES: readonly [key: string, view: OverTimeView][] = [
  ["running_requests", { id: "server-running", title: "Running requests (server)", yLabel: "running requests", what: "mean of the scrapes" }],
  ["waiting_requests", { id: "server-waiting", title: "Waiting requests (server)", yLabel: "waiting requests", what: "mean of the scrapes" }],
  ["kv_cache_usage", { id: "server-kv-cache", title: "KV-cache usage (server)", yLabel: "KV-cache usage (%)", what: "mean of the scrapes", percent: true }],
];

const HISTOGRAMS: readonly [key: string, id: string, name: string][] = [
  ["server_ttft", "server-ttft-over-time", "Server TTFT"],
  ["server_queue_time", "server-queue-time-over-time", "Server queue time"],
];

const GPUS: readonly [metric: string, view: OverTimeView][] = [
  [POWER, { id: "gpu-power", title: "GPU power", yLabel: "power (W)", what: "mean reading" }],
  [GPU_UTIL, { id: "gpu-utilization", title: "GPU utilization", yLabel: "utilization (%)", what: "mean reading", percent: true }],
];

export async function serverSideSection(q: Query, tables: ReadonlySet<string>, totals: RunTotals, sliceSeconds?: number): Promise<Section> {
  const section: Section = { title: "Server and GPU metrics", charts: [] };
  if (totals.requests === 0) return section;
  const B = bucketNs(totals.endNs - totals.startNs, sliceSeconds);
  if (tables.has("server_metrics")) {
    for (const [key, view] of GAUGES) {
      const o = await serverGaugeOverTime(q, totals, key, B);
      if (o) section.charts.push(overTimeChart(view, o));
    }
    for (const [key, id, name] of HISTOGRAMS) {
      const h = await serverHistogramOverTime(q, totals, key, B);
      if (h) section.charts.push(serverHistogramChart(id, name, h));
    }
  }
  if (tables.has("gpu_telemetry")) {
    for (const [metric, view] of GPUS) {
      const o = await gpuOverTime(q, totals, metric, B);
      if (o) section.charts.push(overTimeChart(view, o));
    }
  }
  if (section.charts.length > 0)
    section.intro = "Profiling-phase scrapes of the server's /metrics and the GPUs' telemetry (docs/server-metrics.md), in the request charts' time slices.";
  return section;
}
