// --shard-index / --shard-count / --start-at resolved: flag, else the environment an Indexed Job sets
// (JOB_COMPLETION_INDEX, and LLMBENCH_SHARD_COUNT from the manifest), else one process. Also the checks
// that every shard gets a share of the load, and the run group id that tells merge which shards belong
// together (the same flags and --start-at give the same id).
import { createHash } from "node:crypto";
import { shareOf, type ShardSlot } from "../schedule/shard.ts";
import { parseRfc3339Ns } from "./rfc3339.ts";

/** Set by Kubernetes in every pod of an Indexed Job: the pod's completion index. */
export const SHARD_INDEX_ENV = "JOB_COMPLETION_INDEX";
/** The shard count when --shard-count is not given (the k8s manifest sets it). */
export const SHARD_COUNT_ENV = "LLMBENCH_SHARD_COUNT";

export type Env = Readonly<Record<string, string | undefined>>;

export interface ShardFlags {
  shardIndex?: number;
  shardCount?: number;
  startAt?: string;
}

export interface ShardSettings {
  shardIndex: number;
  shardCount: number;
  /** --start-at as epoch ns, or null. */
  startAtNs: number | null;
}

/** A whole number from the environment, undefined when unset, or a problem line. */
function envInt(env: Env, name: string, min: number, flag: string, problems: string[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw.trim());
  if (Number.isInteger(n) && n >= min) return n;
  problems.push(`${name}=${raw} (the ${flag} default): must be a whole number >= ${min}`);
  return undefined;
}

export function resolveShard(f: ShardFlags, env: Env, problems: string[]): ShardSettings {
  const shardCount = f.shardCount ?? envInt(env, SHARD_COUNT_ENV, 1, "--shard-count", problems) ?? 1;
  // JOB_COMPLETION_INDEX means a shard only when the run is split: an Indexed Job may run other things.
  const fromEnv = f.shardIndex === undefined && shardCount > 1 ? envInt(env, SHARD_INDEX_ENV, 0, "--shard-index", problems) : undefined;
  const shardIndex = f.shardIndex ?? fromEnv ?? 0;
  if (shardCount > 1 && f.shardIndex === undefined && fromEnv === undefined && env[SHARD_INDEX_ENV] === undefined) {
    problems.push(`--shard-count ${shardCount} needs --shard-index (0..${shardCount - 1}), or ${SHARD_INDEX_ENV} as an Indexed Job sets it`);
  } else if (shardIndex >= shardCount) {
    const given = f.shardIndex !== undefined ? `--shard-index ${shardIndex}` : `${SHARD_INDEX_ENV}=${shardIndex}`;
    problems.push(`${given} is past the last shard: --shard-count ${shardCount} has shards 0..${shardCount - 1}`);
  }
  let startAtNs: number | null = null;
  if (f.startAt !== undefined) {
    startAtNs = parseRfc3339Ns(f.startAt);
    if (startAtNs === null) problems.push(`--start-at ${f.startAt}: not an RFC 3339 time; use e.g. 2026-12-01T10:00:00Z or 2026-12-01T11:00:00+01:00`);
  }
  return { shardIndex, shardCount, startAtNs };
}

/** The shard a config runs, or null for a whole run. */
export function shardSlot(s: Pick<ShardSettings, "shardIndex" | "shardCount">): ShardSlot | null {
  return s.shardCount > 1 ? { index: s.shardIndex, count: s.shardCount } : null;
}

/** Loads that would leave some shard without a lane or slot: [what, how many] pairs to check. */
export function shardShareProblems(count: number, caps: readonly [string, number | null | undefined][]): string[] {
  if (count <= 1) return [];
  return caps
    .filter((c): c is [string, number] => typeof c[1] === "number" && c[1] < count)
    .map(([what, n]) => `${what} ${n} is less than --shard-count ${count}: every shard needs at least one (shards split it as evenly as they can)`);
}

/** Flags that differ between the shards of one run (or do not change what is sent): not in the group id. */
const PER_PROCESS = new Set(["shardIndex", "artifactDir", "overwrite", "ui", "workers", "preflight"]);

/**
 * The run group: a short hash of every other flag value (so --start-at and --shard-count too). Shards
 * started from one command line share it; `llmbench merge` refuses shards whose groups differ.
 */
export function runGroupId(flags: Readonly<Record<string, unknown>>): string {
  const kept = Object.keys(flags)
    .filter((k) => !PER_PROCESS.has(k) && flags[k] !== undefined)
    .sort()
    .map((k) => [k, flags[k]]);
  return createHash("sha256").update(JSON.stringify(kept)).digest("hex").slice(0, 16);
}

/** Requests this process has in flight at most: its share of --concurrency (lanes or cap), or null. */
export function processConcurrency(c: { concurrency: number | null } & Pick<ShardSettings, "shardIndex" | "shardCount">): number | null {
  return c.concurrency === null ? null : shareOf(c.concurrency, shardSlot(c));
}
