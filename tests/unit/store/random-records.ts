// Random but reproducible RequestRecords for property tests of the SQL summary: valid, failed and
// cancelled requests, warmup ones, multi-token and reasoning chunks, usage counts, output limits,
// schedule lateness and queueing, spread over several time slices at realistic epoch-ns times.
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { fetchTiming, type HttpTiming, type RecordError, type RequestRecord } from "../../../src/record/request-record.ts";

export interface RandomRecordOptions {
  count: number;
  seed: number;
  /** Epoch ns of the first start (default a realistic 2023 time, not an exact double). */
  baseNs?: number;
  /** Starts spread over this many ms (default 5,000). */
  spanMs?: number;
  /** Latencies clustered tightly (many values per narrow bin) instead of spread out. */
  clustered?: boolean;
}

const ERRORS: RecordError[] = [
  { code: 500, type: "http_error", message: "HTTP 500: boom" },
  { code: 503, type: "http_error", message: "HTTP 503: busy" },
  { code: 408, type: "timeout", message: "no complete response within 10 s" },
  { code: 0, type: "connection_error", message: "ECONNRESET, it's 'quoted'" },
];

export function randomRecords(o: RandomRecordOptions): RequestRecord[] {
  const rng = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const base = o.baseNs ?? 1_700_000_123_456_789_000;
  const span = o.spanMs ?? 5000;
  // HTTP stamps from their own generator, so the other fields stay what they were before they existed.
  const httpRng = mulberry32(o.seed + 1_000_003);
  const out: RequestRecord[] = [];
  for (let i = 0; i < o.count; i++) {
    const startNs = base + Math.round(rng() * span * 1e6);
    const ms = (x: number) => startNs + Math.round(x * 1e6);
    const ttft = o.clustered ? 40 + rng() * 0.05 : rng() < 0.1 ? rng() * 0.001 : 5 + rng() * 200;
    const nChunks = rng() < 0.1 ? 0 : 1 + Math.floor(rng() * 8);
    const per = rng() < 0.5 ? 1 : 1 + Math.floor(rng() * 4);
    const reasoningChunks = rng() < 0.2 ? Math.floor(rng() * nChunks) : 0;
    const chunkMs: number[] = [];
    let t = ttft;
    for (let c = 0; c < nChunks; c++) {
      chunkMs.push(t);
      t += o.clustered ? 10 + rng() * 0.02 : rng() < 0.05 ? 0 : rng() * 30;
    }
    const last = chunkMs[chunkMs.length - 1];
    const roll = rng();
    const cancelled = roll > 0.85;
    const error =
      roll > 0.7 && !cancelled ? pick(ERRORS) : cancelled && rng() < 0.7 ? { code: 499, type: "cancelled", message: "request cancelled by the client" } : null;
    const outputTokens = (nChunks - reasoningChunks) * per;
    const reasoningTokens = reasoningChunks * per;
    const inputTokens = rng() < 0.05 ? 0 : Math.floor(rng() * 2000);
    const lateMs = rng() < 0.3 ? rng() * 5 : rng() < 0.1 ? -rng() : 0;
    const firstOutput = chunkMs[reasoningChunks];
    out.push({
      x_request_id: `req-${o.seed}-${i}`,
      request_index: i,
      session_num: i,
      conversation_id: `conv-${i % 7}`,
      turn_index: 0,
      worker_id: i % 3,
      phase: rng() < 0.1 ? "warmup" : "profiling",
      url: "http://127.0.0.1:1/v1/chat/completions",
      model: "m",
      scheduled_ns: rng() < 0.05 ? 0 : startNs - Math.round(lateMs * 1e6),
      queue_ns: rng() < 0.2 ? Math.round(rng() * 3e6) : 0,
      start_ns: startNs,
      ack_ns: rng() < 0.05 ? 0 : ms(1),
      first_token_ns: nChunks > 0 ? ms(chunkMs[0]!) : 0,
      first_output_token_ns: firstOutput !== undefined ? ms(firstOutput) : 0,
      last_token_ns: last !== undefined ? ms(last) : 0,
      end_ns: ms((last ?? ttft) + rng() * 2),
      http_status: error ? error.code : 200,
      cancelled,
      error,
      input_tokens: inputTokens,
      requested_output_tokens: rng() < 0.3 ? null : rng() < 0.1 ? 0 : Math.max(1, outputTokens + reasoningTokens + Math.round((rng() - 0.5) * 10)),
      output_tokens: outputTokens,
      reasoning_tokens: reasoningTokens,
      usage_prompt_tokens: rng() < 0.3 ? null : inputTokens + Math.round((rng() - 0.5) * inputTokens * 0.3),
      usage_completion_tokens: rng() < 0.3 ? null : outputTokens + reasoningTokens + Math.floor(rng() * 3),
      usage_total_tokens: rng() < 0.3 ? null : inputTokens + outputTokens + reasoningTokens,
      usage_reasoning_tokens: reasoningTokens > 0 && rng() < 0.7 ? reasoningTokens + Math.floor(rng() * 2) : null,
      chunks: chunkMs.map((c) => ({ arrival_ns: ms(c), tokens: per, bytes: 40 + Math.floor(rng() * 100) })),
      ...randomHttp(httpRng, startNs, ms(last ?? ttft)),
    });
  }
  return out;
}

