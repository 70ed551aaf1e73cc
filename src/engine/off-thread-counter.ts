// Counts tokens on a count worker (count-worker-main.ts): a load worker's texts go there in one batch
// per request, so the load worker loads no tokenizer (~41 MB of heap, ~1 s) and never counts.
// One message per request, not per turn: sharing a message among the requests that end in one turn cut
// the load worker's involuntary switches from ~1,700 to ~450 per 3,000 requests, but the count worker
// then held the core longer at a time; at 1,000 streams TTFT error p99 rose 1.5 -> 4.1 ms (worse in 6
// of 6 pairs) and gap p99 0.74 -> 1.06 ms; the send lag at 5,000 req/s did not move.
// The count worker is either one the main thread started and shares between load workers (reached
// through a MessagePort: `portCountLine`), or this thread's own (`ownCountWorker`).
// Counts sent before the worker is ready wait for it. If it cannot start or dies, every pending and
// later count goes to the caller's fallback (countMany rejects), which counts on its own thread instead.
import type { CountSink } from "../client/request-runner.ts";
import type { CountWorkerIn, CountWorkerOut } from "./count-worker-main.ts";
import { spawnCountWorker } from "../spawn-count-worker.ts";

/** What a count the worker cannot make falls back to (called once per count, with its texts). */
export type CountFallback = (texts: string[], sink: CountSink, e: Error) => void;

export interface OffThreadCounter {
  /** Starts the worker now (counts start it anyway); resolves true once its tokenizer is loaded, false if it cannot count. */
  start(): Promise<boolean>;
  /** The token count of each text, in order. */
  countMany(texts: string[]): Promise<number[]>;
  /**
   * countMany with the answer handed to `sink` (a request's counts: no promise or closure per
   * request); if the worker cannot start or dies, `otherwise` gets the texts instead.
   */
  countTo(texts: string[], sink: CountSink, otherwise: CountFallback): void;
  /** Stops the worker (if started); pending counts go to their fallback (countMany's reject). */
  close(): void;
}

/** How this thread talks to a count worker. */
export interface CountLine {
  post(msg: CountWorkerIn): void;
  /** Answers, and the line's failure (the worker crashed). */
  listen(onMessage: (msg: CountWorkerOut) => void, onError: (e: Error) => void): void;
  close(): void;
  /** This side sends the tokenizer ("init"): true for a worker of its own, false when the main thread did. */
  readonly sendsInit: boolean;
}

/** A count worker of this thread's own. */
export function ownCountWorker(worker: Worker): CountLine {
  worker.unref(); // never what keeps the load worker alive
  return {
    post: (msg) => worker.postMessage(msg),
    listen: (onMessage, onError) => {
      worker.onmessage = (e: MessageEvent<CountWorkerOut>) => onMessage(e.data);
      worker.onerror = (e) => onError(new Error(`count worker: ${e.message}`));
    },
    close: () => worker.terminate(),
    sendsInit: true,
  };
}

/** A line to a count worker the main thread started (it sent the tokenizer and the other end of `port`). */
export function portCountLine(port: MessagePort): CountLine {
  (port as MessagePort & { unref?: () => void }).unref?.();
  return {
    post: (msg) => port.postMessage(msg),
    listen: (onMessage) => {
      port.onmessage = (e) => onMessage(e.data as CountWorkerOut);
    },
    close: () => port.close(),
    sendsInit: false,
  };
}

interface PendingCount {
  texts: string[];
  sink: CountSink;
  otherwise: CountFallback;
}

export function createOffThreadCounter(tokenizer: string, open: () => CountLine = () => ownCountWorker(spawnCountWorker())): OffThreadCounter {
  let line: CountLine | null = null;
  let ready = false;
  let failed: Error | null = null;
  let nextId = 0;
  const pending = new Map<number, PendingCount>();
  const readiness = Promise.withResolvers<boolean>();

  const fail = (e: Error): void => {
    failed = e;
    readiness.resolve(false);
    const lost = [...pending.values()];
    pending.clear();
    for (const p of lost) p.otherwise(p.texts, p.sink, e);
    line?.close();
    line = null;
  };
  const openOnce = (): void => {
    if (line !== null || failed !== null) return;
    let opened: CountLine;
    try {
      opened = open();
    } catch (e) {
      fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    line = opened;
    opened.listen(
      (msg) => {
        if (msg.type === "ready") {
          ready = true;
          readiness.resolve(true);
          for (const [id, p] of pending) opened.post({ type: "count", id, texts: p.texts });
        } else if (msg.type === "count") {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          p?.sink.counted(msg.tokens);
        } else if (msg.type === "fatal") {
          fail(new Error(`count worker: ${msg.message}`));
        }
      },
      (e) => fail(e),
    );
    if (opened.sendsInit) opened.post({ type: "init", tokenizer });
  };
  const countTo = (texts: string[], sink: CountSink, otherwise: CountFallback): void => {
    if (!failed) openOnce();
    const l = line;
    if (failed || l === null) {
      otherwise(texts, sink, failed ?? new Error("count worker closed"));
      return;
    }
    const id = nextId++;
    // The texts stay until the answer: a count the worker loses is made elsewhere from them.
    pending.set(id, { texts, sink, otherwise });
    if (ready) l.post({ type: "count", id, texts });
  };
  const countMany = (texts: string[]): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const sink: CountSink = { counted: (n) => (n === null ? reject(new Error("count worker: no counts")) : resolve(n)) };
      countTo(texts, sink, (_t, _s, e) => reject(e));
    });

  return {
    start: () => {
      openOnce();
      return readiness.promise;
    },
    countMany,
    countTo,
    close(): void {
      fail(new Error("count worker closed"));
    },
  };
}
