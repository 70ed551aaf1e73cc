// The end of a run: statistics from the stored records, then AIPerf's export files. Each file is
// written whole or not at all, and a failed write (disk full) is one line, never a crash.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProfileConfig } from "../config/profile-config.ts";
import { redactedConfig } from "../config/profile-config.ts";
import type { GpuTelemetryResults } from "../metrics/gpu-telemetry.ts";
import type { RecordOptions } from "../metrics/record-values.ts";
import { scheduleJson, type ScheduleReport } from "../metrics/schedule-report.ts";
import type { Summary } from "../metrics/summary.ts";
import type { ServerMetricsResults } from "../metrics/server-metric-names.ts";
import { profileExportCsv } from "../report/profile-csv.ts";
import { gpuTelemetryJson, serverSideJsonSections } from "../report/gpu-telemetry-report.ts";
import { serverMetricsCsv } from "../report/server-metrics-csv.ts";
import { serverMetricsExportJson } from "../report/server-metrics-report.ts";
import { profileExportJson, type RunInfo } from "../report/profile-json.ts";
import { type SliceExtraStat, timeslicesCsv, timeslicesJson } from "../report/timeslices-export.ts";
import type { ResultsWriter } from "../store/results-db.ts";
import type { RunCounts } from "../store/schedule-db.ts";
import { VERSION } from "../version.ts";
import { exportNames } from "../config/aiperf-export-names.ts";
import { LineWriter } from "../store/line-writer.ts";
import type { OutcomeCounts } from "./exit-code.ts";
import type { SweepTag } from "./run-load-columns.ts";

export interface RunResults {
  summary: Summary;
  /** Open-loop runs and runs where requests queued for a slot: how well the schedule was kept. */
  schedule: ScheduleReport | null;
  counts: OutcomeCounts;
  /** `startNs`: the slice's bucket start (epoch ns); `extra`: its server metrics and GPU power. */
  perSlice: { index: number; startNs?: number; summary: Summary; extra?: Record<string, SliceExtraStat> }[];
  /** The server's Prometheus metrics over the profiling window (absent when none were scraped). */
  serverMetrics?: ServerMetricsResults;
  /** GPU telemetry and energy over the profiling window (absent when no exporter or nvidia-smi answered). */
  gpuTelemetry?: GpuTelemetryResults;
}

export interface ResultsInputs {
  cfg: ProfileConfig;
  recordOpts: RecordOptions;
  requestedRatePerSec: number | null;
  /** New requests were held while storing or counting results caught up (RecordFanout.holds, SharedState.countHolds, SharedState.receiveHolds). */
  storageHeld?: boolean;
}

