// One chat/completions request from first byte to record line. A pacer (pacer.ts) decides WHEN
// chunks happen; the session decides WHAT is written, applies stream faults, keeps metrics and
// writes the record. Streaming and non-streaming share it: non-streaming only counts chunks
// and sends one JSON body at the end.
import { epochNs } from "../runtime/clock.ts";
import type { ActiveRequest, MockContext, RequestMeta } from "./context.ts";
import { dropAtChunk, malformedChunk, truncateJson, type Fault } from "./faults.ts";
import { SSE_OPEN_COMMENT, usageOf, type ResponseIdentity, type Usage } from "./openai-json.ts";
import { openAiFormat, type WireFormat } from "./wire-format.ts";
import { chunkSlice, type OutputPlan } from "./output-plan.ts";
import { countSuccess, type ModelMetrics } from "./prometheus.ts";
import type { MockRecord } from "./recorder.ts";
import type { GenerationRequest } from "./request-parse.ts";
import { tokenText } from "./token-text.ts";
import { jsonResponse, errorResponse } from "./http.ts";

const encoder = new TextEncoder();
/** How long a "drop" waits after the last chunk it wrote before it resets the connection, ms. */
const DROP_DELAY_MS = 20;

export type EmitResult = "more" | "last" | "closed";

export interface SessionInit {
  ctx: MockContext;
  meta: RequestMeta;
  req: GenerationRequest;
  plan: OutputPlan;
  fault: Fault | null;
  identity: ResponseIdentity;
  /** What the bytes look like (another API than OpenAI's); default: chat/completions by identity. */
  format?: WireFormat;
  /** Report usage.completion_tokens_details.reasoning_tokens (chat with reasoning on). */
  reasoningOn: boolean;
  /** Request signal: aborts when the client goes away. */
  signal: AbortSignal;
}

export class GenerationSession implements ActiveRequest {
  readonly response: Response | Promise<Response>;
  /** Pacer cleanup run once when the session ends (e.g. leave the batch). */
  onStop: (() => void) | null = null;

