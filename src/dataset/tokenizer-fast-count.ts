// Fast token counting for @huggingface/tokenizers, memoized per pre-token.
//
// `tok.tokenize(text).length` runs the whole pipeline for every pre-token of every call; the BPE
// model's LRU cache (a Map delete + set on every hit) and the per-token arrays were most of the cost:
// ≈600 µs for a 550-token prompt with o200k, so counting dominated prompt building and output-token
// counting. Here the count is the sum, over the text's pre-tokens, of a memoized count per pre-token,
// which is the same number whenever the pipeline is "per pre-token":
//   - no added (special) token occurs in the text (else the library splits on it: slow path);
//   - no `remove_space` / `do_lowercase_and_remove_accent` in tokenizer_config.json;
//   - the model encodes each pre-token on its own (BPE, WordPiece, Unigram do) and does not fuse
//     unknown tokens across pre-tokens (`fuse_unk` false);
//   - the post-processor adds nothing when add_special_tokens is false (none, ByteLevel,
//     BertProcessing, RobertaProcessing, TemplateProcessing whose single template holds $A once, or a
//     Sequence of those).
// When a tokenizer does not meet these, createFastCounter returns null and the caller uses the
// library's count. Texts with special-token strings take the library path per call.
//
// With a Sequence pre-tokenizer ending in ByteLevel without regex (o200k, cl100k, Llama 3, Qwen: a
// Split regex then the byte mapping) the memo is keyed by the raw piece, before the byte mapping,
// and the regex is walked over the text in place: a cached piece costs one regex step and one memo
// lookup by its range (range-memo.ts), with no piece sliced out of the text.
import { ByteLevelPreTokenizer, SequencePreTokenizer, SplitPreTokenizer, type Tokenizer } from "@huggingface/tokenizers";
import { RangeMemo } from "./range-memo.ts";

type Counter = (text: string) => number;
type PreTokenizerLike = NonNullable<Tokenizer["pre_tokenizer"]>;

const MEMO_LIMIT = 1 << 18;
/** Longer pieces (whole texts, for tokenizers without a splitting pre-tokenizer) are counted, not memoized. */
const MEMO_MAX_PIECE = 256;
const PRE_OPTIONS = { section_index: 0 };

/**
 * For a tokenizer whose model is held elsewhere (tokenizer-compact.ts): the tokens of one pre-token before
 * the byte mapping, and the count of a text that may hold an added token, given how to count a
 * normalized section that holds none (pre-tokenized and counted here, memo included).
 */
export interface OutsideModel {
  pieceCount: Counter;
  slow: (text: string, countSection: Counter) => number;
}

