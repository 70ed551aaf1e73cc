// Sharded runs, measured; results in bench/shards.json and bench/shards.md.
//
//   bun scripts/bench-shards.ts local [RATE] [SECONDS]   one process vs 4 shard processes on this machine,
//        the same open-loop schedule (poisson, streaming) against llmbench mock in its own process:
//        requests, achieved rate, send lag, each shard's start against the common --start-at (the skew),
//        and the merge's wall time
//   bun scripts/bench-shards.ts merge [REQUESTS]         `llmbench merge` of 4 shard files holding REQUESTS
//        requests in all (default 1,000,000; 8 chunks each, 10 s slices), synthetic records stored by the
//        run's own writer with their statistics and slice histograms, as finished shard runs leave them:
//        the merge's wall time and peak RSS
//
// Client and mock share the 2 cores here: compare within one run, not across machines.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type ProfileConfig, parseProfileFlags, redactedConfig, resolveProfileConfig } from "../src/config/profile-config.ts";
import { recordValues } from "../src/metrics/record-values.ts";
import { percentileSorted } from "../src/metrics/stats.ts";
import type { RequestRecord } from "../src/record/request-record.ts";
import { jsonlLine } from "../src/report/profile-jsonl.ts";
import { computeResults } from "../src/run/exports.ts";
import { arrivalOffsetsNs } from "../src/schedule/arrivals.ts";
import { queryReadOnly } from "../src/store/read-db.ts";
import { LineWriter } from "../src/store/line-writer.ts";
import { ResultsWriter } from "../src/store/results-db.ts";
import { firstLine } from "./first-line.ts";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
const MAIN = join(ROOT, "src/main.ts");
/** The compiled binary when built (npm run build): shards start in about half the time of the sources. */
const LLMBENCH = existsSync(join(ROOT, "dist", "llmbench")) ? [join(ROOT, "dist", "llmbench")] : [BUN, MAIN];
const SHARDS = 4;

const pct = (xs: number[], p: number): number => {
  const s = Float64Array.from(xs).sort();
  return s.length ? percentileSorted(s, p) : Number.NaN;
};
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

async function startMock(): Promise<{ url: string; proc: ReturnType<typeof Bun.spawn> }> {
  const proc = Bun.spawn([...LLMBENCH, "mock", "--port", "0", "--ttft-ms", "20", "--itl-ms", "5"], { stdout: "pipe", stderr: "ignore" });
  return { url: await firstLine(proc.stdout, () => "mock exited before printing its URL"), proc };
}

/** The requests of one or more run files, with what the schedule said. */
async function sends(db: string): Promise<{ runId: string; session: number; scheduled: number; start: number }[]> {
  const rs = await queryReadOnly(db, "select run_id, session_num, scheduled_ns, start_ns from requests where phase = 'profiling' and start_ns > 0");
  return rs.rows.map((r) => ({ runId: String(r[0]), session: Number(r[1]), scheduled: Number(r[2]), start: Number(r[3]) }));
}

interface LocalResult {
  mode: string;
  requests: number;
  achieved_rate: number;
  send_lag_p50_ms: number;
  send_lag_p99_ms: number;
  /** Each process's first send minus when the common schedule had it due (startAt + its offset), ms. */
  first_send_after_due_ms: number[];
  start_skew_ms: number | null;
  start_lag_ms: number[];
  merge_s: number | null;
  peak_rss_mib: number[];
}

