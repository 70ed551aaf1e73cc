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
import type { ResponseHandler, SharedHeaders, Transport, TransportErrorKind, TransportExchange } from "./transport.ts";
import { type ChunkTiming, emptyRecord, type HttpTiming, type RecordError, type RecordIdentity, type RequestRecord } from "../record/request-record.ts";
import type { SseEvent, SseSink } from "./sse-parser.ts";
import { epochNs } from "../runtime/clock.ts";
import { offAbort, onAbort } from "../runtime/abort-fanout.ts";
import { answerError, emptyResponse, httpErrorMessage, MAX_ERROR_BODY_BYTES, transportError } from "./request-outcome.ts";

export type { RecordIdentity } from "../record/request-record.ts";
import { type DeadlineList, type DeadlineNode, Deadlines } from "../runtime/deadline-list.ts";

export interface RunRequest {
  url: string;
  endpointType: EndpointType;
  streaming: boolean;
  body: string;
  headers: Record<string, string>;
  /** Headers shared with other requests, sent before `headers` (transport.ts). */
  sharedHeaders?: SharedHeaders | null;
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
   * the request, before its counts: its counts and its `chunks` are filled in when the batch resolves
   * (then onCounted), and whoever stores the record waits for that. Null: counted here, as they arrive,
   * before the record is handed back.
   */
  countBatch?: CountBatch | null;
  /** Batch mode: the record's batch was sent (at the request's end, before the record is handed back). */
  onCountStart?: (rec: RequestRecord) => void;
  /** Batch mode: the record's counts are filled in (or could not be made: then they stay 0). */
  onCounted?: (rec: RequestRecord) => void;
}

/** Where a batch's counts go: each text's token count in order, or null when they could not be made (then they stay 0). */
export interface CountSink {
  counted(counts: number[] | null): void;
}

/** Counts `texts` and hands the counts to `sink`, exactly once. */
export type CountBatch = (texts: string[], sink: CountSink) => void;

/**
 * After [DONE], how long the transport may take to read the end of the body before it is aborted.
 * Handing the record back at [DONE] itself, before the chunked body's terminator was read, measured
 * 31-35 connections instead of 22 for 421 requests from a server that writes the terminator in a
 * separate write (as uvicorn does): each extra connect lands inside a later request's TTFT.
 */
export const DONE_GRACE_MS = 250;

/** This thread's request timeouts (and [DONE] grace waits): one timer per duration, not one per request. */
const requestDeadlines = new Deadlines();

const runNow = (work: () => void): void => work();

/** A read may end inside a character: the decoder keeps its first bytes for the next. */
const STREAM = { stream: true } as const;

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
  defer: (work: () => void) => void = runNow,
): Promise<RequestRecord> {
  // Not `new Promise(executor)`: the executor closed over these arguments, an environment object a request.
  const { promise, resolve } = Promise.withResolvers<RequestRecord>();
  new RequestRun(req, id, tokens, chunkTokens, defer, resolve).start(transport, req);
  return promise;
}

/**
 * One request in flight: the transport's handler, the cancel signal's listener and a node of the
 * timeout list, in one object, so a request in flight holds no closures of its own but `work`.
 * Transport events are stamped on arrival and queued in `inbox`; `work` applies them through `defer`.
 */
class RequestRun implements ResponseHandler, DeadlineNode, CountSink, SseSink {
  readonly rec: RequestRecord;
  private exchange: TransportExchange | null = null;
  private readonly decoder = new TextDecoder();
  private readonly sse: SseParser | null;
  private readonly reader: ResponseReader;
  private readonly batch: CountBatch | null;
  /** Counted here (no batch): counts of long texts may still be running when the request ends. */
  private readonly counts: SlicedCounts | null;
  /**
   * Batch mode: per chunk, its arrival_ns, bytes, and the length of its content and reasoning in
   * `content` and `reasoning`; the chunk objects are made when the counts are in. Numbers in one array
   * rather than an object per chunk: what a request holds for its whole life is what the heap keeps
   * until a full collection.
   */
  private readonly pieces: number[] | null;
  private chunkCount = 0;
  private content = "";
  private reasoning = "";
  private status = 0;
  private errorBody = "";
  private fullBody = "";
  private finished = false;
  private sawDone = false;
  private streamError: RecordError | null = null;
  private firstTokenSeen = false;
  // The transport reported its end or an error (seen at once: it can come after the record is done).
  private transportDone = false;
  /** After [DONE]: waiting for the transport to read the body's end (the grace deadline is armed). */
  private waitingForEnd = false;
  /** While text is fed to the SSE parser: when it was read, and whether an error event aborts the exchange (not once the body has ended). */
  private eventAt_ns = 0;
  private abortOnError = true;
  // Reasons the record is not handed back yet: counts in progress, the body's end after [DONE].
  private holds = 0;
  // Transport events not yet applied: [bytes, at_ns, ...]; then its end, or its error.
  private readonly inbox: (Uint8Array | number)[] = [];
  private endAt = -1;
  private failure: { kind: TransportErrorKind; message: string; at: number } | null = null;
  private scheduled = false;
  private readonly work = (): void => this.applyInbox();
  // DeadlineNode (runtime/deadline-list.ts): the request's timeout, then the [DONE] grace wait.
  deadlineMs = 0;
  prevDeadline: DeadlineNode | null = null;
  nextDeadline: DeadlineNode | null = null;
  deadlineList: DeadlineList | null = null;