/** A counter equal to `tok.tokenize(text, { add_special_tokens: false }).length`, or null if the tokenizer's shape does not allow it. */
export function createFastCounter(
  tok: Tokenizer,
  tokenizerJson: Readonly<Record<string, unknown>>,
  config: Readonly<Record<string, unknown>>,
  /** How the model cuts long pieces (tokenizer-bpe-bound.ts): such pieces are counted part by part. */
  cutForModel: ((piece: string) => string[]) | null = null,
  /** Counts pieces instead of `tok`'s model, which then need not hold a vocabulary (ByteLevel-ended pre-tokenizers only). */
  outside: OutsideModel | null = null,
): Counter | null {
  if (config.remove_space === true || config.do_lowercase_and_remove_accent === true) return null;
  const model = tok.model;
  if (model === null || model.fuse_unk !== false) return null;
  if (!postProcessorKeepsCount(tokenizerJson.post_processor ?? null)) return null;

  const normalizer = tok.normalizer;
  const mayHoldAddedToken = addedTokenDetector(tok);

  let split: (text: string) => string[];
  let toModelInput: (piece: string) => string[];
  /** The head's one Split regex, walked in place (no piece sliced out unless the memo lacks it), or null. */
  let regexSplit: RegexSplit | null = null;
  const pre = tok.pre_tokenizer;
  const last = pre instanceof SequencePreTokenizer ? pre.tokenizers[pre.tokenizers.length - 1] : undefined;
  if (pre === null) {
    if (outside !== null) return null;
    split = (text) => [text];
    toModelInput = (piece) => [piece];
  } else if (pre instanceof SequencePreTokenizer && last instanceof ByteLevelPreTokenizer && last.use_regex === false && last.add_prefix_space === false) {
    // ByteLevel without regex maps each piece to exactly one pre-token, so key the memo by the piece.
    const head = pre.tokenizers.slice(0, -1);
    regexSplit = head.length === 1 ? regexSplitOf(head[0]) : null;
    split = (text) => {
      let pieces = [text];
      for (const t of head) if (t) pieces = t.pre_tokenize(pieces, PRE_OPTIONS);
      return pieces;
    };
    toModelInput = (piece) => last.pre_tokenize(piece, PRE_OPTIONS);
  } else if (outside !== null) {
    return null;
  } else {
    const p: PreTokenizerLike = pre;
    split = (text) => p(text, PRE_OPTIONS);
    toModelInput = (piece) => [piece];
  }

  // A long piece part by part, as the bounded model would cut it: same count, without building the
  // whole token list (millions of strings for a multi-MB run).
  const longPieceCount = (piece: string): number => {
    const inputs = toModelInput(piece);
    if (cutForModel === null) return model(inputs).length;
    let n = 0;
    for (const input of inputs) for (const part of cutForModel(input)) n += model([part]).length;
    return n;
  };
  const memo = new RangeMemo(MEMO_LIMIT);
  const modelCount = outside?.pieceCount ?? ((piece: string): number => model(toModelInput(piece)).length);
  /** Tokens of text[start, end), one pre-token. */
  const rangeCount = (text: string, start: number, end: number): number => {
    if (end - start > MEMO_MAX_PIECE) {
      const piece = text.slice(start, end);
      return outside !== null ? outside.pieceCount(piece) : longPieceCount(piece);
    }
    let n = memo.get(text, start, end);
    if (n < 0) {
      const piece = text.slice(start, end);
      n = modelCount(piece);
      memo.set(piece, n);
    }
    return n;
  };

  const rs = regexSplit;
  const countSection: Counter =
    rs !== null
      ? (s) => countRegexPieces(s, rs, rangeCount)
      : (s) => {
          let n = 0;
          for (const piece of split(s)) n += rangeCount(piece, 0, piece.length);
          return n;
        };
  const slow: Counter = outside !== null ? (text) => outside.slow(text, countSection) : (text) => tok.tokenize(text, { add_special_tokens: false }).length;
  return (text) => {
    if (text === "") return 0;
    if (mayHoldAddedToken(text)) return slow(text);
    let s = text;
    if (normalizer !== null) {
      s = normalizer(s);
      if (s === "") return 0;
      if (mayHoldAddedToken(s)) return slow(text);
    }
    return countSection(s);
  };
}

/** A Split pre-tokenizer's regex as its pre_tokenize_text uses it: the matches are the pieces, and the text between them too (`gaps`) unless inverted. */
export interface RegexSplit {
  global: RegExp;
  /** The same pattern anchored where lastIndex is: a piece found with no match object made. */
  sticky: RegExp;
  gaps: boolean;
  unicode: boolean;
}

/**
 * For a Split whose pieces are the library's `text.match(pattern)` (invert) or its regex_split (matches
 * and the text between them): the regex to walk; null for any other shape (behavior "removed" splits
 * around captures), which keeps the library's own split.
 */
