import { beforeAll, describe, expect, test } from "bun:test";
import { blockLayoutError, createBlockPromptBuilder } from "../../../src/dataset/block-prompts.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";

let o200k: TextTokenizer;

beforeAll(async () => {
  o200k = await loadTokenizer("builtin");
});

/** o200k with a different count; `calls` records the length of every counted text. */
function fakeTokenizer(name: string, count: (text: string) => number): TextTokenizer & { calls: number[] } {
  const calls: number[] = [];
  return {
    name,
    calls,
    count: (t) => {
      calls.push(t.length);
      return t === "" ? 0 : count(t);
    },
    encode: (t) => o200k.encode(t),
    decode: (ids) => o200k.decode(ids),
    pack: () => null,
    packFile: () => null,
    release: () => {},
  };
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

describe("blockLayoutError", () => {
  test.each([
    [1024, 2, 512, null],
    [513, 2, 512, null],
    [512, 1, 512, null],
    [1, 1, 512, null],
    [0, 0, 512, null],
    [10, 3, 4, null],
    [1025, 2, 512, "input_length 1025 with 2 hash_ids of 512 tokens: the last block would hold 513 tokens, more than 512 (input_length must be in 513..1024)"],
    [512, 2, 512, "input_length 512 with 2 hash_ids of 512 tokens: the last block would hold 0 tokens, fewer than 1 (input_length must be in 513..1024)"],
    [0, 1, 512, "input_length 0 with 1 hash_ids of 512 tokens: the last block would hold 0 tokens, fewer than 1 (input_length must be in 1..512)"],
    [5, 0, 512, "input_length 5 with no hash_ids: there is no block to hold the tokens"],
    [5, 1, 0, "block size must be a positive integer, got 0"],
    [-1, 1, 512, "input_length must be a non-negative integer, got -1"],
  ] as const)("input_length %p, %p hash ids, block size %p", (len, n, size, expected) => {
    expect(blockLayoutError(len, n, size)).toBe(expected);
  });
});

describe("createBlockPromptBuilder (o200k)", () => {
  test.each([
    [[1], 1],
    [[1], 512],
    [[1, 2, 3], 1025],
    [[1, 2, 3], 1200],
    [[1, 2, 3], 1536],
    [[7, 7, 7, 7], 4 * 16 - 3],
    [[100, 5, 100], 2 * 512 + 300],
    [[], 0],
  ])("ids %p, %p tokens: exactly that many tokens", (ids, total) => {
    const b = createBlockPromptBuilder(o200k, { seed: 1, blockSize: ids.length === 4 ? 16 : 512 });
    const text = b.build(ids, total);
    expect(o200k.count(text)).toBe(total);
  });

  test("equal leading hash ids share exactly the bytes of those blocks, then differ", () => {
    const b = createBlockPromptBuilder(o200k, { seed: 5, blockSize: 512 });
    const a = b.build([1, 2, 3], 1536);
    const c = b.build([1, 2, 9], 1536);
    const shared = b.build([1, 2], 1024);
    expect(o200k.count(shared)).toBe(1024);
    expect(a.startsWith(shared)).toBe(true);
    expect(c.startsWith(shared)).toBe(true);
    // after the shared blocks both go on with " Word...": at most a word or so in common by chance
    const lcp = commonPrefixLength(a, c);
    expect(lcp).toBeGreaterThanOrEqual(shared.length);
    expect(lcp - shared.length).toBeLessThan(20);
    expect(a.slice(shared.length)).not.toBe(c.slice(shared.length));
    // a different first block shares nothing beyond chance
    expect(commonPrefixLength(a, b.build([4, 2, 3], 1536))).toBeLessThan(20);
  });

  test("a partial last block is built at its own size, not reused from a full block of the same id (nor the reverse)", () => {
    const b = createBlockPromptBuilder(o200k, { seed: 5, blockSize: 512 });
    const full = b.build([1, 2, 3], 1536);
    const partial = b.build([1, 2, 3], 1100);
    const shared = b.build([1, 2], 1024);
    expect(o200k.count(partial)).toBe(1100);
    expect(partial.startsWith(shared)).toBe(true);
    expect(o200k.count(partial.slice(shared.length))).toBe(76);
    expect(o200k.count(full.slice(shared.length))).toBe(512);
    // the full block 3 is still the full one after the partial was built
    expect(b.build([1, 2, 3], 1536)).toBe(full);
    expect(b.build([1, 2, 3, 4], 1600).startsWith(full)).toBe(true);
  });

  test("seed reproducibility: same bytes from separate builders whatever they built before; another seed differs", () => {
    const requests: [number[], number][] = [
      [[0, 1, 2], 1400],
      [[0, 1, 5, 6], 1600],
      [[9], 30],
      [[0, 1, 2], 1536],
    ];
    const a = createBlockPromptBuilder(o200k, { seed: 42, blockSize: 512 });
    const b = createBlockPromptBuilder(o200k, { seed: 42, blockSize: 512 });
    const c = createBlockPromptBuilder(o200k, { seed: 43, blockSize: 512 });
    b.build([5, 0, 1], 1200);
    const pa = requests.map(([ids, n]) => a.build(ids, n));
    const pb = [...requests]
      .reverse()
      .map(([ids, n]) => b.build(ids, n))
      .reverse();
    const pc = requests.map(([ids, n]) => c.build(ids, n));
    expect(pb).toEqual(pa);
    for (let i = 0; i < requests.length; i++) expect(pc[i]).not.toBe(pa[i]!);
  });

  test("with o200k the blocks add up: one count of the whole prompt, no repair", () => {
    const tok = fakeTokenizer("o200k spy", (t) => o200k.count(t));
    const b = createBlockPromptBuilder(tok, { seed: 8, blockSize: 128 });
    for (let i = 0; i < 20; i++) {
      const ids = Array.from({ length: 2 + (i % 6) }, (_, k) => (k < 2 ? k : 100 * i + k));
      const total = (ids.length - 1) * 128 + 1 + ((i * 37) % 128);
      tok.calls.length = 0;
      const text = b.build(ids, total);
      expect(tok.calls.filter((len) => len === text.length)).toHaveLength(1);
      expect(o200k.count(text)).toBe(total);
    }
  });

  test("a block built again is not counted again (it came on the first try), and its text is the same", () => {
    const tok = fakeTokenizer("o200k spy", (t) => o200k.count(t));
    const b = createBlockPromptBuilder(tok, { seed: 3, blockSize: 128 });
    const unremembering = createBlockPromptBuilder(o200k, { seed: 3, blockSize: 128, firstTryIds: 0 });
    tok.calls.length = 0;
    const first = b.build([10, 11, 12], 3 * 128);
    // three blocks checked, then the whole prompt (the word costs are measured on the way: short texts)
    expect(tok.calls.filter((len) => len > 64)).toHaveLength(4);
    tok.calls.length = 0;
    const again = b.build([10, 11, 12], 3 * 128);
    expect(again).toBe(first);
    expect(tok.calls).toEqual([again.length]);
    // blocks 10 and 11 known, 13 new: one block count and the whole prompt
    tok.calls.length = 0;
    const next = b.build([10, 11, 13], 3 * 128 - 5);
    const long = tok.calls.filter((len) => len > 64);
    expect(long).toHaveLength(2);
    expect(long[1]).toBe(next.length);
    expect(o200k.count(next)).toBe(3 * 128 - 5);
    // the same bytes as a builder that checks every block
    expect(unremembering.build([10, 11, 12], 3 * 128)).toBe(first);
    expect(unremembering.build([10, 11, 13], 3 * 128 - 5)).toBe(next);
  });

  test("only full blocks with ids below the bound are remembered; others are checked every time", () => {
    const tok = fakeTokenizer("o200k spy", (t) => o200k.count(t));
    const b = createBlockPromptBuilder(tok, { seed: 3, blockSize: 32, firstTryIds: 4 });
    const cases: [number[], number, number][] = [
      // [ids, tokens, counts when built again]
      [[3], 32, 0], // full, id below the bound: remembered (one block: no count of the whole either)
      [[4], 32, 1], // id at the bound
      [[-2], 32, 1], // negative id
      [[2], 20, 1], // a last block of another size
      [[0, 1], 64, 1], // both blocks remembered: only the whole prompt is counted
    ];
    const first = cases.map(([ids, n]) => b.build(ids, n));
    const again = cases.map(([ids, n, counts], i) => {
      tok.calls.length = 0;
      const text = b.build(ids, n);
      return [text === first[i], tok.calls.filter((len) => len > 64 || len === text.length).length, counts];
    });
    expect(again).toEqual(cases.map(([, , counts]) => [true, counts, counts]));
  });

  test("invalid layouts and ids throw", () => {
    const b = createBlockPromptBuilder(o200k, { seed: 1, blockSize: 512 });
    expect(() => b.build([1, 2], 1025)).toThrow("the last block would hold 513 tokens, more than 512");
    expect(() => b.build([1, 2.5], 600)).toThrow("hash ids must be integers, got 2.5");
    expect(() => createBlockPromptBuilder(o200k, { seed: 1, blockSize: 0 })).toThrow("block size must be a positive integer");
  });
});

describe("tokenizers whose counts do not add up over blocks", () => {
  test("only the last block is rebuilt, and the prompt is exact", () => {
    // Like a SentencePiece "▁" prepended to every text: a text starting with a space costs one more
    // alone than after other text, so each continuation block counts one less inside the prompt.
    const tok = fakeTokenizer("prefix-space", (t) => o200k.count(t) + (t.startsWith(" ") ? 1 : 0));
    const b = createBlockPromptBuilder(tok, { seed: 2, blockSize: 64 });
    for (const [ids, total] of [
      [[1, 2, 3, 4], 64 * 3 + 10],
      [[1, 2, 3, 4], 64 * 4],
      [[1, 2], 65],
    ] as const) {
      expect(tok.count(b.build(ids, total))).toBe(total);
    }
    // built again, the repaired blocks are checked again (only first-try blocks are remembered): same bytes
    const fresh = createBlockPromptBuilder(tok, { seed: 2, blockSize: 64, firstTryIds: 0 });
    expect(b.build([1, 2, 3, 4], 64 * 4)).toBe(fresh.build([1, 2, 3, 4], 64 * 4));
    // the blocks before the last are still the cached, shared ones
    const a = b.build([1, 2, 3, 4], 64 * 3 + 10);
    const c = b.build([1, 2, 3, 9], 64 * 3 + 10);
    // (blocks 2 and 3 count 63 each under o200k: they were built to count 64 with the extra token)
    expect(o200k.count(a.slice(0, commonPrefixLength(a, c)))).toBeGreaterThanOrEqual(64 + 63 + 63);
    expect(a.startsWith(b.build([1], 64))).toBe(true);
  });

  test("throws a clear error when rebuilding the last block cannot fix the count", () => {
    const tok = fakeTokenizer("weird", (t) => o200k.count(t) + (t.length > 600 ? 10_000 : 0));
    const b = createBlockPromptBuilder(tok, { seed: 2, blockSize: 32 });
    expect(() => b.build([1, 2, 3, 4, 5, 6, 7, 8], 8 * 32)).toThrow(
      /^cannot build a prompt of exactly 256 tokens from 8 hash-id blocks of 32 tokens \(hash ids 1\.\.8\) with tokenizer weird: .* reached 10256$/,
    );
  });
});
