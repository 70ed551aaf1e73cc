// The tables of bpe-compact.ts from a byte-level BPE's vocab and merges, and back; and as one run of
// bytes, so a pack (tokenizer-pack.ts) carries them to another thread or the cache.
//
// Byte-level tokens are strings of the ByteLevel alphabet (one character per byte); a token with any
// other character (a special token in the model's vocab) can never come out of merging bytes, and is
// kept aside as text only so the library's own model can be rebuilt from the tables.
import type { CompactBpeData } from "./bpe-compact.ts";

/** A byte-level BPE as the library holds it: token text by id (holes undefined) and merges by rank. */
export interface BpeLists {
  vocab: (string | undefined)[];
  merges: (readonly [string, string])[];
}

export interface CompactTables {
  data: CompactBpeData;
  /** Tokens with characters outside the byte alphabet, by id. */
  foreign: Record<number, string>;
}

/** Characters of the ByteLevel alphabet by byte, as the library's byte_encoder maps them. */
export type ByteAlphabet = readonly string[];

/**
 * The tables of `lists`, or null where they would not merge exactly as the library does: a token
 * listed twice, a merge listed twice, a merge of or into a non-token, or a byte with no token.
 */
export function compactTables(lists: BpeLists, alphabet: ByteAlphabet, ignoreMerges: boolean): CompactTables | null {
  const byteOf = byteTable(alphabet);
  const { vocab, merges } = lists;
  // Merge pairs are told apart by left * vocab.length + right, exact below 2^53.
  if (byteOf === null || vocab.length > MAX_VOCAB) return null;
  const idOf = new Map<string, number>();
  const offsets = new Uint32Array(vocab.length + 1);
  const foreign: Record<number, string> = {};
  let total = 0;
  for (let id = 0; id < vocab.length; id++) {
    const t = vocab[id];
    offsets[id] = total;
    if (t === undefined) continue;
    if (idOf.has(t)) return null;
    idOf.set(t, id);
    if (isByteLevel(t, byteOf)) total += t.length;
    else foreign[id] = t;
  }
  offsets[vocab.length] = total;
  const bytes = new Uint8Array(total);
  for (let id = 0; id < vocab.length; id++) {
    const t = vocab[id];
    const at = offsets[id]!;
    if (t === undefined || offsets[id + 1] === at) continue;
    for (let i = 0; i < t.length; i++) bytes[at + i] = byteOf[t.charCodeAt(i)]!;
  }
  for (let b = 0; b < 256; b++) if (!idOf.has(alphabet[b]!)) return null;

  const m = merges.length;
  const mergeLeft = new Uint32Array(m);
  const mergeRight = new Uint32Array(m);
  const mergeResult = new Uint32Array(m);
  const seen = new Set<number>();
  for (let r = 0; r < m; r++) {
    const [a, b] = merges[r]!;
    const left = idOf.get(a);
    const right = idOf.get(b);
    const result = idOf.get(a + b);
    if (left === undefined || right === undefined || result === undefined) return null;
    if (foreign[left] !== undefined || foreign[right] !== undefined) return null;
    const key = left * vocab.length + right;
    if (seen.has(key)) return null;
    seen.add(key);
    mergeLeft[r] = left;
    mergeRight[r] = right;
    mergeResult[r] = result;
  }
  return { data: { bytes, offsets, mergeLeft, mergeRight, mergeResult, ignoreMerges }, foreign };
}

/** Most tokens a vocab may have here: 2^26, so that a merge pair's number key stays exact. */
const MAX_VOCAB = 1 << 26;

/** The byte each alphabet character stands for, by character code (-1: none), or null if the alphabet is not 256 distinct characters. */
export function byteTable(alphabet: ByteAlphabet): Int16Array | null {
  let top = 0;
  for (const ch of alphabet) top = Math.max(top, ch.charCodeAt(0));
  const table = new Int16Array(top + 1).fill(-1);
  for (let b = 0; b < 256; b++) {
    const ch = alphabet[b]!;
    if (ch.length !== 1 || table[ch.charCodeAt(0)] !== -1) return null;
    table[ch.charCodeAt(0)] = b;
  }
  return table;
}

