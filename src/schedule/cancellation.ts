// AIPerf's --request-cancellation-rate / --request-cancellation-delay. AIPerf draws from one RNG in send
// order; here the draw is a hash of (seed, request index), so any worker can decide for any request it
// sends, in any order, and a rerun with the same seed cancels the same requests.

import { mix32 } from "../dataset/seeded-rng.ts";

const NS_PER_S = 1e9;
// Keeps this stream apart from requestRng(seed, index), which hashes the same pair.
const CANCEL_SALT = 0x63616e63; // "canc"

/** Uniform in [0, 1) fixed by (seed, requestIndex). */
function cancelUniform(seed: number, requestIndex: number): number {
  const seedHi = Math.floor(seed / 4294967296);
  const seedHash = mix32(mix32((seed >>> 0) ^ CANCEL_SALT) ^ mix32(seedHi + 0x9e3779b9));
  // mix32 is a bijection on 32 bits, so consecutive indices map to distinct, well-spread values.
  return mix32(seedHash ^ mix32(requestIndex)) / 4294967296;
}

/**
 * Delay in ns after which request `requestIndex` should be cancelled, or null to let it finish.
 * ratePct is the percentage (0–100) of requests to cancel; delaySec is the wait after sending.
 */
export function cancelAfterNs(seed: number, requestIndex: number, ratePct: number, delaySec: number): number | null {
  if (!(ratePct >= 0 && ratePct <= 100)) throw new RangeError(`cancellation rate must be in [0, 100], got ${ratePct}`);
  if (!(delaySec >= 0) || !Number.isFinite(delaySec)) throw new RangeError(`cancellation delay must be >= 0, got ${delaySec}`);
  if (!Number.isInteger(requestIndex) || requestIndex < 0) throw new RangeError(`requestIndex must be a whole number >= 0, got ${requestIndex}`);
  if (ratePct === 0) return null;
  return cancelUniform(seed, requestIndex) < ratePct / 100 ? Math.round(delaySec * NS_PER_S) : null;
}
