// --show-trace-timing: AIPerf's "HTTP Trace Timing" table, printed after the summary: the http_req_*
// metrics (pool wait, connect, send, TTFB, receive, duration, bytes, reuse) in AIPerf's display order.
import type { ProfileConfig } from "../config/profile-config.ts";
import { hasFlag, metricSpec, type MetricTag } from "../metrics/metric-table.ts";
import type { Summary } from "../metrics/summary.ts";
import { consoleTable } from "../report/console-table.ts";

const TITLE = "llmbench | HTTP Trace Timing";

const order = (tag: MetricTag): number => metricSpec(tag).displayOrder ?? Number.MAX_SAFE_INTEGER;

/** The table (fitted to `width` columns), or a line saying there is none. */
export function traceTimingReport(summary: Summary, cfg: Pick<ProfileConfig, "extraPercentiles" | "transport">, width: number): string {
  const rows = summary.metrics.filter((m) => hasFlag(metricSpec(m.tag), "http-trace")).sort((a, b) => order(a.tag) - order(b.tag));
  if (rows.length === 0) return "HTTP Trace Timing: no successful request carried an HTTP trace.\n";
  const table = consoleTable(summary, { title: TITLE, rows, width, extraPercentiles: cfg.extraPercentiles });
  if (cfg.transport !== "fetch") return table;
  return `${table}The fetch transport sees only the response body's reads: blocked, connecting, sending, waiting and duration need --transport http.\n`;
}