/** Whether every character of `t` stands for a byte in `byteOf` (a byteTable). */
export function isByteLevel(t: string, byteOf: Int16Array): boolean {
  if (t.length === 0) return false;
  for (let i = 0; i < t.length; i++) if ((byteOf[t.charCodeAt(i)] ?? -1) < 0) return false;
  return true;
}

/** The library's lists again, from the tables (to rebuild its model where only it will do). */
export function bpeLists(tables: CompactTables, alphabet: ByteAlphabet): BpeLists {
  const { bytes, offsets, mergeLeft, mergeRight } = tables.data;
  const n = offsets.length - 1;
  const vocab: (string | undefined)[] = new Array(n);
  for (let id = 0; id < n; id++) {
    const start = offsets[id]!;
    const end = offsets[id + 1]!;
    if (end > start) {
      let t = "";
      for (let i = start; i < end; i++) t += alphabet[bytes[i]!];
      vocab[id] = t;
    } else {
      vocab[id] = tables.foreign[id];
    }
  }
  const merges: [string, string][] = new Array(mergeLeft.length);
  for (let r = 0; r < mergeLeft.length; r++) merges[r] = [vocab[mergeLeft[r]!]!, vocab[mergeRight[r]!]!];
  return { vocab, merges };
}

/** The tables' bytes and their hash, which `tablesFromBytes` checks. */
export interface EncodedTables {
  bytes: Uint8Array;
  hash: string;
}

/**
 * The tables' arrays as one run of bytes (32-bit words in the host's byte order, little-endian on every
 * target the binary is built for; then the token bytes), in the order `tablesFromBytes` reads them, with their hash.
 */
export function tablesToBytes(data: CompactBpeData): EncodedTables {
  const words = data.offsets.length + 3 * data.mergeLeft.length;
  const out = new Uint8Array(words * 4 + data.bytes.length);
  const u32 = new Uint32Array(out.buffer, 0, words);
  u32.set(data.offsets, 0);
  u32.set(data.mergeLeft, data.offsets.length);
  u32.set(data.mergeRight, data.offsets.length + data.mergeLeft.length);
  u32.set(data.mergeResult, data.offsets.length + 2 * data.mergeLeft.length);
  out.set(data.bytes, words * 4);
  return { bytes: out, hash: bytesHash(out) };
}

/**
 * `bytes` where a Uint32Array can view them (4-byte aligned): the same memory, or a copy when not
 * aligned (a pack's body is aligned within it, and a file read or a message gives offset 0).
 */
export function aligned4(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
}

/** wyhash of the bytes, hex: ~1 ms for o200k's 4.6 MB. */
function bytesHash(bytes: Uint8Array): string {
  return Bun.hash(bytes).toString(16);
}

/**
 * Tables viewing `raw` (`tablesToBytes`'s bytes; no copy when they are aligned), given the vocab and
 * merge counts and the hash they were written with (throws if the length or the hash disagrees).
 * The hash stands in for checking every token and merge, which took ~30 ms of cold code per load for
 * o200k; the tables were checked against the library's model when they were made (compactTables).
 */
export function tablesFromBytes(raw: Uint8Array, vocabLength: number, mergeCount: number, ignoreMerges: boolean, hash: string): CompactBpeData {
  const buf = aligned4(raw);
  const words = vocabLength + 1 + 3 * mergeCount;
  if (buf.length < words * 4) throw new Error(`packed tables hold ${buf.length} bytes, fewer than ${words * 4}`);
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, words);
  const offsets = u32.subarray(0, vocabLength + 1);
  const byteCount = offsets[vocabLength]!;
  if (buf.length !== words * 4 + byteCount) throw new Error(`packed tables hold ${buf.length} bytes, expected ${words * 4 + byteCount}`);
  const found = bytesHash(buf);
  if (found !== hash) throw new Error(`packed tables are damaged: their hash is ${found}, the pack says ${hash}`);
  let at = vocabLength + 1;
  const mergeLeft = u32.subarray(at, at + mergeCount);
  at += mergeCount;
  const mergeRight = u32.subarray(at, at + mergeCount);
  at += mergeCount;
  const mergeResult = u32.subarray(at, at + mergeCount);
  return { bytes: buf.subarray(words * 4), offsets, mergeLeft, mergeRight, mergeResult, ignoreMerges };
}