  // What it needs of its RunRequest, not the RunRequest: its body (a prompt of any size) and headers
  // are let go once sent.
  private readonly cancel: AbortSignal | null;
  private readonly timeoutMs: number;
  private readonly onFirstToken: (() => void) | undefined;
  private readonly onText: ((content: string) => void) | undefined;
  private readonly onCountStart: ((rec: RequestRecord) => void) | undefined;
  private readonly onCounted: ((rec: RequestRecord) => void) | undefined;

  constructor(
    req: RunRequest,
    id: RecordIdentity,
    private readonly tokens: TokenCounter,
    private readonly chunkTokens: TokenCounter,
    private readonly defer: (work: () => void) => void,
    private readonly resolve: (rec: RequestRecord) => void,
  ) {
    this.rec = emptyRecord(id, req.url, req.requestId);
    this.sse = req.streaming ? new SseParser() : null;
    this.reader = responseReader(req.endpointType, req.responseField ?? null);
    this.batch = req.countBatch ?? null;
    this.counts = this.batch === null ? new SlicedCounts(defer, COUNT_SLICE_CHARS) : null;
    this.pieces = this.batch === null ? null : [];
    this.cancel = req.cancel;
    this.timeoutMs = req.timeoutMs;
    this.onFirstToken = req.onFirstToken;
    this.onText = req.onText;
    this.onCountStart = req.onCountStart;
    this.onCounted = req.onCounted;
  }

  start(transport: Transport, req: RunRequest): void {
    const rec = this.rec;
    requestDeadlines.add(this, this.timeoutMs);
    if (this.cancel?.aborted) {
      rec.start_ns = epochNs();
      this.handleEvent();
      return;
    }
    if (this.cancel) onAbort(this.cancel, this);
    rec.start_ns = epochNs();
    this.exchange = transport.send({ url: req.url, method: "POST", headers: req.headers, shared: req.sharedHeaders ?? null, body: req.body }, this);
  }

  // --- ResponseHandler: stamped by the transport, applied later through `defer` ---

  onHead(status: number, _headers: Record<string, string>, at_ns: number): void {
    if (this.finished) return;
    this.status = status;
    this.rec.http_status = status;
    this.rec.ack_ns = at_ns;
  }

  onData(bytes: Uint8Array, at_ns: number): void {
    if (this.finished) return;
    this.inbox.push(bytes, at_ns);
    this.schedule();
  }

  onEnd(at_ns: number): void {
    this.transportEnded();
    if (this.finished) return;
    this.endAt = at_ns;
    this.schedule();
  }

  onTrace(timing: HttpTiming): void {
    this.rec.http = timing;
  }

  onError(kind: TransportErrorKind, message: string, at_ns: number): void {
    this.transportEnded();
    if (this.finished || kind === "aborted") return; // aborted: our own abort, finish() already ran
    // Applied after any data that arrived before the error, so those chunks are kept.
    this.failure = { kind, message, at: at_ns };
    this.schedule();
  }

  /** The cancel signal fired (EventListener). */
  handleEvent(): void {
    this.rec.cancelled = true;
    this.stop({ code: 499, type: "cancelled", message: "request cancelled by the client" });
  }

