// The report's server and GPU charts from a real run: the mock under load (its vLLM-named /metrics
// scraped every 50 ms) and a stand-in DCGM exporter with 2 GPUs at a constant 300 W. The power lines
// are all 300, the server TTFT histogram's per-slice counts add up to the profiling requests (as the
// export's window count does), and the gauges have one line for the one endpoint.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { bucketNs, runInfo, runTotals } from "../../src/plot/run-data.ts";
import { runReport } from "../../src/plot/run-report.ts";
import { gpuOverTime, POWER, serverGaugeOverTime, serverHistogramOverTime } from "../../src/plot/server-side-data.ts";
import type { Query } from "../../src/plot/sql.ts";
import { queryRuns } from "../../src/store/read-db.ts";
import { startFakeDcgm } from "../helpers/fake-dcgm.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";

const REQUESTS = 48;
const CONCURRENCY = 12;
let dir = "";
let mock: MockServerHandle;
let q: Query;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-plotrun-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 2, maxBatchSize: 4, stepMs: 5 });
  const dcgm = startFakeDcgm({ gpus: 2, powerW: 300 });
  try {
    const cfg = testProfileConfig(mock.url, {
      concurrency: CONCURRENCY,
      requestCount: REQUESTS,
      warmupRequestCount: 8,
      osl: 20,
      gpuTelemetry: [dcgm.url],
      serverMetricsInterval: 0.05,
      sliceDuration: 0.25,
      artifactDir: "run",
    });
    const out = await runTestProfile(cfg, fakeIo(dir, { PATH: "/nonexistent" }));
    q = (sql) => queryRuns([out.dbPath], sql);
  } finally {
    dcgm.stop();
  }
}, 60_000);
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("plot: server and GPU charts of a run against the mock", () => {
  test("GPU power: one line per GPU, every point 300 W", async () => {
    const t = await runTotals(q, null);
    const o = await gpuOverTime(q, t, POWER, 0.25e9);
    expect(o!.lines.map((l) => l.name)).toEqual(["GPU 0", "GPU 1"]);
    for (const l of o!.lines) {
      expect(l.v.length).toBeGreaterThan(1);
      expect(l.v).toEqual(l.v.map(() => 300));
    }
  });

  test("server TTFT: the per-slice counts add up to the profiling requests", async () => {
    const t = await runTotals(q, null);
    const h = await serverHistogramOverTime(q, t, "server_ttft", 0.25e9);
    expect(h!.metric).toBe("vllm:time_to_first_token_seconds");
    expect(h!.count.reduce((a, c) => a + c, 0)).toBe(REQUESTS);
    expect(h!.mean.length).toBe(h!.t.length);
    for (const m of h!.mean) expect(m!).toBeGreaterThan(0);
  });

  test("waiting requests: one line for the one endpoint, within 0 .. the concurrency", async () => {
    const t = await runTotals(q, null);
    const o = await serverGaugeOverTime(q, t, "waiting_requests", 0.25e9);
    expect(o!.lines.length).toBe(1);
    const v = o!.lines[0]!.v;
    expect(v.length).toBeGreaterThan(1);
    expect(Math.max(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(CONCURRENCY);
  });

  test("the report has the server and GPU charts, in the run's --slice-duration slices", async () => {
    const info = await runInfo(q);
    const t = await runTotals(q, null);
    expect(bucketNs(t.endNs - t.startNs, 0.25)).toBe(0.25e9);
    expect(info.tables.has("server_metrics")).toBe(true);
    const report = await runReport(q, "run");
    const side = report.sections.find((s) => s.title === "Server and GPU metrics");
    expect(side!.charts.map((c) => c.id)).toEqual([
      "server-running",
      "server-waiting",
      "server-kv-cache",
      "server-ttft-over-time",
      "gpu-power",
      "gpu-utilization",
    ]);
  });
});
