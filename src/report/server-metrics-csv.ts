// server_metrics_export.csv in AIPerf's layout: `#` metadata lines, then one section per metric type
// (gauge, counter, histogram; a blank line between), each with its own header: Endpoint, Type, Metric,
// Unit, the type's statistics, one column per label key, Description (and the bucket deltas for
// histograms). Integers print whole, other numbers with 4 decimals, missing ones empty.
import type { ExportMetric, ServerMetricsExport } from "../metrics/server-metrics-summary.ts";

const STAT_KEYS: Record<"gauge" | "counter" | "histogram", readonly string[]> = {
  gauge: ["avg", "min", "max", "std", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"],
  counter: ["total", "rate", "rate_avg", "rate_min", "rate_max", "rate_std"],
  histogram: [
    "count",
    "count_rate",
    "sum",
    "sum_rate",
    "avg",
    "p1_estimate",
    "p5_estimate",
    "p10_estimate",
    "p25_estimate",
    "p50_estimate",
    "p75_estimate",
    "p90_estimate",
    "p95_estimate",
    "p99_estimate",
  ],
};

/** The type's section; untyped metrics sit with the gauges (their statistics are a gauge's). */
const SECTION: Record<ExportMetric["type"], keyof typeof STAT_KEYS | null> = {
  gauge: "gauge",
  unknown: "gauge",
  counter: "counter",
  histogram: "histogram",
  summary: null,
};

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return "";
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** "http://host:8000/metrics" -> "host:8000" (the path shown only when it is not /metrics). */
export function endpointDisplay(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === "/metrics" ? u.host : `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

interface Row {
  endpoint: string;
  type: ExportMetric["type"];
  metric: string;
  unit: string;
  stats: Record<string, number>;
  labels: Record<string, string>;
  description: string;
  buckets?: Record<string, number>;
}

export function serverMetricsCsv(exp: ServerMetricsExport, meta: { toolVersion: string; runId: string }): string {
  const sections = new Map<keyof typeof STAT_KEYS, Row[]>();
  for (const [metric, m] of Object.entries(exp.metrics)) {
    const section = SECTION[m.type];
    if (section === null) continue;
    for (const s of m.series) {
      const rows = sections.get(section) ?? [];
      rows.push({
        endpoint: endpointDisplay(s.endpoint_url),
        type: m.type,
        metric,
        unit: m.unit ?? "",
        stats: s.stats,
        labels: s.labels ?? {},
        description: m.description ?? "",
        buckets: s.buckets,
      });
      sections.set(section, rows);
    }
  }
  const lines = [
    "# AIPerf Server Metrics Export (CSV)",
    `# aiperf_version: ${meta.toolVersion}`,
    "# schema_version: 1.0",
    `# benchmark_id: ${meta.runId}`,
    "#",
  ];
  let first = true;
  for (const section of ["gauge", "counter", "histogram"] as const) {
    const rows = sections.get(section);
    if (rows === undefined) continue;
    if (!first) lines.push("");
    first = false;
    const labelKeys = [...new Set(rows.flatMap((r) => Object.keys(r.labels)))].sort();
    const header = ["Endpoint", "Type", "Metric", "Unit", ...STAT_KEYS[section], ...labelKeys, "Description"];
    if (section === "histogram") header.push("buckets");
    lines.push(header.map(field).join(","));
    rows.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.endpoint.localeCompare(b.endpoint)));
    for (const r of rows) {
      const cells = [
        r.endpoint,
        r.type,
        r.metric,
        r.unit,
        ...STAT_KEYS[section].map((k) => num(r.stats[k])),
        ...labelKeys.map((k) => r.labels[k] ?? ""),
        r.description,
      ];
      if (section === "histogram")
        cells.push(
          Object.entries(r.buckets ?? {})
            .map(([le, n]) => `${le}=${num(n)}`)
            .join(";"),
        );
      lines.push(cells.map(field).join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}
