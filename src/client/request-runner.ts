// Runs one request over a Transport and turns everything that happened into one RequestRecord:
// SSE events are parsed and timestamped with the arrival time of the bytes that completed them.
// Every outcome (success, HTTP error, transport error, timeout, cancel) yields exactly one record.
// A 200 without any content (only `choices: []`, usage or [DONE]; an empty non-streaming body) is an
// error, as in AIPerf. `data: [DONE]` ends the request at once (end_ns): it does not wait for the
// body or the connection to close. The record is handed back when the transport has read the body's
// end (microseconds later from a well-behaved server, and the connection is free for the next
// request) or after DONE_GRACE_MS, when the transport is aborted (a server that keeps the body open).
import { SseParser } from "./sse-parser.ts";
import type { ChunkInfo } from "./openai-chunk.ts";
import type { ResponseReader } from "./response-reader-types.ts";
import { responseReader } from "./response-reader.ts";
import type { TokenCounter } from "./token-counter.ts";
import { COUNT_SLICE_CHARS, SlicedCounts } from "./sliced-count.ts";
import type { PathStep } from "./field-path.ts";
import type { EndpointType } from "./request-body.ts";
import type { Transport, TransportErrorKind } from "./transport.ts";
import type { RecordError, RequestRecord } from "../record/request-record.ts";
import { epochNs } from "../runtime/clock.ts";
import { clearLongTimeout, setLongTimeout } from "../runtime/long-timer.ts";

export interface RunRequest {
  url: string;
  endpointType: EndpointType;
  streaming: boolean;
  body: string;
  headers: Record<string, string>;
  requestId: string;
  timeoutMs: number;
  /** Aborts the request; it is recorded as cancelled (code 499). */
  cancel: AbortSignal | null;
  /** Called once, at the first output token (or at the end if none came): ends the prefill. */
  onFirstToken?: () => void;
  /** --endpoint-type template: the response_field path of the answer's text (null: auto-detected). */
  responseField?: readonly PathStep[] | null;
  /** Called at the end with the response's content text (multi-turn history). */
  onText?: (content: string) => void;
  /**
   * Counts this request's texts elsewhere, in one batch when it ends (the load worker's count thread:
   * the thread that stamps arrivals then holds no tokenizer). The record is handed back at the end of
   * the request, before its counts: they are filled in when this promise resolves, and whoever stores
   * the record waits for that. Null: counted here, as they arrive, before the record is handed back.
   */
  countBatch?: CountBatch | null;
}

/** Token counts of `texts`, in order; it must resolve (a count that cannot be made is 0). */
export type CountBatch = (texts: string[]) => Promise<number[]>;

export type RecordIdentity = Pick<
  RequestRecord,
  | "request_index"
  | "x_correlation_id"
  | "session_num"
  | "conversation_id"
  | "turn_index"
  | "worker_id"
  | "phase"
  | "model"
  | "scheduled_ns"
  | "queue_ns"
  | "input_tokens"
  | "requested_output_tokens"
>;

// Server text in errors is kept whole up to this bound: it is cut to one short line only after the
// worker has scrubbed our secrets from it (record/safe-text.ts), so a cut never leaves half a key.
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/**
 * After [DONE], how long the transport may take to read the end of the body before it is aborted.
 * Handing the record back at [DONE] itself, before the chunked body's terminator was read, measured
 * 31-35 connections instead of 22 for 421 requests from a server that writes the terminator in a
 * separate write (as uvicorn does): each extra connect lands inside a later request's TTFT.
 */
export const DONE_GRACE_MS = 250;

/** A 200 that carried no output (AIPerf: "Invalid inference result", no responses with content). */
function emptyResponse(what: string): RecordError {
  return { code: 0, type: "empty_response", message: `no content in the response: ${what}` };
}

export function emptyRecord(id: RecordIdentity, url: string, requestId: string): RequestRecord {
  return {
    ...id,
    x_request_id: requestId,
    url,
    start_ns: 0,
    ack_ns: 0,
    first_token_ns: 0,
    first_output_token_ns: 0,
    last_token_ns: 0,
    end_ns: 0,
    http_status: 0,
    cancelled: false,
    error: null,
    output_tokens: 0,
    reasoning_tokens: 0,
    usage_prompt_tokens: null,
    usage_completion_tokens: null,
    usage_total_tokens: null,
    usage_reasoning_tokens: null,
    chunks: [],
  };
}

/**
 * `tokens` counts the whole output once at the end (exact, as AIPerf counts); `chunkTokens` counts
 * each chunk on arrival (may be memoized: see piece-counter.ts). Texts longer than a slice are counted
 * in slices through `defer` (sliced-count.ts).
 */
