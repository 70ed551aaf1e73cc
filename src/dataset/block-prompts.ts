// Mooncake-style hash-id prompts: a prompt of `input_length` tokens is a list of blocks, one per hash
// id; every block but the last holds blockSize tokens, the last the remainder (1..blockSize), as in
// AIPerf. Equal hash ids mean a shared, cacheable prefix, so equal leading ids must give
// byte-identical prompt prefixes, across requests, builder instances and worker threads.
//
// A block's text is a function of (seed, hash id, token size, first or not) only: it is generated with
// a per-call seed hashed from those (synthetic-prompts.ts). The first block is a prompt start ("Word
// ..."), later ones continuations (" Word ...") so that, with pre-tokenizers that split before a
// space-led word (o200k, Llama 3), the blocks' counts add up. (AIPerf caches a last, partial block
// under its hash id and later reuses it at the wrong size; here the size is one of the block's inputs.)
//
// Every built prompt of two or more blocks is counted once. If the sum does not hold for the tokenizer, only the last block
// is rebuilt, with its target moved by the difference, a few times; then build() throws.
import { mix32 } from "./seeded-rng.ts";
import { createPromptGenerator } from "./synthetic-prompts.ts";
import type { TextTokenizer } from "./tokenizer.ts";

export interface BlockPromptBuilder {
  /** The prompt for `hashIds` with exactly `totalTokens` tokens; throws when the layout is invalid. */
  build(hashIds: readonly number[], totalTokens: number): string;
}

export interface BlockPromptOptions {
  seed: number;
  /** Tokens per full block (--isl-block-size). */
  blockSize: number;
  /** Full blocks that came on the first try are remembered for hash ids below this (default FIRST_TRY_IDS; 0: none, every block is checked). */
  firstTryIds?: number;
}

/** Rebuilds of the last block when the blocks' counts do not add up for the tokenizer. */
const LAST_BLOCK_RETRIES = 6;

// No block cache. A block is a pure function of its key, so a cache could only save CPU, and little:
// most of a build is the one count of the whole prompt. The shared Mooncake trace reuses 38% of its
// blocks within an LRU of 8,192 (~20 MB of text); that cache cost 8% of the build time over 1,500 of
// its prompts, and replaying it at 20x (`bun scripts/bench.ts replay`, 3 alternating pairs) peaked at
// 430-452 MiB with the cache and 387-393 MiB without, at 80-83% vs 87-93% of a core and replay lag
// p99 3.1-3.4 vs 3.0-3.1 ms.
// What is kept instead: which full blocks came on the first try (their assembly counted exactly), one
// flag byte per hash id, so a block built again skips the count that checks it. The text is a function
// of the block's key, so it is the same text; only the check is skipped. The shared Mooncake trace
// builds 117,888 full blocks, 77,740 of them again, with ids up to 43,923 (a 44 KB array); building
// all its prompts took 25% less CPU (19.8 vs 26.4 s, `bun scripts/bench.ts block-prompts 4000 4`).
// Keyed by strings in a Set, the same peaked 11-23 MiB higher in a replay. Last blocks of other sizes,
// rebuilt last blocks and ids past the bound are checked every time, as before.
/** Hash ids below this have a flag byte (at most 4 MiB); larger ones are not remembered. */
export const FIRST_TRY_IDS = 1 << 22;
/** Flag bits: the block as a prompt's first block, or as a continuation. */
const FIRST_BIT = 1;
const LATER_BIT = 2;

/** Full blocks that came on the first try, by hash id (flag bytes, grown as larger ids come). */
class FirstTryBlocks {
  private flags = new Uint8Array(0);

  constructor(private readonly idBound: number) {}

  has(id: number, first: boolean): boolean {
    return id >= 0 && id < this.flags.length && (this.flags[id]! & (first ? FIRST_BIT : LATER_BIT)) !== 0;
  }

  add(id: number, first: boolean): void {
    if (id < 0 || id >= this.idBound) return;
    if (id >= this.flags.length) {
      const grown = new Uint8Array(Math.min(this.idBound, Math.max(id + 1, this.flags.length * 2, 1024)));
      grown.set(this.flags);
      this.flags = grown;
    }
    this.flags[id]! |= first ? FIRST_BIT : LATER_BIT;
  }
}

