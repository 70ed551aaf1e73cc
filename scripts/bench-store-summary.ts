// One size of `bun scripts/bench.ts store-summary`: appends N synthetic records (20 chunks each, 1% failed,
// open-loop with some queueing, 1,000 req/s of start times) through ResultsWriter as a run's sink would
// (values computed once per record), then times the end-of-run SQL: summary, 10 s slices (with their HDR
// histograms), schedule report and counts. Prints one JSON line with times and RSS after each step.
//   bun scripts/bench-store-summary.ts N
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32 } from "../src/dataset/seeded-rng.ts";
import { parseGoodput } from "../src/metrics/goodput.ts";
import { recordValues } from "../src/metrics/record-values.ts";
import type { SummaryOptions } from "../src/metrics/summary.ts";
import type { RequestRecord } from "../src/record/request-record.ts";
import { ResultsWriter } from "../src/store/results-db.ts";

const N = Number(process.argv[2] ?? 50_000);
const CHUNKS = 20;
const BASE_NS = 1_700_000_000_000_000_000;
const rng = mulberry32(42);

function record(i: number): RequestRecord {
  const start = BASE_NS + i * 1e6 + Math.round(rng() * 1e6);
  const queue = rng() < 0.05 ? Math.round(rng() * 5e6) : 0;
  const ttft = 20e6 + Math.round(rng() * 30e6);
  const chunks = [];
  let t = start + ttft;
  for (let k = 0; k < CHUNKS; k++) {
    chunks.push({ arrival_ns: t, tokens: 1, bytes: 120 });
    t += 4e6 + Math.round(rng() * 2e6);
  }
  const failed = rng() < 0.01;
  const last = chunks.at(-1)!.arrival_ns;
  return {
    x_request_id: `req-${i}`,
    request_index: i,
    session_num: i,
    conversation_id: `session_${i}`,
    turn_index: 0,
    worker_id: i % 4,
    phase: "profiling",
    url: "http://h/v1/chat/completions",
    model: "m",
    scheduled_ns: start - queue - Math.round(rng() * 2e5),
    queue_ns: queue,
    start_ns: start,
    ack_ns: start + 1e6,
    first_token_ns: start + ttft,
    first_output_token_ns: start + ttft,
    last_token_ns: last,
    end_ns: last + 1e5,
    http_status: failed ? 500 : 200,
    cancelled: false,
    error: failed ? { code: 500, type: "http_error", message: "HTTP 500: boom" } : null,
    input_tokens: 500 + Math.floor(rng() * 100),
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

const rssMiB = () => {
  if (process.env.FORCE_GC) Bun.gc(true);
  return Math.round(process.memoryUsage().rss / 1048576);
};
const heapMiB = () => Math.round(process.memoryUsage().heapUsed / 1048576);
const secs = (t0: number) => Math.round(performance.now() - t0) / 1000;
/** CPU seconds of the whole process (all threads) since `c0`: the figure the shared box's load distorts least. */
const cpuSecs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return Math.round((c.user + c.system) / 1000) / 1000;
};

const opts: SummaryOptions = {
  streaming: true,
  timed: true,
  slos: parseGoodput(["time_to_first_token:40 inter_token_latency:6"]).slos,
  percentiles: [99.9],
};
const dir = mkdtempSync(join(tmpdir(), "llmbench-store-summary-"));
const writer = await ResultsWriter.create(
  join(dir, "results.duckdb"),
  { run_id: "bench", tool_version: "bench", host: "h", config: "{}", started_ns: 0, ended_ns: null },
  { memoryLimit: process.env.MEMORY_LIMIT },
);
let t0 = performance.now();
const rss_start_mib = rssMiB();
for (let i = 0; i < N; i++) {
  const r = record(i);
  writer.append(r, recordValues(r, opts));
  if (i % 5_000 === 0) await Bun.sleep(0); // lets the periodic flush run, as between a run's batches
}
writer.flush();
const append_s = secs(t0);
console.error(`store-summary ${N}: appended in ${append_s} s; summarizing`);
const rss_after_append_mib = rssMiB();

t0 = performance.now();
let c0 = process.cpuUsage();
const summary = await writer.summary(opts);
const summary_s = secs(t0);
const summary_cpu_s = cpuSecs(c0);
const rss_after_summary_mib = rssMiB();

console.error(`store-summary ${N}: summary in ${summary_s} s; slices`);
t0 = performance.now();
c0 = process.cpuUsage();
const slices = await writer.sliceSummaries(opts, 10e9);
const slices_s = secs(t0);
const slices_cpu_s = cpuSecs(c0);
const rss_after_slices_mib = rssMiB();

t0 = performance.now();
const schedule = await writer.scheduleReport({ requestedRatePerSec: 1000, streaming: true });
const counts = await writer.counts();
const schedule_and_counts_s = secs(t0);
const rss_after_all_mib = rssMiB();
await writer.close(1);
rmSync(dir, { recursive: true, force: true });

if (summary.recordCount !== N || counts.profiling !== N || schedule.requests !== N) throw new Error("counts do not add up");
console.log(
  JSON.stringify({
    requests: N,
    chunks_per_request: CHUNKS,
    append_s,
    append_records_per_s: Math.round(N / append_s),
    summary_s,
    summary_cpu_s,
    slices: slices.length,
    slices_s,
    slices_cpu_s,
    schedule_and_counts_s,
    rss_start_mib,
    rss_after_append_mib,
    rss_after_summary_mib,
    rss_after_slices_mib,
    rss_after_all_mib,
    heap_used_mib: heapMiB(),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    p99_ttft_ms: summary.metrics.find((m) => m.tag === "time_to_first_token")!.percentiles.find((p) => p.key === "p99")!.value,
  }),
);