export function regexSplitOf(t: unknown): RegexSplit | null {
  if (!(t instanceof SplitPreTokenizer)) return null;
  const f = t as unknown as { pattern?: unknown; config?: { invert?: unknown; behavior?: unknown } };
  const pattern = f.pattern;
  if (!(pattern instanceof RegExp) || !pattern.global || pattern.sticky) return null;
  if (f.config?.invert !== undefined && typeof f.config.invert !== "boolean") return null;
  const invert = f.config?.invert === true;
  if (!invert && (typeof f.config?.behavior !== "string" || f.config.behavior.toLowerCase() === "removed")) return null;
  // Copies: walking moves lastIndex, which the library's own uses of its regex must not see.
  const global = new RegExp(pattern.source, pattern.flags);
  const sticky = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}y`);
  return { global, sticky, gaps: !invert, unicode: pattern.unicode || pattern.unicodeSets };
}

/**
 * Sum over the pieces of `text` as the library's Split makes them: its matches found in order (an empty
 * match moves on by one character, a code point with the u flag, as String.prototype.match and
 * matchAll do), empty pieces left out, and with `gaps` the text between matches as pieces too.
 */
export function countRegexPieces(text: string, r: RegexSplit, count: (text: string, start: number, end: number) => number): number {
  const { global, sticky, gaps } = r;
  const len = text.length;
  let n = 0;
  let prev = 0;
  let at = 0;
  while (at <= len) {
    let start: number;
    let end: number;
    sticky.lastIndex = at;
    if (sticky.test(text)) {
      start = at;
      end = sticky.lastIndex;
    } else {
      global.lastIndex = at;
      const m = global.exec(text);
      if (m === null) break;
      start = m.index;
      end = start + m[0].length;
    }
    if (gaps && prev < start) n += count(text, prev, start);
    if (end > start) {
      n += count(text, start, end);
      at = end;
    } else {
      at = end + (r.unicode && isPairAt(text, end) ? 2 : 1);
    }
    prev = end;
  }
  if (gaps && prev < len) n += count(text, prev, len);
  return n;
}

function isPairAt(text: string, i: number): boolean {
  return (text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

/** True if the text may contain an added token's content (raw or normalized): then the library splits on it. */
function addedTokenDetector(tok: Tokenizer): (text: string) => boolean {
  const contents = new Set<string>();
  for (const t of tok.get_added_tokens_decoder().values()) {
    if (t.content === "") continue;
    contents.add(t.content);
    if (tok.normalizer !== null) {
      const n = tok.normalizer(t.content);
      if (n !== "") contents.add(n);
    }
  }
  if (contents.size === 0) return () => false;
  // Group by first UTF-16 unit: most texts hold none of the (few) first characters, one indexOf each.
  const byFirst = new Map<string, string[]>();
  for (const c of contents) {
    const f = c.charAt(0);
    const list = byFirst.get(f);
    if (list) list.push(c);
    else byFirst.set(f, [c]);
  }
  const groups = [...byFirst];
  return (text) => {
    for (const [first, list] of groups) {
      if (text.indexOf(first) < 0) continue;
      for (const c of list) if (text.includes(c)) return true;
    }
    return false;
  };
}

/** True if this post-processor config leaves the token count unchanged when add_special_tokens is false. */
function postProcessorKeepsCount(cfg: unknown): boolean {
  if (cfg === null) return true;
  if (typeof cfg !== "object") return false;
  const c = cfg as { type?: unknown; single?: unknown; processors?: unknown };
  switch (c.type) {
    case "ByteLevel":
    case "BertProcessing":
    case "RobertaProcessing":
      return true;
    case "TemplateProcessing": {
      if (!Array.isArray(c.single)) return false;
      let a = 0;
      for (const item of c.single as unknown[]) {
        if (typeof item !== "object" || item === null) return false;
        if ("SpecialToken" in item) continue;
        const seq = (item as { Sequence?: { id?: unknown } }).Sequence;
        if (seq?.id === "A") a++;
        else return false;
      }
      return a === 1;
    }
    case "Sequence":
      return Array.isArray(c.processors) && (c.processors as unknown[]).every(postProcessorKeepsCount);
    default:
      return false;
  }
}
