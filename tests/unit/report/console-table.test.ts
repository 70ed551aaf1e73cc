import { describe, expect, test } from "bun:test";
import type { MetricResult, Summary } from "../../../src/metrics/summary.ts";
import { consoleRows, consoleTable, metricCell } from "../../../src/report/console-table.ts";

type Tag = MetricResult["tag"];
const full = (tag: Tag, header: string, unit: MetricResult["unit"], [avg, min, max, p99, p90, p50, std]: number[]): MetricResult => ({
  tag,
  header,
  unit,
  kind: "record",
  avg: avg!,
  min: min!,
  max: max!,
  sum: 0,
  std: std!,
  percentiles: [
    { p: 50, key: "p50", value: p50! },
    { p: 90, key: "p90", value: p90! },
    { p: 99, key: "p99", value: p99! },
  ],
  count: 10,
});
const single = (tag: Tag, header: string, unit: MetricResult["unit"], avg: number): MetricResult => ({
  tag, header, unit, kind: "derived", avg, min: null, max: null, sum: null, std: null, percentiles: [], count: 1,
});

// The values of the table in AIPerf's README, listed in a scrambled order (rows are ordered by display order).
const README: Summary = {
  metrics: [
    single("request_count", "Request Count", "requests", 10),
    full("request_latency", "Request Latency", "ms", [13829.4, 9029.36, 27905.46, 27237.77, 21228.48, 11338.31, 5614.32]),
    full("time_to_first_token", "Time to First Token", "ms", [7463.28, 7125.81, 9484.24, 9295.48, 7596.62, 7240.23, 677.23]),
    full("time_to_second_token", "Time to Second Token", "ms", [68.73, 32.01, 102.86, 102.55, 99.8, 67.37, 24.95]),
    full("time_to_first_output_token", "Time to First Output Token", "ms", [7463.28, 7125.81, 9484.24, 9295.48, 7596.62, 7240.23, 677.23]),
    full("inter_token_latency", "Inter Token Latency", "ms", [65.31, 53.06, 81.31, 81.24, 80.64, 63.79, 9.09]),
    full("output_token_throughput_per_user", "Output Token Throughput Per User", "tokens/sec/user", [15.6, 12.3, 18.85, 18.77, 18.08, 15.68, 2.05]),
    full("output_sequence_length", "Output Sequence Length", "tokens", [95.2, 29, 295, 283.12, 176.2, 63, 77.08]),
    full("input_sequence_length", "Input Sequence Length", "tokens", [550, 550, 550, 550, 550, 550, 0]),
    full("inter_chunk_latency", "Inter Chunk Latency", "ms", [1, 1, 1, 1, 1, 1, 0]), // no-console: hidden
    full("error_isl", "Error Input Sequence Length", "tokens", [1, 1, 1, 1, 1, 1, 0]), // error-only: hidden
    single("benchmark_duration", "Benchmark Duration", "sec", 138.89), // no-console: hidden
    single("output_token_throughput", "Output Token Throughput", "tokens/sec", 6.85),
    single("request_throughput", "Request Throughput", "requests/sec", 0.072),
  ],
  errorSummary: [],
  benchmarkDurationNs: 138_890_000_000,
  recordCount: 10,
};

