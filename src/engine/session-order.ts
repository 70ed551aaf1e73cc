// Which dataset session the n-th session of a phase replays. The same pure function runs on the main
// thread (to build fed prompts ahead) and in the workers (to send them), so both agree without messages.
import type { Dataset } from "../dataset/plan-types.ts";
import { mix32 } from "../dataset/seeded-rng.ts";

/** Salt so session picks are not the same stream as other per-index draws from the seed. */
const SESSION_SALT = 0x5e55_10a7;

export function sessionIndexFor(ordinal: number, dataset: Pick<Dataset, "sessions" | "sampling">, order: Int32Array | null, seed: number): number {
  if (order !== null) return order[ordinal] ?? 0;
  const n = dataset.sessions.length;
  if (dataset.sampling === "sequential") return ordinal % n;
  const u = mix32(mix32(seed ^ SESSION_SALT) ^ ordinal) / 4294967296;
  return Math.floor(u * n);
}
