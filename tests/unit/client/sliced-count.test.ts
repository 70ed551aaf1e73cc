// Sliced counting: long texts are counted one bounded slice per deferred step, and the sum equals the
// whole text's count for ordinary text (byte-level regex tokenizers, and "▁"-prepending ones after the
// per-slice correction).
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COUNT_SLICE_CHARS, SlicedCounts, cutOverhead, sliceEnd } from "../../../src/client/sliced-count.ts";
import type { TokenCounter } from "../../../src/client/token-counter.ts";
import { type TextTokenizer, loadTokenizer, tokenizerFromJson } from "../../../src/dataset/tokenizer.ts";

const ROOT = join(import.meta.dir, "../../..");
// Ordinary prose, frozen (a copy of an earlier README): this read the live README and docs, and a README
// edit that moved every later cut made the toy "▁" tokenizer's sum one token more than its whole count
// (114,502 vs 114,501) with no change to the code.
const realText = (minChars: number): string => {
  const t = readFileSync(join(ROOT, "tests/fixtures/ordinary-text.md"), "utf8");
  return t.repeat(Math.ceil(minChars / t.length));
};

/** A counter that records the length of every text it is given; counts characters. */
function recordingCounter(inner: TokenCounter = { count: (t) => t.length }): TokenCounter & { lengths: number[] } {
  const lengths: number[] = [];
  return { lengths, count: (t) => (lengths.push(t.length), inner.count(t)) };
}

/** A defer that queues; run() works off one item at a time. */
function queueDefer(): { defer: (w: () => void) => void; queue: (() => void)[]; runAll: () => number } {
  const queue: (() => void)[] = [];
  return {
    queue,
    defer: (w) => queue.push(w),
    runAll: () => {
      let n = 0;
      while (queue.length > 0) {
        queue.shift()!();
        n++;
      }
      return n;
    },
  };
}

describe("sliceEnd", () => {
  test.each([
    ["the rest when it fits", "hello world", 0, 20, 11],
    ["before a space that follows a non-space, in the second half", "aaaaa bbbbbb", 0, 8, 5],
    ["not before a space that follows a space", "aaaaa  bbbbb", 0, 8, 5],
    ["hard cut when the second half has no such space", "aaa bbbbbbbbb", 0, 8, 8],
    ["from a later start", "xx aaaaa bbbbbb", 3, 8, 8],
    ["never inside a surrogate pair", "aaaaaaa\u{1F389}bb", 0, 8, 7],
  ] as const)("%s", (_, text, start, max, end) => {
    expect(sliceEnd(text, start, max)).toBe(end);
  });
});

describe("SlicedCounts", () => {
  test("a short text is counted at once", () => {
    const c = recordingCounter();
    const q = queueDefer();
    const counts = new SlicedCounts(q.defer);
    const got: number[] = [];
    counts.count(c, "short text", (n) => got.push(n));
    counts.count(c, "", (n) => got.push(n));
    expect(got).toEqual([10]);
    expect(q.queue.length).toBe(0);
    let idle = false;
    counts.whenIdle(() => (idle = true));
    expect(idle).toBe(true);
  });

  test("a long text: one bounded slice per deferred step, the total after the last", () => {
    const c = recordingCounter();
    const q = queueDefer();
    const counts = new SlicedCounts(q.defer);
    const text = "word ".repeat(10_000); // 50,000 chars
    cutOverhead(c); // probed once per counter, here, so only slices are recorded below
    c.lengths.length = 0;
    const got: number[] = [];
    counts.count(c, text, (n) => got.push(n));
    let idle = false;
    counts.whenIdle(() => (idle = true));
    expect(got).toEqual([]);
    expect(c.lengths).toEqual([]);
    const steps = q.runAll();
    expect(steps).toBe(c.lengths.length);
    expect(steps).toBeGreaterThanOrEqual(50_000 / COUNT_SLICE_CHARS);
    expect(c.lengths.filter((n) => n > COUNT_SLICE_CHARS)).toEqual([]);
    expect(got).toEqual([50_000]);
    expect(idle).toBe(true);
  });

  test("a synchronous defer runs the slices in a loop, not in recursion", () => {
    const c = recordingCounter();
    const counts = new SlicedCounts((w) => w(), 16);
    cutOverhead(c);
    c.lengths.length = 0;
    const got: number[] = [];
    counts.count(c, "x".repeat(1_000_000), (n) => got.push(n));
    expect(got).toEqual([1_000_000]);
    expect(c.lengths.length).toBe(62_500);
  });

  describe("exact for ordinary text", () => {
    let builtin: TextTokenizer;
    beforeAll(async () => {
      builtin = await loadTokenizer("builtin");
    }, 60_000);

    test("o200k: the slices' counts add up to the whole text's", () => {
      const text = realText(40_000);
      const c = recordingCounter(builtin);
      const got: number[] = [];
      new SlicedCounts((w) => w()).count(c, text, (n) => got.push(n));
      expect(c.lengths.length).toBeGreaterThan(40_000 / COUNT_SLICE_CHARS);
      expect(cutOverhead(builtin)).toBe(0);
      expect(got).toEqual([builtin.count(text)]);
    }, 60_000);

    test("a tokenizer that prepends ▁ to every text: corrected by its per-cut overhead", () => {
      const tok = prependingBpe();
      const text = realText(20_000);
      const got: number[] = [];
      new SlicedCounts((w) => w()).count(tok, text, (n) => got.push(n));
      expect(cutOverhead(tok)).toBe(1);
      expect(got).toEqual([tok.count(text)]);
    }, 60_000);
  });
});

/** A SentencePiece-style BPE tokenizer.json: normalizer prepends "▁" and maps " " to "▁", no pre-tokenizer. */
function prependingBpe(): TextTokenizer {
  const chars = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?'\"()-_/`#*|[]<>=+\n"];
  const vocab: Record<string, number> = { "<unk>": 0, "\u2581": 1 };
  const merges = ["\u2581 t", "h e", "\u2581t he", "\u2581 a", "i n", "\u2581 in", "e r", "o n", "\u2581 o"];
  for (const c of chars) vocab[c] ??= Object.keys(vocab).length;
  for (const m of merges) vocab[m.replace(" ", "")] ??= Object.keys(vocab).length;
  const json = {
    version: "1.0",
    added_tokens: [],
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "Prepend", prepend: "\u2581" },
        { type: "Replace", pattern: { String: " " }, content: "\u2581" },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    model: { type: "BPE", unk_token: "<unk>", fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  return tokenizerFromJson("prepending", json);
}
