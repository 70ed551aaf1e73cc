import { describe, expect, test } from "bun:test";
import {
  fitColumns,
  type PointEntry,
  type RunEntry,
  SWEEP_METRICS,
  summarizePoints,
  sweepConsole,
  sweepSummaryCsv,
  sweepSummaryJson,
  wrap,
} from "../../../src/run/sweep-summary.ts";

/** A run with these metric values (the others null). */
function run(repeat: number, m: Record<string, number>, status: RunEntry["status"] = "ok"): RunEntry {
  const metrics = Object.fromEntries(SWEEP_METRICS.map((x) => [x.key, m[x.key] ?? null]));
  return { repeat, dir: `d/run_0${repeat}`, runId: `id${repeat}`, status, exitCode: status === "ok" ? 0 : 1, metrics };
}

const AXES = [{ flag: "concurrency", values: ["4", "8", "16"] }];
const point = (n: number, c: string, runs: RunEntry[]): PointEntry => ({ point: n, values: { concurrency: c }, label: `concurrency=${c}`, runs });
const sat = (tput: number, user: number, extra: Record<string, number> = {}) => ({
  output_token_throughput_avg: tput,
  output_token_throughput_per_user_avg: user,
  time_to_first_token_p99: 20,
  error_request_count: 0,
  ...extra,
});

describe("summarizePoints", () => {
  test("one run per point: its values; Pareto over throughput vs per-user speed; the knee", () => {
    const s = summarizePoints([point(1, "4", [run(1, sat(400, 100))]), point(2, "8", [run(1, sat(780, 98))]), point(3, "16", [run(1, sat(790, 50))])], {
      axes: AXES,
      repeats: 1,
      confidence: 0.95,
      gpus: null,
    });
    expect(s.map((p) => [p.status, p.paretoOptimal, p.knee])).toEqual([
      ["ok", true, false],
      ["ok", true, true],
      ["ok", true, false],
    ]);
    expect(s[1]!.metrics.output_token_throughput_avg).toEqual({ value: 780 });
  });

  test("repeats: mean and Student-t interval over finished runs only; a CV above 20% is flagged; runs missing or cancelled show in the status", () => {
    const s = summarizePoints(
      [
        point(1, "4", [run(1, sat(100, 50)), run(2, sat(110, 50)), run(3, sat(105, 50))]),
        point(2, "8", [
          run(1, sat(100, 50, { time_to_first_token_p99: 10 })),
          run(2, sat(200, 50, { time_to_first_token_p99: 30 })),
          run(3, sat(999, 1), "cancelled"),
        ]),
        point(3, "16", []),
      ],
      { axes: AXES, repeats: 3, confidence: 0.95, gpus: 2 },
    );
    const t = s[0]!.metrics.output_token_throughput_avg as { mean: number; ciLow: number; ciHigh: number; n: number };
    expect([t.n, t.mean]).toEqual([3, 105]);
    expect(t.ciLow).toBeCloseTo(92.57931144124835, 9);
    expect(t.ciHigh).toBeCloseTo(117.42068855875165, 9);
    expect(s.map((p) => p.status)).toEqual(["ok", "cancelled", "not run"]);
    // Point 2's cancelled run is left out: two runs, 100 and 200.
    expect((s[1]!.metrics.output_token_throughput_avg as { n: number; mean: number }).mean).toBe(150);
    expect(s[1]!.highCv).toEqual(["output_token_throughput_avg", "time_to_first_token_p99"]);
    expect(s[0]!.highCv).toEqual([]);
  });
});

describe("sweep summary files and console", () => {
  const opts = { axes: AXES, repeats: 1, confidence: 0.95, gpus: 8 };
  const points = summarizePoints(
    [
      point(1, "4", [run(1, sat(400, 100, { output_token_throughput_per_gpu: 50 }))]),
      point(2, "8", [run(1, sat(800, 99, { output_token_throughput_per_gpu: 100 }))]),
      point(3, "16", [run(1, sat(800, 50, { output_token_throughput_per_gpu: 100 }))]),
    ],
    opts,
  );

  test("CSV: one row per point, the load as its own column, every metric", () => {
    const lines = sweepSummaryCsv(points, opts).trim().split("\n");
    expect(lines.length).toBe(4);
    expect(lines[0]).toBe(`point,concurrency,status,runs,${SWEEP_METRICS.map((m) => m.key).join(",")},pareto_optimal,knee,high_cv`);
    expect(lines[2]!.startsWith("2,8,ok,1,,800,100,99,,,20,")).toBe(true);
    const withRepeats = sweepSummaryCsv(summarizePoints([point(1, "4", [run(1, sat(1, 1)), run(2, sat(3, 1))])], { ...opts, repeats: 2 }), {
      ...opts,
      repeats: 2,
    });
    expect(withRepeats.split("\n")[0]).toContain(
      ",output_token_throughput_avg_mean,output_token_throughput_avg_ci_low,output_token_throughput_avg_ci_high,output_token_throughput_avg_cv,",
    );
  });

  test("JSON: parameters as numbers, the Pareto axes, the knee point", () => {
    const doc = JSON.parse(sweepSummaryJson(points, opts, { sweep_id: "s" }));
    expect(doc.sweep_parameters).toEqual([{ name: "concurrency", values: [4, 8, 16] }]);
    expect(doc.pareto).toEqual({ x: "output_token_throughput_per_gpu", y: "output_token_throughput_per_user_avg", optimal_points: [1, 2], knee_point: 2 });
    expect(doc.points[1].parameters).toEqual({ concurrency: 8 });
    expect(doc.points[1].runs[0]).toMatchObject({ repeat: 1, run_id: "id1", status: "ok" });
  });

  test("console: every line within the width; columns nobody has left out; the knee named; what did not fit said", () => {
    for (const width of [60, 100, 200]) {
      const lines = sweepConsole(points, opts, width);
      expect(lines.filter((l) => l.length > width)).toEqual([]);
      expect(lines[0]!.trim().startsWith("concurrency")).toBe(true);
      expect(lines.slice(1, 4).map((l) => l.trim().split(/\s+/)[0])).toEqual(["4", "8", "16"]);
      expect(lines.map((l) => l.trim()).join(" ")).toContain("knee at concurrency=8: 100 tok/s/GPU, 99.0 tok/s/user");
    }
    // Goodput and ITL were not measured: no such columns at any width.
    expect(sweepConsole(points, opts, 200)[0]).not.toContain("goodput");
    expect(sweepConsole(points, opts, 200)[0]).not.toContain("ITL");
    expect(sweepConsole(points, opts, 40).join("\n")).toContain("Left out to fit 40 columns:");
  });

  test("fitColumns keeps the most important columns in their order; wrap breaks at spaces", () => {
    const cols = [
      { header: "a", cells: ["1"], priority: -1 },
      { header: "bbbbbb", cells: ["2"], priority: 2 },
      { header: "c", cells: ["3"], priority: 0 },
    ];
    expect(fitColumns(cols, 5)).toEqual({ lines: ["a  c", "1  3"], omitted: ["bbbbbb"] });
    expect(wrap("one two three four", 9)).toEqual(["one two", "  three", "  four"]);
  });
});
