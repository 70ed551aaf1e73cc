// Synthetic prompts with an exact token count, for any tokenizer.
//
// Text: English-looking sentences (6-20 words, a comma now and then, a period at the end, a paragraph
// break after some sentences) made of words drawn from PROMPT_WORDS with Zipf-like weights, so "the"
// and "of" are common and the rest varied. Every word is drawn from the seeded RNG: two prompts share
// a prefix of more than a word or two only by chance (≈8 bits of entropy per word), so a server's
// prefix cache gets no artificial hits across prompts. (AIPerf samples a Shakespeare corpus instead;
// only the token counts are meant to match, not the text.)
//
// Exact count, fast:
//   1. Each piece of text (" word", " Word", "Word" after a paragraph break or at the start, ",",
//      ".", ".\n\n") has a cost: the tokens it adds after a word (count("a" + piece) - count("a")),
//      measured once per piece with the tokenizer and memoized.
//   2. Pieces are appended while their summed cost fits the target; the remainder is filled with
//      words of exactly the missing cost (cost-1 words, e.g. " the", exist in every common
//      vocabulary; punctuation is the fallback for tokenizers with none).
//   3. One `count()` of the whole text checks it. With pre-tokenizers that split at spaces and
//      punctuation (GPT/o200k, Llama 3, BERT, ...) costs add up exactly, so this check is the only
//      full count. Otherwise (tokens that merge across the piece boundaries, e.g. SentencePiece-style
//      BPE without pre-tokenizer) the difference is repaired: drop pieces from the end while too long,
//      append fillers while too short, count again (about one extra round on average in the tests;
//      the tail dropped grows with each round so no cycle lasts).
//   4. If 16 such rounds miss (e.g. 1 token when every capitalized word costs 2), a search appends
//      the candidate piece whose count() lands closest below or on the target, piece by piece.
//   Nothing is returned without a final count equal to the target: if even the search fails (the
//   count is impossible for the tokenizer, e.g. 1 token where every text is 2 or more), prompt()
//   throws an Error naming the tokenizer, the target and the nearest count reached. (A `trusted`
//   seeded() call returns its assembly uncounted: the caller saw the same call's text count exactly.)
//
// Per-call options:
//   seed          the call draws from its own mulberry32(seed) stream instead of the generator's, so
//                 its text depends only on (tokenizer, seed, tokens, continuation): two generators
//                 give the same bytes whatever they built before (hash-id blocks rely on this). The
//                 generator's own stream is left where it was.
//   continuation  the text starts with a space-led word (" Word") instead of "Word", so it can be
//                 appended after other generated text (which never ends in a space): with
//                 pre-tokenizers that split before a space-led word (o200k, Llama 3) the count of the
//                 concatenation is the sum of the counts.
import { cdfSearch } from "./cdf-search.ts";
import { PROMPT_WORDS } from "./prompt-words.ts";
import { mulberry32 } from "./seeded-rng.ts";
import type { TextTokenizer } from "./tokenizer.ts";

export interface PromptOptions {
  /** Draw this call from its own stream seeded so (see the header); default: the generator's stream. */
  seed?: number;
  /** Start with " Word" so the text can follow other generated text (see the header). */
  continuation?: boolean;
}

/** A seeded prompt and whether its first assembly counted exactly (nothing repaired or searched). */
export interface SeededPrompt {
  text: string;
  firstTry: boolean;
}

export interface PromptGenerator {
  /** A prompt of exactly `tokens` tokens under the generator's tokenizer (`count`, no special tokens). */
  prompt(tokens: number, opts?: PromptOptions): string;
  /**
   * prompt(tokens, { seed, continuation }), and whether it came on the first try. `trusted`: this same
   * call (tokens, seed, continuation, and this generator's tokenizer) came on the first try before, so
   * its assembly is returned without the count that checks it: the text is a function of those
   * inputs, so it is the same text.
   */
  seeded(tokens: number, seed: number, continuation: boolean, trusted: boolean): SeededPrompt;
}

