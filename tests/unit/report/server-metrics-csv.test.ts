import { expect, test } from "bun:test";
import type { ServerMetricsExport } from "../../../src/metrics/server-metrics-summary.ts";
import { endpointDisplay, serverMetricsCsv } from "../../../src/report/server-metrics-csv.ts";

test("AIPerf's CSV layout: metadata, a section per type with its stats, label columns, buckets", () => {
  const url = "http://127.0.0.1:8000/metrics";
  const exp: ServerMetricsExport = {
    summary: { endpoints_configured: [url], endpoints_successful: [url], start_time: null, end_time: null, endpoint_info: {} },
    metrics: {
      "vllm:num_requests_waiting": {
        type: "gauge",
        description: "Waiting, queued",
        unit: null,
        series: [{ endpoint_url: url, labels: { model_name: "m" }, stats: { avg: 2.5, min: 0, max: 5, std: 1.25, p50: 2 } }],
      },
      "vllm:request_success": {
        type: "counter",
        description: "Done.",
        unit: "requests",
        series: [{ endpoint_url: url, labels: { finished_reason: "stop", model_name: "m" }, stats: { total: 48, rate: 12.345678 } }],
      },
      h_seconds: {
        type: "histogram",
        description: "H.",
        unit: "seconds",
        series: [{ endpoint_url: url, labels: null, stats: { count: 10, sum: 3, avg: 0.3 }, buckets: { "0.1": 5, "+Inf": 10 } }],
      },
      s: { type: "summary", description: null, unit: null, series: [{ endpoint_url: url, labels: null, stats: { count: 1 } }] },
    },
  };
  const lines = serverMetricsCsv(exp, { toolVersion: "1.2.3", runId: "run-1" }).split("\n");
  expect(lines.slice(0, 5)).toEqual(["# AIPerf Server Metrics Export (CSV)", "# aiperf_version: 1.2.3", "# schema_version: 1.0", "# benchmark_id: run-1", "#"]);
  expect(lines[5]).toBe("Endpoint,Type,Metric,Unit,avg,min,max,std,p1,p5,p10,p25,p50,p75,p90,p95,p99,model_name,Description");
  expect(lines[6]).toBe('127.0.0.1:8000,gauge,vllm:num_requests_waiting,,2.5000,0,5,1.2500,,,,,2,,,,,m,"Waiting, queued"');
  expect(lines[7]).toBe("");
  expect(lines[8]).toBe("Endpoint,Type,Metric,Unit,total,rate,rate_avg,rate_min,rate_max,rate_std,finished_reason,model_name,Description");
  expect(lines[9]).toBe("127.0.0.1:8000,counter,vllm:request_success,requests,48,12.3457,,,,,stop,m,Done.");
  expect(lines[11]).toStartWith("Endpoint,Type,Metric,Unit,count,count_rate,sum,sum_rate,avg,p1_estimate");
  expect(lines[11]).toEndWith(",Description,buckets");
  expect(lines[12]).toBe("127.0.0.1:8000,histogram,h_seconds,seconds,10,,3,,0.3000,,,,,,,,,,H.,0.1=5;+Inf=10");
  expect(lines.length).toBe(14);
});

test("endpoint display: host:port, the path only when it is not /metrics", () => {
  expect(endpointDisplay("http://a:1/metrics")).toBe("a:1");
  expect(endpointDisplay("https://a/custom/m")).toBe("a/custom/m");
});