/** The exit code's counts: cancellations on purpose (--request-cancellation-rate) are not failures. */
function outcomeCounts(c: RunCounts, plannedCancellation: boolean): OutcomeCounts {
  return { total: c.profiling, succeeded: c.successful, failed: plannedCancellation ? c.failed - c.cancelled : c.failed };
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

/** Where statistics come from: a run's writer, or a merged run's file (store/merge-db.ts). */
export type ResultsSource = Pick<ResultsWriter, "counts" | "summary" | "scheduleReport" | "sliceSummaries">;

/** Statistics of the run from the stored records, in SQL (no record is read into memory); the per-slice HDR histograms go into the results file. */
export async function computeResults(writer: ResultsSource, o: ResultsInputs): Promise<RunResults> {
  const { cfg, recordOpts } = o;
  const summaryOpts = { ...recordOpts, percentiles: cfg.extraPercentiles };
  const counts = await writer.counts();
  const timed = recordOpts.timed === true;
  const scheduleOpts = {
    requestedRatePerSec: o.requestedRatePerSec,
    streaming: cfg.streaming,
    // A user-centric schedule is open loop like a rate.
    mode: cfg.load.kind === "concurrency" ? "closed" : cfg.load.kind === "user_centric" ? "rate" : cfg.load.kind,
    prefillCap: cfg.prefillConcurrency !== undefined,
    storageHeld: o.storageHeld === true,
  } as const;
  const slices = cfg.sliceDuration === undefined ? [] : await writer.sliceSummaries(summaryOpts, Math.round(cfg.sliceDuration * 1e9));
  return {
    summary: await writer.summary(summaryOpts),
    schedule: timed || counts.queued > 0 ? await writer.scheduleReport(scheduleOpts) : null,
    counts: outcomeCounts(counts, cfg.cancellation !== null),
    perSlice: slices.map((sl) => ({ index: sl.index, startNs: sl.startNs, summary: sl.summary })),
  };
}
export interface ExportMeta {
  runId: string;
  cancelled: boolean;
  startNs: number;
  endNs: number;
  /** The sweep/search point and repeat this run is, if any (run_info). */
  sweep?: SweepTag;
}

/** AIPerf's run_info for this run: a point of a sweep is a variation, a repeat of it a trial. */
export function runInfo(cfg: Pick<ProfileConfig, "randomSeed">, meta: Pick<ExportMeta, "runId" | "sweep">): RunInfo {
  const trial = (meta.sweep?.repeat ?? 1) - 1;
  return {
    benchmarkId: meta.runId,
    sweepId: meta.sweep?.sweepId ?? null,
    randomSeed: cfg.randomSeed,
    trial,
    runLabel: `run_${String(trial + 1).padStart(4, "0")}`,
    variationLabel: meta.sweep === undefined ? "base" : `point_${meta.sweep.point}`,
    variationIndex: meta.sweep === undefined ? 0 : meta.sweep.point - 1,
    variationValues: {},
    cliCommand: null,
  };
}

/**
 * The per-request JSONL (AIPerf's records level, the default), named after --profile-export-prefix; null
 * with --export-level summary, which writes the summary files only.
 */
export function openRecordsJsonl(
  dir: string,
  cfg: Pick<ProfileConfig, "exportLevel" | "profileExportPrefix">,
  onError: (e: Error, path: string) => void,
): LineWriter | null {
  if (cfg.exportLevel === "summary") return null;
  return new LineWriter(join(dir, exportNames(cfg.profileExportPrefix).recordsJsonl), onError);
}

/** Writes the AIPerf summary files; returns one line per file that could not be written. */
export function writeExports(dir: string, cfg: ProfileConfig, r: RunResults, meta: ExportMeta): string[] {
  const names = exportNames(cfg.profileExportPrefix);
  const files: [string, () => string][] = [
    [names.summaryCsv, () => profileExportCsv(r.summary)],
    [
      names.summaryJson,
      () =>
        profileExportJson(r.summary, {
          toolVersion: VERSION,
          benchmarkId: meta.runId,
          inputConfig: redactedConfig(cfg),
          wasCancelled: meta.cancelled,
          startNs: meta.startNs,
          endNs: meta.endNs,
          schedule: r.schedule === null ? undefined : scheduleJson(r.schedule),
          runInfo: runInfo(cfg, meta),
          extra: serverSideJsonSections(r.serverMetrics, r.gpuTelemetry),
        }),
    ],
  ];
  const sm = r.serverMetrics;
  if (sm !== undefined) {
    // AIPerf's default server-metrics formats: JSON and CSV.
    files.push([
      "server_metrics_export.json",
      () => serverMetricsExportJson(sm, { toolVersion: VERSION, runId: meta.runId, inputConfig: redactedConfig(cfg) }),
    ]);
    files.push(["server_metrics_export.csv", () => serverMetricsCsv(sm.export, { toolVersion: VERSION, runId: meta.runId })]);
  }
  const gpu = r.gpuTelemetry;
  if (gpu !== undefined) files.push(["gpu_telemetry_export.json", () => gpuTelemetryJson(gpu, { toolVersion: VERSION, runId: meta.runId })]);
  if (r.perSlice.length > 0) {
    files.push([names.timeslicesCsv, () => timeslicesCsv(r.perSlice)]);
    files.push([names.timeslicesJson, () => timeslicesJson(r.perSlice, redactedConfig(cfg))]);
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
