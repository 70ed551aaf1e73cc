// Bounds the length of any piece the BPE model merges, so counting is linear in the input.
//
// The library's BPE builds a node and a heap entry per character of a pre-token and keeps them all
// until the piece is merged: one 5 MB run of non-space characters (one pre-token for o200k's regex)
// took 24.8 s and 4 GB. Here BPE.bpe is wrapped (own property on the model instance; the prototype
// is left alone) so a piece longer than MAX_BPE_PIECE is cut into parts of at most that length,
// each merged on its own: time and memory per part are bounded, so the whole is linear.
//
// Effect on counts: none up to the bound, i.e. for ordinary text (an o200k pre-token is a word, up to
// 3 digits, a punctuation run or a whitespace run; a CJK clause is a few hundred bytes at most).
// A longer piece is cut preferably just before a word start ("▁" of SentencePiece, "Ġ"/" ") that
// follows another character, which keeps the count exact for SentencePiece-style tokenizers that
// hand the whole text to BPE (their merges never cross such a boundary). Otherwise it is cut hard,
// never inside a UTF-8 sequence of a byte-level piece; no merge crosses a hard cut, which costs about
// one token per cut, i.e. per MAX_BPE_PIECE bytes of a pathological run (figures in
// tests/unit/dataset/tokenizer-bpe-bound.test.ts).
import { BPE, ByteLevelPreTokenizer, SequencePreTokenizer, type Tokenizer } from "@huggingface/tokenizers";

/** Longest piece given to BPE, in the model's characters (bytes, for byte-level tokenizers). */
export const MAX_BPE_PIECE = 1024;

const WORD_START = new Set(["\u2581", "\u0120", " "]);

/** `piece` cut into consecutive parts of at most `max` UTF-16 units (see the top of this file). */
export function splitLongPiece(piece: string, max: number = MAX_BPE_PIECE, isContinuation?: (ch: string) => boolean): string[] {
  if (piece.length <= max) return [piece];
  const parts: string[] = [];
  let start = 0;
  while (piece.length - start > max) {
    const end = start + max;
    let cut = end;
    // A word start in the second half of the window (a bounded scan: linear overall).
    for (let i = end; i > start + (max >> 1); i--) {
      if (WORD_START.has(piece[i]!) && !WORD_START.has(piece[i - 1]!)) {
        cut = i;
        break;
      }
    }
    if (cut === end) {
      // Hard cut: not inside a UTF-8 sequence (at most 3 continuation bytes), nor a surrogate pair.
      if (isContinuation) for (let k = 0; k < 3 && isContinuation(piece[cut]!); k++) cut--;
      const prev = piece.charCodeAt(cut - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) cut--;
    }
    parts.push(piece.slice(start, cut));
    start = cut;
  }
  parts.push(piece.slice(start));
  return parts;
}

/**
 * Wraps the BPE model of `tok` (if it has one) so no piece longer than `max` reaches the merge loop.
 * Returns the cutting it applies (for callers that count part by part without building the whole
 * token list), or null if the model is not BPE.
 */
export function boundBpePieces(tok: Tokenizer, max: number = MAX_BPE_PIECE): ((piece: string) => string[]) | null {
  const model = tok.model;
  if (!(model instanceof BPE) || typeof model.bpe !== "function") return null;
  const isContinuation = utf8ContinuationTest(tok.pre_tokenizer);
  const cut = (piece: string): string[] => splitLongPiece(piece, max, isContinuation);
  const inner = model.bpe;
  model.bpe = function boundedBpe(this: BPE, token: string): string[] {
    if (token.length <= max) return inner.call(this, token);
    const out: string[] = [];
    for (const part of cut(token)) for (const t of inner.call(this, part)) out.push(t);
    return out;
  };
  return cut;
}

/** For byte-level tokenizers: whether a model character stands for a UTF-8 continuation byte (0x80-0xBF). */
function utf8ContinuationTest(pre: Tokenizer["pre_tokenizer"]): ((ch: string) => boolean) | undefined {
  const byteLevel = findByteLevel(pre);
  const enc = byteLevel?.byte_encoder;
  if (typeof enc !== "object" || enc === null) return undefined;
  return continuationTest(enc);
}

/** Whether a character of a byte-level alphabet (the character by byte) stands for a UTF-8 continuation byte (0x80-0xBF). */
export function continuationTest(charOfByte: Readonly<Record<number, unknown>>): (ch: string) => boolean {
  const chars = new Set<string>();
  for (let b = 0x80; b <= 0xbf; b++) {
    const ch = charOfByte[b];
    if (typeof ch === "string") chars.add(ch);
  }
  return (ch) => chars.has(ch);
}

function findByteLevel(pre: Tokenizer["pre_tokenizer"]): ByteLevelPreTokenizer | undefined {
  if (pre instanceof ByteLevelPreTokenizer) return pre;
  if (pre instanceof SequencePreTokenizer) {
    for (const inner of Array.isArray(pre.tokenizers) ? pre.tokenizers : []) {
      const found = findByteLevel(inner);
      if (found) return found;
    }
  }
  return undefined;
}
