// Sends one streaming request with fetch and times every SSE event on arrival.
// Every outcome (success, HTTP error, transport error, timeout, cancel) becomes one RequestRecord.
import { SseParser } from "./sse-parser.ts";
import { interpretChunk } from "./openai-chunk.ts";
import type { ChunkTiming, RecordError, RequestRecord } from "../record/request-record.ts";
import { epochNs } from "../runtime/clock.ts";

export interface StreamRequest {
  url: string;
  endpoint: "chat" | "completions";
  body: Record<string, unknown>;
  headers: Record<string, string>;
  requestId: string;
  timeoutMs: number;
  /** Aborts the request; it is recorded as cancelled (code 499). */
  cancel?: AbortSignal;
  /** Counts output tokens in a piece of text (tokenizer, or an estimate). */
  countTokens(text: string): number;
}

export type RecordIdentity = Pick<
  RequestRecord,
  "request_index" | "session_num" | "turn_index" | "worker_id" | "phase" | "model" | "scheduled_ns" | "input_tokens"
>;

const MAX_ERROR_BODY_CHARS = 500;

export async function sendStreaming(req: StreamRequest, id: RecordIdentity): Promise<RequestRecord> {
  const rec: RequestRecord = {
    ...id,
    x_request_id: req.requestId,
    url: req.url,
    start_ns: 0,
    ack_ns: 0,
    first_token_ns: 0,
    last_token_ns: 0,
    end_ns: 0,
    http_status: 0,
    cancelled: false,
    error: null,
    output_tokens: 0,
    reasoning_tokens: 0,
    usage_prompt_tokens: null,
    usage_completion_tokens: null,
    usage_reasoning_tokens: null,
    chunks: [],
  };
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.cancel ? AbortSignal.any([timeout, req.cancel]) : timeout;
  const fail = (e: RecordError): RequestRecord => {
    rec.error = e;
    rec.end_ns = rec.end_ns || epochNs();
    return rec;
  };
  const abortReason = (): RecordError | null => {
    if (req.cancel?.aborted) {
      rec.cancelled = true;
      return { code: 499, type: "cancelled", message: "request cancelled by the client" };
    }
    if (timeout.aborted) return { code: 408, type: "timeout", message: `no complete response within ${req.timeoutMs / 1000} s` };
    return null;
  };

  let res: Response;
  rec.start_ns = epochNs();
  try {
    res = await fetch(req.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...req.headers, "x-request-id": req.requestId },
      body: JSON.stringify(req.body),
      signal,
    });
  } catch (e) {
    return fail(abortReason() ?? { code: 0, type: "connection_error", message: errorMessage(e) });
  }
  rec.ack_ns = epochNs();
  rec.http_status = res.status;
  if (!res.ok) {
    const text = await res.text().catch(() => "");
    return fail({ code: res.status, type: "http_error", message: httpErrorMessage(res.status, text) });
  }

  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  let done = false;
  let streamError: RecordError | null = null;
  try {
    while (!done && streamError === null) {
      const { value, done: eof } = await reader.read();
      const now = epochNs();
      const events = eof ? [...parser.feed(decoder.decode()), ...parser.end()] : parser.feed(decoder.decode(value, { stream: true }));
      for (const ev of events) {
        const info = interpretChunk(ev.data, req.endpoint);
        if (info.kind === "done") {
          done = true;
          break;
        }
        if (info.kind === "error") {
          streamError = { code: info.code ?? 500, type: info.type ?? "server_error", message: info.message };
          break;
        }
        if (info.kind === "malformed") {
          streamError = { code: 0, type: "malformed_response", message: `${info.reason}: ${info.raw.slice(0, 200)}` };
          break;
        }
        if (info.usage) {
          rec.usage_prompt_tokens = info.usage.prompt_tokens;
          rec.usage_completion_tokens = info.usage.completion_tokens;
          rec.usage_reasoning_tokens = info.usage.reasoning_tokens;
        }
        const content = info.content ? req.countTokens(info.content) : 0;
        const reasoning = info.reasoning ? req.countTokens(info.reasoning) : 0;
        if (content + reasoning === 0) continue;
        if (rec.first_token_ns === 0) rec.first_token_ns = now;
        rec.last_token_ns = now;
        rec.output_tokens += content;
        rec.reasoning_tokens += reasoning;
        const chunk: ChunkTiming = { arrival_ns: now, tokens: content + reasoning, bytes: Buffer.byteLength(ev.data) };
        rec.chunks.push(chunk);
      }
      if (eof) break;
    }
  } catch (e) {
    return fail(abortReason() ?? { code: 0, type: "connection_error", message: `stream broken: ${errorMessage(e)}` });
  } finally {
    if (!done) await reader.cancel().catch(() => {});
  }
  rec.end_ns = epochNs();
  if (streamError) return fail(streamError);
  if (!done) return fail({ code: 0, type: "incomplete_response", message: "stream ended without data: [DONE]" });
  return rec;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The server's own error message when the body is OpenAI-style JSON, else the (truncated) body. */
export function httpErrorMessage(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof j.error === "object" ? j.error?.message : (j.error ?? j.message);
    if (typeof m === "string" && m) return `HTTP ${status}: ${m.slice(0, MAX_ERROR_BODY_CHARS)}`;
  } catch {
    // not JSON: fall through
  }
  const trimmed = body.trim().slice(0, MAX_ERROR_BODY_CHARS);
  return trimmed ? `HTTP ${status}: ${trimmed}` : `HTTP ${status}`;
}
