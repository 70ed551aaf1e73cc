// Server metrics scraped from the mock while it is under load: the waiting gauge rises past the batch
// size, and the TTFT histogram's count over the profiling window equals the profiling requests; a
// failing metrics endpoint is warned about once and the run still succeeds.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let mock: MockServerHandle;
const BATCH = 4;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-srvmetrics-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 2, maxBatchSize: BATCH, stepMs: 5 });
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

describe("server metrics against the mock under load", () => {
  test("waiting rises past the batch size; the TTFT histogram's window count = the profiling requests", async () => {
    const cfg = testProfileConfig(mock.url, {
      concurrency: 12,
      requestCount: 48,
      warmupRequestCount: 8,
      osl: 20,
      serverMetricsInterval: 0.02,
      sliceDuration: 0.25,
      artifactDir: "load",
    });
    const io = fakeIo(dir);
    const out = await runTestProfile(cfg, io);
    expect(out.records.filter((r) => r.phase === "profiling" && r.error === null).length).toBe(48);

    const [[maxWaiting, profilingScrapes]] = (await query(
      out.dbPath,
      `SELECT max(value), count(DISTINCT time_ns) FROM server_metrics WHERE metric = 'vllm:num_requests_waiting' AND phase = 'profiling'`,
    )) as [[number, bigint]];
    expect(Number(profilingScrapes)).toBeGreaterThan(2);
    expect(maxWaiting).toBeGreaterThan(BATCH);

    const sm = out.results.serverMetrics!;
    expect(sm.export.summary.endpoints_successful).toEqual([`${mock.url}/metrics`]);
    const ttft = sm.export.metrics["vllm:time_to_first_token_seconds"]!.series[0]!;
    // Boundary scrape at the profiling start (warmup drained) .. final scrape after the last request:
    // exactly the profiling requests got their first token in between.
    expect(ttft.stats.count).toBe(48);
    expect(ttft.buckets!["+Inf"]).toBe(48);
    const success = sm.export.metrics["vllm:request_success"]!.series.reduce((a, s) => a + s.stats.total!, 0);
    expect(success).toBe(48);
    // The mock's cumulative count includes the warmup: the window really excluded it.
    const [[ttftTotal]] = (await query(out.dbPath, `SELECT max(value) FROM server_metrics WHERE metric = 'vllm:time_to_first_token_seconds_count'`)) as [
      [number],
    ];
    expect(ttftTotal).toBe(56);

    const named = new Map(sm.named.map((r) => [r.key, r]));
    expect(named.get("waiting_requests")!.stats.max).toBeGreaterThan(BATCH);
    expect(named.get("kv_cache_usage")!.stats.max).toBe(1);
    expect(named.get("server_ttft")!.stats.count).toBe(48);

    const file = JSON.parse(readFileSync(join(out.dir, "server_metrics_export.json"), "utf8")) as { metrics: Record<string, unknown> };
    expect(Object.keys(file.metrics)).toContain("vllm:num_requests_running");

    // Per slice: the gauges over the slice's scrapes, beside the request metrics.
    const slices = (
      JSON.parse(readFileSync(join(out.dir, "profile_export_aiperf_timeslices.json"), "utf8")) as { timeslices: Record<string, { max?: number }>[] }
    ).timeslices;
    const withRunning = slices.filter((s) => s["vllm:num_requests_running"] !== undefined);
    expect(withRunning.length).toBeGreaterThan(0);
    expect(Math.max(...withRunning.map((s) => s["vllm:num_requests_running"]!.max!))).toBe(BATCH);
    const csv = readFileSync(join(out.dir, "profile_export_aiperf_timeslices.csv"), "utf8");
    expect(csv).toContain(",vllm:num_requests_waiting,requests,max,");
  }, 60000);

  test("an endpoint answering 500 and one refusing connections: one warning each, the run succeeds", async () => {
    const failing = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("boom", { status: 500 }) });
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const refusedUrl = `127.0.0.1:${closed.port}`;
    closed.stop(true);
    try {
      const cfg = testProfileConfig(mock.url, {
        concurrency: 2,
        requestCount: 6,
        osl: 5,
        serverMetrics: [`http://127.0.0.1:${failing.port}/metrics`, refusedUrl],
        serverMetricsInterval: 0.02,
        artifactDir: "failing",
      });
      const io = fakeIo(dir);
      const out = await runTestProfile(cfg, io);
      expect(out.results.counts.failed).toBe(0);
      expect(out.storageFailure).toBeNull();
      const stderr = io.stderr.join("");
      const warned500 = stderr.split("\n").filter((l) => l.includes(`GET http://127.0.0.1:${failing.port}/metrics failed (HTTP 500)`));
      const warnedRefused = stderr.split("\n").filter((l) => l.includes(`GET http://${refusedUrl}/metrics failed`));
      expect(warned500.length).toBe(1);
      expect(warnedRefused.length).toBe(1);
      const rows = (await query(
        out.dbPath,
        `SELECT url, count(*) FILTER (WHERE NOT ok), count(*) FILTER (WHERE ok) FROM metric_scrapes GROUP BY url ORDER BY url`,
      )) as [string, bigint, bigint][];
      const byUrl = new Map(rows.map(([u, bad, good]) => [u, [Number(bad), Number(good)]]));
      expect(byUrl.get(`http://127.0.0.1:${failing.port}/metrics`)![0]).toBeGreaterThan(1);
      expect(byUrl.get(`http://${refusedUrl}/metrics`)![0]).toBeGreaterThan(1);
      expect(byUrl.get(`${mock.url}/metrics`)).toEqual([0, byUrl.get(`${mock.url}/metrics`)![1]!]);
      expect(out.results.serverMetrics!.export.summary.endpoints_successful).toEqual([`${mock.url}/metrics`]);
      expect(existsSync(join(out.dir, "server_metrics_export.json"))).toBe(true);
      expect(readFileSync(join(out.dir, "server_metrics_export.csv"), "utf8")).toContain(",gauge,vllm:num_requests_running,");
    } finally {
      failing.stop(true);
    }
  }, 60000);

  test("--no-server-metrics scrapes nothing", async () => {
    const cfg = testProfileConfig(mock.url, { concurrency: 1, requestCount: 2, osl: 3, noServerMetrics: true, artifactDir: "off" });
    const out = await runTestProfile(cfg, fakeIo(dir));
    expect(out.results.serverMetrics).toBeUndefined();
    expect(existsSync(join(out.dir, "server_metrics_export.json"))).toBe(false);
  }, 60000);
});

