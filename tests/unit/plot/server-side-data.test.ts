// The report's server and GPU charts over a results.duckdb whose scrapes are known: requests from the
// synthetic writer, server_metrics and gpu_telemetry appended by the store modules the scrapers use.
// Each series must equal the inserted values per time bucket; a file without the tables has no such
// chart and no error.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { GpuReading } from "../../../src/metrics/gpu-telemetry.ts";
import type { PromSample, PromType } from "../../../src/metrics/prometheus-parse.ts";
import { histogramQuantile } from "../../../src/metrics/server-metrics-summary.ts";
import { runInfo, runTotals } from "../../../src/plot/run-data.ts";
import { runReport } from "../../../src/plot/run-report.ts";
import { GPU_UTIL, gpuOverTime, lineNames, POWER, serverGaugeOverTime, serverHistogramOverTime } from "../../../src/plot/server-side-data.ts";
import { serverSideSection } from "../../../src/plot/server-side-report.ts";
import type { Query } from "../../../src/plot/sql.ts";
import { queryRuns } from "../../../src/store/read-db.ts";
import { GpuTelemetryStore } from "../../../src/store/gpu-telemetry-db.ts";
import { type ScrapePhase, ServerMetricsStore } from "../../../src/store/server-metrics-db.ts";
import { writeSyntheticRun } from "../../helpers/synthetic-results.ts";

let dir = "";
let withSide: Query;
let without: Query;

/** The synthetic writer's first request start (no warmup): the charts' time 0. */
const T0 = 1.7e18;
const S = 1e9;
/** Buckets of 1 s; two profiling scrapes in each, at +0.25 s and +0.75 s. */
const BUCKETS = 8;
const URL_A = "http://127.0.0.1:8001/metrics";
const URL_B = "http://127.0.0.1:8002/metrics";
const TTFT = "vllm:time_to_first_token_seconds";
const BOUNDS = ["0.05", "0.1", "0.5", "+Inf"];

const waitingAt = (k: number, half: number) => 3 * k + 2 * half; // bucket mean 3k + 1
const runningAt = (url: string, k: number) => (url === URL_A ? 4 : 6 + k);
/** Per scrape in bucket k: k + 1 observations of 0.07 s (in (0.05, 0.1]) and 1 of 0.3 s. */
const addedAt = (k: number) => ({ fast: k + 1, slow: 1 });

const sample = (name: string, family: string, type: PromType, value: number, labels: [string, string][] = []): PromSample => ({
  name,
  family,
  type,
  labels,
  value,
  timestampMs: null,
});

