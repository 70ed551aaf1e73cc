import { describe, expect, test } from "bun:test";
import type { MetricResult, Summary } from "../../../src/metrics/summary.ts";
import { naiveLocalIso, profileExportJson } from "../../../src/report/profile-json.ts";

const pcts = (v: number) => [1, 5, 10, 25, 50, 75, 90, 95, 99].map((p) => ({ p, key: `p${p}`, value: v }));
const record = (tag: MetricResult["tag"], header: string, unit: MetricResult["unit"], v: number): MetricResult => ({
  tag,
  header,
  unit,
  kind: "record",
  avg: v,
  min: v,
  max: v,
  sum: v,
  std: 0,
  percentiles: pcts(v),
  count: 1,
});
const single = (tag: MetricResult["tag"], header: string, unit: MetricResult["unit"], v: number): MetricResult => ({
  tag,
  header,
  unit,
  kind: "aggregate",
  avg: v,
  min: null,
  max: null,
  sum: null,
  std: null,
  percentiles: [],
  count: 1,
});

const summary: Summary = {
  // deliberately not in export order: the writer orders keys itself
  metrics: [
    record("time_to_first_output_token", "Time to First Output Token", "ms", 12.5),
    single("request_count", "Request Count", "requests", 200),
    record("request_latency", "Request Latency", "ms", 1e-7),
  ],
  errorSummary: [{ error: { code: 499, type: "RequestCancellationError", message: "Request was cancelled after 0.000 seconds" }, count: 81 }],
  benchmarkDurationNs: 1,
  recordCount: 281,
};

describe("profile_export_aiperf.json", () => {
  test("declared keys in AIPerf's order, then config/status and run_info, then undeclared metrics; count and sum on record metrics only; floats keep .0; no trailing newline", () => {
    const text = profileExportJson(summary, {
      toolVersion: "0.1.0",
      benchmarkId: "b-1",
      inputConfig: { endpoint: { streaming: true }, cli_command: "llmbench profile" },
      wasCancelled: true,
      startNs: 1_760_994_128_939_332_000,
      endNs: null,
      utcOffsetMinutes: () => 0,
      runInfo: {
        benchmarkId: "b-1",
        sweepId: "s-1",
        randomSeed: 7,
        trial: 1,
        runLabel: "run_0002",
        variationLabel: "point_3",
        variationIndex: 2,
        variationValues: {},
        cliCommand: null,
      },
    });
    const p = (v: string) => ["p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"].map((k) => `    "${k}": ${v},`);
    expect(text).toBe(
      [
        "{",
        '  "schema_version": "1.5",',
        '  "aiperf_version": "0.1.0",',
        '  "benchmark_id": "b-1",',
        '  "request_latency": {',
        '    "unit": "ms",',
        '    "avg": 1e-7,',
        ...p("1e-7"),
        '    "min": 1e-7,',
        '    "max": 1e-7,',
        '    "std": 0.0,',
        '    "count": 1,',
        '    "sum": 1e-7',
        "  },",
        '  "request_count": {',
        '    "unit": "requests",',
        '    "avg": 200.0',
        "  },",
        '  "input_config": {',
        '    "endpoint": {',
        '      "streaming": true',
        "    },",
        '    "cli_command": "llmbench profile"',
        "  },",
        '  "was_cancelled": true,',
        '  "error_summary": [',
        "    {",
        '      "error_details": {',
        '        "code": 499,',
        '        "type": "RequestCancellationError",',
        '        "message": "Request was cancelled after 0.000 seconds"',
        "      },",
        '      "count": 81',
        "    }",
        "  ],",
        '  "start_time": "2025-10-20T21:02:08.939332",',
        '  "run_info": {',
        '    "benchmark_id": "b-1",',
        '    "sweep_id": "s-1",',
        '    "random_seed": 7,',
        '    "trial": 1,',
        '    "run_label": "run_0002",',
        '    "variation_label": "point_3",',
        '    "variation_index": 2,',
        '    "variation_values": {}',
        "  },",
        '  "time_to_first_output_token": {',
        '    "unit": "ms",',
        '    "avg": 12.5,',
        ...p("12.5"),
        '    "min": 12.5,',
        '    "max": 12.5,',
        '    "std": 0.0,',
        '    "count": 1,',
        '    "sum": 12.5',
        "  }",
        "}",
      ].join("\n"),
    );
  });
  test("an empty run still has error_summary []", () => {
    const text = profileExportJson(
      { metrics: [], errorSummary: [], benchmarkDurationNs: null, recordCount: 0 },
      { toolVersion: "0.1.0", benchmarkId: "b", inputConfig: {}, wasCancelled: false, startNs: null, endNs: null },
    );
    expect(text).toBe(
      '{\n  "schema_version": "1.5",\n  "aiperf_version": "0.1.0",\n  "benchmark_id": "b",\n  "input_config": {},\n  "was_cancelled": false,\n  "error_summary": []\n}',
    );
  });
});

describe("naiveLocalIso: datetime.fromtimestamp(ns / 1e9).isoformat()", () => {
  const utc = () => 0;
  // Expected strings from CPython with TZ=UTC.
  const CASES: [number, string][] = [
    [1_760_994_128_939_332_000, "2025-10-20T21:02:08.939332"],
    [1_700_000_000_000_000_000, "2023-11-14T22:13:20"], // zero microseconds are omitted
    [1_700_000_000_999_999_700, "2023-11-14T22:13:21"], // rounds up into the next second
    [1_700_000_000_000_000_500, "2023-11-14T22:13:20"],
  ];
  for (const [ns, want] of CASES) test(`${ns} -> ${want}`, () => expect(naiveLocalIso(ns, utc)).toBe(want));
  test("local time: the offset is applied, no zone suffix", () => {
    expect(naiveLocalIso(1_700_000_000_000_000_000, () => 120)).toBe("2023-11-15T00:13:20");
  });
});