describe("a server whose /metrics answers a completion stream (a catch-all route)", () => {
  test("its first answer is not read to the end: said once, one scrape row, not scraped again; the run succeeds", async () => {
    // Every path answers an OpenAI chat completion stream of 20 chunks, 25 ms apart (~0.5 s).
    let metricsGets = 0;
    const enc = new TextEncoder();
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        if (new URL(req.url).pathname === "/metrics") metricsGets++;
        let i = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(c) {
            await Bun.sleep(25);
            if (i === 20) {
              c.enqueue(enc.encode("data: [DONE]\n\n"));
              c.close();
              return;
            }
            const finish = i === 19 ? '"stop"' : "null";
            c.enqueue(
              enc.encode(
                `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" w${i++}"},"finish_reason":${finish}}]}\n\n`,
              ),
            );
          },
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      },
    });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const cfg = testProfileConfig(url, { concurrency: 1, requestCount: 2, osl: 20, serverMetricsInterval: 0.02, artifactDir: "catch-all" });
      const io = fakeIo(dir);
      const out = await runTestProfile(cfg, io);
      expect(out.results.counts.failed).toBe(0);
      expect(out.results.counts.total).toBe(2);
      expect(metricsGets).toBe(1);
      const said = [...io.stdout, ...io.stderr, readFileSync(join(out.dir, "logs", "llmbench.log"), "utf8")]
        .join("\n")
        .split("\n")
        .filter((l) => l.includes(`${url}/metrics answered with Content-Type text/event-stream, not metrics text`));
      expect(said.length).toBeGreaterThan(0);
      expect(io.stderr.join("").includes("malformed line")).toBe(false);
      const rows = (await query(out.dbPath, "SELECT url, ok, error, latency_ms FROM metric_scrapes")) as [string, boolean, string, number][];
      expect(rows.length).toBe(1);
      expect(rows[0]!.slice(0, 3)).toEqual([`${url}/metrics`, false, "Content-Type text/event-stream, not metrics text"]);
      // Cancelled at its head, not read for the stream's ~0.5 s.
      expect(rows[0]![3]).toBeLessThan(400);
    } finally {
      server.stop(true);
    }
  }, 60000);
});
