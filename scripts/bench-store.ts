// Results-store benchmark: ingest rate of ResultsWriter (records/s, 20 chunks each) and the wall time
// of `llmbench query` (the compiled binary, process start included) for P75 TTFT over 1,000,000
// requests. Writes bench/store.json and bench/store.md.
//   bun scripts/bench-store.ts [requests=1000000] [--ingest-only]
// --ingest-only: the ingest figures on stderr, no query and no files written (to pair two checkouts).
// BENCH_BLOCK_BYTES=16384: the file in that block size (src/store/block-size.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ResultsWriter } from "../src/store/results-db.ts";
import type { RequestRecord } from "../src/record/request-record.ts";
import { recordValues } from "../src/metrics/record-values.ts";

const ROOT = resolve(import.meta.dir, "..");
const N = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 1_000_000);
const INGEST_ONLY = process.argv.includes("--ingest-only");
const CHUNKS = 20;
const dir = mkdtempSync(join(tmpdir(), "llmbench-store-"));
const db = join(dir, "results.duckdb");

function record(i: number): RequestRecord {
  const start = 1.7e18 + i * 1e6;
  const ttft = 20e6 + (i % 97) * 1e5;
  const chunks = Array.from({ length: CHUNKS }, (_, k) => ({ arrival_ns: start + ttft + k * 5e6, tokens: 1, bytes: 120 }));
  return {
    // Shaped as the engine's (crypto.randomUUID()): 36 chars, longer than DuckDB inlines (12).
    x_request_id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
    request_index: i,
    session_num: i,
    conversation_id: `session_${i}`,
    turn_index: 0,
    worker_id: 0,
    phase: "profiling",
    url: "http://h/v1/chat/completions",
    model: "m",
    scheduled_ns: start,
    queue_ns: 0,
    start_ns: start,
    ack_ns: start + 1e6,
    first_token_ns: start + ttft,
    first_output_token_ns: start + ttft,
    last_token_ns: chunks.at(-1)!.arrival_ns,
    end_ns: chunks.at(-1)!.arrival_ns + 1e5,
    http_status: 200,
    cancelled: false,
    error: null,
    input_tokens: 550,
    requested_output_tokens: CHUNKS,
    output_tokens: CHUNKS,
    reasoning_tokens: 0,
    usage_prompt_tokens: 550,
    usage_completion_tokens: CHUNKS,
    usage_total_tokens: 550 + CHUNKS,
    usage_reasoning_tokens: null,
    chunks,
  };
}

// A refused flush drops the rows after it: the figures would be of a smaller file, so the bench fails instead.
let storeError: Error | null = null;
const writer = await ResultsWriter.create(
  db,
  { run_id: crypto.randomUUID(), tool_version: "bench", host: "h", config: "{}", started_ns: 0, ended_ns: null },
  { onError: (e) => (storeError ??= e), ...(process.env.BENCH_BLOCK_BYTES ? { blockBytes: Number(process.env.BENCH_BLOCK_BYTES) } : {}) },
);
// One options object for the run, as a run has: recordValues keeps the metrics it enables per object
// (a new object per call made it filter the metric table for every record, ~20% of this bench's time).
const RECORD_OPTS = { streaming: true };
const cpu0 = process.threadCpuUsage();
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const r = record(i);
  writer.append(r, recordValues(r, RECORD_OPTS));
  if (i % 50_000 === 0) await Bun.sleep(0); // let the periodic flush timer run, as in a real run
}
await writer.close(1);
if (storeError !== null) throw new Error(`storing failed: ${(storeError as Error).message}`);
const ingestS = (performance.now() - t0) / 1000;
const cpu = process.threadCpuUsage(cpu0);
// This thread's CPU (appends, flushes, the record's values), per record, close included.
const ingestCpuUsPerRecord = (cpu.user + cpu.system) / N;
const dbMib = Bun.file(db).size / 2 ** 20;
if (INGEST_ONLY) {
  console.error(
    JSON.stringify({ requests: N, ingest_s: ingestS, ingest_records_per_s: N / ingestS, ingest_cpu_us_per_record: ingestCpuUsPerRecord, db_mib: dbMib }),
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const bin = join(ROOT, "dist", "llmbench");
if (!existsSync(bin)) throw new Error("build dist/llmbench first (npm run build)");
const sql = "select quantile_cont(time_to_first_token, 0.75) as p75_ttft_ms from requests";
const times: number[] = [];
let answer = "";
for (let i = 0; i < 5; i++) {
  const q0 = performance.now();
  const p = Bun.spawnSync([bin, "query", db, sql, "--format", "csv"], { stdout: "pipe", stderr: "pipe" });
  times.push((performance.now() - q0) / 1000);
  answer = p.stdout.toString().trim().split("\n")[1] ?? p.stderr.toString();
}
times.sort((a, b) => a - b);
const result = {
  date: new Date().toISOString(),
  requests: N,
  chunks_per_request: CHUNKS,
  ingest_s: ingestS,
  ingest_records_per_s: N / ingestS,
  ingest_chunk_rows_per_s: (N * CHUNKS) / ingestS,
  ingest_cpu_us_per_record: ingestCpuUsPerRecord,
  db_mib: dbMib,
  query_p75_wall_s_median: times[2],
  query_p75_wall_s_min: times[0],
  query_answer_ms: answer,
};
console.error(JSON.stringify(result));
mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(join(ROOT, "bench", "store.json"), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(ROOT, "bench", "store.md"),
  `# store (${result.date})\n\n| requests | ingest records/s | ingest chunk rows/s | ingest CPU us/record | results.duckdb MiB | query P75 wall (median of 5, s) |\n|---|---|---|---|---|---|\n| ${N} | ${Math.round(result.ingest_records_per_s)} | ${Math.round(result.ingest_chunk_rows_per_s)} | ${ingestCpuUsPerRecord.toFixed(1)} | ${dbMib.toFixed(1)} | ${result.query_p75_wall_s_median!.toFixed(3)} |\n`,
);
rmSync(dir, { recursive: true, force: true });
