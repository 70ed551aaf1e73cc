// Byte-level BPE tokenizers (o200k, cl100k, Llama 3, Qwen: a Split regex, then ByteLevel without its
// own regex) held as bpe-compact.ts tables beside the library's tokenizer without its model's vocab
// and merges (the "head": normalizer, pre-tokenizer, added tokens). Counting needs no more; the
// library's full model is rebuilt from the tables only for what the tables do not do (encode, decode,
// a text holding a special token).
import { BPE, ByteLevelPreTokenizer, SequencePreTokenizer, Tokenizer } from "@huggingface/tokenizers";
import { type ByteAlphabet, type BpeLists, bpeLists, type CompactTables, compactTables } from "./bpe-compact-tables.ts";
import { bpeTokenizer, packHead } from "./tokenizer-pack.ts";

export interface CompactParts {
  /** tokenizer.json with the model's vocab and merges emptied, and tokenizer_config.json. */
  json: Record<string, unknown>;
  config: Record<string, unknown>;
  tables: CompactTables;
}

/** Compact parts with the library's head built from them and the byte alphabet its ByteLevel step uses. */
export interface CompactTokenizer extends CompactParts {
  head: Tokenizer;
  alphabet: ByteAlphabet;
}

/** The BPE options that change what a merge makes; a tokenizer with any of them keeps the library's model. */
interface BpeOptions {
  end_of_word_suffix?: unknown;
  continuing_subword_suffix?: unknown;
  ignore_merges?: unknown;
}

/** The byte alphabet of a head whose pre-tokenizer ends in ByteLevel without regex or prefix space and whose model is a plain BPE, else null. */
function byteAlphabet(head: Tokenizer): ByteAlphabet | null {
  const model = head.model as (Tokenizer["model"] & BpeOptions) | null;
  if (!(model instanceof BPE) || model.end_of_word_suffix || model.continuing_subword_suffix) return null;
  const pre = head.pre_tokenizer;
  if (!(pre instanceof SequencePreTokenizer)) return null;
  const last = pre.tokenizers[pre.tokenizers.length - 1];
  if (!(last instanceof ByteLevelPreTokenizer) || last.use_regex !== false || last.add_prefix_space !== false) return null;
  const enc = last.byte_encoder as Record<number, unknown> | undefined;
  if (typeof enc !== "object" || enc === null) return null;
  const alphabet: string[] = [];
  for (let b = 0; b < 256; b++) {
    const ch = enc[b];
    if (typeof ch !== "string" || ch.length !== 1) return null;
    alphabet.push(ch);
  }
  return alphabet;
}

/** Whether the head's BPE keeps a pre-token that is a token whole (tokenizer.json's ignore_merges, read as the library reads it). */
function ignoresMerges(head: Tokenizer): boolean {
  return Boolean((head.model as (Tokenizer["model"] & BpeOptions) | null)?.ignore_merges);
}

/** The model's vocab and merges as tokenizer.json lists them, by id and by rank (null if malformed or an id is taken twice). */
function jsonLists(model: Record<string, unknown>): BpeLists | null {
  const vocabObj = model.vocab;
  const mergeList = model.merges;
  if (typeof vocabObj !== "object" || vocabObj === null || Array.isArray(vocabObj) || !Array.isArray(mergeList)) return null;
  const vocab: (string | undefined)[] = [];
  for (const [token, id] of Object.entries(vocabObj as Record<string, unknown>)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || vocab[id] !== undefined) return null;
    vocab[id] = token;
  }
  const merges: [string, string][] = [];
  for (const m of mergeList as unknown[]) {
    // As the library reads them: "a b" split at its first two words, or [a, b].
    const pair = typeof m === "string" ? m.split(" ", 2) : m;
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") return null;
    merges.push([pair[0], pair[1]]);
  }
  return { vocab, merges };
}

/** The compact form of a parsed tokenizer.json, or null if its tokenizer is not a byte-level BPE the tables hold exactly. */
export function compactFromJson(json: Record<string, unknown>, config: Record<string, unknown>): CompactTokenizer | null {
  const model = json.model;
  if (typeof model !== "object" || model === null || (model as { type?: unknown }).type !== "BPE") return null;
  const parts = packHead(json, config);
  const head = new Tokenizer(parts.json, parts.config);
  const alphabet = byteAlphabet(head);
  if (alphabet === null) return null;
  const lists = jsonLists(model as Record<string, unknown>);
  const tables = lists === null ? null : compactTables(lists, alphabet, ignoresMerges(head));
  if (tables === null) return null;
  return { ...parts, tables, head, alphabet };
}

/** Compact parts from a pack, with their head built (throws if the head is not a byte-level BPE's). */
export function compactFromParts(parts: CompactParts): CompactTokenizer {
  const head = new Tokenizer(parts.json, parts.config);
  const alphabet = byteAlphabet(head);
  if (alphabet === null) throw new Error("packed compact tokenizer is not a byte-level BPE");
  return { ...parts, head, alphabet };
}

/** The library's tokenizer with its full model, rebuilt from compact parts. */
export function libraryFromCompact(parts: CompactTokenizer): Tokenizer {
  const { vocab, merges } = bpeLists(parts.tables, parts.alphabet);
  const model = parts.json.model as { unk_token?: unknown } | undefined;
  const unk = typeof model?.unk_token === "string" ? vocab.indexOf(model.unk_token) : -1;
  return bpeTokenizer(
    parts,
    vocab,
    merges.map((pair) => JSON.stringify(pair)),
    unk >= 0 ? unk : undefined,
  );
}
