// AIPerf's export file names, and --profile-export-prefix: with a prefix "foo" every file is named from
// it (foo.json, foo.csv, foo.jsonl, foo_raw.jsonl, foo_timeslices.csv ...); a known suffix or extension
// on the value is dropped first ("foo_raw.jsonl" -> "foo"), as AIPerf's output config does. Without
// one, AIPerf's historical per-file names.
import { basename } from "node:path";

export interface ExportNames {
  summaryJson: string;
  summaryCsv: string;
  timeslicesJson: string;
  timeslicesCsv: string;
  recordsJsonl: string;
  rawJsonl: string;
  gpuTelemetryJsonl: string;
  serverMetricsJson: string;
  serverMetricsCsv: string;
  serverMetricsJsonl: string;
  serverMetricsParquet: string;
}

export const DEFAULT_EXPORT_NAMES: Readonly<ExportNames> = {
  summaryJson: "profile_export_aiperf.json",
  summaryCsv: "profile_export_aiperf.csv",
  timeslicesJson: "profile_export_aiperf_timeslices.json",
  timeslicesCsv: "profile_export_aiperf_timeslices.csv",
  recordsJsonl: "profile_export.jsonl",
  rawJsonl: "profile_export_raw.jsonl",
  gpuTelemetryJsonl: "gpu_telemetry_export.jsonl",
  serverMetricsJson: "server_metrics_export.json",
  serverMetricsCsv: "server_metrics_export.csv",
  serverMetricsJsonl: "server_metrics_export.jsonl",
  serverMetricsParquet: "server_metrics_export.parquet",
};

// Longest first, so "foo_raw.jsonl" loses "_raw.jsonl", not ".jsonl".
const KNOWN_SUFFIXES = [
  "_server_metrics.parquet",
  "_server_metrics.jsonl",
  "_server_metrics.json",
  "_server_metrics.csv",
  "_gpu_telemetry.jsonl",
  "_timeslices.csv",
  "_timeslices.json",
  "_raw.jsonl",
  ".parquet",
  ".csv",
  ".json",
  ".jsonl",
];

/** The stem files are named from: the prefix's last path part (files stay in the artifact dir) without a known suffix. */
export function exportStem(prefix: string): string {
  const name = basename(prefix);
  const suffix = KNOWN_SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
  return suffix === undefined ? name : name.slice(0, -suffix.length);
}

export function exportNames(prefix: string | undefined): ExportNames {
  if (prefix === undefined) return { ...DEFAULT_EXPORT_NAMES };
  const s = exportStem(prefix);
  return {
    summaryJson: `${s}.json`,
    summaryCsv: `${s}.csv`,
    timeslicesJson: `${s}_timeslices.json`,
    timeslicesCsv: `${s}_timeslices.csv`,
    recordsJsonl: `${s}.jsonl`,
    rawJsonl: `${s}_raw.jsonl`,
    gpuTelemetryJsonl: `${s}_gpu_telemetry.jsonl`,
    serverMetricsJson: `${s}_server_metrics.json`,
    serverMetricsCsv: `${s}_server_metrics.csv`,
    serverMetricsJsonl: `${s}_server_metrics.jsonl`,
    serverMetricsParquet: `${s}_server_metrics.parquet`,
  };
}
