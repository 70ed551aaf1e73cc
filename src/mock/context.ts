// State shared by the routes of one mock server, and the per-request facts taken on arrival.
import type { MockOptions } from "./mock-options.ts";
import type { MockMetrics } from "./mock-metrics.ts";
import type { MockRecord, Recorder } from "./recorder.ts";
import type { BatchDriver } from "./batch-driver.ts";
import type { Fault } from "./faults.ts";
import { epochNs } from "../runtime/clock.ts";

/** A request still producing output; the server ends it on stop(). */
export interface ActiveRequest {
  shutdown(): void;
}

export interface MockContext {
  opts: MockOptions;
  metrics: MockMetrics;
  recorder: Recorder | null;
  /** Present only in the batched-decode model (maxBatchSize > 0). */
  driver: BatchDriver | null;
  active: Set<ActiveRequest>;
  /** Numbers response ids (chatcmpl-mockN). */
  responseCounter: number;
}

export interface RequestMeta {
  requestId: string;
  path: string;
  receivedNs: number;
  /** monoMs() on arrival: the origin of this request's timers. */
  receivedMs: number;
  /** This request's seeded RNG (seeded-rng.ts requestRng). */
  rng: () => number;
}

export interface ImmediateFields {
  status: number;
  model: string | null;
  stream: boolean;
  fault: Fault | null;
  promptTokens: number;
  maxTokens: number | null;
  /** Bytes of the body when one was sent as the request's only chunk (embeddings). */
  bodyBytes?: number;
  /** No response went out: the client left or the server stopped first. */
  noResponse?: boolean;
  clientDisconnected?: boolean;
}

/** Records a request that produced no tokens (400, injected 500/429, embeddings). */
export function recordImmediate(ctx: MockContext, meta: RequestMeta, f: ImmediateFields): void {
  if (ctx.recorder === null) return;
  const now = epochNs();
  const rec: MockRecord = {
    request_id: meta.requestId,
    path: meta.path,
    model: f.model,
    stream: f.stream,
    received_ns: meta.receivedNs,
    headers_sent_ns: f.noResponse ? null : now,
    first_token_ns: null,
    end_ns: now,
    status: f.status,
    fault: f.fault,
    prompt_tokens: f.promptTokens,
    completion_tokens: 0,
    reasoning_tokens: 0,
    max_tokens: f.maxTokens,
    chunks: f.bodyBytes !== undefined ? [{ sent_ns: now, tokens: 0, bytes: f.bodyBytes }] : [],
    client_disconnected: f.clientDisconnected ?? false,
  };
  ctx.recorder.write(rec);
}