export function runRequest(
  transport: Transport,
  req: RunRequest,
  id: RecordIdentity,
  tokens: TokenCounter,
  chunkTokens: TokenCounter = tokens,
  /** Where body processing runs; the default runs it inside the socket callback. */
  defer: (work: () => void) => void = (work) => work(),
): Promise<RequestRecord> {
  return new Promise((resolve) => {
    const rec = emptyRecord(id, req.url, req.requestId);
    const abort = new AbortController();
    const decoder = new TextDecoder();
    const sse = new SseParser();
    const reader = responseReader(req.endpointType, req.responseField ?? null);
    let content = "";
    let reasoning = "";
    let status = 0;
    let errorBody = "";
    let finished = false;
    let sawDone = false;
    const counts = new SlicedCounts(defer, COUNT_SLICE_CHARS);
    const batch = req.countBatch ?? null;
    /** Batch mode: each chunk's content and reasoning text, in chunk order, counted at the end. */
    const batched: string[] = [];
    const countInBatch = (count: CountBatch): void => {
      void count([content, reasoning, ...batched]).then((n) => {
        rec.output_tokens = n[0] ?? 0;
        rec.reasoning_tokens = n[1] ?? 0;
        for (let i = 0; i < rec.chunks.length; i++) rec.chunks[i]!.tokens = (n[2 + 2 * i] ?? 0) + (n[3 + 2 * i] ?? 0);
      });
    };
    // The transport reported its end or an error (not deferred: it can come after the record is done).
    let transportDone = false;
    let waitingForEnd = false;
    let doneGrace: ReturnType<typeof setTimeout> | undefined;
    // Reasons the record is not handed back yet: counts in progress, the body's end after [DONE].
    let holds = 0;
    const release = (): void => {
      if (--holds === 0) resolve(rec);
    };
    let streamError: RecordError | null = null;
    let firstTokenSeen = false;
    const firstToken = (): void => {
      if (firstTokenSeen) return;
      firstTokenSeen = true;
      req.onFirstToken?.();
    };

    const finish = (at_ns: number, error: RecordError | null): void => {
      if (finished) return;
      finished = true;
      clearLongTimeout(timer);
      req.cancel?.removeEventListener("abort", onCancel);
      rec.end_ns = at_ns;
      rec.error = error;
      holds++;
      if (error === null || rec.chunks.length > 0) {
        if (batch !== null) countInBatch(batch);
        else {
          counts.count(tokens, content, (n) => (rec.output_tokens = n));
          counts.count(tokens, reasoning, (n) => (rec.reasoning_tokens = n));
        }
      }
      firstToken();
      req.onText?.(content);
      counts.whenIdle(release);
    };
    // [DONE] seen: the record ends now; it is handed back once the transport has read the body's end.
    const finishAtDone = (at_ns: number): void => {
      if (!transportDone) {
        holds++;
        waitingForEnd = true;
        doneGrace = setTimeout(() => {
          abort.abort();
          endWait();
        }, DONE_GRACE_MS);
      }
      finish(at_ns, rec.chunks.length > 0 ? null : emptyResponse(reader.emptyStream));
    };
    const endWait = (): void => {
      if (!waitingForEnd) return;
      waitingForEnd = false;
      clearTimeout(doneGrace);
      release();
    };
    const transportEnded = (): void => {
      transportDone = true;
      endWait();
    };
    const stop = (error: RecordError): void => {
      const at = epochNs();
      if (finished) return;
      abort.abort();
      finish(at, error);
    };
    const timer = setLongTimeout(() => stop({ code: 408, type: "timeout", message: `no complete response within ${req.timeoutMs / 1000} s` }), req.timeoutMs);
    const onCancel = (): void => {
      rec.cancelled = true;
      stop({ code: 499, type: "cancelled", message: "request cancelled by the client" });
    };
    if (req.cancel?.aborted) {
      rec.start_ns = epochNs();
      onCancel();
      return;
    }
    req.cancel?.addEventListener("abort", onCancel, { once: true });

    // Applies one parsed chunk; returns false when the stream must stop.
    const apply = (info: ChunkInfo, at_ns: number, bytes: number): boolean => {
      if (info.kind === "done") {
        sawDone = true;
        return true;
      }
      if (info.kind === "error") {
        streamError = { code: info.code ?? 500, type: info.type ?? "server_error", message: info.message };
        return false;
      }
      if (info.kind === "malformed") {
        streamError = { code: 0, type: "malformed_response", message: `${info.reason}: ${info.raw.slice(0, MAX_ERROR_BODY_BYTES)}` };
        return false;
      }
      if (info.usage) {
        rec.usage_prompt_tokens = info.usage.prompt_tokens;
        rec.usage_completion_tokens = info.usage.completion_tokens;
        rec.usage_total_tokens = info.usage.total_tokens;
        rec.usage_reasoning_tokens = info.usage.reasoning_tokens;
      }
      if (info.end === true) sawDone = true;
      if (!info.content && !info.reasoning) return true;
      const chunk = { arrival_ns: at_ns, tokens: 0, bytes };
      if (batch !== null) batched.push(info.content, info.reasoning);
      else {
        const add = (n: number): void => {
          chunk.tokens += n;
        };
        counts.count(chunkTokens, info.content, add);
        counts.count(chunkTokens, info.reasoning, add);
      }
      content += info.content;
      reasoning += info.reasoning;
      if (rec.first_token_ns === 0) {
        rec.first_token_ns = at_ns;
        firstToken();
      }
      if (info.content && rec.first_output_token_ns === 0) rec.first_output_token_ns = at_ns;
      rec.last_token_ns = at_ns;
      rec.chunks.push(chunk);
      return true;
    };

    let fullBody = "";
    const handleData = (bytes: Uint8Array, at_ns: number): void => {
      if (finished) return;
      if (status < 200 || status >= 300) {
        if (errorBody.length < MAX_ERROR_BODY_BYTES) errorBody += decoder.decode(bytes, { stream: true });
        return;
      }
      const text = decoder.decode(bytes, { stream: true });
      if (!req.streaming) {
        fullBody += text;
        return;
      }
      for (const ev of sse.feed(text)) {
        if (!apply(reader.event(ev), at_ns, Buffer.byteLength(ev.data))) {
          abort.abort();
          finish(at_ns, streamError);
          return;
        }
        if (sawDone) {
          finishAtDone(at_ns);
          return;
        }
      }
    };

    const handleEnd = (at_ns: number): void => {
      if (finished) return;
      if (status < 200 || status >= 300) {
        errorBody += decoder.decode();
        finish(at_ns, { code: status, type: "http_error", message: httpErrorMessage(status, errorBody) });
        return;
      }
      const tail = decoder.decode();
      if (!req.streaming) {
        finish(at_ns, completeBody(fullBody + tail, reader, at_ns, apply));
        return;
      }
      for (const ev of [...sse.feed(tail), ...sse.end()]) {
        if (!apply(reader.event(ev), at_ns, Buffer.byteLength(ev.data))) {
          finish(at_ns, streamError);
          return;
        }
        if (sawDone) {
          finishAtDone(at_ns);
          return;
        }
      }
      if (reader.endsAtClose === true) finish(at_ns, rec.chunks.length > 0 ? null : emptyResponse(reader.emptyStream));
      else finish(at_ns, { code: 0, type: "incomplete_response", message: `stream ended without ${reader.endMarker}` });
    };

    rec.start_ns = epochNs();
    transport.send(
      { url: req.url, method: "POST", headers: req.headers, body: req.body },
      {
        onHead(st, _headers, at_ns) {
          if (finished) return;
          status = st;
          rec.http_status = st;
          rec.ack_ns = at_ns;
        },
        onData(bytes, at_ns) {
          if (!finished) defer(() => handleData(bytes, at_ns));
        },
        onEnd(at_ns) {
          transportEnded();
          if (!finished) defer(() => handleEnd(at_ns));
        },
        onTrace(timing) {
          rec.http = timing;
        },
        onError(kind, message, at_ns) {
          transportEnded();
          if (finished || kind === "aborted") return; // aborted: our own abort, finish() already ran
          // Queued behind any data that arrived before the error, so those chunks are kept.
          defer(() => {
            if (!finished) finish(at_ns, transportError(kind, message, rec.ack_ns > 0));
          });
        },
      },
      abort.signal,
    );
  });
}

