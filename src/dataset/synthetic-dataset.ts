// The synthetic dataset (no --input-file), as AIPerf's SyntheticDatasetComposer builds it for text:
// numEntries sessions (AIPerf's --conversation-num) of turns ~ positive normal(turnMean, turnStddev),
// one by default; turns after the first wait delay ~ normal(delayMean, delayStddev) ms (ceil, >= 0)
// times delayRatio, and only the first turn gets a prefix. Per turn, (ISL, OSL) comes from --seq-dist when given (ISL exactly as
// drawn, OSL the max tokens), else ISL ~ positive normal(isl, islStddev) and OSL ~ (osl, oslStddev)
// (no --osl: no max tokens). The prompt has exactly ISL tokens; with a prefix pool it becomes
// `${prefix} ${prompt}`, the prefix drawn at random from numPrefixPrompts prompts of prefixPromptLength
// tokens, and `tokens` is the count of the whole text (prefix + ISL with o200k-like tokenizers).
//
// Every prompt is generated with its own seed derived from (seed, what it is, its index), so the
// dataset is a function of the options alone: same seed, same bytes.
import type { Dataset, SessionSpec } from "./plan-types.ts";
import { mulberry32 } from "./seeded-rng.ts";
import { type SeqDist, samplePair } from "./seq-dist.ts";
import { createPromptGenerator, type PromptGenerator } from "./synthetic-prompts.ts";
import type { TextTokenizer } from "./tokenizer.ts";
import { positiveNormalInt, standardNormal } from "../random/distributions.ts";

export interface SyntheticOptions {
  numEntries: number;
  isl: number;
  islStddev: number;
  /** Mean output tokens, or null for no max tokens. */
  osl: number | null;
  oslStddev: number;
  seqDist: SeqDist | null;
  seed: number;
  numPrefixPrompts: number;
  prefixPromptLength: number;
  sharedSystemPromptLength: number;
  /** Turns per session (AIPerf --conversation-turn-mean / -stddev); default 1 / 0. */
  turnMean?: number;
  turnStddev?: number;
  /** Delay before each later turn, ms (--conversation-turn-delay-mean / -stddev / -ratio); default 0 / 0 / 1. */
  turnDelayMeanMs?: number;
  turnDelayStddevMs?: number;
  turnDelayRatio?: number;
}

/** Unused by synthetic prompts (all text), but part of every Dataset. */
const BLOCK_SIZE = 512;

/** Salts that keep the seeded streams of the different draws apart. */
const enum Salt {
  Lengths = 0x15e1,
  PrefixPick = 0x9f1c,
  Entry = 1,
  Prefix = 2,
  System = 3,
  Turns = 0x7e4e,
}

export function buildSyntheticDataset(tok: TextTokenizer, o: SyntheticOptions): Dataset {
  if (!Number.isSafeInteger(o.numEntries) || o.numEntries < 1) {
    throw new RangeError(`the number of dataset entries must be a positive integer, got ${o.numEntries}`);
  }
  const gen = createPromptGenerator(tok, o.seed);
  const promptSeed = (salt: Salt, i: number) => derivedSeed(o.seed, salt, i);
  const lengths = mulberry32(derivedSeed(o.seed, Salt.Lengths, 0));
  const pick = mulberry32(derivedSeed(o.seed, Salt.PrefixPick, 0));

  const prefixes =
    o.numPrefixPrompts > 0 && o.prefixPromptLength > 0
      ? Array.from({ length: o.numPrefixPrompts }, (_, i) => gen.prompt(o.prefixPromptLength, { seed: promptSeed(Salt.Prefix, i) }))
      : [];

  const turnDraws = mulberry32(derivedSeed(o.seed, Salt.Turns, 0));
  const sessions: SessionSpec[] = [];
  let entry = 0;
  for (let i = 0; i < o.numEntries; i++) {
    const nTurns = positiveNormalInt(turnDraws, o.turnMean ?? 1, o.turnStddev ?? 0);
    const turns: SessionSpec["turns"] = [];
    for (let t = 0; t < nTurns; t++) {
      let isl: number;
      let maxTokens: number | null;
      if (o.seqDist !== null) {
        const pair = samplePair(lengths, o.seqDist);
        isl = pair.isl;
        maxTokens = pair.osl;
      } else {
        isl = positiveNormalInt(lengths, o.isl, o.islStddev);
        maxTokens = o.osl === null ? null : positiveNormalInt(lengths, o.osl, o.oslStddev);
      }
      let text: string;
      let tokens = isl;
      // Prompt seeds count turns across sessions, so one-turn datasets keep their bytes.
      const seed = promptSeed(Salt.Entry, entry++);
      if (prefixes.length > 0 && t === 0) {
        // `${prefix} ${prompt}` as AIPerf, with the prompt generated as a continuation (" Word ...") so
        // that, with o200k-like tokenizers, the whole counts exactly prefix + isl tokens.
        const prefix = prefixes[Math.floor(pick() * prefixes.length)]!;
        text = prefix + gen.prompt(isl, { seed, continuation: true });
        tokens = tok.count(text);
      } else {
        text = gen.prompt(isl, { seed });
      }
      const delayMs = t === 0 ? 0 : nonNegativeNormalCeil(turnDraws, o.turnDelayMeanMs ?? 0, o.turnDelayStddevMs ?? 0) * (o.turnDelayRatio ?? 1);
      turns.push({ prompt: { kind: "text", text, tokens }, maxTokens, timestampMs: null, delayMs });
    }
    sessions.push({ sessionId: `session_${String(i).padStart(6, "0")}`, turns });
  }

  const systemPrompt = sharedSystemPrompt(tok, o.seed, o.sharedSystemPromptLength, gen);
  return { sessions, systemPrompt, sampling: "sequential", blockSize: BLOCK_SIZE };
}

/**
 * --shared-system-prompt-length: one system prompt of exactly `tokens` tokens from the seed, the same
 * for synthetic and file datasets; null for 0.
 */
export function sharedSystemPrompt(tok: TextTokenizer, seed: number, tokens: number, gen: PromptGenerator = createPromptGenerator(tok, seed)): string | null {
  return tokens > 0 ? gen.prompt(tokens, { seed: derivedSeed(seed, Salt.System, 0) }) : null;
}

/** AIPerf's turn delay: ceil of a normal draw rejected below 0 (stddev 0: ceil(mean)); may be 0. */
function nonNegativeNormalCeil(u: () => number, mean: number, stddev: number): number {
  if (stddev <= 0) return Math.max(0, Math.ceil(mean));
  for (;;) {
    const n = mean + stddev * standardNormal(u);
    if (n >= 0) return Math.ceil(n);
  }
}

/** A 32-bit seed from (seed, salt, index), well mixed so neighbouring indexes give unrelated streams. */
function derivedSeed(seed: number, salt: number, i: number): number {
  let h = Math.imul((seed | 0) ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) ^ Math.floor(seed / 4294967296);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(i + 1, 0xc2b2ae35), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x165667b1);
  h ^= h >>> 16;
  return h >>> 0;
}