/** Zipf-like weight offset: weight(rank) = 1 / (rank + ZIPF_OFFSET); ≈6% "the", like English text. */
const ZIPF_OFFSET = 2.7;
const MIN_SENTENCE_WORDS = 6;
const MAX_SENTENCE_WORDS = 20;
const COMMA_PROBABILITY = 0.07;
const PARAGRAPH_PROBABILITY = 0.15;
/** Context before a piece when measuring what it adds: a word, as in the prompts. */
const COST_CONTEXT = "a";
/** Cheap repair rounds (o200k needs none; a cross-merging BPE a few) before the search. */
const REPAIR_ROUNDS = 16;
/** The search: attempts (each cuts one more piece), candidates tried per step, words they are drawn from. */
const SEARCH_ATTEMPTS = 8;
const SEARCH_TRIES = 48;
const SEARCH_TOP_WORDS = 200;
/** Fallback fillers for tokenizers where no word piece costs 1 (e.g. character-level ones). */
const FALLBACK_FILLERS = [",", ";", ":", "-", ".", "'", "s", "e", "a"] as const;

const PARAGRAPH_END = ".\n\n";

/** Word pieces: a lowercase word after a space, a capitalized one after a space, a capitalized one after a line break. */
const enum Form {
  Lower = 0,
  CapSpace = 1,
  CapStart = 2,
}

