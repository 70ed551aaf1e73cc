// Which dataset session the n-th session of a phase replays. The same pure function runs on the main
// thread (to build fed prompts ahead) and in the workers (to send them), so both agree without messages.
import type { Dataset } from "../dataset/plan-types.ts";
import { mix32, mulberry32 } from "../dataset/seeded-rng.ts";
import { globalPosition } from "../schedule/shard.ts";
import type { PhaseSpec } from "./worker-protocol.ts";

/** Salt so session picks are not the same stream as other per-index draws from the seed. */
const SESSION_SALT = 0x5e55_10a7;

/** Shuffled passes, by (n, seed, pass); a worker walks passes in order, so two or three stay cached. */
const passCache = new Map<string, Int32Array>();
const PASS_CACHE_MAX = 4;

/** Pass `pass` of a shuffle over n sessions: a Fisher-Yates permutation from (seed, pass). */
export function shufflePass(n: number, seed: number, pass: number): Int32Array {
  const key = `${n}:${seed}:${pass}`;
  let perm = passCache.get(key);
  if (perm) return perm;
  perm = Int32Array.from({ length: n }, (_, i) => i);
  const u = mulberry32(mix32(mix32(seed ^ SESSION_SALT) + pass));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  if (passCache.size >= PASS_CACHE_MAX) passCache.delete(passCache.keys().next().value!);
  passCache.set(key, perm);
  return perm;
}

export function sessionIndexFor(ordinal: number, dataset: Pick<Dataset, "sessions" | "sampling">, order: Int32Array | null, seed: number): number {
  if (order !== null) return order[ordinal] ?? 0;
  const n = dataset.sessions.length;
  switch (dataset.sampling) {
    case "sequential":
      return ordinal % n;
    case "shuffle":
      return shufflePass(n, seed, Math.floor(ordinal / n))[ordinal % n]!;
    case "random":
      return Math.floor((mix32(mix32(seed ^ SESSION_SALT) ^ ordinal) / 4294967296) * n);
  }
}

/** The dataset session this process's session `ordinal` replays: picked by its global ordinal, so shards agree. */
export function sessionOfOrdinal(
  ordinal: number,
  spec: Pick<PhaseSpec, "order"> & Partial<Pick<PhaseSpec, "shard">>,
  dataset: Pick<Dataset, "sessions" | "sampling">,
  seed: number,
): number {
  return sessionIndexFor(globalPosition(ordinal, spec.shard ?? null), dataset, spec.order, seed);
}

/** request_index of the `local`-th request this process claims in a phase (a global index with a shard). */
export function requestIndexOf(local: number, spec: Pick<PhaseSpec, "requestBase" | "shard">): number {
  return spec.requestBase + globalPosition(local, spec.shard);
}

/** session_num of this process's session `ordinal`. */
export function sessionNumOf(ordinal: number, spec: Pick<PhaseSpec, "sessionBase" | "shard">): number {
  return spec.sessionBase + globalPosition(ordinal, spec.shard);
}

/**
 * How many workers fed prompts are dealt over: ordinal j goes to worker j % n. In closed loop only
 * the workers that run a lane (lane g runs on worker g % workerCount) take sessions, so none is dealt
 * to a worker that would never send it.
 */
export function feedWorkers(workerCount: number, spec: Pick<PhaseSpec, "offsetsNs" | "lanes">): number {
  return spec.offsetsNs === null ? Math.max(1, Math.min(workerCount, spec.lanes)) : workerCount;
}
