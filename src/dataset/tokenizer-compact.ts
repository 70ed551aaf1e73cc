// Byte-level BPE tokenizers (o200k, cl100k, Llama 3, Qwen: a Split regex, then ByteLevel without its
// own regex) held as bpe-compact.ts tables beside the library's tokenizer without its model's vocab
// and merges (the "head": normalizer, pre-tokenizer, added tokens). Counting needs no more, a text
// holding an added (special) token included: it is split as the library's encode_text splits it. The
// library's full model is rebuilt from the tables only for ids and decoding.
import { BPE, ByteLevelPreTokenizer, SequencePreTokenizer, Tokenizer } from "@huggingface/tokenizers";
import { type ByteAlphabet, type BpeLists, bpeLists, byteTable, type CompactTables, compactTables, isByteLevel } from "./bpe-compact-tables.ts";
import { bpeTokenizer, packHead, SPARSE_IDS } from "./tokenizer-pack.ts";

export interface CompactParts {
  /** tokenizer.json with the model's vocab and merges emptied, and tokenizer_config.json. */
  json: Record<string, unknown>;
  config: Record<string, unknown>;
  tables: CompactTables;
}

/** The library's fields that split a text on its added tokens (set by its constructor; encode_text reads them). */
interface AddedTokenFields {
  splitter_unnormalized: { split(text: string): string[] };
  splitter_normalized: { split(text: string): string[] };
  added_tokens_map: Map<string, { lstrip?: boolean; rstrip?: boolean }>;
}

/** Compact parts with the library's head built from them and the byte alphabet its ByteLevel step uses. */
export interface CompactTokenizer extends CompactParts {
  head: Tokenizer;
  alphabet: ByteAlphabet;
  added: AddedTokenFields;
  /** Added tokens as bytes, which the library's model keeps whole as it keeps its tokens (with ignore_merges). */
  addedBytes: Uint8Array[];
}

/** The BPE options that change what a merge makes: the suffixes keep the library's model; ignore_merges is held by the tables. */
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

/** The head's added-token fields, or null if the library no longer has them as this file reads them. */
function addedTokenFields(head: Tokenizer): AddedTokenFields | null {
  const f = head as unknown as Partial<AddedTokenFields>;
  if (typeof f.splitter_unnormalized?.split !== "function" || typeof f.splitter_normalized?.split !== "function") return null;
  return f.added_tokens_map instanceof Map ? (f as AddedTokenFields) : null;
}

/** Added tokens written in the byte alphabet, as bytes (the library puts every added token into its model's token map). */
function addedTokenBytes(head: Tokenizer, alphabet: ByteAlphabet): Uint8Array[] {
  const byteOf = byteTable(alphabet);
  const out: Uint8Array[] = [];
  if (byteOf === null) return out;
  for (const t of head.get_added_tokens_decoder().values()) {
    if (isByteLevel(t.content, byteOf)) out.push(Uint8Array.from(t.content, (ch) => byteOf[ch.charCodeAt(0)]!));
  }
  return out;
}

/**
 * Tokens of `text` as the library's encode_text makes them: split on added tokens (raw, then normalized;
 * lstrip / rstrip trim the neighbouring section), each added token one, each other section counted by
 * `countSection` after the normalizer. Only for heads without remove_space or accent removal (the fast
 * counter refuses those).
 */
export function countWithAddedTokens(c: Pick<CompactTokenizer, "head" | "added">, text: string, countSection: (normalized: string) => number): number {
  const { added, head } = c;
  let n = 0;
  for (const section of stripped(added, added.splitter_unnormalized.split(text))) {
    if (section.length === 0) continue;
    if (added.added_tokens_map.has(section)) {
      n++;
      continue;
    }
    const normalized = head.normalizer !== null ? head.normalizer(section) : section;
    if (normalized.length === 0) continue;
    for (const sub of stripped(added, added.splitter_normalized.split(normalized))) {
      if (sub.length === 0) continue;
      n += added.added_tokens_map.has(sub) ? 1 : countSection(sub);
    }
  }
  return n;
}

/** Sections with the whitespace beside an lstrip / rstrip added token trimmed, as encode_text trims it. */
function stripped(added: AddedTokenFields, sections: string[]): string[] {
  for (let i = 0; i < sections.length; i++) {
    const token = added.added_tokens_map.get(sections[i]!);
    if (token === undefined) continue;
    if (token.lstrip && i > 0) sections[i - 1] = sections[i - 1]!.trimEnd();
    if (token.rstrip && i < sections.length - 1) sections[i + 1] = sections[i + 1]!.trimStart();
  }
  return sections;
}

/** Whether the head's BPE keeps a pre-token that is a token whole (tokenizer.json's ignore_merges, read as the library reads it). */
function ignoresMerges(head: Tokenizer): boolean {
  return Boolean((head.model as (Tokenizer["model"] & BpeOptions) | null)?.ignore_merges);
}

/**
 * The model's vocab and merges as the library reads tokenizer.json, by id and by rank, or null if
 * malformed, an id is taken twice, or a merge is of a form the library would read otherwise: it picks
 * the form by the first entry ("a b" strings split at their first two words, else [a, b] arrays, which
 * it keys whole, so an entry of any other shape never merges there).
 */
function jsonLists(model: Record<string, unknown>): BpeLists | null {
  const vocabObj = model.vocab;
  const mergeList = model.merges;
  if (typeof vocabObj !== "object" || vocabObj === null || Array.isArray(vocabObj) || !Array.isArray(mergeList)) return null;
  const vocab: (string | undefined)[] = [];
  let entries = 0;
  for (const token in vocabObj) {
    const id = (vocabObj as Record<string, unknown>)[token];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= 2 ** 31 || vocab[id] !== undefined) return null;
    vocab[id] = token;
    entries++;
  }
  if (vocab.length > SPARSE_IDS * entries + 1024) return null;
  const arrays = Array.isArray(mergeList[0]);
  const merges: [string, string][] = new Array(mergeList.length);
  for (let r = 0; r < mergeList.length; r++) {
    const m: unknown = mergeList[r];
    if (arrays) {
      if (!Array.isArray(m) || m.length !== 2 || typeof m[0] !== "string" || typeof m[1] !== "string") return null;
      merges[r] = [m[0], m[1]];
    } else {
      if (typeof m !== "string") return null;
      const [a, b] = m.split(" ", 2);
      if (a === undefined || b === undefined) return null;
      merges[r] = [a, b];
    }
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
  const added = addedTokenFields(head);
  if (alphabet === null || added === null) return null;
  const lists = jsonLists(model as Record<string, unknown>);
  const tables = lists === null ? null : compactTables(lists, alphabet, ignoresMerges(head));
  if (tables === null) return null;
  return { ...parts, tables, head, alphabet, added, addedBytes: addedTokenBytes(head, alphabet) };
}

/** Compact parts from a pack, with their head built (throws if the head is not a byte-level BPE's). */
export function compactFromParts(parts: CompactParts): CompactTokenizer {
  const head = new Tokenizer(parts.json, parts.config);
  const alphabet = byteAlphabet(head);
  const added = addedTokenFields(head);
  if (alphabet === null || added === null) throw new Error("packed compact tokenizer is not a byte-level BPE this library version can split");
  return { ...parts, head, alphabet, added, addedBytes: addedTokenBytes(head, alphabet) };
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