/** No trace (10 %), a fetch trace (20 %) or an http1 one: fresh or reused connection, sometimes a pool wait. */
function randomHttp(rng: () => number, startNs: number, lastNs: number): { http?: HttpTiming } {
  const roll = rng();
  if (roll < 0.1) return {};
  const firstNs = startNs + Math.round((lastNs - startNs) * rng() * 0.5);
  if (roll < 0.3) {
    return {
      http: fetchTiming(firstNs, lastNs),
    };
  }
  const reused = rng() < 0.7;
  const waitNs = rng() < 0.2 ? Math.round(rng() * 2e6) : 0;
  const connectNs = reused ? 0 : Math.round(rng() * 1e6);
  const sendStart = startNs + 2000 + waitNs + connectNs;
  const sendEnd = sendStart + Math.round(rng() * 50_000);
  return {
    http: {
      transport: "http1",
      pool_wait_start_ns: waitNs > 0 ? startNs + 1000 : 0,
      pool_wait_end_ns: waitNs > 0 ? startNs + 1000 + waitNs : 0,
      connect_start_ns: reused ? 0 : sendStart - connectNs,
      connect_end_ns: reused ? 0 : sendStart,
      send_start_ns: sendStart,
      send_end_ns: sendEnd,
      first_byte_ns: Math.max(firstNs, sendEnd),
      last_byte_ns: Math.max(lastNs, firstNs, sendEnd),
      bytes_sent: 200 + Math.floor(rng() * 5000),
      bytes_received: 300 + Math.floor(rng() * 50_000),
      writes: 1 + (rng() < 0.1 ? 1 : 0),
      reads: 1 + Math.floor(rng() * 40),
      reused,
    },
  };
}

/** The record moved in time so that it starts at `startNs` (every timestamp shifted alike). */
export function startingAt(r: RequestRecord, startNs: number): RequestRecord {
  const d = startNs - r.start_ns;
  const at = (t: number) => (t > 0 ? t + d : 0);
  return {
    ...r,
    scheduled_ns: at(r.scheduled_ns),
    start_ns: startNs,
    ack_ns: at(r.ack_ns),
    first_token_ns: at(r.first_token_ns),
    first_output_token_ns: at(r.first_output_token_ns),
    last_token_ns: at(r.last_token_ns),
    end_ns: at(r.end_ns),
    chunks: r.chunks.map((c) => ({ ...c, arrival_ns: c.arrival_ns + d })),
    ...(r.http === undefined ? {} : { http: shiftHttp(r.http, at) }),
  };
}

function shiftHttp(h: HttpTiming, at: (t: number) => number): HttpTiming {
  const opt = (t: number | null) => (t === null ? null : at(t));
  return {
    ...h,
    pool_wait_start_ns: opt(h.pool_wait_start_ns),
    pool_wait_end_ns: opt(h.pool_wait_end_ns),
    connect_start_ns: opt(h.connect_start_ns),
    connect_end_ns: opt(h.connect_end_ns),
    send_start_ns: opt(h.send_start_ns),
    send_end_ns: opt(h.send_end_ns),
    first_byte_ns: at(h.first_byte_ns),
    last_byte_ns: at(h.last_byte_ns),
  };
}
