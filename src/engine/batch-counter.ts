// Where a load worker's token counts are made: one batch per request to the count worker
// (off-thread-counter.ts); if that cannot start or dies, on the load worker itself, with a tokenizer
// loaded only then.
import { memoizedCounter } from "../client/piece-counter.ts";
import type { CountBatch, CountSink } from "../client/request-runner.ts";
import { SlicedCounts } from "../client/sliced-count.ts";
import type { TokenCounter } from "../client/token-counter.ts";
import type { TextTokenizer } from "../dataset/tokenizer.ts";
import type { OffThreadCounter } from "./off-thread-counter.ts";

/**
 * Counts on the count worker; if it cannot start or dies, on this thread with a tokenizer loaded then,
 * long texts in deferred slices (sliced-count.ts) so stamping still goes on between them.
 */
export function batchCounter(offThread: OffThreadCounter, tokenizer: string, defer: (work: () => void) => void): CountBatch {
  let local: Promise<TokenCounter> | null = null;
  const here = (texts: string[]): Promise<number[]> => {
    // Loaded only here: the tokenizer library is no part of a load worker's start.
    local ??= (require("../dataset/tokenizer.ts") as typeof import("../dataset/tokenizer.ts"))
      .loadTokenizer(tokenizer)
      .then((t: TextTokenizer) => memoizedCounter(t));
    return local.then(
      (c) =>
        new Promise<number[]>((resolve) => {
          const out = texts.map(() => 0);
          const counts = new SlicedCounts(defer);
          for (let i = 0; i < texts.length; i++) {
            counts.count(c, texts[i]!, (n) => {
              out[i] = n;
            });
          }
          counts.whenIdle(() => resolve(out));
        }),
      () => texts.map(() => 0),
    );
  };
  const countHere = (texts: string[], sink: CountSink): void => {
    here(texts).then(
      (n) => sink.counted(n),
      () => sink.counted(null),
    );
  };
  return (texts, sink) => offThread.countTo(texts, sink, countHere);
}