  private readonly ctx: MockContext;
  private readonly init: SessionInit;
  private readonly metrics: ModelMetrics;
  private readonly rec: MockRecord;
  private readonly format: WireFormat;
  private readonly dropAt: number;
  private readonly malformedAt: number;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private resolveJson: ((r: Response) => void) | null = null;
  private next = 0;
  private closed = false;
  private state: "new" | "waiting" | "running" = "new";
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(init: SessionInit) {
    this.init = init;
    this.ctx = init.ctx;
    this.metrics = init.ctx.metrics.model(init.req.model);
    this.format = init.format ?? openAiFormat(init.identity);
    this.dropAt = init.fault === "drop" ? dropAtChunk(init.plan.chunks) : -1;
    this.malformedAt = init.fault === "malformed" ? malformedChunk(init.plan.chunks) : -1;
    this.rec = {
      request_id: init.meta.requestId,
      path: init.meta.path,
      model: init.req.model,
      stream: init.req.stream,
      received_ns: init.meta.receivedNs,
      headers_sent_ns: null,
      first_token_ns: null,
      end_ns: 0,
      status: 200,
      fault: init.fault,
      prompt_tokens: init.req.promptTokens,
      completion_tokens: 0,
      reasoning_tokens: 0,
      max_tokens: init.req.maxTokens,
      chunks: [],
      client_disconnected: false,
    };
    this.metrics.promptTokens += init.req.promptTokens;
    init.ctx.active.add(this);
    init.signal.addEventListener("abort", () => this.abortByClient(), { once: true });

    if (init.req.stream) {
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => {
          this.controller = c;
          // Bun holds the headers until the first non-empty write; an SSE comment sends them now.
          c.enqueue(encoder.encode(SSE_OPEN_COMMENT + this.format.start()));
        },
        cancel: () => this.abortByClient(),
      });
      this.rec.headers_sent_ns = epochNs();
      this.response = new Response(stream, {
        status: 200,
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          "x-request-id": init.meta.requestId,
        },
      });
    } else {
      this.response = new Promise<Response>((resolve) => (this.resolveJson = resolve));
    }
  }

  get chunks(): number {
    return this.init.plan.chunks;
  }

  /** Extra pause owed right now: a "stall" fault freezes the stream after its first chunk. */
  get stallNowMs(): number {
    return this.init.fault === "stall" && this.next === 1 ? this.ctx.opts.stallSeconds * 1000 : 0;
  }

  markWaiting(): void {
    if (this.closed || this.state !== "new") return;
    this.state = "waiting";
    this.metrics.waiting++;
  }

  markRunning(): void {
    if (this.closed || this.state === "running") return;
    if (this.state === "waiting") this.metrics.waiting--;
    this.state = "running";
    this.metrics.running++;
  }

  /**
   * One pending timer per session, cleared when the session ends. Delays round up because Bun
   * truncates fractional milliseconds and would fire early.
   */
  setTimer(fn: () => void, delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        fn();
      },
      Math.ceil(Math.max(0, delayMs)),
    );
  }

  /** Writes the next chunk (or applies the fault due at this slot). */
  emitChunk(): EmitResult {
    if (this.closed) return "closed";
    const i = this.next++;
    if (i === this.dropAt) {
      this.drop();
      return "closed";
    }
    const plan = this.init.plan;
    const slice = chunkSlice(plan, i);
    this.metrics.generationTokens += slice.tokens;
    this.rec.completion_tokens += slice.tokens;
    if (slice.channel === "reasoning") this.rec.reasoning_tokens += slice.tokens;
    if (i === 0) this.metrics.ttft.observe((epochNs() - this.rec.received_ns) / 1e9);

    if (this.controller !== null) {
      const text = tokenText(plan.tokenOffset, slice.start, slice.tokens);
      const finish = slice.last ? plan.finishReason : null;
      if (!this.write(this.format.chunk(slice.channel, text, i, finish, i === this.malformedAt), slice.tokens)) return "closed";
    }
    return slice.last ? "last" : "more";
  }

  /** After the last chunk: usage chunk and [DONE], or the JSON body; a due "drop" cuts instead. */
  end(): void {
    if (this.closed) return;
    if (this.dropAt >= 0) {
      this.drop();
      return;
    }
    const { req, plan } = this.init;
    const usage: Usage = usageOf(req.promptTokens, plan.reasoningTokens + plan.contentTokens, this.init.reasoningOn ? plan.reasoningTokens : null);
    if (this.controller !== null) {
      for (const event of this.format.end(usage, req.includeUsage)) if (!this.write(event, 0)) return;
      this.controller.close();
    } else {
      const reasoning = this.init.reasoningOn ? tokenText(plan.tokenOffset, 0, plan.reasoningTokens) : null;
      const content = tokenText(plan.tokenOffset, plan.reasoningTokens, plan.contentTokens);
      let body = this.format.body(reasoning, content, plan.finishReason, usage);
      if (this.init.fault === "malformed") body = truncateJson(body);
      const sent = epochNs();
      this.rec.headers_sent_ns = sent;
      this.rec.first_token_ns = sent;
      if (this.ctx.recorder !== null) {
        this.rec.chunks.push({ sent_ns: sent, tokens: this.rec.completion_tokens, bytes: Buffer.byteLength(body) });
      }
      this.resolveJson?.(jsonResponse(200, body, this.init.meta.requestId));
    }
    this.metrics.e2e.observe((epochNs() - this.rec.received_ns) / 1e9);
    countSuccess(this.metrics, plan.finishReason);
    this.finish(200);
  }

  /** Server stop: end the stream cleanly without [DONE]; unanswered JSON requests get a 503. */
  shutdown(): void {
    if (this.closed) return;
    if (this.controller !== null) {
      try {
        this.controller.close();
      } catch {
        // already closed by the client side
      }
      this.finish(200);
    } else {
      this.resolveJson?.(errorResponse(503, "mock server is shutting down", this.init.meta.requestId));
      this.finish(503);
    }
  }

  private abortByClient(): void {
    if (this.closed) return;
    this.rec.client_disconnected = true;
    // The client left: nobody reads this, it only settles the handler's promise.
    this.resolveJson?.(new Response(null, { status: 499 }));
    this.finish(this.controller !== null ? 200 : 499);
  }

  /** Enqueues one SSE event, timing and recording it; false if the client is gone. */
  private write(event: string, tokens: number): boolean {
    const bytes = encoder.encode(event);
    const sent = epochNs();
    try {
      this.controller!.enqueue(bytes);
    } catch {
      this.abortByClient();
      return false;
    }
    if (tokens > 0 && this.rec.first_token_ns === null) this.rec.first_token_ns = sent;
    if (this.ctx.recorder !== null) this.rec.chunks.push({ sent_ns: sent, tokens, bytes: bytes.length });
    return true;
  }

  /** Abrupt connection loss: no [DONE], no terminating chunk, so the client sees a transport error. */
  private drop(): void {
    if (this.controller !== null) {
      // error(undefined) resets the socket without Bun logging an error. It waits DROP_DELAY_MS: a reset
      // discards what the client's kernel holds unread, so chunks written just before (a burst of due
      // chunks) must have been read first, and a loaded client reads late.
      const c = this.controller;
      setTimeout(() => c.error(undefined), DROP_DELAY_MS);
      this.finish(200);
    } else {
      const broken = new ReadableStream<Uint8Array>({ start: (c) => c.error(undefined) });
      this.resolveJson?.(new Response(broken, { headers: { "x-request-id": this.init.meta.requestId } }));
      this.finish(0);
    }
  }

  private finish(status: number): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.onStop?.();
    this.onStop = null;
    if (this.state === "waiting") this.metrics.waiting--;
    else if (this.state === "running") this.metrics.running--;
    this.ctx.active.delete(this);
    this.rec.status = status;
    this.rec.end_ns = epochNs();
    this.ctx.recorder?.write(this.rec);
  }
}