export function createPromptGenerator(tok: TextTokenizer, seed: number): PromptGenerator {
  const ownRng = mulberry32(seed);
  // The stream the current call draws from: ownRng, or a per-call one (PromptOptions.seed).
  let rng = ownRng;
  const words = PROMPT_WORDS;
  const nWords = words.length;

  const cdf = new Float64Array(nWords);
  let acc = 0;
  for (let i = 0; i < nWords; i++) {
    acc += 1 / (i + ZIPF_OFFSET);
    cdf[i] = acc;
  }
  const total = acc;
  const wordAt = cdfSearch(cdf);
  const sampleWord = (): number => wordAt(rng() * total);
  const randInt = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

  const pieceText: string[][] = [[], [], []];
  for (const w of words) {
    const cap = w.charAt(0).toUpperCase() + w.slice(1);
    pieceText[Form.Lower]!.push(` ${w}`);
    pieceText[Form.CapSpace]!.push(` ${cap}`);
    pieceText[Form.CapStart]!.push(cap);
  }
  const contextCost = tok.count(COST_CONTEXT);
  /** Tokens `piece` adds after a word (CapStart pieces: tokens on its own, as at the start). */
  const measure = (piece: string, form: Form | null): number => (form === Form.CapStart ? tok.count(piece) : tok.count(COST_CONTEXT + piece) - contextCost);

  // Word costs, measured on first use; -1 = not yet. Words cost at least 1 so assembly terminates.
  const wordCost = [new Int32Array(nWords).fill(-1), new Int32Array(nWords).fill(-1), new Int32Array(nWords).fill(-1)];
  const costOf = (form: Form, i: number): number => {
    const costs = wordCost[form]!;
    let c = costs[i]!;
    if (c < 0) {
      c = Math.max(1, measure(pieceText[form]![i]!, form));
      costs[i] = c;
    }
    return c;
  };
  const otherCost = new Map<string, number>();
  const costOfOther = (piece: string): number => {
    let c = otherCost.get(piece);
    if (c === undefined) {
      c = Math.max(0, measure(piece, null));
      otherCost.set(piece, c);
    }
    return c;
  };

  // Fill buckets per form: bucket[c] = word indices whose piece costs exactly c; built on first use.
  const buckets: (number[][] | null)[] = [null, null, null];
  const bucketsOf = (form: Form): number[][] => {
    let b = buckets[form];
    if (!b) {
      b = [];
      for (let i = 0; i < nWords; i++) (b[costOf(form, i)] ??= []).push(i);
      buckets[form] = b;
    }
    return b;
  };
  let fillers1: string[] | null = null;

  /** Form of the next word after `p`. */
  const fillForm = (p: Pieces): Form => {
    const last = p.text[p.text.length - 1];
    if (last === undefined) return p.continuation ? Form.CapSpace : Form.CapStart;
    if (last.endsWith("\n")) return Form.CapStart;
    return last === "." ? Form.CapSpace : Form.Lower;
  };

  /** Appends pieces whose costs sum to `r` (as near as the tokenizer allows). */
  const fill = (p: Pieces, r: number): void => {
    while (r > 0) {
      const form = fillForm(p);
      const b = bucketsOf(form);
      let k = Math.min(r, b.length - 1);
      while (k > 0 && !b[k]?.length) k--;
      if (k > 0) {
        const bucket = b[k]!;
        p.push(pieceText[form]![bucket[Math.floor(rng() * bucket.length)]!]!, k);
        r -= k;
        continue;
      }
      // No word piece costs r or less: a cost-1 punctuation filler, else the cheapest word (it
      // overshoots; the repair rounds take it from there).
      fillers1 ??= FALLBACK_FILLERS.filter((f) => costOfOther(f) === 1);
      if (fillers1.length > 0) {
        p.push(fillers1[Math.floor(rng() * fillers1.length)]!, 1);
        r -= 1;
        continue;
      }
      const cheapest = b.findIndex((x) => x !== undefined && x.length > 0);
      const bucket = b[cheapest]!;
      p.push(pieceText[form]![bucket[Math.floor(rng() * bucket.length)]!]!, cheapest);
      r -= cheapest;
    }
  };

  /** Pieces of natural-looking text whose summed cost is exactly `n`. */
  const assemble = (n: number, continuation: boolean): Pieces => {
    const pieces = new Pieces(continuation);
    let est = 0;
    let form = continuation ? Form.CapSpace : Form.CapStart;
    let wordsLeft = randInt(MIN_SENTENCE_WORDS, MAX_SENTENCE_WORDS);
    for (;;) {
      const w = sampleWord();
      const c = costOf(form, w);
      if (est + c > n) break;
      pieces.push(pieceText[form]![w]!, c);
      est += c;
      form = Form.Lower;
      let punct: string | null = null;
      if (--wordsLeft === 0) {
        // A paragraph break only with room for a word after it: text never ends in whitespace, so a
        // continuation (" Word ...") can follow it.
        punct = rng() < PARAGRAPH_PROBABILITY && est + costOfOther(PARAGRAPH_END) < n ? PARAGRAPH_END : ".";
        form = punct === PARAGRAPH_END ? Form.CapStart : Form.CapSpace;
        wordsLeft = randInt(MIN_SENTENCE_WORDS, MAX_SENTENCE_WORDS);
      } else if (wordsLeft > 1 && rng() < COMMA_PROBABILITY) {
        punct = ",";
      }
      if (punct !== null) {
        const pc = costOfOther(punct);
        if (est + pc > n) break;
        pieces.push(punct, pc);
        est += pc;
      }
    }
    fill(pieces, n - est);
    return pieces;
  };

  /** Pieces worth trying one by one in `search`, for a word at `form`'s position. */
  const searchCandidates = (form: Form): string[] => {
    const top = Math.min(nWords, SEARCH_TOP_WORDS);
    const out: string[] = [];
    for (let i = 0; i < top; i++) {
      if (form === Form.CapStart) out.push(pieceText[Form.CapStart]![i]!, words[i]!);
      else out.push(pieceText[Form.Lower]![i]!, pieceText[Form.CapSpace]![i]!);
    }
    out.push(...FALLBACK_FILLERS);
    return out;
  };

  /**
   * Last resort, for tokenizers whose counts the repair rounds could not pin down (e.g. 1 token when
   * every capitalized word costs 2): cut the text below the target, then append the candidate piece
   * that brings the count closest to the target, checking each with count(). Costs up to
   * SEARCH_TRIES counts per step, so it only runs after the cheap rounds failed.
   */
  const search = (p: Pieces, target: number): string | null => {
    for (let attempt = 0; attempt < SEARCH_ATTEMPTS; attempt++) {
      let text = p.join();
      let actual = tok.count(text);
      let extra = attempt;
      while (p.length > 0 && (actual >= target || extra-- > 0)) {
        p.pop();
        text = p.join();
        actual = tok.count(text);
      }
      while (actual < target) {
        const all = searchCandidates(fillForm(p));
        let best: string | null = null;
        let bestCount = actual;
        for (let k = 0; k < SEARCH_TRIES; k++) {
          const cand = all[Math.floor(rng() * all.length)]!;
          const n = tok.count(text + cand);
          if (n === target) {
            p.push(cand, n - actual);
            return text + cand;
          }
          if (n < target && n > bestCount) {
            best = cand;
            bestCount = n;
          }
        }
        if (best === null) break;
        p.push(best, bestCount - actual);
        text += best;
        actual = bestCount;
      }
      if (actual === target) return text;
    }
    return null;
  };

  /** Text of exactly `tokens` tokens (> 0), drawn from `rng`; `trusted`: the first assembly is known to count exactly. */
  const build = (tokens: number, continuation: boolean, trusted = false): SeededPrompt => {
    const pieces = assemble(tokens, continuation);
    let text = pieces.join();
    if (trusted) return { text, firstTry: true };
    let actual = tok.count(text);
    if (actual === tokens) return { text, firstTry: true };
    for (let round = 0; actual !== tokens && round < REPAIR_ROUNDS; round++) {
      let deficit: number;
      if (actual > tokens) {
        // Drop at least the excess from the end; later rounds drop a longer tail to leave any cycle.
        const excess = actual - tokens;
        let extra = round >> 2;
        let removed = 0;
        while (pieces.length > 0 && (removed < excess || extra-- > 0)) removed += pieces.pop();
        deficit = Math.max(0, removed - excess);
      } else {
        deficit = tokens - actual;
      }
      fill(pieces, deficit);
      text = pieces.join();
      actual = tok.count(text);
    }
    if (actual === tokens) return { text, firstTry: false };
    const found = search(pieces, tokens);
    if (found !== null) return { text: found, firstTry: false };
    throw new Error(
      `could not build a prompt of exactly ${tokens} tokens with tokenizer ${tok.name} ` +
        `(the repair rounds ended at ${actual} and the search found no text of that count)`,
    );
  };

  const checkLength = (tokens: number): void => {
    if (!Number.isSafeInteger(tokens) || tokens < 0) throw new RangeError(`prompt length must be a non-negative integer, got ${tokens}`);
  };
  const seeded = (tokens: number, seed: number, continuation: boolean, trusted: boolean): SeededPrompt => {
    checkLength(tokens);
    if (tokens === 0) return { text: "", firstTry: true };
    rng = mulberry32(seed);
    try {
      return build(tokens, continuation, trusted);
    } finally {
      rng = ownRng;
    }
  };

  return {
    prompt(tokens: number, opts?: PromptOptions): string {
      checkLength(tokens);
      if (tokens === 0) return "";
      const continuation = opts?.continuation === true;
      if (opts?.seed === undefined) return build(tokens, continuation).text;
      return seeded(tokens, opts.seed, continuation, false).text;
    },
    seeded,
  };
}

/** Text pieces of a prompt with their estimated costs. */
class Pieces {
  readonly text: string[] = [];
  private readonly cost: number[] = [];
  /** The text will follow other text: its first word is space-led (" Word"). */
  constructor(readonly continuation: boolean) {}
  get length(): number {
    return this.text.length;
  }
  push(text: string, cost: number): void {
    this.text.push(text);
    this.cost.push(cost);
  }
  /** Removes the last piece; returns its estimated cost. */
  pop(): number {
    this.text.pop();
    return this.cost.pop() ?? 0;
  }
  join(): string {
    return this.text.join("");
  }
}
