// Per-chunk token counts are the hot cost at thousands of streams (about 2 us per encode here), and
// streamed chunks repeat the same short texts (" the", " of", ...): memoize them. Bounded: the map
// is dropped when full, so memory stays flat whatever the output.
import type { TokenCounter } from "./token-counter.ts";

const MAX_ENTRIES = 65_536;
const MAX_PIECE_CHARS = 64;

export function memoizedCounter(inner: TokenCounter): TokenCounter {
  let memo = new Map<string, number>();
  return {
    count(text: string): number {
      if (text.length > MAX_PIECE_CHARS) return inner.count(text);
      let n = memo.get(text);
      if (n === undefined) {
        n = inner.count(text);
        if (memo.size >= MAX_ENTRIES) memo = new Map();
        memo.set(text, n);
      }
      return n;
    },
  };
}
