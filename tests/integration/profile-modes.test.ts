// The profile pipeline's modes against the mock: endpoints, non-streaming, URL round-robin, warmup,
// duration + grace, headers; and an AIPerf user's script reading profile_export.jsonl unchanged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runTestProfile } from "../helpers/profile-config.ts";
import { parseGoodput } from "../../src/metrics/goodput.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let a: MockServerHandle;
let b: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-modes-"));
  a = await startMockServer({ port: 0, ttftMs: 5, itlMs: 1, recordPath: join(dir, "a.jsonl") });
  b = await startMockServer({ port: 0, ttftMs: 5, itlMs: 1, recordPath: join(dir, "b.jsonl") });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const jsonl = (d: string) =>
  readFileSync(join(d, "profile_export.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map(
      (l) =>
        JSON.parse(l) as {
          metadata: Record<string, unknown>;
          metrics: Record<string, { value: number | number[]; unit: string }>;
          error?: unknown;
        },
    );

describe("profile modes", () => {
  test("completions and non-streaming chat and embeddings succeed with the right metrics", async () => {
    const comp = await runTestProfile(testProfileConfig(a.url, { endpointType: "completions", requestCount: 6, osl: 7, artifactDir: "comp" }), fakeIo(dir), {
      slos: [],
    });
    expect(comp.records.every((r) => r.error === null && r.output_tokens === 7)).toBe(true);
    expect(comp.records.length).toBe(6);
    const ns = await runTestProfile(testProfileConfig(a.url, { streaming: false, requestCount: 6, osl: 9, artifactDir: "nostream" }), fakeIo(dir), {
      slos: [],
    });
    expect(ns.records.length).toBe(6);
    expect(ns.records.every((r) => r.error === null && r.output_tokens === 9)).toBe(true);
    const lines = jsonl(ns.dir);
    expect(lines.length).toBe(6);
    expect(lines[0]!.metrics.request_latency).toBeDefined();
    expect(lines[0]!.metrics.time_to_first_token).toBeUndefined(); // streaming-only, as AIPerf
    const emb = await runTestProfile(
      testProfileConfig(a.url, { endpointType: "embeddings", streaming: false, requestCount: 5, artifactDir: "emb" }),
      fakeIo(dir),
      { slos: [] },
    );
    expect(emb.records.length).toBe(5);
    expect(emb.records.every((r) => r.error === null)).toBe(true);
    expect(emb.records.every((r) => r.url.endsWith("/v1/embeddings"))).toBe(true);
  }, 30_000);

  test("requests go round-robin over several URLs", async () => {
    const cfg = testProfileConfig(a.url, { url: [a.url, b.url], requestCount: 10, osl: 3, header: ["X-Team:bench"], artifactDir: "rr" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const toA = out.records.filter((r) => r.url.startsWith(a.url)).length;
    expect(toA).toBe(5);
    expect(out.records.length - toA).toBe(5);
    expect(
      out.records.every(
        (r, _, all) => r.url === (r.request_index % 2 === 0 ? `${a.url}/v1/chat/completions` : `${b.url}/v1/chat/completions`) && all.length === 10,
      ),
    ).toBe(true);
  }, 30_000);

  test("warmup requests are recorded, marked, and left out of the statistics and the JSONL", async () => {
    const out = await runTestProfile(testProfileConfig(a.url, { warmupRequestCount: 3, requestCount: 5, osl: 4, artifactDir: "warm" }), fakeIo(dir), {
      slos: [],
    });
    expect(out.records.filter((r) => r.phase === "warmup").length).toBe(3);
    expect(out.records.filter((r) => r.phase === "profiling").length).toBe(5);
    expect(jsonl(out.dir).length).toBe(5);
    expect(jsonl(out.dir).every((l) => l.metadata.benchmark_phase === "profiling")).toBe(true);
    const rc = out.summary.metrics.find((m) => m.tag === "request_count");
    expect(rc?.avg).toBe(5);
  }, 30_000);

  test("--benchmark-duration stops sending on time; the grace period cancels what is left", async () => {
    // Each request takes at least 1,000 x 1 ms; send for 0.4 s, grace 0.1 s: the first two are cut.
    const cfg = testProfileConfig(a.url, { benchmarkDuration: 0.4, benchmarkGracePeriod: 0.1, concurrency: 2, osl: 1000, artifactDir: "dur" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    expect(out.records.length).toBe(2);
    expect(out.records.filter((r) => r.cancelled).length).toBe(2);
    expect(out.records.every((r) => r.error === null || r.cancelled)).toBe(true);
    const lastStart = Math.max(...out.records.map((r) => r.start_ns));
    expect((lastStart - out.startNs) / 1e6).toBeLessThan(400 + 1000); // nothing sent well after the duration (a loose bound: shared CI machines lag)
  }, 30_000);

  test("goodput: good requests counted against SLOs", async () => {
    const { slos, problems } = parseGoodput(["time_to_first_token:10000 request_latency:0.000001"], { streaming: true });
    expect(problems).toEqual([]);
    const out = await runTestProfile(testProfileConfig(a.url, { requestCount: 4, osl: 5, goodput: [], artifactDir: "good" }), fakeIo(dir), { slos });
    const good = out.summary.metrics.find((m) => m.tag === "good_request_count");
    expect(good?.avg).toBe(0); // nobody meets a 1 ns latency (a 1 ns ITL can be met: chunks may share one read)
    const loose = parseGoodput(["time_to_first_token:10000"], { streaming: true });
    const out2 = await runTestProfile(testProfileConfig(a.url, { requestCount: 4, osl: 5, artifactDir: "good2" }), fakeIo(dir), { slos: loose.slos });
    expect(out2.summary.metrics.find((m) => m.tag === "good_request_count")?.avg).toBe(4);
  }, 30_000);

  test("a script written for AIPerf's profile_export.jsonl runs unchanged", async () => {
    const out = await runTestProfile(testProfileConfig(a.url, { requestCount: 8, osl: 6, artifactDir: "aiperf-script" }), fakeIo(dir), { slos: [] });
    const py = Bun.spawnSync(["sh", "-c", "command -v python3"]);
    if (py.exitCode !== 0) return; // no python3 on this machine: nothing more to check
    const script = join(dir, "aiperf_reader.py");
    // The kind of script AIPerf's docs show (working-with-profile-exports): read metrics by tag.
    writeFileSync(
      script,
      [
        "import json, sys",
        "ttfts, itls, osls = [], [], []",
        "with open(sys.argv[1]) as f:",
        "    for line in f:",
        "        rec = json.loads(line)",
        "        if rec.get('error'): continue",
        "        m = rec['metrics']",
        "        assert rec['metadata']['benchmark_phase'] == 'profiling'",
        "        assert m['time_to_first_token']['unit'] == 'ms'",
        "        ttfts.append(m['time_to_first_token']['value'])",
        "        itls.append(m['inter_token_latency']['value'])",
        "        osls.append(m['output_sequence_length']['value'])",
        "        assert isinstance(m['inter_chunk_latency']['value'], list)",
        "        assert rec['metadata']['request_end_ns'] >= rec['metadata']['request_start_ns']",
        "print(len(ttfts), sum(osls), round(max(ttfts), 3) > 0)",
      ].join("\n"),
    );
    const res = Bun.spawnSync(["python3", script, join(out.dir, "profile_export.jsonl")], { stdout: "pipe", stderr: "pipe" });
    expect(res.stderr.toString()).toBe("");
    expect(res.stdout.toString().trim()).toBe("8 48 True");
    expect(existsSync(join(out.dir, "profile_export_aiperf.csv"))).toBe(true);
    const csv = readFileSync(join(out.dir, "profile_export_aiperf.csv"), "utf8");
    expect(csv.startsWith("Metric,avg,min,max,sum,p1,")).toBe(true);
    expect(csv).toContain("\r\n\r\nMetric,Value\r\n");
  }, 30_000);
});
