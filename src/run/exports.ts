// The end of a run: statistics from the stored records, then AIPerf's export files. Each file is
// written whole or not at all, and a failed write (disk full) is one line, never a crash.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProfileConfig } from "../config/profile-config.ts";
import { redactedConfig } from "../config/profile-config.ts";
import type { RecordOptions } from "../metrics/record-values.ts";
import { scheduleJson, scheduleReport, type ScheduleReport } from "../metrics/schedule-report.ts";
import { sliceHistograms } from "../metrics/slice-histograms.ts";
import { summarize, type Summary } from "../metrics/summary.ts";
import { sliceRecords } from "../metrics/timeslices.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { profileExportCsv } from "../report/profile-csv.ts";
import { profileExportJson } from "../report/profile-json.ts";
import { timeslicesCsv, timeslicesJson } from "../report/timeslices-export.ts";
import type { ResultsWriter } from "../store/results-db.ts";
import { VERSION } from "../version.ts";
import type { OutcomeCounts } from "./exit-code.ts";

export interface RunResults {
  summary: Summary;
  /** Open-loop runs and runs where requests queued for a slot: how well the schedule was kept. */
  schedule: ScheduleReport | null;
  counts: OutcomeCounts;
  perSlice: { index: number; summary: Summary }[];
}

export interface ResultsInputs {
  cfg: ProfileConfig;
  recordOpts: RecordOptions;
  requestedRatePerSec: number | null;
}

function outcomeCounts(records: readonly RequestRecord[], plannedCancellation: boolean): OutcomeCounts {
  let total = 0;
  let succeeded = 0;
  let failed = 0;
  for (const r of records) {
    if (r.phase !== "profiling") continue;
    total++;
    if (r.error === null && !r.cancelled) succeeded++;
    else if (!(r.cancelled && plannedCancellation)) failed++;
  }
  return { total, succeeded, failed };
}

/** The results of a run whose records could not be read back. */
export function emptyResults(): RunResults {
  return {
    summary: { metrics: [], errorSummary: [], benchmarkDurationNs: null, recordCount: 0 },
    schedule: null,
    counts: { total: 0, succeeded: 0, failed: 0 },
    perSlice: [],
  };
}

/** Statistics of the run, and the per-slice HDR histograms stored into the results file. */
export async function computeResults(writer: ResultsWriter, o: ResultsInputs): Promise<RunResults> {
  const records = await writer.readRecords();
  const { cfg, recordOpts } = o;
  const sliceNs = cfg.sliceDuration === undefined ? null : Math.round(cfg.sliceDuration * 1e9);
  const slices = sliceNs === null ? [] : sliceRecords(records, sliceNs);
  if (slices.length > 0) await writer.appendSlices(sliceHistograms(slices, recordOpts));
  const summaryOpts = { ...recordOpts, percentiles: cfg.extraPercentiles };
  const timed = recordOpts.timed === true;
  const mode = cfg.load.kind === "concurrency" ? "closed" : cfg.load.kind;
  const scheduleOpts = {
    requestedRatePerSec: o.requestedRatePerSec,
    streaming: cfg.streaming,
    mode,
    prefillCap: cfg.prefillConcurrency !== undefined,
  } as const;
  return {
    summary: summarize(records, summaryOpts),
    schedule: timed || records.some((r) => r.queue_ns > 0) ? scheduleReport(records, scheduleOpts) : null,
    counts: outcomeCounts(records, cfg.cancellation !== null),
    perSlice: slices.map((sl) => ({ index: sl.index, summary: summarize(sl.records, summaryOpts) })),
  };
}

export interface ExportMeta {
  runId: string;
  cancelled: boolean;
  startNs: number;
  endNs: number;
}

/** Writes the AIPerf summary files; returns one line per file that could not be written. */
export function writeExports(dir: string, cfg: ProfileConfig, r: RunResults, meta: ExportMeta): string[] {
  const files: [string, () => string][] = [
    ["profile_export_aiperf.csv", () => profileExportCsv(r.summary)],
    [
      "profile_export_aiperf.json",
      () =>
        profileExportJson(r.summary, {
          toolVersion: VERSION,
          benchmarkId: meta.runId,
          inputConfig: redactedConfig(cfg),
          wasCancelled: meta.cancelled,
          startNs: meta.startNs,
          endNs: meta.endNs,
          schedule: r.schedule === null ? undefined : scheduleJson(r.schedule),
        }),
    ],
  ];
  if (r.perSlice.length > 0) {
    files.push(["profile_export_aiperf_timeslices.csv", () => timeslicesCsv(r.perSlice)]);
    files.push(["profile_export_aiperf_timeslices.json", () => timeslicesJson(r.perSlice, redactedConfig(cfg))]);
  }
  const problems: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    try {
      writeFileSync(path, text());
    } catch (e) {
      problems.push(`cannot write ${path}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  }
  return problems;
}