const README_TABLE = `
                                               NVIDIA AIPerf | LLM Metrics
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━┓
┃                               Metric ┃       avg ┃      min ┃       max ┃       p99 ┃       p90 ┃       p50 ┃      std ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━┩
│             Time to First Token (ms) │  7,463.28 │ 7,125.81 │  9,484.24 │  9,295.48 │  7,596.62 │  7,240.23 │   677.23 │
│            Time to Second Token (ms) │     68.73 │    32.01 │    102.86 │    102.55 │     99.80 │     67.37 │    24.95 │
│      Time to First Output Token (ms) │  7,463.28 │ 7,125.81 │  9,484.24 │  9,295.48 │  7,596.62 │  7,240.23 │   677.23 │
│                 Request Latency (ms) │ 13,829.40 │ 9,029.36 │ 27,905.46 │ 27,237.77 │ 21,228.48 │ 11,338.31 │ 5,614.32 │
│             Inter Token Latency (ms) │     65.31 │    53.06 │     81.31 │     81.24 │     80.64 │     63.79 │     9.09 │
│     Output Token Throughput Per User │     15.60 │    12.30 │     18.85 │     18.77 │     18.08 │     15.68 │     2.05 │
│                    (tokens/sec/user) │           │          │           │           │           │           │          │
│      Output Sequence Length (tokens) │     95.20 │    29.00 │    295.00 │    283.12 │    176.20 │     63.00 │    77.08 │
│       Input Sequence Length (tokens) │    550.00 │   550.00 │    550.00 │    550.00 │    550.00 │    550.00 │     0.00 │
│ Output Token Throughput (tokens/sec) │      6.85 │      N/A │       N/A │       N/A │       N/A │       N/A │      N/A │
│    Request Throughput (requests/sec) │      0.07 │      N/A │       N/A │       N/A │       N/A │       N/A │      N/A │
│             Request Count (requests) │     10.00 │      N/A │       N/A │       N/A │       N/A │       N/A │      N/A │
└──────────────────────────────────────┴───────────┴──────────┴───────────┴───────────┴───────────┴───────────┴──────────┘
`.slice(1);

describe("console table", () => {
  test("reproduces the table in AIPerf's README (its title line has trailing spaces trimmed)", () => {
    const out = consoleTable(README, { title: "NVIDIA AIPerf | LLM Metrics" });
    const [title, ...rest] = out.split("\n");
    expect(title!.trimEnd()).toBe(README_TABLE.split("\n")[0]!);
    expect(title!.length).toBe(rest[0]!.length); // rich pads the centred title to the table width
    expect(rest.join("\n")).toBe(README_TABLE.split("\n").slice(1).join("\n"));
  });
  test("default title is llmbench's", () => {
    expect(consoleTable(README).split("\n")[0]!.trim()).toBe("llmbench | LLM Metrics");
  });
  test("rows by display order; error-only and no-console metrics hidden", () => {
    expect(consoleRows(README).map((m) => m.tag)).toEqual([
      "time_to_first_token",
      "time_to_second_token",
      "time_to_first_output_token",
      "request_latency",
      "inter_token_latency",
      "output_token_throughput_per_user",
      "output_sequence_length",
      "input_sequence_length",
      "output_token_throughput",
      "request_throughput",
      "request_count",
    ]);
  });
  test("headers longer than 30 characters put the unit on a second line", () => {
    expect(metricCell({ header: "Output Token Throughput Per User", unit: "tokens/sec/user" })).toBe("Output Token Throughput Per User\n(tokens/sec/user)");
    expect(metricCell({ header: "Time to First Output Token", unit: "ms" })).toBe("Time to First Output Token (ms)");
  });
  test("a run with only failures prints just the header; an empty summary prints nothing", () => {
    const onlyErrors: Summary = { ...README, metrics: README.metrics.filter((m) => m.tag === "error_isl") };
    expect(consoleTable(onlyErrors)).toBe(
      [
        "               llmbench | LLM Metrics               ",
        "┏━━━━━━━━┳━━━━━┳━━━━━┳━━━━━┳━━━━━┳━━━━━┳━━━━━┳━━━━━┓",
        "┃ Metric ┃ avg ┃ min ┃ max ┃ p99 ┃ p90 ┃ p50 ┃ std ┃",
        "┡━━━━━━━━╇━━━━━╇━━━━━╇━━━━━╇━━━━━╇━━━━━╇━━━━━╇━━━━━┩",
        "└────────┴─────┴─────┴─────┴─────┴─────┴─────┴─────┘",
        "",
      ].join("\n"),
    );
    expect(consoleTable({ ...README, metrics: [] })).toBe("");
  });
});
