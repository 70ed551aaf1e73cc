// A loaded BPE tokenizer as one string, so a second thread rebuilds it without the tokenizer.json
// parse and the library's construction: for o200k, measured in one process (scripts/bench.ts
// tokenizer-load), ~2x less CPU and far less transient heap than from the JSON. The main thread loads
// the tokenizer for the dataset; its count worker gets this string.
//
// Layout: a JSON header line (tokenizer.json with the model's vocab and merges emptied, the config,
// unk id, vocab length and its holes), then the vocab in id order and the merge-rank keys in rank
// order, each list joined by NUL. Packed only when the rebuilt model is exactly the loaded one: the
// vocab and its reverse map agree one to one and the ranks are 0..n-1 in order; else null, and the
// other thread loads the JSON itself.
import { BPE, Tokenizer } from "@huggingface/tokenizers";

const SEP = "\u0000";
/** Bumped when the layout or what it holds changes: cached packs of another format are not read. */
export const PACK_FORMAT = 1;
/**
 * The @huggingface/tokenizers version whose BPE fields the pack sets (package.json pins it exactly; a
 * test fails when the installed one differs). Part of a cached pack's key, so an upgrade reads the files.
 */
export const PACKED_FOR_LIBRARY = "0.2.0";

interface PackHeader {
  format: number;
  json: Record<string, unknown>;
  config: Record<string, unknown>;
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
export function packHead(json: Record<string, unknown>, config: Record<string, unknown>): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const model = json.model as Record<string, unknown> | undefined;
  return { json: { ...json, model: { ...model, vocab: {}, merges: [] } }, config };
}

/** `tok` (loaded from the JSON whose head is given) as one string, or null if it cannot be rebuilt exactly. */
export function packTokenizer(tok: Tokenizer, head: ReturnType<typeof packHead>): string | null {
  if (!(tok.model instanceof BPE)) return null;
  const m = tok.model as unknown as BpeData;
  if (!(m.tokens_to_ids instanceof Map) || !(m.bpe_ranks instanceof Map) || !Array.isArray(m.vocab)) return null;
  const holes: number[] = [];
  const vocab: string[] = new Array(m.vocab.length);
  for (let id = 0; id < m.vocab.length; id++) {
    const t = m.vocab[id];
    if (t === undefined) {
      holes.push(id);
      vocab[id] = "";
    } else {
      if (t.includes(SEP) || m.tokens_to_ids.get(t) !== id) return null;
      vocab[id] = t;
    }
  }
  if (m.tokens_to_ids.size !== m.vocab.length - holes.length) return null;
  const keys: string[] = new Array(m.bpe_ranks.size);
  let rank = 0;
  for (const [key, r] of m.bpe_ranks) {
    if (r !== rank || key.includes(SEP)) return null;
    keys[rank++] = key;
  }
  const header: PackHeader = {
    format: PACK_FORMAT,
    json: head.json,
    config: head.config,
    unkTokenId: m.unk_token_id ?? null,
    vocabLength: vocab.length,
    holes,
    mergeCount: keys.length,
  };
  return `${JSON.stringify(header)}\n${vocab.join(SEP)}\n${keys.join(SEP)}`;
}

/** The tokenizer a pack holds, with the tokenizer.json head and config it was built from. */
export function tokenizerFromPacked(packed: string): { tok: Tokenizer; json: Record<string, unknown>; config: Record<string, unknown> } {
  const firstEnd = packed.indexOf("\n");
  const secondEnd = packed.indexOf("\n", firstEnd + 1);
  if (firstEnd < 0 || secondEnd < 0) throw new Error("not a packed tokenizer");
  const header = JSON.parse(packed.slice(0, firstEnd)) as PackHeader;
  if (header.format !== PACK_FORMAT) throw new Error(`packed tokenizer format ${header.format}, expected ${PACK_FORMAT}`);
  const tok = new Tokenizer(header.json, header.config);
  const m = tok.model as unknown as BpeData;
  if (!(tok.model instanceof BPE)) throw new Error("packed tokenizer is not BPE");

  const vocab: (string | undefined)[] = packed.slice(firstEnd + 1, secondEnd).split(SEP);
  if (vocab.length !== header.vocabLength) throw new Error(`packed vocab has ${vocab.length} tokens, header says ${header.vocabLength}`);
  for (const id of header.holes) vocab[id] = undefined;
  const ids = new Map<string, number>();
  for (let id = 0; id < vocab.length; id++) {
    const t = vocab[id];
    if (t !== undefined) ids.set(t, id);
  }
  const keys = header.mergeCount === 0 ? [] : packed.slice(secondEnd + 1).split(SEP);
  if (keys.length !== header.mergeCount) throw new Error(`packed merges: ${keys.length}, header says ${header.mergeCount}`);
  const ranks = new Map<string, number>();
  for (let r = 0; r < keys.length; r++) ranks.set(keys[r]!, r);

  m.tokens_to_ids = ids;
  m.vocab = vocab;
  m.bpe_ranks = ranks;
  m.unk_token_id = header.unkTokenId ?? undefined;
  return { tok, json: header.json, config: header.config };
}
