// Hand-built byte-level BPE tokenizer.json files (o200k's pre-tokenizer, a vocabulary of the 256 bytes
// and whatever tokens and merges a test names, written as plain text), for comparing the compact
// tables with the library on purpose-made cases.

/** GPT-2's byte-to-character map, which the library's ByteLevel uses: printable bytes stand for themselves. */
export function byteLevelAlphabet(): string[] {
  const out: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    out[b] = String.fromCharCode(printable ? b : next++);
  }
  return out;
}

// The pre_tokenizer of the builtin tokenizer.json (o200k_base).
export const O200K_PRE_TOKENIZER = {
  type: "Sequence",
  pretokenizers: [
    {
      type: "Split",
      pattern: {
        Regex:
          "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
      },
      behavior: "Removed",
      invert: true,
    },
    { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
  ],
};

const ALPHABET = byteLevelAlphabet();

/** Plain text in the byte-level alphabet ("a b" -> "aĠb"). */
export function byteLevel(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => ALPHABET[b]).join("");
}

export interface AddedTokenSpec {
  content: string;
  id: number;
  lstrip?: boolean;
  rstrip?: boolean;
  special?: boolean;
}

export interface ByteLevelSpec {
  /** Tokens beyond the 256 bytes, as plain text. */
  tokens?: string[];
  /** Merges by rank, as plain text pairs. */
  merges?: [string, string][];
  /** tokenizer.json's merges as [a, b] arrays instead of "a b" strings. */
  mergesAsArrays?: boolean;
  ignoreMerges?: boolean;
  added?: AddedTokenSpec[];
}

/** A tokenizer.json of o200k's shape (Split regex, then ByteLevel without regex) over the given vocabulary. */
export function byteLevelJson(spec: ByteLevelSpec, preTokenizer: unknown = O200K_PRE_TOKENIZER): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (const ch of ALPHABET) vocab[ch] = Object.keys(vocab).length;
  for (const t of spec.tokens ?? []) vocab[byteLevel(t)] ??= Object.keys(vocab).length;
  const merges = (spec.merges ?? []).map(([a, b]) => (spec.mergesAsArrays ? [byteLevel(a), byteLevel(b)] : `${byteLevel(a)} ${byteLevel(b)}`));
  return {
    version: "1.0",
    added_tokens: (spec.added ?? []).map((t) => ({
      id: t.id,
      content: t.content,
      single_word: false,
      lstrip: t.lstrip ?? false,
      rstrip: t.rstrip ?? false,
      normalized: false,
      special: t.special ?? true,
    })),
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: spec.ignoreMerges ?? false,
      vocab,
      merges,
    },
  };
}
