// Builds RequestRecords for tests from millisecond offsets, so expectations read in ms.
import type { BenchmarkPhase, RequestRecord } from "../../src/record/request-record.ts";

const T0 = 1_700_000_000_000_000_000;

export interface RecordSpec {
  ttftMs?: number;
  /** Arrival offsets of each chunk (ms from start); default: one chunk at ttft. */
  chunkMs?: number[];
  tokensPerChunk?: number;
  endMs?: number;
  error?: RequestRecord["error"];
  cancelled?: boolean;
  /** Epoch ns of the request start (default 1.7e18; pick a value below 2^53 for exact ns arithmetic). */
  startNs?: number;
  /** The first N chunks carry reasoning tokens only (default 0): they count toward TTFT, not TTFO. */
  reasoningChunks?: number;
  inputTokens?: number;
  requestedOutputTokens?: number | null;
  usage?: { prompt?: number; completion?: number; total?: number; reasoning?: number };
  phase?: BenchmarkPhase;
  /** Response headers (ms from start; default 1, 0 = never). */
  ackMs?: number;
  workerId?: number;
}

export function makeRecord(s: RecordSpec, index = 0): RequestRecord {
  const base = s.startNs ?? T0;
  const ms = (v: number) => base + Math.round(v * 1e6);
  const chunkMs = s.chunkMs ?? (s.ttftMs !== undefined ? [s.ttftMs] : []);
  const per = s.tokensPerChunk ?? 1;
  const reasoningChunks = Math.min(s.reasoningChunks ?? 0, chunkMs.length);
  const firstOutput = chunkMs[reasoningChunks];
  const last = chunkMs[chunkMs.length - 1];
  return {
    x_request_id: `req-${index}`,
    request_index: index,
    session_num: index,
    conversation_id: "",
    turn_index: 0,
    worker_id: s.workerId ?? 0,
    phase: s.phase ?? "profiling",
    url: "http://127.0.0.1:1/v1/chat/completions",
    model: "m",
    scheduled_ns: ms(0),
    queue_ns: 0,
    start_ns: ms(0),
    ack_ns: s.ackMs === 0 ? 0 : ms(s.ackMs ?? 1),
    first_token_ns: chunkMs.length ? ms(chunkMs[0]!) : 0,
    first_output_token_ns: firstOutput !== undefined ? ms(firstOutput) : 0,
    last_token_ns: last !== undefined ? ms(last) : 0,
    end_ns: ms(s.endMs ?? (last ?? 0) + 0.5),
    http_status: s.error ? s.error.code : 200,
    cancelled: s.cancelled ?? false,
    error: s.error ?? null,
    input_tokens: s.inputTokens ?? 10,
    requested_output_tokens: s.requestedOutputTokens ?? null,
    output_tokens: (chunkMs.length - reasoningChunks) * per,
    reasoning_tokens: reasoningChunks * per,
    usage_prompt_tokens: s.usage?.prompt ?? null,
    usage_completion_tokens: s.usage?.completion ?? null,
    usage_total_tokens: s.usage?.total ?? null,
    usage_reasoning_tokens: s.usage?.reasoning ?? null,
    chunks: chunkMs.map((c) => ({ arrival_ns: ms(c), tokens: per, bytes: 40 })),
  };
}
