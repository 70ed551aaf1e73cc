// A loaded BPE tokenizer as one run of bytes, so a second thread rebuilds it without the tokenizer.json
// parse and the library's construction: for o200k, measured in one process (scripts/bench.ts
// tokenizer-load), ~2x less CPU and far less transient heap than from the JSON. The main thread loads
// the tokenizer for the dataset; its count worker gets this pack (or the file that holds it).
//
// Two kinds, each a JSON header line (tokenizer.json with the model's vocab and merges emptied, the
// config, and what the kind needs; padded with spaces so the body starts 4-byte aligned) and then the body:
//   compact  a byte-level BPE as bpe-compact.ts tables (tokenizer-compact.ts), their bytes as they sit in
//            memory: ~4.6 MB for o200k, viewed in place (no text to decode, no copy);
//   lists    any other BPE as the library holds it, as UTF-8: the vocab in id order and the merge-rank keys
//            in rank order, each list joined by NUL. Packed only when the rebuilt model is exactly the loaded
//            one: the vocab and its reverse map agree one to one and the ranks are 0..n-1 in order;
//            else null, and the other thread loads the JSON itself.
import { BPE, Tokenizer } from "@huggingface/tokenizers";
import { type CompactTables, tablesFromBytes, tablesToBytes } from "./bpe-compact-tables.ts";

const SEP = "\u0000";
/** Bumped when the layout or what it holds changes: cached packs of another format are not read. */
export const PACK_FORMAT = 4;
/**
 * The @huggingface/tokenizers version whose BPE fields the pack sets (package.json pins it exactly; a
 * test fails when the installed one differs). Part of a cached pack's key, so an upgrade reads the files.
 */
export const PACKED_FOR_LIBRARY = "0.2.0";

interface HeadParts {
  json: Record<string, unknown>;
  config: Record<string, unknown>;
}

interface CompactHeader extends HeadParts {
  format: number;
  kind: "compact";
  vocabLength: number;
  mergeCount: number;
  ignoreMerges: boolean;
  foreign: Record<number, string>;
  /** Hash of the tables' bytes (bpe-compact-tables.ts): a damaged pack is refused. */
  tablesHash: string;
}

interface PackHeader extends HeadParts {
  format: number;
  kind: "lists";
  unkTokenId: number | null;
  vocabLength: number;
  /** Ids with no token (vocab array holes). */
  holes: number[];
  mergeCount: number;
}

/** The BPE fields the pack holds (the library's names; construction fills them, encoding reads them). */
interface BpeData {
  tokens_to_ids: Map<string, number>;
  vocab: (string | undefined)[];
  bpe_ranks: Map<string, number>;
  unk_token_id: number | undefined;
}

/**
 * The construction-time parts `tokenizerFromPacked` needs beside the model's maps: tokenizer.json
 * without the vocab and merges (the rest is small) and tokenizer_config.json. Take it before the big
 * parts are dropped.
 */
export function packHead(json: Record<string, unknown>, config: Record<string, unknown>): HeadParts {
  const model = json.model as Record<string, unknown> | undefined;
  return { json: { ...json, model: { ...model, vocab: {}, merges: [] } }, config };
}

/** A vocab whose largest id is past this many times its token count (plus 1,024) is not packed: the pack would hold every hole. */
export const SPARSE_IDS = 4;

/** `tok` (loaded from the JSON whose head is given) as a pack, or null if it cannot be rebuilt exactly. */
export function packTokenizer(tok: Tokenizer, head: HeadParts): Uint8Array | null {
  if (!(tok.model instanceof BPE)) return null;
  const m = tok.model as unknown as BpeData;
  if (!(m.tokens_to_ids instanceof Map) || !(m.bpe_ranks instanceof Map) || !Array.isArray(m.vocab)) return null;
  if (m.vocab.length > SPARSE_IDS * m.tokens_to_ids.size + 1024) return null;
  const holes: number[] = [];
  const vocab: string[] = new Array(m.vocab.length);
  for (let id = 0; id < m.vocab.length; id++) {
    const t = m.vocab[id];
    if (t === undefined) {
      holes.push(id);
      vocab[id] = "";
    } else {
      // A lone surrogate has no UTF-8 form (it would come back as U+FFFD): such a vocab is not packed.
      if (t.includes(SEP) || !t.isWellFormed() || m.tokens_to_ids.get(t) !== id) return null;
      vocab[id] = t;
    }
  }
  if (m.tokens_to_ids.size !== m.vocab.length - holes.length) return null;
  const keys: string[] = new Array(m.bpe_ranks.size);
  let rank = 0;
  for (const [key, r] of m.bpe_ranks) {
    if (r !== rank || key.includes(SEP) || !key.isWellFormed()) return null;
    keys[rank++] = key;
  }
  const header: PackHeader = {
    format: PACK_FORMAT,
    kind: "lists",
    json: head.json,
    config: head.config,
    unkTokenId: m.unk_token_id ?? null,
    vocabLength: vocab.length,
    holes,
    mergeCount: keys.length,
  };
  return packBytes(header, new TextEncoder().encode(`${vocab.join(SEP)}\n${keys.join(SEP)}`));
}

