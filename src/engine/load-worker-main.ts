// Body of a load worker: runs its share of closed-loop lanes, claiming request indices from the
// shared state, and sends finished records to the main thread in batches. Only sending and parsing
// happen here; scheduling policy, storage and statistics live on the main thread.
import { requestBody } from "../client/request-body.ts";
import { runRequest, type TokenCounter } from "../client/request-runner.ts";
import type { Transport } from "../client/transport.ts";
import { memoizedCounter } from "../client/piece-counter.ts";
import { DeferredWork } from "../client/deferred-work.ts";
import { createHttp1Transport } from "../client/http1-transport.ts";
import { createFetchTransport } from "../client/fetch-transport.ts";
import { loadTokenizer } from "../dataset/tokenizer.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { epochNs } from "../runtime/clock.ts";
import { VERSION } from "../version.ts";
import { SharedState } from "./shared-state.ts";
import type { MainToWorker, WorkerConfig, WorkerToMain } from "./worker-protocol.ts";

const FLUSH_EVERY_MS = 50;
const FLUSH_AT_RECORDS = 256;

export interface WorkerPort {
  post(msg: WorkerToMain): void;
  onMessage(handler: (msg: MainToWorker) => void): void;
}

export function startLoadWorker(port: WorkerPort): void {
  let cfg: WorkerConfig;
  let shared: SharedState;
  let transport: Transport;
  let tokens: TokenCounter;
  let chunkTokens: TokenCounter;
  const cancel = new AbortController();
  const deferred = new DeferredWork();
  const defer = (work: () => void): void => deferred.add(work);
  let pending: RequestRecord[] = [];

  const flush = (): void => {
    if (pending.length === 0) return;
    port.post({ type: "records", records: pending });
    pending = [];
  };

  const lane = async (): Promise<void> => {
    const n = cfg.prompts.length;
    for (;;) {
      const i = shared.claim(cfg.totalRequests);
      if (i < 0 || cancel.signal.aborted) return;
      const scheduled_ns = epochNs();
      const prompt = cfg.prompts[i % n]!;
      const url = cfg.urls[i % cfg.urls.length]!;
      const requestId = crypto.randomUUID();
      const body = JSON.stringify(
        requestBody({
          endpointType: cfg.endpointType,
          model: cfg.model,
          prompt: prompt.text,
          maxTokens: cfg.maxTokens,
          streaming: cfg.streaming,
          includeUsage: true,
          extra: cfg.extraInputs,
        }),
      );
      shared.started();
      const rec = await runRequest(
        transport,
        {
          url,
          endpointType: cfg.endpointType,
          streaming: cfg.streaming,
          body,
          headers: {
            "user-agent": `llmbench/${VERSION}`,
            "content-type": "application/json",
            accept: cfg.streaming ? "text/event-stream" : "application/json",
            ...cfg.headers,
            "x-request-id": requestId,
          },
          requestId,
          timeoutMs: cfg.timeoutMs,
          cancel: cancel.signal,
        },
        {
          request_index: i,
          session_num: i,
          turn_index: 0,
          worker_id: cfg.workerId,
          phase: i < cfg.warmupRequests ? "warmup" : "profiling",
          model: cfg.model,
          scheduled_ns,
          input_tokens: prompt.tokens,
          requested_output_tokens: cfg.endpointType === "embeddings" ? null : cfg.maxTokens,
        },
        tokens,
        chunkTokens,
        defer,
      );
      shared.finished();
      pending.push(rec);
      if (pending.length >= FLUSH_AT_RECORDS) flush();
    }
  };

  port.onMessage((msg) => {
    if (msg.type === "init") {
      cfg = msg.config;
      shared = new SharedState(msg.shared);
      const http1 = cfg.transport === "fetch" ? null : createHttp1Transport({ insecure: cfg.insecure });
      transport = http1 ?? createFetchTransport({ insecure: cfg.insecure });
      loadTokenizer(cfg.tokenizer)
        .then(async (t) => {
          tokens = t;
          chunkTokens = memoizedCounter(t);
          // One warm connection per lane, spread over the URLs, so the first wave is not timed
          // through a burst of TCP handshakes.
          if (http1) {
            const perUrl = Math.ceil(cfg.lanes / cfg.urls.length);
            await Promise.all(cfg.urls.map((u) => http1.preconnect(u, perUrl)));
          }
          port.post({ type: "ready" });
        })
        .then(undefined,
        (e: unknown) => port.post({ type: "fatal", message: e instanceof Error ? e.message : String(e) }));
    } else if (msg.type === "start") {
      const timer = setInterval(flush, FLUSH_EVERY_MS);
      Promise.all(Array.from({ length: cfg.lanes }, lane))
        .catch((e: unknown) => port.post({ type: "fatal", message: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          clearInterval(timer);
          flush();
          transport.close();
          port.post({ type: "done" });
        });
    } else if (msg.type === "cancel") {
      cancel.abort();
    }
  });
}
