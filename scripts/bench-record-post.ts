// What handing finished records to another thread costs: batches of 16 records (20 chunks each, with
// their HTTP timing) posted as objects (structured clone) or encoded (record-codec.ts: one transferred
// Float64Array and one string). Medians over alternating rounds of each thread's CPU time per batch:
// the posting thread's (encoding included) and the receiving thread's (decoding included).
//   bun scripts/bench-record-post.ts [batches=2000] [rounds=5]
// Prints one JSON line per way. Bench tooling.
import { encodeRecords } from "../src/record/record-codec.ts";
import type { RequestRecord } from "../src/record/request-record.ts";
import { median } from "./bench-pairs.ts";

const BATCHES = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PER_BATCH = 16;
const CHUNKS = 20;

function record(i: number): RequestRecord {
  const t0 = 1.7e18 + i * 1e6;
  return {
    x_request_id: crypto.randomUUID(),
    x_correlation_id: crypto.randomUUID(),
    request_index: i,
    session_num: i,
    conversation_id: `session_${i}`,
    turn_index: 0,
    worker_id: 0,
    phase: "profiling",
    url: "http://127.0.0.1:8000/v1/chat/completions",
    model: "mock-model",
    scheduled_ns: t0,
    queue_ns: 0,
    start_ns: t0,
    ack_ns: t0 + 1e6,
    first_token_ns: t0 + 5e7,
    first_output_token_ns: t0 + 5e7,
    last_token_ns: t0 + 2e9,
    end_ns: t0 + 2e9 + 1e5,
    http_status: 200,
    cancelled: false,
    error: null,
    input_tokens: 32,
    requested_output_tokens: CHUNKS,
    output_tokens: CHUNKS,
    reasoning_tokens: 0,
    usage_prompt_tokens: null,
    usage_completion_tokens: null,
    usage_total_tokens: null,
    usage_reasoning_tokens: null,
    chunks: Array.from({ length: CHUNKS }, (_, k) => ({ arrival_ns: t0 + 5e7 + k * 1e8, tokens: 1, bytes: 120 })),
    http: {
      transport: "http1",
      pool_wait_start_ns: 0,
      pool_wait_end_ns: 0,
      connect_start_ns: 0,
      connect_end_ns: 0,
      send_start_ns: t0 + 1e4,
      send_end_ns: t0 + 2e4,
      first_byte_ns: t0 + 1e6,
      last_byte_ns: t0 + 2e9,
      bytes_sent: 600,
      bytes_received: 5000,
      writes: 1,
      reads: 21,
      reused: true,
    },
  };
}

const cpuUs = (): number => {
  const u = process.threadCpuUsage();
  return u.user + u.system;
};
const worker = new Worker(new URL("./bench-record-post-worker.ts", import.meta.url).href);
const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: PER_BATCH }, (_, i) => record(b * PER_BATCH + i)));

/** One round: every batch posted one way; the posting thread's and the receiver's time per batch (us). */
async function round(way: "objects" | "encoded"): Promise<{ sender_us: number; receiver_us: number }> {
  const done = new Promise<{ cpu_us: number; seen: number }>((resolve) => {
    worker.onmessage = (e: MessageEvent<{ cpu_us: number; seen: number }>) => resolve(e.data);
  });
  worker.postMessage({ start: true });
  let sender = 0;
  for (let b = 0; b < BATCHES; b++) {
    const t = cpuUs();
    if (way === "objects") worker.postMessage({ records: batches[b] });
    else {
      const batch = encodeRecords(batches[b]!);
      worker.postMessage({ batch }, [batch.nums.buffer as ArrayBuffer]);
    }
    sender += cpuUs() - t;
    // Spaced as a run spaces its batches, so the receiver is not handed one long queue.
    if (b % 8 === 7) await Bun.sleep(1);
  }
  worker.postMessage({ end: true });
  const receiver = await done;
  if (receiver.seen % (BATCHES * PER_BATCH) !== 0) throw new Error(`the receiver saw ${receiver.seen} records`);
  return { sender_us: sender / BATCHES, receiver_us: receiver.cpu_us / BATCHES };
}

const runs: Record<string, { sender_us: number; receiver_us: number }[]> = { objects: [], encoded: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const way of ["objects", "encoded"] as const) runs[way]!.push(await round(way));
}
worker.terminate();
for (const [way, rs] of Object.entries(runs)) {
  const sender = median(rs.map((x) => x.sender_us));
  const receiver = median(rs.map((x) => x.receiver_us));
  console.log(
    JSON.stringify({
      way,
      records_per_batch: PER_BATCH,
      chunks_per_record: CHUNKS,
      batches: BATCHES,
      rounds: ROUNDS,
      sender_us_per_batch: sender,
      receiver_us_per_batch: receiver,
      sender_us_per_record: sender / PER_BATCH,
      receiver_us_per_record: receiver / PER_BATCH,
    }),
  );
}
