// profile_export_aiperf.csv in AIPerf 0.6.0's two-section layout, as Python's csv.writer writes it
// (CRLF line ends, minimal quoting). Section 1: metrics with percentiles, one column per statistic
// (with 0.6.0's `sum` column); a blank row; section 2: single-valued metrics. Rows sorted by tag.
// Every value is a Python float in AIPerf (counts too), hence `.2f` everywhere: `Request Count,200.00`.
import type { MetricResult, Summary } from "../metrics/summary.ts";
import { percentileList } from "../metrics/summary.ts";
import { formatFixed2 } from "./py-format.ts";

const CRLF = "\r\n";

/** Python csv QUOTE_MINIMAL: quote fields holding the delimiter, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (cells: readonly string[]) => cells.map(csvField).join(",") + CRLF;

/** "Header (unit)", without the unit for count-like units (AIPerf's _format_metric_name). */
export function csvMetricName(m: Pick<MetricResult, "header" | "unit">): string {
  return ["count", "requests"].includes(m.unit.toLowerCase()) ? m.header : `${m.header} (${m.unit})`;
}

const num = (v: number | null | undefined): string => (v === null || v === undefined ? "" : formatFixed2(v));

const byTag = (a: MetricResult, b: MetricResult) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);

export function profileExportCsv(summary: Summary): string {
  const withPercentiles = summary.metrics.filter((m) => m.percentiles.length > 0).sort(byTag);
  const single = summary.metrics.filter((m) => m.percentiles.length === 0).sort(byTag);
  // Percentile columns: the union over metrics (all share one list), falling back to the defaults.
  const keys = withPercentiles[0]?.percentiles.map((p) => p.key) ?? percentileList().map((p) => `p${p}`);
  let out = "";
  if (withPercentiles.length > 0) {
    out += row(["Metric", "avg", "min", "max", "sum", ...keys, "std"]);
    for (const m of withPercentiles) {
      const pct = new Map(m.percentiles.map((p) => [p.key, p.value]));
      out += row([csvMetricName(m), num(m.avg), num(m.min), num(m.max), num(m.sum), ...keys.map((k) => num(pct.get(k))), num(m.std)]);
    }
    if (single.length > 0) out += CRLF;
  }
  if (single.length > 0) {
    out += row(["Metric", "Value"]);
    for (const m of single) out += row([csvMetricName(m), num(m.avg)]);
  }
  return out;
}
