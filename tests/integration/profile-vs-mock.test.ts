// The real profile pipeline against the mock: what the client measured must match what the mock's
// --record file says it did, and results.duckdb must hold every request. The mock runs in its own
// process: sharing the test's thread, its receive stamps waited on the run's record intake (up to 8 ms
// late in a run alone, more under CI load), and that lateness read as client error.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockProcess, spawnMock } from "../helpers/mock-process.ts";
import { runTestProfile } from "../helpers/profile-config.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";
import { fakeIo } from "../helpers/fake-io.ts";

interface TruthLine {
  request_id: string;
  received_ns: number;
  first_token_ns: number;
  completion_tokens: number;
  chunks: { sent_ns: number; tokens: number }[];
}

let dir = "";
let mock: MockProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-int-"));
  mock = await spawnMock(["--ttft-ms", "25", "--itl-ms", "4", "--tokens-per-chunk", "2", "--record", join(dir, "truth.jsonl")]);
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("profile against the mock", () => {
  test("client timings match the mock's record; every request in results.duckdb", async () => {
    const cfg = testProfileConfig(mock.url, { concurrency: 4, requestCount: 24, osl: 20, apiKey: "sk-secret-should-not-leak" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    await mock.stop(); // flushes the record file
    expect(out.records.length).toBe(24);
    expect(out.records.every((r) => r.error === null)).toBe(true);

    const truth = new Map<string, TruthLine>();
    for (const line of readFileSync(join(dir, "truth.jsonl"), "utf8").trim().split("\n")) {
      const t = JSON.parse(line) as TruthLine;
      truth.set(t.request_id, t);
    }
    expect(truth.size).toBe(24);
    const ttftErrMs: number[] = [];
    const gapErrMs: number[] = [];
    for (const r of out.records) {
      const t = truth.get(r.x_request_id)!;
      expect(t).toBeDefined();
      // Tokens: 20 requested, bundled 2 per chunk -> 10 chunks of 2.
      expect(r.output_tokens).toBe(20);
      expect(r.usage_completion_tokens).toBe(20);
      expect(r.chunks.length).toBe(t.chunks.filter((c) => c.tokens > 0).length);
      expect(r.chunks.map((c) => c.tokens)).toEqual(t.chunks.filter((c) => c.tokens > 0).map((c) => c.tokens));
      // Causality: the client cannot see a chunk before the server sent it.
      const sent = t.chunks.filter((c) => c.tokens > 0);
      for (const [i, c] of r.chunks.entries()) expect(c.arrival_ns).toBeGreaterThanOrEqual(sent[i]!.sent_ns - 1000);
      expect(r.start_ns).toBeLessThanOrEqual(t.received_ns + 1000);
      ttftErrMs.push((r.first_token_ns - r.start_ns - (t.first_token_ns - t.received_ns)) / 1e6);
      for (let i = 1; i < r.chunks.length; i++) {
        const clientGap = r.chunks[i]!.arrival_ns - r.chunks[i - 1]!.arrival_ns;
        const serverGap = sent[i]!.sent_ns - sent[i - 1]!.sent_ns;
        gapErrMs.push(Math.abs(clientGap - serverGap) / 1e6);
      }
    }
    // Loose bounds on a loaded 2-core CI box; the tight figures are measured in scripts/bench.ts.
    ttftErrMs.sort((a, b) => a - b);
    gapErrMs.sort((a, b) => a - b);
    expect(ttftErrMs[0]!).toBeGreaterThanOrEqual(-0.5);
    expect(ttftErrMs[Math.floor(ttftErrMs.length / 2)]!).toBeLessThan(5);
    expect(gapErrMs[Math.floor(gapErrMs.length / 2)]!).toBeLessThan(5);

    const rs = await queryReadOnly(
      out.dbPath,
      "select count(*) as n, count(distinct x_request_id) as ids, sum(chunk_count) as chunks, bool_and(error_type is null) as ok from requests",
    );
    expect(rs.rows[0]).toEqual([24, 24, 240, true]);
    // SQL over the stored rows gives the summary's exact statistics (numpy's linear percentiles).
    const sql = await queryReadOnly(
      out.dbPath,
      `select quantile_cont(time_to_first_token, 0.5), quantile_cont(time_to_first_token, 0.99),
      quantile_cont(inter_token_latency, 0.9), min(request_latency), max(request_latency) from requests where phase = 'profiling'`,
    );
    const m = (tag: string) => out.summary.metrics.find((x) => x.tag === tag)!;
    const pct = (tag: string, key: string) => m(tag).percentiles.find((p) => p.key === key)!.value;
    const [p50, p99, itl90, minLat, maxLat] = sql.rows[0] as number[];
    expect(p50!).toBeCloseTo(pct("time_to_first_token", "p50"), 9);
    expect(p99!).toBeCloseTo(pct("time_to_first_token", "p99"), 9);
    expect(itl90!).toBeCloseTo(pct("inter_token_latency", "p90"), 9);
    expect(minLat!).toBeCloseTo(m("request_latency").min!, 9);
    expect(maxLat!).toBeCloseTo(m("request_latency").max!, 9);
    const ch = await queryReadOnly(out.dbPath, "select count(*) from chunks");
    expect(ch.rows[0]).toEqual([240]);
    const cfgRow = await queryReadOnly(out.dbPath, "select config from runs");
    expect(String(cfgRow.rows[0]![0])).not.toContain("sk-secret");
    // The API key reaches no artifact: grep every file the run wrote.
    const files = (readdirSync(out.dir, { recursive: true }) as string[]).map((f) => join(out.dir, f)).filter((f) => statSync(f).isFile());
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) expect(readFileSync(f).includes("sk-secret-should-not-leak")).toBe(false);
  }, 30_000);
});
