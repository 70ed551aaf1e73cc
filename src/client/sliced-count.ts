// Token counting that never holds the thread that stamps arrivals for long.
//
// A text of up to COUNT_SLICE_CHARS is counted at once, as before. A longer one is cut into slices of
// at most that many characters and each slice is counted in its own deferred step (DeferredWork
// in the load worker), so other streams' reads are stamped between slices: the stall is one slice
// (~0.5 ms of ordinary text, a few ms of a pathological run), not the whole text (24.8 s for 5 MB).
// A load worker normally sends its texts whole to the count worker (engine/off-thread-counter.ts),
// which stalls stamping less than slices do; slices are its fallback when that worker cannot be used.
//
// Exactness: a slice ends just before a space that follows a non-space character when the window's
// second half has one. Byte-level regex pre-tokenizers (GPT-2, cl100k, o200k, Llama 3, Qwen) always
// start a pre-token there, so the sum of the slices' counts is the whole text's count. Tokenizers that
// prepend "▁" to every text (SentencePiece conversions such as Llama 2) count that marker once per
// slice: cutOverhead() measures it once per counter and it is subtracted per extra slice. A window
// without such a space (a pathological run) is cut hard: about one token more per cut.
import type { TokenCounter } from "./token-counter.ts";

export const COUNT_SLICE_CHARS = 2048;

/** End of the slice of `text` that starts at `start` (see the top of this file). */
export function sliceEnd(text: string, start: number, maxChars: number): number {
  const end = start + maxChars;
  if (end >= text.length) return text.length;
  for (let i = end; i > start + (maxChars >> 1); i--) {
    if (text.charCodeAt(i) === 32 && !isSpace(text.charCodeAt(i - 1))) return i;
  }
  const prev = text.charCodeAt(end - 1);
  return prev >= 0xd800 && prev <= 0xdbff ? end - 1 : end; // not inside a surrogate pair
}

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const PROBES: [string, string][] = [
  ["Hello", " world"],
  ["The quick brown", " fox jumps"],
  ["counted", " in slices."],
];
const overheads = new WeakMap<TokenCounter, number>();

/**
 * Tokens a cut before a space adds to the sum of the parts' counts: 0 for byte-level regex tokenizers,
 * 1 for those that prepend "▁" to every text. 0 when the probes disagree (nothing to correct reliably).
 */
export function cutOverhead(counter: TokenCounter): number {
  let k = overheads.get(counter);
  if (k === undefined) {
    const ks = PROBES.map(([a, b]) => counter.count(a) + counter.count(b) - counter.count(a + b));
    k = ks.every((x) => x === ks[0]) ? ks[0]! : 0;
    overheads.set(counter, k);
  }
  return k;
}

/** One request's counts: short texts at once, long ones in deferred slices; whenIdle runs once all are done. */
export class SlicedCounts {
  private pending = 0;
  private onIdle: (() => void) | null = null;

  constructor(
    private readonly defer: (work: () => void) => void,
    private readonly maxChars: number = COUNT_SLICE_CHARS,
  ) {}

  /**
   * Counts `text` and passes the total to `add`: at once when it is short, else after the last slice
   * (which, with a synchronous `defer`, may also be before this returns). Nothing for "".
   */
  count(counter: TokenCounter, text: string, add: (n: number) => void): void {
    if (text.length <= this.maxChars) {
      if (text) add(counter.count(text));
      return;
    }
    this.pending++;
    this.sliced(counter, text, add);
  }

  /** Runs `fn` once every count has its total: now if none is pending. */
  whenIdle(fn: () => void): void {
    if (this.pending === 0) fn();
    else this.onIdle = fn;
  }

  private settle(add: (n: number) => void, n: number): void {
    add(n);
    if (--this.pending === 0) this.onIdle?.();
  }

  private sliced(counter: TokenCounter, text: string, add: (n: number) => void): void {
    let start = 0;
    let total = 0;
    let slices = 0;
    // Re-entrance guard: with a synchronous `defer` the slices run in this loop, not in recursion.
    let running = false;
    let again = false;
    const step = (): void => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      do {
        again = false;
        const end = sliceEnd(text, start, this.maxChars);
        total += counter.count(text.slice(start, end));
        slices++;
        start = end;
        if (start < text.length) {
          this.defer(step);
          continue;
        }
        this.settle(add, total - cutOverhead(counter) * (slices - 1));
      } while (again);
      running = false;
    };
    this.defer(step);
  }
}
