import { describe, expect, test } from "bun:test";
import { DEFAULT_EXPORT_NAMES, exportNames, exportStem } from "../../../src/config/aiperf-export-names.ts";

describe("--profile-export-prefix", () => {
  const cases: [string, string][] = [
    ["foo", "foo"],
    ["foo.json", "foo"],
    ["foo.jsonl", "foo"],
    ["foo.csv", "foo"],
    ["foo_raw.jsonl", "foo"],
    ["foo_timeslices.csv", "foo"],
    ["foo_server_metrics.parquet", "foo"],
    ["foo_gpu_telemetry.jsonl", "foo"],
    ["foo.bar", "foo.bar"],
    ["/abs/dir/foo.json", "foo"],
    [".json", ".json"],
  ];
  test.each(cases)("%s -> stem %s", (prefix, stem) => expect(exportStem(prefix)).toBe(stem));

  test("every file is named from the stem", () => {
    expect(exportNames("run1.json")).toEqual({
      summaryJson: "run1.json",
      summaryCsv: "run1.csv",
      timeslicesJson: "run1_timeslices.json",
      timeslicesCsv: "run1_timeslices.csv",
      recordsJsonl: "run1.jsonl",
      rawJsonl: "run1_raw.jsonl",
      gpuTelemetryJsonl: "run1_gpu_telemetry.jsonl",
      serverMetricsJson: "run1_server_metrics.json",
      serverMetricsCsv: "run1_server_metrics.csv",
      serverMetricsJsonl: "run1_server_metrics.jsonl",
      serverMetricsParquet: "run1_server_metrics.parquet",
    });
  });

  test("without a prefix, AIPerf's historical names", () => {
    expect(exportNames(undefined)).toEqual({ ...DEFAULT_EXPORT_NAMES });
    expect(DEFAULT_EXPORT_NAMES.summaryJson).toBe("profile_export_aiperf.json");
    expect(DEFAULT_EXPORT_NAMES.recordsJsonl).toBe("profile_export.jsonl");
  });
});
