// Does scraping the server's /metrics move the client's timing? The same 100-stream run against the
// mock (its own process, its --record as the truth) with --no-server-metrics, at the default interval
// and at 0.02 s (16x as often); for each, the TTFT and inter-chunk-gap error of the client against the
// mock's record (as scripts/bench.ts timing --mock computes them). About 30 s in all.
//   npx bun scripts/scrape-timing.ts
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { percentileSorted } from "../src/metrics/stats.ts";
import { queryReadOnly } from "../src/store/read-db.ts";
import { firstLine } from "./first-line.ts";

const ROOT = resolve(import.meta.dir, "..");
const MAIN = join(ROOT, "src/main.ts");
const CONCURRENCY = 100;
const REQUESTS = 400;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : percentileSorted(s, p);
};

async function run(mode: string, flags: string[]): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-scrape-timing-"));
  const recordPath = join(dir, "truth.jsonl");
  const mock = Bun.spawn([process.execPath, MAIN, "mock", "--port", "0", "--record", recordPath, "--ttft-ms", "20", "--itl-ms", "10"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const url = await firstLine(mock.stdout, () => "mock exited");
  const args = ["profile", "-u", url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--ui", "none", "--workers", "1"];
  args.push("--concurrency", String(CONCURRENCY), "--request-count", String(REQUESTS), "--warmup-request-count", String(CONCURRENCY));
  args.push("--isl", "32", "--osl", "50", "--artifact-dir", join(dir, "run"), ...flags);
  const client = Bun.spawn([process.execPath, MAIN, ...args], { stdout: "ignore", stderr: "pipe", cwd: dir });
  await client.exited;
  mock.kill("SIGINT");
  await mock.exited;
  const truth = new Map<string, { received_ns: number; sent: number[] }>();
  for (const line of readFileSync(recordPath, "utf8").trim().split("\n")) {
    const j = JSON.parse(line) as { request_id: string; received_ns: number; chunks: { sent_ns: number; tokens: number }[] };
    truth.set(j.request_id, { received_ns: j.received_ns, sent: j.chunks.filter((c) => c.tokens > 0).map((c) => c.sent_ns) });
  }
  const db = join(dir, "run", "results.duckdb");
  const reqs = await queryReadOnly(db, `select x_request_id, start_ns, first_token_ns from requests where phase = 'profiling' and error_type is null`);
  const chunks = await queryReadOnly(
    db,
    "select r.x_request_id, c.arrival_ns from chunks c join requests r using (run_id, seq) order by r.x_request_id, c.chunk_index",
  );
  const scrapes = await queryReadOnly(db, "select count(*) from metric_scrapes").catch(() => ({ rows: [[0]] }));
  const arrivals = new Map<string, number[]>();
  for (const [id, at] of chunks.rows) arrivals.set(String(id), [...(arrivals.get(String(id)) ?? []), Number(at)]);
  const ttft: number[] = [];
  const gap: number[] = [];
  for (const [id, start, first] of reqs.rows) {
    const t = truth.get(String(id));
    if (t === undefined || t.sent.length === 0) continue;
    ttft.push((Number(first) - Number(start) - (t.sent[0]! - t.received_ns)) / 1e6);
    const a = arrivals.get(String(id)) ?? [];
    for (let i = 1; i < Math.min(a.length, t.sent.length); i++) gap.push(Math.abs(a[i]! - a[i - 1]! - (t.sent[i]! - t.sent[i - 1]!)) / 1e6);
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    mode,
    requests: reqs.rows.length,
    scrapes: Number(scrapes.rows[0]?.[0] ?? 0),
    ttft_err_p50_ms: +pct(ttft, 50).toFixed(3),
    ttft_err_p99_ms: +pct(ttft, 99).toFixed(3),
    gap_err_p50_ms: +pct(gap, 50).toFixed(3),
    gap_err_p99_ms: +pct(gap, 99).toFixed(3),
  };
}

const rows = [
  await run("off", ["--no-server-metrics", "--no-gpu-telemetry"]),
  await run("every 0.333 s (default)", ["--no-gpu-telemetry"]),
  await run("every 0.02 s", ["--no-gpu-telemetry", "--server-metrics-interval", "0.02"]),
];
console.table(rows);
