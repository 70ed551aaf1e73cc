// Builds RequestRecords for tests from millisecond offsets, so expectations read in ms.
import type { RequestRecord } from "../../src/record/request-record.ts";

const T0 = 1_700_000_000_000_000_000;
const ms = (v: number) => T0 + Math.round(v * 1e6);

export interface RecordSpec {
  ttftMs?: number;
  /** Arrival offsets of each chunk (ms from start); default: one chunk at ttft. */
  chunkMs?: number[];
  tokensPerChunk?: number;
  endMs?: number;
  error?: RequestRecord["error"];
  cancelled?: boolean;
}

export function makeRecord(s: RecordSpec, index = 0): RequestRecord {
  const chunkMs = s.chunkMs ?? (s.ttftMs !== undefined ? [s.ttftMs] : []);
  const per = s.tokensPerChunk ?? 1;
  const last = chunkMs[chunkMs.length - 1];
  return {
    x_request_id: `req-${index}`,
    request_index: index,
    session_num: index,
    turn_index: 0,
    worker_id: 0,
    phase: "profiling",
    url: "http://127.0.0.1:1/v1/chat/completions",
    model: "m",
    scheduled_ns: ms(0),
    start_ns: ms(0),
    ack_ns: ms(1),
    first_token_ns: chunkMs.length ? ms(chunkMs[0]!) : 0,
    last_token_ns: last !== undefined ? ms(last) : 0,
    end_ns: ms(s.endMs ?? (last ?? 0) + 0.5),
    http_status: s.error ? s.error.code : 200,
    cancelled: s.cancelled ?? false,
    error: s.error ?? null,
    input_tokens: 10,
    output_tokens: chunkMs.length * per,
    reasoning_tokens: 0,
    usage_prompt_tokens: null,
    usage_completion_tokens: null,
    usage_reasoning_tokens: null,
    chunks: chunkMs.map((c) => ({ arrival_ns: ms(c), tokens: per, bytes: 40 })),
  };
}
