// Counts of short texts (pre-tokens) kept by their characters and looked up by a range of a longer text,
// so a text's pieces are found without slicing each one out first. A Map keyed by the sliced pieces
// took 143-161 ns a piece (slice, hash, lookup; o200k prompts); this and the regex's own positions,
// 64-113 ns (bench/block-prompts.md has what it changed in building a trace's prompts).
// Open addressing with linear probing; 32-bit FNV-1a over UTF-16 units; at most `limit` keys, then all
// are forgotten at once (as the Map was cleared), so memory is bounded whatever the texts.

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const FIRST_SLOTS = 1 << 10;

function hashRange(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

export class RangeMemo {
  private keys: (string | undefined)[] = new Array(FIRST_SLOTS).fill(undefined);
  private hashes = new Int32Array(FIRST_SLOTS);
  private values = new Int32Array(FIRST_SLOTS);
  private count = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.count;
  }

  /** The value kept for text[start, end), or -1. */
  get(text: string, start: number, end: number): number {
    const h = hashRange(text, start, end);
    const mask = this.keys.length - 1;
    const len = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.keys[s];
      if (k === undefined) return -1;
      if (this.hashes[s] === h && k.length === len && text.startsWith(k, start)) return this.values[s]!;
    }
  }

  /** Keeps `value` (0 .. 2^31-1) for `key`; a key already kept keeps its first value (and nothing is forgotten). */
  set(key: string, value: number): void {
    if (this.get(key, 0, key.length) >= 0) return;
    if (this.count >= this.limit) this.clear();
    else if (2 * (this.count + 1) > this.keys.length) this.grow();
    const h = hashRange(key, 0, key.length);
    const mask = this.keys.length - 1;
    let s = h & mask;
    while (this.keys[s] !== undefined) s = (s + 1) & mask;
    this.keys[s] = key;
    this.hashes[s] = h;
    this.values[s] = value;
    this.count++;
  }

  private clear(): void {
    this.keys = new Array(FIRST_SLOTS).fill(undefined);
    this.hashes = new Int32Array(FIRST_SLOTS);
    this.values = new Int32Array(FIRST_SLOTS);
    this.count = 0;
  }

  private grow(): void {
    const { keys, hashes, values } = this;
    const size = keys.length * 2;
    this.keys = new Array(size).fill(undefined);
    this.hashes = new Int32Array(size);
    this.values = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === undefined) continue;
      let s = hashes[i]! & mask;
      while (this.keys[s] !== undefined) s = (s + 1) & mask;
      this.keys[s] = k;
      this.hashes[s] = hashes[i]!;
      this.values[s] = values[i]!;
    }
  }
}