async function appendScrapes(dbPath: string): Promise<void> {
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  try {
    const runId = "synthetic-1";
    const sm = await ServerMetricsStore.create(conn, runId);
    const gpu = await GpuTelemetryStore.create(conn, runId);
    // Cumulative TTFT histogram state: it already counted 100 warmup requests before profiling.
    const cum = { fast: 100, slow: 0 };
    const scrape = (timeNs: number, phase: ScrapePhase, url: string, samples: PromSample[]) =>
      sm.addScrape(
        { time_ns: timeNs, phase, url, source: "server", ok: true, status: 200, error: null, latency_ms: 1, samples: samples.length, bytes: 100 },
        samples,
      );
    const model: [string, string][] = [["model_name", "m"]];
    const histogram = (): PromSample[] => {
      const byBound = [cum.fast, cum.fast, cum.fast + cum.slow, cum.fast + cum.slow];
      return [
        ...BOUNDS.map((le, i) => sample(`${TTFT}_bucket`, TTFT, "histogram", i === 0 ? 0 : byBound[i]!, [...model, ["le", le]])),
        sample(`${TTFT}_sum`, TTFT, "histogram", cum.fast * 0.07 + cum.slow * 0.3, model),
        sample(`${TTFT}_count`, TTFT, "histogram", cum.fast + cum.slow, model),
      ];
    };
    // Warmup: a huge waiting gauge that must not show, and the histogram's reference.
    scrape(T0 - 0.5 * S, "warmup", URL_A, [sample("vllm:num_requests_waiting", "vllm:num_requests_waiting", "gauge", 1000, model), ...histogram()]);
    for (let k = 0; k < BUCKETS; k++)
      for (const half of [0, 1]) {
        const t = T0 + (k + 0.25 + half / 2) * S;
        cum.fast += addedAt(k).fast;
        cum.slow += addedAt(k).slow;
        scrape(t, "profiling", URL_A, [
          sample("vllm:num_requests_waiting", "vllm:num_requests_waiting", "gauge", waitingAt(k, half), model),
          sample("vllm:num_requests_running", "vllm:num_requests_running", "gauge", runningAt(URL_A, k), model),
          // Both KV names: the first recognised one (kv_cache_usage_perc) wins.
          sample("vllm:kv_cache_usage_perc", "vllm:kv_cache_usage_perc", "gauge", 0.25, model),
          sample("vllm:gpu_cache_usage_perc", "vllm:gpu_cache_usage_perc", "gauge", 0.9, model),
          ...histogram(),
        ]);
        scrape(t, "profiling", URL_B, [sample("vllm:num_requests_running", "vllm:num_requests_running", "gauge", runningAt(URL_B, k), model)]);
        const readings: GpuReading[] = [0, 1].flatMap((g) => [
          { host: "h", gpu_index: g, uuid: `GPU-${g}`, name: "Fake", metric: POWER, value: 300 },
          { host: "h", gpu_index: g, uuid: `GPU-${g}`, name: "Fake", metric: GPU_UTIL, value: 10 * k + g + half },
        ]);
        gpu.add(t, "profiling", "http://127.0.0.1:9400/metrics", readings);
      }
    sm.close();
    gpu.close();
    await conn.run("CHECKPOINT");
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-plotside-"));
  // 200 requests, 68 ms apart at concurrency 8: a profiling span of about 14 s from T0.
  const a = await writeSyntheticRun(join(dir, "side"), { requests: 200 });
  await appendScrapes(a);
  withSide = (sql) => queryRuns([a], sql);
  const b = await writeSyntheticRun(join(dir, "plain"), { requests: 200 });
  without = (sql) => queryRuns([b], sql);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mids = Array.from({ length: BUCKETS }, (_, k) => k + 0.5);

describe("server and GPU series from known scrapes", () => {
  test("the run's time 0 is the first profiling request (the scrapes are placed from it)", async () => {
    expect((await runTotals(withSide, null)).startNs).toBe(T0);
  });

  test("waiting gauge: the mean of each bucket's profiling scrapes; the warmup scrape left out", async () => {
    const o = await serverGaugeOverTime(withSide, await runTotals(withSide, null), "waiting_requests", S);
    expect(o!.metric).toBe("vllm:num_requests_waiting");
    expect(o!.lines.length).toBe(1);
    expect(o!.lines[0]!.name).toBe("");
    expect(o!.lines[0]!.t).toEqual(mids);
    expect(o!.lines[0]!.v).toEqual(Array.from({ length: BUCKETS }, (_, k) => 3 * k + 1));
  });

  test("running gauge on two endpoints: one line each, named by host:port", async () => {
    const o = await serverGaugeOverTime(withSide, await runTotals(withSide, null), "running_requests", S);
    expect(o!.lines.map((l) => l.name)).toEqual(["127.0.0.1:8001", "127.0.0.1:8002"]);
    expect(o!.lines[0]!.v).toEqual(Array.from({ length: BUCKETS }, () => 4));
    expect(o!.lines[1]!.v).toEqual(Array.from({ length: BUCKETS }, (_, k) => 6 + k));
  });

  test("KV-cache usage: the first recognised name, as a percentage", async () => {
    const o = await serverGaugeOverTime(withSide, await runTotals(withSide, null), "kv_cache_usage", S);
    expect(o!.metric).toBe("vllm:kv_cache_usage_perc");
    expect(o!.lines.length).toBe(1);
    expect(o!.lines[0]!.v).toEqual(Array.from({ length: BUCKETS }, () => 25));
  });

  test("a question the scrapes do not answer: null", async () => {
    expect(await serverGaugeOverTime(withSide, await runTotals(withSide, null), "prefix_cache_hit_rate", S)).toBeNull();
    expect(await serverHistogramOverTime(withSide, await runTotals(withSide, null), "server_queue_time", S)).toBeNull();
  });

  test("server TTFT: per-bucket deltas give the count, mean and histogram_quantile of what was added", async () => {
    const h = await serverHistogramOverTime(withSide, await runTotals(withSide, null), "server_ttft", S);
    expect(h!.metric).toBe(TTFT);
    expect(h!.t).toEqual(mids);
    const added = Array.from({ length: BUCKETS }, (_, k) => ({ fast: 2 * addedAt(k).fast, slow: 2 * addedAt(k).slow }));
    expect(h!.count).toEqual(added.map((a) => a.fast + a.slow));
    for (const [k, a] of added.entries()) {
      expect(h!.mean[k]!).toBeCloseTo((a.fast * 0.07 + a.slow * 0.3) / (a.fast + a.slow), 9);
      const cumulative: [number, number][] = [
        [0.05, 0],
        [0.1, a.fast],
        [0.5, a.fast + a.slow],
        [Number.POSITIVE_INFINITY, a.fast + a.slow],
      ];
      expect(h!.p50[k]!).toBeCloseTo(histogramQuantile(0.5, cumulative)!, 9);
      expect(h!.p99[k]!).toBeCloseTo(histogramQuantile(0.99, cumulative)!, 9);
    }
    // Bucket 0's delta is from the warmup scrape: the 100 warmup requests are not in it.
    expect(h!.count[0]).toBe(4);
  });

  test("GPU power: constant 300 W per GPU gives two lines of 300", async () => {
    const o = await gpuOverTime(withSide, await runTotals(withSide, null), POWER, S);
    expect(o!.lines.map((l) => l.name)).toEqual(["GPU 0", "GPU 1"]);
    for (const l of o!.lines) {
      expect(l.t).toEqual(mids);
      expect(l.v).toEqual(Array.from({ length: BUCKETS }, () => 300));
    }
  });

  test("GPU utilization: the mean of each bucket's readings per GPU", async () => {
    const o = await gpuOverTime(withSide, await runTotals(withSide, null), GPU_UTIL, S);
    expect(o!.lines.length).toBe(2);
    for (const [g, l] of o!.lines.entries()) expect(l.v).toEqual(Array.from({ length: BUCKETS }, (_, k) => 10 * k + g + 0.5));
  });

  test("the report's section: one chart per answered question, none for the queue time", async () => {
    const info = await runInfo(withSide);
    const s = await serverSideSection(withSide, info.tables, await runTotals(withSide, null));
    expect(s.charts.map((c) => c.id)).toEqual(["server-running", "server-waiting", "server-kv-cache", "server-ttft-over-time", "gpu-power", "gpu-utilization"]);
  });

  test("a file without the tables: no such chart and no error", async () => {
    const info = await runInfo(without);
    expect(info.tables.has("server_metrics")).toBe(false);
    expect(info.tables.has("gpu_telemetry")).toBe(false);
    const s = await serverSideSection(without, info.tables, await runTotals(without, null));
    expect(s.charts.length).toBe(0);
    const report = await runReport(without, "plain");
    const ids = report.sections.flatMap((x) => x.charts.map((c) => c.id));
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.filter((id) => id.startsWith("server-") || id.startsWith("gpu-"))).toEqual([]);
    expect(report.sections.map((x) => x.title)).not.toContain("Server and GPU metrics");
  });
});

describe("lineNames", () => {
  test.each([
    ["one series", [{ url: URL_A, labels: { model_name: "m" } }], [""]],
    [
      "two endpoints, same labels",
      [
        { url: URL_A, labels: { model_name: "m" } },
        { url: URL_B, labels: { model_name: "m" } },
      ],
      ["127.0.0.1:8001", "127.0.0.1:8002"],
    ],
    [
      "one endpoint, two models",
      [
        { url: URL_A, labels: { model_name: "a", engine: "0" } },
        { url: URL_A, labels: { model_name: "b", engine: "0" } },
      ],
      ["model_name=a", "model_name=b"],
    ],
  ])("%s", (_, keys, names) => expect(lineNames(keys)).toEqual(names));
});
