// Body of a load worker: runs its share of each phase (phase-runner.ts) and sends finished records to
// the main thread in batches. Only sending, stamping and parsing happen here: token counting is on a
// count worker (off-thread-counter.ts), one batch per request, so this thread loads no tokenizer;
// scheduling plans, prompt building for traces, storage and statistics live on the main thread.
import { runRequest } from "../client/request-runner.ts";
import type { TokenCounter } from "../client/token-counter.ts";
import type { CountBatch } from "../client/request-runner.ts";
import type { Transport } from "../client/transport.ts";
import { DeferredWork } from "../client/deferred-work.ts";
import { createOffThreadCounter, portCountLine, type OffThreadCounter } from "./off-thread-counter.ts";
import { batchCounter } from "./batch-counter.ts";
import { createHttp1Transport } from "../client/http1-transport.ts";
import { createFetchTransport } from "../client/fetch-transport.ts";
import { baseHeaders, withRequestIds } from "../client/request-headers.ts";
import { sharedHeaders } from "../client/http1-request.ts";
import type { SharedHeaders } from "../client/transport.ts";
import { requestSecrets } from "../client/request-secrets.ts";
import { splitUrlCredentials, type SplitUrl } from "../client/url-credentials.ts";
import { encodeRecords } from "../record/record-codec.ts";
import { epochNs } from "../runtime/clock.ts";
import { nappedNsSoFar, spunNsSoFar } from "../schedule/precise-wait.ts";
import { clearLongTimeout, setLongTimeout } from "../runtime/long-timer.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { cleanRecordError, cleanServerText, SecretScrubber } from "../record/safe-text.ts";
import { runPhase, type SendArgs } from "./phase-runner.ts";
import { PromptStore } from "./prompt-store.ts";
import { SharedState } from "./shared-state.ts";
import type { MainToWorker, WorkerConfig, WorkerToMain } from "./worker-protocol.ts";
import { responseFieldSteps } from "../client/template-body.ts";
import type { PathStep } from "../client/field-path.ts";

// Small, frequent batches: cloning a big batch into postMessage holds the thread for milliseconds,
// and a send due meanwhile would leave late (measured: 256-record batches put p99 send lag at
// 5,000 req/s in the ms range).
const FLUSH_EVERY_MS = 20;
const FLUSH_AT_RECORDS = 16;
/** Finished records that may wait for their token counts: past this, no new request starts until the count worker catches up. */
const MAX_AWAITING_COUNTS = 1024;
/**
 * Estimated bytes of records posted that the main thread has not received: past this, no new request
 * starts until it does. Under --storage-priority idle the main thread runs only when this core has
 * nothing else to do; holding is what leaves it time when the load alone would fill the core.
 */
const MAX_UNRECEIVED_BYTES = 16 * 2 ** 20;

/** Past these (a quarter of the holds' limits), waits for a send's time leave the core to the threads that store and count (precise-wait.ts). */
export const BEHIND_UNRECEIVED_BYTES = MAX_UNRECEIVED_BYTES / 4;
const BEHIND_AWAITING_COUNTS = MAX_AWAITING_COUNTS / 4;

/** A hold test that reports each time it turns on (the run's closing warnings count the holds). */
function countedHold(on: () => boolean, noteStart: () => void): () => boolean {
  let was = false;
  return () => {
    const now = on();
    if (now && !was) noteStart();
    was = now;
    return now;
  };
}

export interface WorkerPort {
  /** `transfer`: buffers in `msg` that move to the main thread rather than being copied. */
  post(msg: WorkerToMain, transfer?: Bun.Transferable[]): void;
  onMessage(handler: (msg: MainToWorker) => void): void;
}

