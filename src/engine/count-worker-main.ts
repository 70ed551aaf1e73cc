// Body of a count worker: counts tokens for a load worker, on a thread of its own, so the load worker's
// thread, which stamps arrivals, holds no tokenizer and never counts. Each finished request's texts
// come as one batch (its output, reasoning and every chunk's pieces), however long.
// Measured before batches: counting a 1 MB run on the load worker in 2 KB slices put its event-loop
// lateness at p99 12-25 ms, here it stays at its idle 3-6 ms. With the tokenizer gone from the load
// worker, its heap is a few MB instead of 41 MB of vocabulary (and the garbage collector's swings
// above it), so collections there are short.
import { memoizedCounter } from "../client/piece-counter.ts";
import type { TokenCounter } from "../client/token-counter.ts";
import { loadTokenizer } from "../dataset/tokenizer.ts";

export type CountWorkerIn = { type: "init"; tokenizer: string } | { type: "count"; id: number; texts: string[] };
export type CountWorkerOut = { type: "ready" } | { type: "count"; id: number; tokens: number[] } | { type: "fatal"; message: string };

export interface CountWorkerPort {
  post(msg: CountWorkerOut): void;
  onMessage(handler: (msg: CountWorkerIn) => void): void;
}

export function startCountWorker(port: CountWorkerPort): void {
  // Not under SCHED_IDLE: on a saturated core the counts then ran only when the load worker held
  // for them, and a 50,000-request run against a zero-latency mock took 35-40 s instead of 16 s.
  let counter: TokenCounter | null = null;
  port.onMessage((msg) => {
    if (msg.type === "init") {
      loadTokenizer(msg.tokenizer).then(
        (t) => {
          // Streamed chunks repeat the same short texts: memoized (bounded, piece-counter.ts).
          counter = memoizedCounter(t);
          port.post({ type: "ready" });
        },
        (e: unknown) => port.post({ type: "fatal", message: e instanceof Error ? e.message : String(e) }),
      );
    } else if (counter !== null) {
      const c = counter;
      port.post({ type: "count", id: msg.id, tokens: msg.texts.map((t) => (t === "" ? 0 : c.count(t))) });
    }
  });
}
