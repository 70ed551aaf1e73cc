// Byte-level BPE over typed arrays: the merge step of a byte-level BPE tokenizer (o200k, cl100k,
// Llama 3, Qwen) without the library's Maps of 200,000 token strings and 200,000 merge keys. For o200k
// the tables are ~9 MB of typed arrays against ~80 MB of heap for the library's model, and they load
// from a pack in milliseconds, not hundreds of them.
//
// Same merges as @huggingface/tokenizers' BPE.bpe: among adjacent symbols, the pair of lowest merge
// rank merges first, the leftmost of equal ranks first (the library breaks ties by the left symbol's
// first position, which is this order); with `ignoreMerges`, a piece that is itself a token is one
// token. Every merge's result is a token (compactTables refuses a tokenizer where it is not), so the
// symbols left are the tokens.

/** The tables, as packed (tokenizer-pack.ts) and as built from a tokenizer's vocab and merges. */
export interface CompactBpeData {
  /** Every token's bytes end to end, in id order. */
  bytes: Uint8Array;
  /** Token `id`'s bytes are `bytes[offsets[id] .. offsets[id + 1])`; an id with no byte-level token has an empty range. */
  offsets: Uint32Array;
  /** Merge of rank `r` joins token `mergeLeft[r]` and token `mergeRight[r]` into token `mergeResult[r]`. */
  mergeLeft: Uint32Array;
  mergeRight: Uint32Array;
  mergeResult: Uint32Array;
  /** A piece that is a whole token is that token, unmerged (tokenizer.json's `ignore_merges`). */
  ignoreMerges: boolean;
}

const EMPTY = -1;

function tableSize(entries: number): number {
  let size = 1024;
  while (size < entries * 2) size *= 2;
  return size;
}