/** A compact tokenizer's tables (with the head they go with) as a pack. */
export function packCompact(tables: CompactTables, head: HeadParts): Uint8Array {
  const encoded = tablesToBytes(tables.data);
  const header: CompactHeader = {
    format: PACK_FORMAT,
    kind: "compact",
    json: head.json,
    config: head.config,
    vocabLength: tables.data.offsets.length - 1,
    mergeCount: tables.data.mergeLeft.length,
    ignoreMerges: tables.data.ignoreMerges,
    foreign: tables.foreign,
    tablesHash: encoded.hash,
  };
  return packBytes(header, encoded.bytes);
}

const NEWLINE = 0x0a;

/** The header's JSON line, spaces before its newline so the body starts at a multiple of 4 bytes, then the body. */
function packBytes(header: PackHeader | CompactHeader, body: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bodyAt = Math.ceil((json.length + 1) / 4) * 4;
  const out = new Uint8Array(bodyAt + body.length).fill(0x20, json.length, bodyAt - 1);
  out.set(json, 0);
  out[bodyAt - 1] = NEWLINE;
  out.set(body, bodyAt);
  return out;
}

/** What a pack holds: the library's tokenizer (lists), or a head and compact tables. */
export type Unpacked = ({ kind: "lists"; tok: Tokenizer } | { kind: "compact"; tables: CompactTables }) & HeadParts;

/** The tokenizer a pack holds, with the tokenizer.json head and config it was built from (throws if `packed` is not a pack). */
export function tokenizerFromPacked(packed: Uint8Array): Unpacked {
  const firstEnd = packed.indexOf(NEWLINE);
  if (firstEnd < 0) throw new Error("not a packed tokenizer");
  let header: PackHeader | CompactHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(packed.subarray(0, firstEnd))) as PackHeader | CompactHeader;
  } catch {
    throw new Error("not a packed tokenizer");
  }
  if (header.format !== PACK_FORMAT) throw new Error(`packed tokenizer format ${header.format}, expected ${PACK_FORMAT}`);
  const body = packed.subarray(firstEnd + 1);
  if (header.kind === "compact") {
    const data = tablesFromBytes(body, header.vocabLength, header.mergeCount, header.ignoreMerges, header.tablesHash);
    return { kind: "compact", tables: { data, foreign: header.foreign }, json: header.json, config: header.config };
  }
  if (header.kind !== "lists") throw new Error("not a packed tokenizer");
  // ignoreBOM: a vocab whose first token starts with U+FEFF keeps it.
  return { kind: "lists", tok: listsFromPacked(new TextDecoder("utf-8", { ignoreBOM: true }).decode(body), header), json: header.json, config: header.config };
}

function listsFromPacked(body: string, header: PackHeader): Tokenizer {
  const listsEnd = body.indexOf("\n");
  if (listsEnd < 0) throw new Error("not a packed tokenizer");
  const vocab: (string | undefined)[] = body.slice(0, listsEnd).split(SEP);
  if (vocab.length !== header.vocabLength) throw new Error(`packed vocab has ${vocab.length} tokens, header says ${header.vocabLength}`);
  for (const id of header.holes) vocab[id] = undefined;
  const keys = header.mergeCount === 0 ? [] : body.slice(listsEnd + 1).split(SEP);
  if (keys.length !== header.mergeCount) throw new Error(`packed merges: ${keys.length}, header says ${header.mergeCount}`);
  return bpeTokenizer(header, vocab, keys, header.unkTokenId ?? undefined);
}

/** The library's tokenizer of `head` with its BPE model's vocab (by id) and merge-rank keys (the library's JSON pair strings, by rank) set. */
export function bpeTokenizer(head: HeadParts, vocab: (string | undefined)[], rankKeys: readonly string[], unkTokenId: number | undefined): Tokenizer {
  const tok = new Tokenizer(head.json, head.config);
  const m = tok.model as unknown as BpeData;
  if (!(tok.model instanceof BPE)) throw new Error("packed tokenizer is not BPE");
  const ids = new Map<string, number>();
  for (let id = 0; id < vocab.length; id++) {
    const t = vocab[id];
    if (t !== undefined) ids.set(t, id);
  }
  const ranks = new Map<string, number>();
  for (let r = 0; r < rankKeys.length; r++) ranks.set(rankKeys[r]!, r);
  m.tokens_to_ids = ids;
  m.vocab = vocab;
  m.bpe_ranks = ranks;
  m.unk_token_id = unkTokenId;
  // As the library's constructor does after building the model: its added tokens join the model's maps.
  for (const t of tok.get_added_tokens_decoder().values()) {
    ids.set(t.content, t.id);
    vocab[t.id] = t.content;
  }
  return tok;
}
