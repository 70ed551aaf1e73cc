import { describe, expect, test } from "bun:test";
import type { MetricResult, Summary } from "../../../src/metrics/summary.ts";
import { consoleRows, consoleTable, metricCell, statColumns } from "../../../src/report/console-table.ts";
import { formatGrouped2 } from "../../../src/report/py-format.ts";

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
  tag,
  header,
  unit,
  kind: "derived",
  avg,
  min: null,
  max: null,
  sum: null,
  std: null,
  percentiles: [],
  count: 1,
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

// Parsed back from the rendered text: metric name -> stat column -> cell, over every stacked table.
function parseTables(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let columns: string[] = [];
  let row: { name: string[]; cells: string[] } | null = null;
  const flush = () => {
    if (row === null) return;
    const name = row.name.join(" ");
    const stats = out.get(name) ?? new Map<string, string>();
    for (const [i, c] of row.cells.entries()) stats.set(columns[i]!, c);
    out.set(name, stats);
    row = null;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("┃"))
      columns = line
        .split("┃")
        .slice(2, -1)
        .map((c) => c.trim());
    else if (line.startsWith("│")) {
      const [name, ...cells] = line
        .split("│")
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells.some((c) => c !== "")) {
        flush();
        row = { name: [name!], cells };
      } else row!.name.push(name!);
    } else flush();
  }
  flush();
  return out;
}

const P999 = 99.9;
/** The README's values plus a p99.9 (p99 + 1) for every metric that has percentiles. */
const WITH_P999: Summary = {
  ...README,
  metrics: README.metrics.map((m) =>
    m.percentiles.length === 0
      ? m
      : { ...m, percentiles: [...m.percentiles, { p: P999, key: "p99.9", value: m.percentiles.find((p) => p.p === 99)!.value + 1 }] },
  ),
};

describe("console table fitted to the terminal", () => {
  test("--percentiles values get a column, largest percentile first, beside AIPerf's", () => {
    const header = consoleTable(WITH_P999, { extraPercentiles: [P999, 25] }).split("\n")[2]!;
    expect(
      header
        .split("┃")
        .map((c) => c.trim())
        .filter(Boolean),
    ).toEqual(["Metric", "avg", "min", "max", "p99.9", "p99", "p90", "p50", "p25", "std"]);
    expect(statColumns([99, 50]).map((c) => c.name)).toEqual(["avg", "min", "max", "p99", "p90", "p50", "std"]);
  });

  test("AIPerf's layout, unchanged, when it fits (exactly, too); another layout one column less", () => {
    const aiperf = consoleTable(README);
    const w = aiperf.split("\n")[1]!.length;
    expect(w).toBe(122);
    expect(consoleTable(README, { width: 200 })).toBe(aiperf);
    expect(consoleTable(README, { width: w })).toBe(aiperf);
    expect(consoleTable(README, { width: w - 1 })).not.toBe(aiperf);
  });

  test.each([80, 120, 60])("at %i columns every line fits and every metric and stat is shown once", (width) => {
    const text = consoleTable(WITH_P999, { width, extraPercentiles: [P999] });
    const lines = text.split("\n").slice(0, -1);
    const tooWide = lines.filter((l) => l.length > width);
    expect(tooWide).toEqual([]);
    expect(lines.length).toBeGreaterThan(10);
    const parsed = parseTables(text);
    const rows = consoleRows(WITH_P999);
    expect([...parsed.keys()]).toEqual(rows.map((m) => metricCell(m).replace("\n", " ")));
    const columns = statColumns([P999]);
    expect(columns.length).toBe(8);
    let checked = 0;
    for (const m of rows) {
      for (const c of columns) {
        const v = c.get(m);
        const shown = parsed.get(metricCell(m).replace("\n", " "))!.get(c.name);
        if (v === null) expect(shown === undefined || shown === "N/A").toBe(true);
        else {
          expect(shown).toBe(formatGrouped2(v));
          checked++;
        }
      }
    }
    // 8 metrics with 8 stats each, 3 single values.
    expect(checked).toBe(8 * 8 + 3);
  });

  test("at 80 columns: two stacked tables, the second without the single-value rows", () => {
    const text = consoleTable(WITH_P999, { width: 80, extraPercentiles: [P999] });
    expect(text.split("\n").filter((l) => l.startsWith("┏")).length).toBe(2);
    expect(text.split("\n")[0]!.trim()).toBe("llmbench | LLM Metrics");
    expect(text.match(/Request Count/g)!.length).toBe(1);
  });

  test("at 40 columns: one block per metric, stats as `name value` items, N/A left out", () => {
    const text = consoleTable(WITH_P999, { width: 40, extraPercentiles: [P999] });
    const lines = text.split("\n").slice(0, -1);
    expect(lines.filter((l) => l.length > 40)).toEqual([]);
    expect(lines[0]).toBe("llmbench | LLM Metrics");
    expect(text).not.toContain("N/A");
    const ttft = WITH_P999.metrics.find((m) => m.tag === "time_to_first_token")!;
    for (const c of statColumns([P999])) expect(text).toContain(`${c.name} ${formatGrouped2(c.get(ttft)!)}`);
    expect(lines).toContain("Request Count (requests)");
    expect(lines).toContain("  avg 10.00");
  });
});
