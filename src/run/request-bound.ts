// How many requests a count-bound run sends: the most it can store (its results file's size class,
// store/block-size.ts) and what `merge` expects of each shard.
import { NO_REQUEST_LIMIT, type ProfileConfig } from "../config/profile-config.ts";
import { shardSlot } from "../config/shard-config.ts";
import { shareOf } from "../schedule/shard.ts";

export type RequestBoundConfig = Pick<ProfileConfig, "onePass" | "warmupDuration" | "requestCount" | "warmupRequestCount" | "shardCount">;

/** A count-bound run's requests for one shard (warmup included); null when time or the dataset bounds it. */
export function shardRequestBound(cfg: RequestBoundConfig, shardIndex: number): number | null {
  if (cfg.onePass || cfg.warmupDuration !== undefined || cfg.requestCount >= NO_REQUEST_LIMIT) return null;
  const slot = shardSlot({ shardIndex, shardCount: cfg.shardCount });
  return shareOf(cfg.warmupRequestCount, slot) + shareOf(cfg.requestCount, slot);
}

/**
 * The most chunk rows a request stores: one for a whole response; with --streaming about one a token,
 * so --osl plus three of its standard deviations (null when the server decides the length).
 */
export function chunkRowsBound(cfg: Pick<ProfileConfig, "streaming" | "osl" | "oslStddev">): number | null {
  if (!cfg.streaming) return 1;
  return cfg.osl === undefined ? null : Math.ceil(cfg.osl + 3 * cfg.oslStddev);
}
