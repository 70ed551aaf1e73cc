// GPU telemetry from a stand-in DCGM exporter with known power (2 GPUs at 300 W): the energy over the
// profiling window is power x window; from a fake nvidia-smi on PATH when no exporter answers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { consoleReport } from "../../src/run/console-report.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { fakeNvidiaSmiScript, startFakeDcgm } from "../helpers/fake-dcgm.ts";
import { runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let bin = "";
let mock: MockServerHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-gpu-"));
  bin = join(dir, "bin");
  mkdirSync(bin);
  const smi = join(bin, "nvidia-smi");
  writeFileSync(smi, fakeNvidiaSmiScript({ gpus: 2, powerW: 250 }));
  chmodSync(smi, 0o755);
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 10 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function query(dbPath: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** No nvidia-smi on this PATH (the machine's own PATH might have one). */
const NO_SMI_PATH = "/nonexistent";

describe("GPU telemetry", () => {
  test("DCGM stand-in, 2 GPUs at 300 W: energy = 600 W x the window (within 50 ms of scrape latency), per output token", async () => {
    const dcgm = startFakeDcgm({ gpus: 2, powerW: 300 });
    try {
      const cfg = testProfileConfig(mock.url, {
        concurrency: 4,
        requestCount: 40,
        warmupRequestCount: 4,
        osl: 20,
        gpuTelemetry: [dcgm.url],
        serverMetricsInterval: 0.05,
        sliceDuration: 0.5,
        artifactDir: "dcgm",
      });
      const io = fakeIo(dir, { PATH: NO_SMI_PATH });
      const out = await runTestProfile(cfg, io);
      const gpu = out.results.gpuTelemetry!;
      expect(gpu.sources).toEqual([dcgm.url]);
      expect(gpu.energy.gpus.length).toBe(2);
      for (const g of gpu.energy.gpus) {
        expect(g.method).toBe("counter");
        expect(g.host).toBe("fake-gpu-host");
        // The exporter's counter rose by 300 W x the time between the boundary and final scrapes: the
        // exporter's clock between its two answers against this client's stamps of them, which differ by
        // the two scrapes' latencies (24 ms, 2.4% of the window, in one CI run on a slow VM).
        expect(Math.abs(g.energy_j / 300 - g.span_ns / 1e9)).toBeLessThan(0.05);
      }
      const windowS = (out.endNs - out.startNs) / 1e9;
      // The scrapes bracket the profiling window: from just before its start to just after its last request.
      expect(gpu.energy.total_gpu_energy_j).toBeGreaterThan(600 * windowS * 0.9);
      expect(gpu.energy.total_gpu_energy_j).toBeLessThan(600 * (windowS + 0.5));
      expect(gpu.energy.output_tokens).toBe(800);
      expect(gpu.energy.output_tokens_per_joule).toBeCloseTo(800 / gpu.energy.total_gpu_energy_j, 12);
      expect(gpu.energy.energy_per_output_token_j).toBeCloseTo(gpu.energy.total_gpu_energy_j / 800, 12);
      // Power statistics per GPU; the absent default exporters (9400, 9401) were dropped without a word.
      const power = gpu.gpus.filter((s) => s.metric === "DCGM_FI_DEV_POWER_USAGE");
      expect(power.map((s) => [s.gpu_index, s.stats.avg])).toEqual([
        [0, 300],
        [1, 300],
      ]);
      expect(io.stderr.join("").includes("GPU telemetry")).toBe(false);

      const rows = (await query(
        out.dbPath,
        `SELECT gpu_index, count(*) FROM gpu_telemetry WHERE metric = 'DCGM_FI_DEV_POWER_USAGE' GROUP BY 1 ORDER BY 1`,
      )) as [number, bigint][];
      expect(rows.length).toBe(2);
      const summaryJson = JSON.parse(readFileSync(join(out.dir, "profile_export_aiperf.json"), "utf8")) as {
        llmbench_gpu_energy: { total_gpu_energy_j: number };
      };
      expect(summaryJson.llmbench_gpu_energy.total_gpu_energy_j).toBeCloseTo(gpu.energy.total_gpu_energy_j, 6);
      // Per slice, the GPUs' total power.
      const slices = (
        JSON.parse(readFileSync(join(out.dir, "profile_export_aiperf_timeslices.json"), "utf8")) as { timeslices: Record<string, { avg?: number }>[] }
      ).timeslices;
      const powered = slices.filter((s) => s.gpu_power_total !== undefined);
      expect(powered.length).toBeGreaterThan(0);
      for (const s of powered) expect(s.gpu_power_total!.avg).toBe(600);
      const text = consoleReport(out, { threshold: undefined, width: 200, extraPercentiles: [] });
      expect(text).toContain("GPU Energy: ");
      expect(text).toContain("  GPU 0 NVIDIA Fake H100 @ fake-gpu-host: power 300.00 W");
    } finally {
      dcgm.stop();
    }
  }, 60000);

  test("no exporter answers, nvidia-smi on PATH: its readings, energy from power x time", async () => {
    const cfg = testProfileConfig(mock.url, { concurrency: 4, requestCount: 40, osl: 20, serverMetricsInterval: 0.05, artifactDir: "smi" });
    const io = fakeIo(dir, { PATH: `${bin}:${process.env.PATH}` });
    const out = await runTestProfile(cfg, io);
    const gpu = out.results.gpuTelemetry!;
    expect(gpu.sources).toEqual(["nvidia-smi"]);
    expect(gpu.energy.gpus.length).toBe(2);
    for (const g of gpu.energy.gpus) {
      expect(g.method).toBe("power");
      expect(Math.abs(g.energy_j - 250 * (g.span_ns / 1e9)) / g.energy_j).toBeLessThan(0.01);
    }
    const rows = (await query(
      out.dbPath,
      `SELECT DISTINCT source, uuid, metric FROM gpu_telemetry WHERE metric IN ('DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS') ORDER BY 2, 3`,
    )) as string[][];
    expect(rows).toEqual([
      ["nvidia-smi", "GPU-smi-0", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"],
      ["nvidia-smi", "GPU-smi-0", "DCGM_FI_DEV_POWER_USAGE"],
      ["nvidia-smi", "GPU-smi-1", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"],
      ["nvidia-smi", "GPU-smi-1", "DCGM_FI_DEV_POWER_USAGE"],
    ]);
  }, 60000);

  test("--no-gpu-telemetry: nothing collected even with nvidia-smi on PATH", async () => {
    const cfg = testProfileConfig(mock.url, { concurrency: 1, requestCount: 2, osl: 3, noGpuTelemetry: true, artifactDir: "nogpu" });
    const out = await runTestProfile(cfg, fakeIo(dir, { PATH: `${bin}:${process.env.PATH}` }));
    expect(out.results.gpuTelemetry).toBeUndefined();
  }, 60000);
});