  /** The timeout passed, or the [DONE] grace wait did. */
  onDeadline(): void {
    if (!this.waitingForEnd) {
      this.stop({ code: 408, type: "timeout", message: `no complete response within ${this.timeoutMs / 1000} s` });
      return;
    }
    this.exchange?.abort();
    this.endWait();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(this.work);
  }

  private applyInbox(): void {
    this.scheduled = false;
    const inbox = this.inbox;
    for (let i = 0; i < inbox.length && !this.finished; i += 2) this.handleData(inbox[i] as Uint8Array, inbox[i + 1] as number);
    inbox.length = 0;
    if (this.finished) return;
    if (this.endAt >= 0) this.handleEnd(this.endAt);
    else if (this.failure !== null) this.finish(this.failure.at, transportError(this.failure.kind, this.failure.message, this.rec.ack_ns > 0));
  }

  // --- the body ---

  private handleData(bytes: Uint8Array, at_ns: number): void {
    if (this.status < 200 || this.status >= 300) {
      if (this.errorBody.length < MAX_ERROR_BODY_BYTES) this.errorBody += this.decoder.decode(bytes, STREAM);
      return;
    }
    const text = this.decoder.decode(bytes, STREAM);
    if (this.sse === null) {
      this.fullBody += text;
      return;
    }
    this.eventAt_ns = at_ns;
    this.abortOnError = true;
    this.sse.feedTo(text, this);
  }

  private handleEnd(at_ns: number): void {
    if (this.status < 200 || this.status >= 300) {
      this.errorBody += this.decoder.decode();
      this.finish(at_ns, { code: this.status, type: "http_error", message: httpErrorMessage(this.status, this.errorBody) });
      return;
    }
    const tail = this.decoder.decode();
    if (this.sse === null) {
      this.finish(at_ns, this.completeBody(this.fullBody + tail, at_ns));
      return;
    }
    this.eventAt_ns = at_ns;
    this.abortOnError = false;
    this.sse.feedTo(tail, this);
    this.sse.endTo(this);
    if (this.finished) return;
    const reader = this.reader;
    if (reader.endsAtClose === true) this.finish(at_ns, this.chunkCount > 0 ? null : emptyResponse(reader.emptyStream));
    else this.finish(at_ns, { code: 0, type: "incomplete_response", message: `stream ended without ${reader.endMarker}` });
  }

  /**
   * One SSE event of the text being fed (SseSink: the parser calls this, with the read's time in
   * eventAt_ns); the events after one that ended the request (an error event, or [DONE]) are ignored.
   */
  onEvent(ev: Readonly<SseEvent>): void {
    if (this.finished) return;
    const at_ns = this.eventAt_ns;
    if (!this.apply(this.reader.event(ev), at_ns, Buffer.byteLength(ev.data))) {
      if (this.abortOnError) this.exchange?.abort();
      this.finish(at_ns, this.streamError);
      return;
    }
    if (this.sawDone) this.finishAtDone(at_ns);
  }

  /** Applies one parsed chunk; returns false when the stream must stop. */
  private apply(info: ChunkInfo, at_ns: number, bytes: number): boolean {
    if (info.kind === "done") {
      this.sawDone = true;
      return true;
    }
    if (info.kind === "error" || info.kind === "malformed") {
      this.streamError = answerError(info);
      return false;
    }
    const rec = this.rec;
    if (info.usage) {
      rec.usage_prompt_tokens = info.usage.prompt_tokens;
      rec.usage_completion_tokens = info.usage.completion_tokens;
      rec.usage_total_tokens = info.usage.total_tokens;
      rec.usage_reasoning_tokens = info.usage.reasoning_tokens;
    }
    if (info.end === true) this.sawDone = true;
    if (!info.content && !info.reasoning) return true;
    if (this.pieces !== null) this.pieces.push(at_ns, bytes, info.content.length, info.reasoning.length);
    else {
      const chunk: ChunkTiming = { arrival_ns: at_ns, tokens: 0, bytes };
      const add = (n: number): void => {
        chunk.tokens += n;
      };
      this.counts!.count(this.chunkTokens, info.content, add);
      this.counts!.count(this.chunkTokens, info.reasoning, add);
      rec.chunks.push(chunk);
    }
    this.chunkCount++;
    this.content += info.content;
    this.reasoning += info.reasoning;
    if (rec.first_token_ns === 0) {
      rec.first_token_ns = at_ns;
      this.firstToken();
    }
    if (info.content && rec.first_output_token_ns === 0) rec.first_output_token_ns = at_ns;
    rec.last_token_ns = at_ns;
    return true;
  }