/** null when `inputLength` tokens fit `hashCount` blocks of `blockSize` (last one 1..blockSize), else what is wrong. */
export function blockLayoutError(inputLength: number, hashCount: number, blockSize: number): string | null {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) return `block size must be a positive integer, got ${blockSize}`;
  if (!Number.isSafeInteger(inputLength) || inputLength < 0) return `input_length must be a non-negative integer, got ${inputLength}`;
  if (hashCount === 0) return inputLength === 0 ? null : `input_length ${inputLength} with no hash_ids: there is no block to hold the tokens`;
  const last = inputLength - (hashCount - 1) * blockSize;
  if (last >= 1 && last <= blockSize) return null;
  const what = last < 1 ? "fewer than 1" : `more than ${blockSize}`;
  return (
    `input_length ${inputLength} with ${hashCount} hash_ids of ${blockSize} tokens: the last block would hold ${last} tokens, ${what} ` +
    `(input_length must be in ${(hashCount - 1) * blockSize + 1}..${hashCount * blockSize})`
  );
}

export function createBlockPromptBuilder(tok: TextTokenizer, o: BlockPromptOptions): BlockPromptBuilder {
  const { seed, blockSize } = o;
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new RangeError(`block size must be a positive integer, got ${blockSize}`);
  // The generator's own stream is never used: every block has its own seed.
  const gen = createPromptGenerator(tok, seed);
  const firstTry = new FirstTryBlocks(o.firstTryIds ?? FIRST_TRY_IDS);

  const makeBlock = (id: number, tokens: number, first: boolean, attempt: number): string => {
    const full = tokens === blockSize && attempt === 0;
    const known = full && firstTry.has(id, first);
    const block = gen.seeded(tokens, blockSeed(seed, id, tokens, first, attempt), !first, known);
    if (full && block.firstTry && !known) firstTry.add(id, first);
    return block.text;
  };

  return {
    build(hashIds: readonly number[], totalTokens: number): string {
      const n = hashIds.length;
      const layout = blockLayoutError(totalTokens, n, blockSize);
      if (layout !== null) throw new Error(layout);
      for (const id of hashIds) if (!Number.isSafeInteger(id)) throw new Error(`hash ids must be integers, got ${id}`);
      if (n === 0) return "";
      const lastSize = totalTokens - (n - 1) * blockSize;
      const parts = new Array<string>(n);
      for (let i = 0; i < n; i++) parts[i] = makeBlock(hashIds[i]!, i === n - 1 ? lastSize : blockSize, i === 0, 0);
      let text = parts.join("");
      if (n === 1) return text; // one block: prompt() counted it already
      let actual = tok.count(text);
      if (actual === totalTokens) return text;

      // The blocks' counts do not add up for this tokenizer: move the last block's target by the difference.
      const lastId = hashIds[n - 1]!;
      const prefix = parts.slice(0, n - 1).join("");
      let target = lastSize;
      for (let attempt = 1; attempt <= LAST_BLOCK_RETRIES && actual !== totalTokens; attempt++) {
        target += totalTokens - actual;
        if (target < 0) break;
        text = prefix + makeBlock(lastId, target, false, attempt);
        actual = tok.count(text);
      }
      if (actual === totalTokens) return text;
      throw new Error(
        `cannot build a prompt of exactly ${totalTokens} tokens from ${n} hash-id blocks of ${blockSize} tokens ` +
          `(hash ids ${hashIds[0]}..${lastId}) with tokenizer ${tok.name}: the blocks' token counts do not add up ` +
          `and rebuilding the last block reached ${actual}`,
      );
    },
  };
}

/** A 32-bit seed for one block, from everything its text may depend on (murmur3-style mixing). */
function blockSeed(seed: number, id: number, tokens: number, first: boolean, attempt: number): number {
  let h = mix(0x6b6c6f63, seed | 0);
  h = mix(h, Math.floor(seed / 4294967296) | 0);
  h = mix(h, id | 0);
  h = mix(h, Math.floor(id / 4294967296) | 0);
  h = mix(h, tokens | 0);
  h = mix(h, (first ? 1 : 0) | (attempt << 1));
  return mix32(h);
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
