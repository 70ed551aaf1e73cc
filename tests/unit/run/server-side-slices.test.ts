import { expect, test } from "bun:test";
import { GPU_POWER_KEY, sliceExtras } from "../../../src/run/server-side-slices.ts";

test("slice extras: gauges summed (ratios averaged) per bucket, joined to the request slices by bucket start", () => {
  const sliceNs = 1e9;
  const slices = [
    { index: 0, startNs: 10e9 },
    { index: 1, startNs: 11e9 },
  ];
  const g = (bucket: number, metric: string, sum: number, mean: number) => ({
    bucket,
    metric,
    sum: { avg: sum, min: sum, max: sum },
    mean: { avg: mean, min: mean, max: mean },
  });
  const how = new Map<string, "gauge" | "ratio_gauge">([
    ["vllm:num_requests_running", "gauge"],
    ["vllm:kv_cache_usage_perc", "ratio_gauge"],
  ]);
  const out = sliceExtras(
    slices,
    sliceNs,
    [g(10, "vllm:num_requests_running", 6, 3), g(11, "vllm:kv_cache_usage_perc", 1.2, 0.6), g(12, "vllm:num_requests_running", 1, 1)],
    how,
    [{ bucket: 11, powerW: 600 }],
  );
  expect([...out.keys()]).toEqual([0, 1]);
  expect(out.get(0)).toEqual({ "vllm:num_requests_running": { unit: "requests", avg: 6, min: 6, max: 6 } });
  expect(out.get(1)).toEqual({
    "vllm:kv_cache_usage_perc": { unit: "percent", avg: 0.6, min: 0.6, max: 0.6 },
    [GPU_POWER_KEY]: { unit: "W", avg: 600, min: 600, max: 600 },
  });
});