export function startLoadWorker(port: WorkerPort): void {
  let cfg: WorkerConfig;
  let shared: SharedState;
  let transport: Transport;
  let countBatch: CountBatch;
  /** Each configured URL without its userinfo, and the headers its requests share (Basic auth from its credentials). */
  let targets: Map<string, Target>;
  /** The session header's name, lower-cased once. */
  let sessionHeader: string;
  /** --endpoint-type template: where the answer's text is (parsed once). */
  let responseField: readonly PathStep[] | null = null;
  let scrubber = new SecretScrubber([]);
  let offThread: OffThreadCounter;
  const cancel = new AbortController();
  const deferred = new DeferredWork();
  const defer = (work: () => void): void => deferred.add(work);
  const prompts = new PromptStore();
  let pending: RequestRecord[] = [];
  /** Records whose token counts are being made on the count worker, not yet handed back by their request. */
  const counting = new Set<RequestRecord>();
  /** Records handed back that wait for their counts before they are sent on; a phase ends only after them. */
  const waiting = new Set<RequestRecord>();
  let countsIn: (() => void) | null = null;
  let stopPhase: (() => void) | null = null;

  let reportedConsumed = 0;
  const flush = (): void => {
    // Also when only prompts were used: the feeder waits for room while requests are still in flight.
    if (pending.length === 0 && prompts.consumed === reportedConsumed) return;
    reportedConsumed = prompts.consumed;
    const batch = encodeRecords(pending);
    shared.notePosted(batch.bytes);
    port.post({ type: "records", batch, consumed: reportedConsumed }, [batch.nums.buffer as ArrayBuffer]);
    pending = [];
  };
  const push = (r: RequestRecord): void => {
    // Where the record leaves the worker: nothing the server sent reaches storage or a terminal raw,
    // and no secret of ours comes back in it.
    if (r.error !== null) r.error = cleanRecordError(r.error, scrubber);
    pending.push(r);
    if (pending.length >= FLUSH_AT_RECORDS) flush();
  };
  // A record goes on once its request handed it back (emit) and its counts are in (counted), in
  // either order: counts usually come later, but a body held open after [DONE] hands it back later.
  const countStarted = (r: RequestRecord): void => {
    counting.add(r);
  };
  const counted = (r: RequestRecord): void => {
    if (counting.delete(r)) return; // not handed back yet: emit sends it on
    waiting.delete(r);
    push(r);
    if (waiting.size === 0) countsIn?.();
  };
  const emit = (r: RequestRecord): void => {
    if (!counting.delete(r)) return push(r);
    waiting.add(r);
  };
  /** Resolves once every record handed back has its counts. */
  const allCounted = (): Promise<void> =>
    waiting.size === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          countsIn = () => {
            countsIn = null;
            resolve();
          };
        });
  // Start nothing new while too many records await their counts, or while the main thread has not
  // taken in what was posted.
  const heldForCounts = countedHold(
    () => waiting.size + counting.size > MAX_AWAITING_COUNTS,
    () => shared.noteCountHold(),
  );
  const heldForMain = countedHold(
    () => shared.unreceived > MAX_UNRECEIVED_BYTES,
    () => shared.noteReceiveHold(),
  );
  // Short of a hold, storing, receiving or counting is falling behind: a wait for a send's time leaves them the core.
  const othersBehind = (): boolean => shared.behind || shared.unreceived > BEHIND_UNRECEIVED_BYTES || waiting.size + counting.size > BEHIND_AWAITING_COUNTS;
  const fatal = (e: unknown): void => port.post({ type: "fatal", message: cleanServerText(e instanceof Error ? e.message : String(e), scrubber) });

  const send = (a: SendArgs): Promise<RequestRecord> => {
    const target = targets.get(a.url) ?? targetOf(cfg, a.url);
    return runRequest(
      transport,
      {
        url: target.url,
        endpointType: cfg.endpointType,
        streaming: cfg.streaming,
        body: a.body,
        // The headers every request to this URL carries go as one block written out once; only the ids are per request.
        headers: withRequestIds(target.ownBase, a.requestId, sessionHeader, a.identity.x_correlation_id),
        sharedHeaders: target.shared,
        requestId: a.requestId,
        timeoutMs: cfg.requestTimeoutSeconds * 1000,
        cancel: a.cancel,
        responseField,
        onFirstToken: a.onFirstToken,
        onText: a.onText,
        countBatch,
        onCountStart: countStarted,
        onCounted: counted,
      },
      a.identity,
      NOT_HERE,
      NOT_HERE,
      defer,
    );
  };

  port.onMessage((msg) => {
    switch (msg.type) {
      case "init": {
        cfg = msg.config;
        targets = new Map(cfg.urls.map((u) => [u, targetOf(cfg, u)]));
        sessionHeader = cfg.sessionHeader.toLowerCase();
        responseField = cfg.endpointType === "template" ? responseFieldSteps(cfg.extraInputs) : null;
        scrubber = new SecretScrubber(requestSecrets(cfg.headers, cfg.urls));
        shared = new SharedState(msg.shared);
        const http1 = cfg.transport === "fetch" ? null : createHttp1Transport({ insecure: cfg.insecure });
        transport = http1 ?? createFetchTransport({ insecure: cfg.insecure });
        const counts = msg.counts;
        offThread = counts ? createOffThreadCounter(cfg.tokenizer, () => portCountLine(counts)) : createOffThreadCounter(cfg.tokenizer);
        // Its tokenizer loads while connections warm up, and is loaded before this worker says it is
        // ready: loading one takes ~1 s of CPU, which must not overlap the first requests' timing.
        const countReady = offThread.start();
        countBatch = batchCounter(offThread, cfg.tokenizer, defer);
        Promise.resolve()
          .then(async () => {
            // Warm connections, spread over the URLs, so the first wave is not timed through a burst
            // of TCP handshakes.
            if (http1 && cfg.preconnect > 0) {
              const perUrl = Math.ceil(cfg.preconnect / cfg.urls.length);
              await Promise.all(cfg.urls.map((u) => http1.preconnect(targets.get(u)!.url, perUrl)));
            }
            // No count worker: this thread counts, with a tokenizer loaded now rather than mid-run.
            if (!(await countReady)) await new Promise<unknown>((counted) => countBatch([], { counted }));
            port.post({ type: "ready" });
          })
          .then(undefined, fatal);
        break;
      }
      case "phase": {
        const cpuAtStart = process.threadCpuUsage();
        const spunAtStartNs = spunNsSoFar();
        const nappedAtStartNs = nappedNsSoFar();
        const stopped = new Promise<void>((resolve) => (stopPhase = resolve));
        if (cancel.signal.aborted) stopPhase?.();
        const timer = setInterval(flush, FLUSH_EVERY_MS);
        // The grace period's end, kept here as the duration is: the main thread's cancel may come late.
        const cancelAfterNs = msg.spec.cancelAfterNs ?? null;
        const graceOver =
          cancelAfterNs === null
            ? null
            : setLongTimeout(
                () => {
                  cancel.abort();
                  stopPhase?.();
                },
                (msg.spec.startNs + cancelAfterNs - epochNs()) / 1e6,
              );
        runPhase({
          cfg,
          spec: msg.spec,
          shared,
          prompts,
          send,
          cancel: cancel.signal,
          stopped,
          emit,
          held: () => heldForCounts() || heldForMain(),
          yieldCore: othersBehind,
        })
          .catch(fatal)
          .then(allCounted)
          .finally(() => {
            clearInterval(timer);
            clearLongTimeout(graceOver);
            flush();
            const consumed = prompts.consumed;
            prompts.close();
            reportedConsumed = 0;
            stopPhase = null;
            const cpu = process.threadCpuUsage(cpuAtStart);
            port.post({
              type: "phase-done",
              consumed,
              cpu: {
                cpuUs: cpu.user + cpu.system,
                spinUs: (spunNsSoFar() - spunAtStartNs) / 1e3,
                napUs: (nappedNsSoFar() - nappedAtStartNs) / 1e3,
              },
            });
          });
        break;
      }
      case "prompts":
        prompts.put(msg.items);
        break;
      case "stop":
        stopPhase?.();
        break;
      case "cancel":
        cancel.abort();
        stopPhase?.();
        break;
      case "counts-lost":
        // Pending and later counts are rejected, and batchCounter counts them here.
        offThread.close();
        break;
    }
  });
}

interface Target extends SplitUrl {
  /** The headers every request to the URL carries but its ids, checked and written out once; null if they do not pass (each request then fails as invalid, as before). */
  shared: SharedHeaders | null;
  /** What a request's own headers start from: nothing beside the shared block, else every header. */
  ownBase: Record<string, string>;
}

const NO_HEADERS: Record<string, string> = {};

function targetOf(cfg: WorkerConfig, url: string): Target {
  const split = splitUrlCredentials(url);
  const headers = baseHeaders({ streaming: cfg.streaming, configured: cfg.headers, urlAuthorization: split.authorization });
  // Those a request sets itself are left out: its own value wins, as when the objects were merged.
  const perRequest = new Set(["x-request-id", cfg.sessionHeader.toLowerCase()]);
  let shared: SharedHeaders | null;
  try {
    shared = sharedHeaders(Object.fromEntries(Object.entries(headers).filter(([name]) => !perRequest.has(name.toLowerCase()))));
  } catch {
    shared = null;
  }
  return { ...split, shared, ownBase: shared === null ? headers : NO_HEADERS };
}

/** In batch mode the request runner never calls its own counters. */
const NOT_HERE: TokenCounter = {
  count(): number {
    throw new Error("token counts are made on the count worker");
  },
};
