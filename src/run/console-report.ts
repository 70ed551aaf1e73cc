// What the profile command prints on stdout when the run ends: AIPerf's metrics table, the error
// summary, the schedule lines, and where the artifacts are.
import { join } from "node:path";
import { scheduleLines } from "../metrics/schedule-report.ts";
import { nsToSec } from "../metrics/units.ts";
import { consoleTable } from "../report/console-table.ts";
import { formatFixed2 } from "../report/py-format.ts";
import type { RunResults } from "./exports.ts";

/** What the report needs of a finished run. */
export interface ReportInput {
  results: RunResults;
  dir: string;
  dbPath: string;
  interrupted: boolean;
  abortedOnFailures: boolean;
}

export function consoleReport(out: ReportInput, threshold: number | undefined): string {
  const lines: string[] = [];
  const { summary } = out.results;
  if (out.results.counts.succeeded === 0 && out.results.counts.total > 0) {
    lines.push(`All ${out.results.counts.total} profiling requests failed; nothing was measured.`);
  } else if (out.results.counts.total === 0) {
    lines.push("No profiling request finished; nothing was measured.");
  } else {
    lines.push(consoleTable(summary));
  }
  if (summary.errorSummary.length > 0) {
    lines.push("Errors:");
    for (const e of summary.errorSummary) lines.push(`  ${e.count} x ${e.error.type ?? "error"} (${e.error.code ?? "-"}): ${e.error.message}`);
  }
  if (out.results.schedule !== null) lines.push(...scheduleLines(out.results.schedule));
  const dur = summary.benchmarkDurationNs;
  lines.push(`Benchmark Duration: ${dur === null ? "N/A" : formatFixed2(nsToSec(dur))} sec${out.interrupted ? " (cancelled early)" : ""}`);
  lines.push(`CSV Export: ${join(out.dir, "profile_export_aiperf.csv")}`);
  lines.push(`JSON Export: ${join(out.dir, "profile_export_aiperf.json")}`);
  lines.push(`Records: ${join(out.dir, "profile_export.jsonl")}`);
  lines.push(`Results DB: ${out.dbPath}`);
  lines.push(`Log File: ${join(out.dir, "logs", "llmbench.log")}`);
  if (out.interrupted) lines.push("The profile run was cancelled early. Results shown may be incomplete or inaccurate.");
  if (out.abortedOnFailures) lines.push(`Aborted: more than ${threshold} of the requests failed.`);
  return `\n\n${lines.join("\n")}\n`;
}
