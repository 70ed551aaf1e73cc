import { describe, expect, test } from "bun:test";
import type { MetricResult, Summary } from "../../../src/metrics/summary.ts";
import { csvField, csvMetricName, profileExportCsv } from "../../../src/report/profile-csv.ts";

const P = [1, 5, 10, 25, 50, 75, 90, 95, 99];
const record = (tag: MetricResult["tag"], header: string, unit: MetricResult["unit"], vals: number[], extra: [number, number][] = []): MetricResult => ({
  tag,
  header,
  unit,
  kind: "record",
  avg: vals[0]!,
  min: vals[1]!,
  max: vals[2]!,
  sum: vals[3]!,
  std: vals[4]!,
  percentiles: [...P.map((p, i) => ({ p, key: `p${p}`, value: vals[5 + i]! })), ...extra.map(([p, value]) => ({ p, key: `p${p}`, value }))].sort(
    (a, b) => a.p - b.p,
  ),
  count: 3,
});
const single = (tag: MetricResult["tag"], header: string, unit: MetricResult["unit"], avg: number): MetricResult => ({
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
const S = (metrics: MetricResult[]): Summary => ({ metrics, errorSummary: [], benchmarkDurationNs: null, recordCount: 0 });

describe("profile_export_aiperf.csv", () => {
  test("two sections, rows sorted by tag, .2f everywhere (counts too), CRLF, blank row between", () => {
    const csv = profileExportCsv(
      S([
        record("time_to_first_token", "Time to First Token", "ms", [0.125, 0.375, 2.675, 1e-7, 1234567.125, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        single("request_count", "Request Count", "requests", 200),
        record("inter_token_latency", "Inter Token Latency", "ms", [5, 5, 5, 15, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5]),
        single("benchmark_duration", "Benchmark Duration", "sec", 15.196591969000002),
        single("request_throughput", "Request Throughput", "requests/sec", 13.16084556379392),
      ]),
    );
    expect(csv).toBe(
      "Metric,avg,min,max,sum,p1,p5,p10,p25,p50,p75,p90,p95,p99,std\r\n" +
        "Inter Token Latency (ms),5.00,5.00,5.00,15.00,5.00,5.00,5.00,5.00,5.00,5.00,5.00,5.00,5.00,0.00\r\n" +
        "Time to First Token (ms),0.12,0.38,2.67,0.00,1.00,2.00,3.00,4.00,5.00,6.00,7.00,8.00,9.00,1234567.12\r\n" +
        "\r\n" +
        "Metric,Value\r\n" +
        "Benchmark Duration (sec),15.20\r\n" +
        "Request Count,200.00\r\n" +
        "Request Throughput (requests/sec),13.16\r\n",
    );
  });
  test("extra percentiles get their own columns after p99", () => {
    const csv = profileExportCsv(S([record("request_latency", "Request Latency", "ms", [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [[99.9, 1.5]])]));
    expect(csv.split("\r\n")[0]).toBe("Metric,avg,min,max,sum,p1,p5,p10,p25,p50,p75,p90,p95,p99,p99.9,std");
    expect(csv.split("\r\n")[1]).toBe("Request Latency (ms),1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.50,0.00");
  });
  test("only single-valued metrics: no blank row, no first section", () => {
    expect(profileExportCsv(S([single("error_request_count", "Error Request Count", "requests", 3)]))).toBe("Metric,Value\r\nError Request Count,3.00\r\n");
  });
  test("no metrics: empty file", () => {
    expect(profileExportCsv(S([]))).toBe("");
  });
  test("metric names: unit in parentheses unless it is a count", () => {
    expect(csvMetricName({ header: "Usage Prompt Diff", unit: "%" })).toBe("Usage Prompt Diff (%)");
    expect(csvMetricName({ header: "GoodRequestCount", unit: "requests" })).toBe("GoodRequestCount");
  });
  test("Python csv minimal quoting", () => {
    // csv.writer(...).writerow(['a,b', 'say "x"', 'line\\nbreak', 'plain', '']) -> '"a,b","say ""x""","line\\nbreak",plain,\\r\\n'
    expect(["a,b", 'say "x"', "line\nbreak", "plain", ""].map(csvField).join(",")).toBe('"a,b","say ""x""","line\nbreak",plain,');
  });
});