async function local(rate: number, seconds: number): Promise<Record<string, unknown>> {
  const mock = await startMock();
  const dir = mkdtempSync(join(tmpdir(), "llmbench-shards-"));
  const count = rate * seconds;
  const common = ["-u", mock.url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--isl", "16", "--osl", "16", "--ui", "none", "--no-preflight"];
  common.push("--request-rate", String(rate), "--request-count", String(count), "--random-seed", "3");
  const offsets = arrivalOffsetsNs({ pattern: "poisson", ratePerSec: rate, maxCount: count, seed: 3 });
  const results: LocalResult[] = [];
  for (const n of [1, SHARDS]) {
    // Ample time for N processes to start on 2 shared cores (each loads the o200k tokenizer twice, ~1.5 s each).
    const startAtMs = Math.ceil((Date.now() + 30_000) / 1000) * 1000;
    const startAt = new Date(startAtMs).toISOString();
    const procs = Array.from({ length: n }, (_, i) => {
      const shard = n > 1 ? ["--shard-count", String(n), "--shard-index", String(i)] : [];
      return Bun.spawn([...LLMBENCH, "profile", ...common, ...shard, "--start-at", startAt, "--artifact-dir", join(dir, `n${n}`, `shard-${i}`)], {
        stdout: "ignore",
        stderr: "ignore",
      });
    });
    const codes = await Promise.all(procs.map((p) => p.exited));
    const peak = procs.map((p) => Math.round((p.resourceUsage()?.maxRSS ?? 0) / 2 ** 20));
    let db = join(dir, `n${n}`, "shard-0", "results.duckdb");
    let mergeS: number | null = null;
    if (n > 1) {
      const t0 = performance.now();
      const m = Bun.spawn([...LLMBENCH, "merge", join(dir, `n${n}`, "merged"), "--shards-in", join(dir, `n${n}`)], { stdout: "ignore", stderr: "ignore" });
      await m.exited;
      mergeS = (performance.now() - t0) / 1000;
      db = join(dir, `n${n}`, "merged", "results.duckdb");
    }
    const rows = await sends(db);
    const lags = await queryReadOnly(db, "select run_id, start_lag_ns from runs where start_lag_ns is not null");
    const lagBy = new Map(lags.rows.map((r) => [String(r[0]), Number(r[1])]));
    const starts = rows.map((r) => r.start).sort((a, b) => a - b);
    // Per process: its earliest request's send against the common schedule (startAt + the arrival's offset).
    const firstByRun = new Map<string, { start: number; session: number }>();
    for (const r of rows) {
      const f = firstByRun.get(r.runId);
      if (f === undefined || r.session < f.session) firstByRun.set(r.runId, { start: r.start, session: r.session });
    }
    const firstAfterDue = [...firstByRun.values()].map((f) => (f.start - (startAtMs * 1e6 + offsets[f.session]!)) / 1e6);
    results.push({
      mode: n === 1 ? "one process" : `${n} shard processes`,
      requests: rows.length,
      achieved_rate: round(((starts.length - 1) * 1e9) / (starts.at(-1)! - starts[0]!), 2),
      send_lag_p50_ms: round(
        pct(
          rows.map((r) => (r.start - r.scheduled) / 1e6),
          50,
        ),
      ),
      send_lag_p99_ms: round(
        pct(
          rows.map((r) => (r.start - r.scheduled) / 1e6),
          99,
        ),
      ),
      first_send_after_due_ms: firstAfterDue.map((x) => round(x)),
      start_skew_ms: n > 1 ? round(Math.max(...firstAfterDue) - Math.min(...firstAfterDue)) : null,
      start_lag_ms: [...lagBy.values()].map((x) => round(x / 1e6)),
      merge_s: mergeS === null ? null : round(mergeS, 2),
      peak_rss_mib: peak,
    });
    console.error(`local: ${JSON.stringify(results.at(-1))} (exit ${codes.join(",")})`);
  }
  mock.proc.kill("SIGINT");
  await mock.proc.exited;
  rmSync(dir, { recursive: true, force: true });
  return { rate, seconds, results };
}

/** A synthetic request: 4,000 req/s over all shards, TTFT 20-80 ms, 8 chunks 5-15 ms apart, 1 in 100 failing. */
function syntheticRecord(g: number, t0: number): RequestRecord {
  const h = (x: number) => (Math.imul(x ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;
  const sched = t0 + g * 250_000;
  const start = sched + 20_000;
  const fail = h(g * 3) < 0.01;
  const ttft = 20e6 + Math.round(h(g) * 60e6);
  const itl = 5e6 + Math.round(h(g * 7 + 1) * 10e6);
  const chunks = fail ? [] : Array.from({ length: 8 }, (_, c) => ({ arrival_ns: start + ttft + c * itl, tokens: 1, bytes: 96 }));
  const last = chunks.at(-1)?.arrival_ns ?? 0;
  return {
    x_request_id: crypto.randomUUID(),
    request_index: g,
    session_num: g,
    conversation_id: `session_${g % 100}`,
    turn_index: 0,
    worker_id: 0,
    phase: "profiling",
    url: "http://gpu:8000/v1/chat/completions",
    model: "mock-model",
    scheduled_ns: sched,
    queue_ns: 0,
    start_ns: start,
    ack_ns: start + 1e6,
    first_token_ns: chunks[0]?.arrival_ns ?? 0,
    first_output_token_ns: chunks[0]?.arrival_ns ?? 0,
    last_token_ns: last,
    end_ns: fail ? start + 2e6 : last + 100_000,
    http_status: fail ? 500 : 200,
    cancelled: false,
    error: fail ? { code: 500, type: "http_error", message: "Internal Server Error" } : null,
    input_tokens: 550,
    requested_output_tokens: 8,
    output_tokens: chunks.length,
    reasoning_tokens: 0,
    usage_prompt_tokens: fail ? null : 550,
    usage_completion_tokens: fail ? null : 8,
    usage_total_tokens: fail ? null : 558,
    usage_reasoning_tokens: null,
    chunks,
  };
}

/** A finished shard's results.duckdb as its run leaves it: written by the run's own writer, its statistics and slice histograms computed. */
async function syntheticShard(path: string, index: number, n: number, cfg: ProfileConfig): Promise<void> {
  const t0 = 1_800_000_000_000_000_000;
  const run = {
    run_id: crypto.randomUUID(),
    tool_version: "bench",
    host: `shard-${index}`,
    config: JSON.stringify(redactedConfig(cfg)),
    started_ns: t0,
    ended_ns: null,
    start_lag_ns: 0,
  };
  const writer = await ResultsWriter.create(path, run);
  const jsonl = new LineWriter(join(dirname(path), "profile_export.jsonl"));
  const recordOpts = { streaming: true, slos: [], timed: true };
  for (let k = 0; k < n; k++) {
    const r = syntheticRecord(k * SHARDS + index, t0);
    const values = recordValues(r, recordOpts);
    writer.append(r, values);
    const line = jsonlLine(r, values);
    if (line !== null) jsonl.write(line);
    if (k % 20_000 === 0) writer.flush();
  }
  await jsonl.close();
  await computeResults(writer, { cfg, recordOpts, requestedRatePerSec: 4000 / SHARDS });
  await writer.close(t0 + 300e9);
}

async function merge(total: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-merge-bench-"));
  const per = Math.ceil(total / SHARDS);
  const t0 = performance.now();
  for (let i = 0; i < SHARDS; i++) {
    const raw = { model: "mock-model", url: ["http://gpu:8000"], streaming: true, "request-rate": "4000", "request-count": String(total) };
    const { flags, given } = parseProfileFlags({
      ...raw,
      "shard-count": String(SHARDS),
      "shard-index": String(i),
      "slice-duration": "10",
      "start-at": "2027-01-15T08:00:00Z",
    });
    const { config, problems } = resolveProfileConfig(flags, { given, stderrIsTTY: false });
    if (problems.length > 0) throw new Error(problems.join("; "));
    mkdirSync(join(dir, `shard-${i}`, "logs"), { recursive: true });
    await syntheticShard(join(dir, `shard-${i}`, "results.duckdb"), i, per, config);
  }
  const setupS = (performance.now() - t0) / 1000;
  const sizeMiB = Array.from({ length: SHARDS }, (_, i) => Bun.file(join(dir, `shard-${i}`, "results.duckdb")).size / 2 ** 20).reduce((a, b) => a + b, 0);
  console.error(`merge: ${SHARDS} shard files of ${per} requests built in ${setupS.toFixed(1)} s (${sizeMiB.toFixed(0)} MiB)`);
  const t1 = performance.now();
  const p = Bun.spawn([...LLMBENCH, "merge", join(dir, "merged"), "--shards-in", dir], { stdout: "ignore", stderr: "pipe" });
  const code = await p.exited;
  const wallS = (performance.now() - t1) / 1000;
  const err = await new Response(p.stderr).text();
  const log = existsSync(join(dir, "merged", "logs", "llmbench.log")) ? readFileSync(join(dir, "merged", "logs", "llmbench.log"), "utf8") : err;
  const steps = /merged in [\d.]+ s into \S+ \(([^)]*)\)/.exec(log)?.[1] ?? "";
  const result = {
    requests: per * SHARDS,
    shards: SHARDS,
    chunks_per_request: 8,
    shard_files_mib: Math.round(sizeMiB),
    exit: code,
    merge_wall_s: round(wallS, 2),
    // A child's maxRSS is in bytes (process.resourceUsage(), in-process, gives KiB).
    peak_rss_mib: Math.round((p.resourceUsage()?.maxRSS ?? 0) / 2 ** 20),
    steps,
  };
  console.error(`merge: ${JSON.stringify(result)}`);
  if (code !== 0) console.error(err.slice(-2000));
  rmSync(dir, { recursive: true, force: true });
  return { results: [result] };
}

function markdown(name: string, data: { results: Record<string, unknown>[] }): string {
  const cols = Object.keys(data.results[0] ?? {});
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(" / ") : String(v));
  const rows = data.results.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`);
  return [`## ${name}`, "", `| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`, ...rows, ""].join("\n");
}

const [mode, arg1, arg2] = process.argv.slice(2);
let data: Record<string, unknown>;
if (mode === "local") data = await local(Number(arg1 ?? 400), Number(arg2 ?? 10));
else if (mode === "merge") data = await merge(Number(arg1 ?? 1_000_000));
else throw new Error("usage: bun scripts/bench-shards.ts local [RATE] [SECONDS] | merge [REQUESTS]");
const stamp = `${new Date().toISOString()}, Bun ${Bun.version}, ${navigator.hardwareConcurrency} cores`;
mkdirSync(join(ROOT, "bench"), { recursive: true });
const jsonPath = join(ROOT, "bench", "shards.json");
const all = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, "utf8")) as Record<string, unknown>) : {};
all[mode] = { stamp, ...data };
writeFileSync(jsonPath, `${JSON.stringify(all, null, 2)}\n`);
const md = ["# sharded runs (scripts/bench-shards.ts)", ""];
for (const [k, v] of Object.entries(all)) md.push(`${markdown(k, v as { results: Record<string, unknown>[] })}\n(${(v as { stamp: string }).stamp})\n`);
writeFileSync(join(ROOT, "bench", "shards.md"), md.join("\n"));
