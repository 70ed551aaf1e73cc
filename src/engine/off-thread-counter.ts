// Counts tokens on a count worker (count-worker-main.ts): a load worker's texts go there in one batch
// per request, so the load worker loads no tokenizer (~41 MB of heap, ~1 s) and never counts.
// Counts sent before the worker is ready wait for it. If it cannot start or dies, every pending and
// later count is rejected, and the caller counts on its own thread instead.
import type { CountWorkerIn, CountWorkerOut } from "./count-worker-main.ts";
import { spawnCountWorker } from "../spawn-count-worker.ts";

export interface OffThreadCounter {
  /** Starts the worker now (counts start it anyway); resolves true once its tokenizer is loaded, false if it cannot count. */
  start(): Promise<boolean>;
  /** The token count of each text, in order. */
  countMany(texts: string[]): Promise<number[]>;
  /** Stops the worker (if started); pending counts are rejected. */
  close(): void;
}

export function createOffThreadCounter(tokenizer: string, spawn: () => Worker = spawnCountWorker): OffThreadCounter {
  let worker: Worker | null = null;
  let ready = false;
  let failed: Error | null = null;
  let nextId = 0;
  const pending = new Map<number, { texts: string[] | null; resolve: (n: number[]) => void; reject: (e: Error) => void }>();
  const readiness = Promise.withResolvers<boolean>();

  const post = (msg: CountWorkerIn): void => worker!.postMessage(msg);
  const fail = (e: Error): void => {
    failed = e;
    readiness.resolve(false);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  const spawnOnce = (): void => {
    if (worker !== null || failed !== null) return;
    try {
      worker = spawn();
    } catch (e) {
      fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    worker.unref(); // never what keeps the load worker alive
    worker.onmessage = (e: MessageEvent<CountWorkerOut>) => {
      const msg = e.data;
      if (msg.type === "ready") {
        ready = true;
        readiness.resolve(true);
        for (const [id, p] of pending) {
          post({ type: "count", id, texts: p.texts ?? [] });
          p.texts = null;
        }
      } else if (msg.type === "count") {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        p?.resolve(msg.tokens);
      } else {
        fail(new Error(`count worker: ${msg.message}`));
      }
    };
    worker.onerror = (e) => fail(new Error(`count worker: ${e.message}`));
    post({ type: "init", tokenizer });
  };
  const countMany = (texts: string[]): Promise<number[]> => {
    if (failed) return Promise.reject(failed);
    spawnOnce();
    if (failed) return Promise.reject(failed);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      // Kept only until the worker is ready; after that the message holds them.
      pending.set(id, { texts: ready ? null : texts, resolve, reject });
      if (ready) post({ type: "count", id, texts });
    });
  };

  return {
    start: () => {
      spawnOnce();
      return readiness.promise;
    },
    countMany,
    close(): void {
      fail(new Error("count worker closed"));
    },
  };
}