  private completeBody(body: string, at_ns: number): RecordError | null {
    const reader = this.reader;
    if (body.trim() === "") return emptyResponse("empty body");
    const info = reader.body(body);
    if (info.kind === "answer") return null;
    if (info.kind === "empty") return emptyResponse(info.what);
    if (info.kind === "invalid") return { code: 0, type: "malformed_response", message: info.message.slice(0, MAX_ERROR_BODY_BYTES) };
    if (info.kind === "error" || info.kind === "malformed") return answerError(info);
    this.apply(info, at_ns, Buffer.byteLength(body));
    return info.kind === "delta" && (info.content || info.reasoning) ? null : emptyResponse(reader.emptyBody);
  }

  // --- endings ---

  private firstToken(): void {
    if (this.firstTokenSeen) return;
    this.firstTokenSeen = true;
    this.onFirstToken?.();
  }

  private finish(at_ns: number, error: RecordError | null): void {
    if (this.finished) return;
    this.finished = true;
    requestDeadlines.remove(this);
    if (this.cancel) offAbort(this.cancel, this);
    const rec = this.rec;
    rec.end_ns = at_ns;
    rec.error = error;
    this.holds++;
    if (error === null || this.chunkCount > 0) {
      if (this.batch !== null) this.countInBatch(this.batch);
      else this.countHere();
    }
    this.firstToken();
    this.onText?.(this.content);
    if (this.counts !== null) this.releaseWhenCounted();
    else this.release();
  }

  // The two below are methods of their own: their arrows close over `this` and the record, and in
  // finish() that made an environment object for every request, batch-counted ones too.

  /** Counts the whole output on this thread (no count batch). */
  private countHere(): void {
    const rec = this.rec;
    this.counts!.count(this.tokens, this.content, (n) => (rec.output_tokens = n));
    this.counts!.count(this.tokens, this.reasoning, (n) => (rec.reasoning_tokens = n));
  }

  private releaseWhenCounted(): void {
    this.counts!.whenIdle(() => this.release());
  }

  /** The whole texts, then each chunk's content and reasoning, to the count batch; the chunks are made with their counts (counted). */
  private countInBatch(count: CountBatch): void {
    const { content, reasoning } = this;
    const pieces = this.pieces!;
    const texts = [content, reasoning];
    for (let i = 0, c = 0, r = 0; i < pieces.length; i += 4) {
      texts.push(content.slice(c, (c += pieces[i + 2]!)), reasoning.slice(r, (r += pieces[i + 3]!)));
    }
    this.onCountStart?.(this.rec);
    count(texts, this);
  }

  /** CountSink: the batch's counts (n null: they could not be made; they stay 0). */
  counted(n: number[] | null): void {
    const rec = this.rec;
    const pieces = this.pieces!;
    rec.output_tokens = n?.[0] ?? 0;
    rec.reasoning_tokens = n?.[1] ?? 0;
    for (let i = 0, k = 2; i < pieces.length; i += 4, k += 2) {
      rec.chunks.push({ arrival_ns: pieces[i]!, tokens: n === null ? 0 : (n[k] ?? 0) + (n[k + 1] ?? 0), bytes: pieces[i + 1]! });
    }
    this.onCounted?.(rec);
  }

  private release(): void {
    if (--this.holds === 0) this.resolve(this.rec);
  }

  /** [DONE] seen: the record ends now; it is handed back once the transport has read the body's end. */
  private finishAtDone(at_ns: number): void {
    const waiting = !this.transportDone;
    if (waiting) {
      this.holds++;
      this.waitingForEnd = true;
    }
    this.finish(at_ns, this.chunkCount > 0 ? null : emptyResponse(this.reader.emptyStream));
    // finish() took the request off its timeout; the same node now waits out the grace period.
    if (waiting && this.waitingForEnd) requestDeadlines.add(this, DONE_GRACE_MS);
  }

  private endWait(): void {
    if (!this.waitingForEnd) return;
    this.waitingForEnd = false;
    requestDeadlines.remove(this);
    this.release();
  }

  private transportEnded(): void {
    this.transportDone = true;
    this.endWait();
  }

  private stop(error: RecordError): void {
    const at = epochNs();
    if (this.finished) return;
    this.exchange?.abort();
    this.finish(at, error);
  }
}
