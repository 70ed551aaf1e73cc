// Sharded runs (--shard-index I --shard-count N): N processes share one run's load without talking to
// each other. One rule decides everything: position p of any sequence the single-process run would
// number (closed-loop lanes, arrivals and trace entries in send order, session ordinals, request
// positions within a phase) belongs to shard p mod N. Shard I's k-th item is global position
// k·N + I, so the shards' union is the single process's sequence, and every seeded draw keyed by a
// global position (session picks, cancellation picks, URL round-robin) comes out the same.

export interface ShardSlot {
  /** 0-based, < count. */
  index: number;
  /** Processes sharing the run, >= 2 (one process is no shard: null). */
  count: number;
}

/** How many of the positions 0 .. total-1 belong to the shard (all of them without one). */
export function shareOf(total: number, shard: ShardSlot | null): number {
  if (shard === null) return total;
  if (!Number.isFinite(total)) return total;
  return Math.max(0, Math.ceil((total - shard.index) / shard.count));
}

/** The global position of the shard's `local`-th item. */
export function globalPosition(local: number, shard: ShardSlot | null): number {
  return shard === null ? local : local * shard.count + shard.index;
}

/** The shard's items of a per-position array, in order (the array itself without a shard). */
export function ownedItems(all: Float64Array, shard: ShardSlot | null): Float64Array {
  if (shard === null) return all;
  const out = new Float64Array(shareOf(all.length, shard));
  for (let k = 0; k < out.length; k++) out[k] = all[globalPosition(k, shard)]!;
  return out;
}

/**
 * A cap on requests at once (--concurrency with a rate, --prefill-concurrency), split as evenly as
 * positions are; null stays null. Callers check every shard gets at least 1 (see shardProblems).
 */
export function shareOfCap(cap: number | null, shard: ShardSlot | null): number | null {
  return cap === null ? null : shareOf(cap, shard);
}

/**
 * request_index / session_num of the profiling phase's first position, after a warmup that issued
 * `warmIssued` requests (this shard's). One process: right after the warmup. Shards with a warmup by
 * count: the warmup's total, the same in every shard (so profiling positions follow warmup ones as
 * in one process). By duration: each shard's count is its own, so the base is its own count times N;
 * the shard's indexes stay ≡ its index (mod N) and never meet another shard's.
 */
export function profilingBase(warmIssued: number, warmupCount: number | null, shard: ShardSlot | null): number {
  if (shard === null) return warmIssued;
  return warmupCount !== null ? warmupCount : warmIssued * shard.count;
}
