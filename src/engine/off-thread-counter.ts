// Counts huge texts on a count worker (count-worker-main.ts), started on first use, so a load worker
// that never sees a huge output never pays for a second tokenizer (~150 MB, ~1 s to load).
// Counts sent before the worker is ready wait for it. If it cannot start or dies, every pending and
// later count is rejected, and the caller counts in slices on its own thread instead.
import type { CountWorkerIn, CountWorkerOut } from "./count-worker-main.ts";
import { spawnCountWorker } from "../spawn-count-worker.ts";

export interface OffThreadCounter {
  count(text: string): Promise<number>;
  /** Stops the worker (if started); pending counts are rejected. */
  close(): void;
}

export function createOffThreadCounter(tokenizer: string, spawn: () => Worker = spawnCountWorker): OffThreadCounter {
  let worker: Worker | null = null;
  let ready = false;
  let failed: Error | null = null;
  let nextId = 0;
  const pending = new Map<number, { text: string; resolve: (n: number) => void; reject: (e: Error) => void }>();

  const post = (msg: CountWorkerIn): void => worker!.postMessage(msg);
  const fail = (e: Error): void => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  const start = (): void => {
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
        for (const [id, p] of pending) post({ type: "count", id, text: p.text });
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

  return {
    count(text: string): Promise<number> {
      if (failed) return Promise.reject(failed);
      if (worker === null) start();
      if (failed) return Promise.reject(failed);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { text: ready ? "" : text, resolve, reject });
        if (ready) post({ type: "count", id, text });
      });
    },
    close(): void {
      fail(new Error("count worker closed"));
    },
  };
}