/** FNV-1a over bytes[start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const hashPair = (left: number, right: number): number => (Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x7f4a7c15, 0x85ebca6b)) >>> 0;

export class CompactBpe {
  private readonly data: CompactBpeData;
  /** Open addressing: merge rank + 1 by (left, right), 0 empty. */
  private readonly pairs: Int32Array;
  private readonly pairMask: number;
  /** Open addressing: token id + 1 by bytes, 0 empty (only with ignoreMerges). */
  private readonly tokens: Int32Array | null;
  private readonly tokenMask: number;
  /** Token id of each single byte. */
  private readonly byteToken = new Int32Array(256).fill(EMPTY);
  // Scratch for one piece, grown as needed: symbol ids, links, and the heap of candidate merges.
  private ids = new Int32Array(64);
  private next = new Int32Array(64);
  private prev = new Int32Array(64);
  private heap = new Float64Array(192);
  private heapSize = 0;
  /** Byte strings (Latin-1, one char per byte) that the library's model also keeps whole with ignore_merges: its added tokens. */
  private readonly extraWhole: ReadonlySet<string>;

  /** `extraWhole`: byte strings beside the vocab that a piece is kept whole as, with ignoreMerges (the library puts its added tokens into the model's token map). */
  constructor(data: CompactBpeData, extraWhole: readonly Uint8Array[] = []) {
    this.data = data;
    this.extraWhole = new Set(extraWhole.map((b) => latin1(b, 0, b.length)));
    const merges = data.mergeLeft.length;
    const size = tableSize(merges);
    this.pairs = new Int32Array(size);
    this.pairMask = size - 1;
    for (let r = 0; r < merges; r++) {
      let slot = hashPair(data.mergeLeft[r]!, data.mergeRight[r]!) & this.pairMask;
      // A pair listed twice keeps its first rank (the library's Map keeps its last, but the pack refuses duplicates).
      while (this.pairs[slot] !== 0) slot = (slot + 1) & this.pairMask;
      this.pairs[slot] = r + 1;
    }
    const ids = data.offsets.length - 1;
    for (let id = 0; id < ids; id++) {
      if (data.offsets[id + 1]! - data.offsets[id]! === 1) this.byteToken[data.bytes[data.offsets[id]!]!] = id;
    }
    if (!this.byteToken.every((id) => id !== EMPTY)) throw new Error("a byte has no token of its own: these tables cannot merge every text");
    if (data.ignoreMerges) {
      const tsize = tableSize(ids);
      this.tokens = new Int32Array(tsize);
      this.tokenMask = tsize - 1;
      for (let id = 0; id < ids; id++) {
        const start = data.offsets[id]!;
        const end = data.offsets[id + 1]!;
        if (end === start) continue;
        let slot = hashBytes(data.bytes, start, end) & this.tokenMask;
        while (this.tokens[slot] !== 0) slot = (slot + 1) & this.tokenMask;
        this.tokens[slot] = id + 1;
      }
    } else {
      this.tokens = null;
      this.tokenMask = 0;
    }
  }

  /** Merge rank of the pair, or -1. */
  rank(left: number, right: number): number {
    const d = this.data;
    let slot = hashPair(left, right) & this.pairMask;
    for (;;) {
      const r = this.pairs[slot]! - 1;
      if (r < 0) return -1;
      if (d.mergeLeft[r] === left && d.mergeRight[r] === right) return r;
      slot = (slot + 1) & this.pairMask;
    }
  }

  /** With ignoreMerges, whether bytes[start, end) is a token, which is then not merged; else false. */
  keptWhole(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.tokens === null) return false;
    return this.wholeToken(bytes, start, end) >= 0 || (this.extraWhole.size > 0 && this.extraWhole.has(latin1(bytes, start, end)));
  }

  /** The token whose bytes are exactly bytes[start, end), or -1 (only with ignoreMerges; else -1). */
  private wholeToken(bytes: Uint8Array, start: number, end: number): number {
    if (this.tokens === null) return -1;
    const d = this.data;
    const len = end - start;
    let slot = hashBytes(bytes, start, end) & this.tokenMask;
    for (;;) {
      const id = this.tokens[slot]! - 1;
      if (id < 0) return -1;
      const at = d.offsets[id]!;
      if (d.offsets[id + 1]! - at === len) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (d.bytes[at + i] !== bytes[start + i]) {
            same = false;
            break;
          }
        }
        if (same) return id;
      }
      slot = (slot + 1) & this.tokenMask;
    }
  }

  /** Number of tokens BPE makes of bytes[start, end) (a whole token is one, with ignoreMerges). */
  count(bytes: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n <= 1) return n;
    if (this.keptWhole(bytes, start, end)) return 1;
    return this.merge(bytes, start, n);
  }

  /** Number of tokens the merges alone make of bytes[start, end): a part of a cut piece, which the library merges without asking whether it is a token. */
  countMerged(bytes: Uint8Array, start: number, end: number): number {
    const n = end - start;
    return n <= 1 ? n : this.merge(bytes, start, n);
  }

  /** Merges n bytes from `start`; returns how many tokens are left. */
  private merge(bytes: Uint8Array, start: number, n: number): number {
    this.reserve(n);
    const { ids, next, prev } = this;
    const d = this.data;
    for (let i = 0; i < n; i++) {
      const id = this.byteToken[bytes[start + i]!]!;
      if (id === EMPTY) throw new Error(`byte ${bytes[start + i]} has no token`);
      ids[i] = id;
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    next[n - 1] = EMPTY;
    // A candidate is rank * n + position of its left symbol: the heap's order is the library's.
    this.heapSize = 0;
    for (let i = 0; i + 1 < n; i++) {
      const r = this.rank(ids[i]!, ids[i + 1]!);
      if (r >= 0) this.push(r * n + i);
    }
    let symbols = n;
    while (this.heapSize > 0) {
      const score = this.pop();
      const i = score % n;
      const r = (score - i) / n;
      const j = next[i]!;
      // Stale: the left symbol was merged into its neighbour, or its pair changed since.
      if (ids[i] === EMPTY || j === EMPTY || this.rank(ids[i]!, ids[j]!) !== r) continue;
      ids[i] = d.mergeResult[r]!;
      ids[j] = EMPTY;
      const after = next[j]!;
      next[i] = after;
      if (after !== EMPTY) prev[after] = i;
      symbols--;
      const before = prev[i]!;
      if (before !== EMPTY) {
        const rb = this.rank(ids[before]!, ids[i]!);
        if (rb >= 0) this.push(rb * n + before);
      }
      if (after !== EMPTY) {
        const ra = this.rank(ids[i]!, ids[after]!);
        if (ra >= 0) this.push(ra * n + i);
      }
    }
    return symbols;
  }

  private push(score: number): void {
    const heap = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= score) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = score;
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const size = --this.heapSize;
    const last = heap[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  private reserve(n: number): void {
    if (this.ids.length >= n) return;
    let size = this.ids.length;
    while (size < n) size *= 2;
    this.ids = new Int32Array(size);
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.heap = new Float64Array(size * 3);
  }
}
