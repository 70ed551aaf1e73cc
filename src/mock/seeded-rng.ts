// Per-request RNG streams: request i of a run with seed s always draws the same numbers,
// however requests interleave in time, so lengths, faults and jitter repeat across runs.

import { mix32, mulberry32 } from "../dataset/seeded-rng.ts";

export { mix32, mulberry32 };

/** FNV-1a over UTF-16 code units, for seeding from text (embeddings). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The RNG of the `requestIndex`-th request (0-based arrival order) of a run seeded `seed`. */
export function requestRng(seed: number, requestIndex: number): () => number {
  const hi = Math.floor(seed / 4294967296);
  return mulberry32(mix32(mix32(seed >>> 0) ^ mix32(hi + 0x9e3779b9) ^ mix32(requestIndex + 1)));
}

/** `base_ms` scaled by a uniform factor in [1 - pct/100, 1 + pct/100]; never negative. */
export function jitterMs(base_ms: number, pct: number, u: number): number {
  if (pct <= 0 || base_ms <= 0) return base_ms;
  return Math.max(0, base_ms * (1 + (pct / 100) * (2 * u - 1)));
}