function completeBody(
  body: string,
  reader: ResponseReader,
  at_ns: number,
  apply: (info: ChunkInfo, at_ns: number, bytes: number) => boolean,
): RecordError | null {
  if (body.trim() === "") return emptyResponse("empty body");
  const info = reader.body(body);
  if (info.kind === "answer") return null;
  if (info.kind === "empty") return emptyResponse(info.what);
  if (info.kind === "invalid") return { code: 0, type: "malformed_response", message: info.message.slice(0, MAX_ERROR_BODY_BYTES) };
  if (info.kind === "error") return { code: info.code ?? 500, type: info.type ?? "server_error", message: info.message };
  if (info.kind === "malformed") return { code: 0, type: "malformed_response", message: `${info.reason}: ${info.raw.slice(0, MAX_ERROR_BODY_BYTES)}` };
  apply(info, at_ns, Buffer.byteLength(body));
  return info.kind === "delta" && (info.content || info.reasoning) ? null : emptyResponse(reader.emptyBody);
}

function transportError(kind: TransportErrorKind, message: string, afterHeaders: boolean): RecordError {
  if (kind === "connect") return { code: 0, type: "connection_error", message };
  if (kind === "protocol") return { code: 0, type: "protocol_error", message };
  return { code: 0, type: "connection_error", message: afterHeaders ? `stream broken: ${message}` : message };
}

/** The server's own error message when the body is OpenAI-style JSON, else the body (raw: see safe-text.ts). */
export function httpErrorMessage(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof j.error === "object" ? j.error?.message : (j.error ?? j.message);
    if (typeof m === "string" && m) return `HTTP ${status}: ${m}`;
  } catch {
    // not JSON: fall through
  }
  const trimmed = body.trim();
  return trimmed ? `HTTP ${status}: ${trimmed}` : `HTTP ${status}`;
}
