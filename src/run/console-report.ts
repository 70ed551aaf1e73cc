// What the profile command prints on stdout when the run ends: AIPerf's metrics table (fitted to the
// terminal), the error summary (grouped), the schedule lines, and where the artifacts are.
import { join } from "node:path";
import { scheduleLines } from "../metrics/schedule-report.ts";
import { nsToSec } from "../metrics/units.ts";
import { consoleTable } from "../report/console-table.ts";
import { groupErrors } from "../report/error-groups.ts";
import { formatFixed2 } from "../report/py-format.ts";
import { gpuTelemetryLines } from "../report/gpu-telemetry-report.ts";
import { serverMetricsLines } from "../report/server-metrics-report.ts";
import type { RunResults } from "./exports.ts";
import { exportNames } from "../config/aiperf-export-names.ts";

/** What the report needs of a finished run. */
export interface ReportInput {
  results: RunResults;
  dir: string;
  dbPath: string;
  interrupted: boolean;
  abortedOnFailures: boolean;
}

export interface ConsoleReportOptions {
  /** --failed-request-threshold. */
  threshold: number | undefined;
  /** Columns of the terminal (see runtime/terminal-width.ts). */
  width: number;
  /** --percentiles values, shown beside AIPerf's. */
  extraPercentiles: readonly number[];
  /** --export-level (summary: no records file) and --profile-export-prefix: the files listed. */
  exportLevel?: "summary" | "records";
  profileExportPrefix?: string;
}

/** `text` cut to `width` columns, ending with "…" when cut. */
function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The error summary: one line per kind of error (ids and numbers in messages masked), largest first. */
export function errorLines(errors: RunResults["summary"]["errorSummary"], width: number): string[] {
  if (errors.length === 0) return [];
  const { shown, moreKinds, moreRequests } = groupErrors(errors);
  const lines = ["Errors:"];
  for (const g of shown) lines.push(fit(`  ${g.count} x ${g.type} (${g.code}): ${g.example}`, width));
  if (moreKinds > 0)
    lines.push(
      `  ${moreKinds} more kind${moreKinds === 1 ? "" : "s"} (${moreRequests} request${moreRequests === 1 ? "" : "s"}); all in profile_export_aiperf.json`,
    );
  return lines;
}

export function consoleReport(out: ReportInput, o: ConsoleReportOptions): string {
  const lines: string[] = [];
  const { summary } = out.results;
  if (out.results.counts.succeeded === 0 && out.results.counts.total > 0) {
    lines.push(`All ${out.results.counts.total} profiling requests failed; nothing was measured.`);
  } else if (out.results.counts.total === 0) {
    lines.push("No profiling request finished; nothing was measured.");
  } else {
    lines.push(consoleTable(summary, { width: o.width, extraPercentiles: o.extraPercentiles }));
  }
  lines.push(...errorLines(summary.errorSummary, o.width));
  if (out.results.schedule !== null) lines.push(...scheduleLines(out.results.schedule));
  if (out.results.serverMetrics !== undefined) lines.push(...serverMetricsLines(out.results.serverMetrics, o.width));
  if (out.results.gpuTelemetry !== undefined) lines.push(...gpuTelemetryLines(out.results.gpuTelemetry, o.width));
  const dur = summary.benchmarkDurationNs;
  lines.push(`Benchmark Duration: ${dur === null ? "N/A" : formatFixed2(nsToSec(dur))} sec${out.interrupted ? " (cancelled early)" : ""}`);
  const names = exportNames(o.profileExportPrefix);
  lines.push(`CSV Export: ${join(out.dir, names.summaryCsv)}`);
  lines.push(`JSON Export: ${join(out.dir, names.summaryJson)}`);
  if (o.exportLevel !== "summary") lines.push(`Records: ${join(out.dir, names.recordsJsonl)}`);
  if (out.results.serverMetrics !== undefined) lines.push(`Server Metrics: ${join(out.dir, "server_metrics_export.json")}`);
  if (out.results.gpuTelemetry !== undefined) lines.push(`GPU Telemetry: ${join(out.dir, "gpu_telemetry_export.json")}`);
  lines.push(`Results DB: ${out.dbPath}`);
  lines.push(`Log File: ${join(out.dir, "logs", "llmbench.log")}`);
  if (out.interrupted) {
    // AIPerf's sentence; on a terminal narrower than it, one line per sentence.
    const [a, b] = ["The profile run was cancelled early.", "Results shown may be incomplete or inaccurate."];
    if (a.length + 1 + b.length <= o.width) lines.push(`${a} ${b}`);
    else lines.push(a, b);
  }
  if (out.abortedOnFailures) lines.push(`Aborted: more than ${o.threshold} of the requests failed.`);
  return `\n\n${lines.join("\n")}\n`;
}
