// Which shard run directories `llmbench merge` may join: one run each, all of one run group (the same
// flags and --start-at), each shard at most once. Missing shards are not refused: they are a loss to
// report. Pure: the runs rows come in, problems (one line each) and the shards in index order go out.

export interface StoredRun {
  run_id: string;
  tool_version: string;
  host: string;
  /** runs.config: the run's config as JSON (secrets already redacted). */
  config: string;
  started_ns: number;
  ended_ns: number | null;
  start_lag_ns: number | null;
}

export interface ShardInput {
  /** As named on the command line. */
  label: string;
  dbPath: string;
  runs: StoredRun[];
}

export interface ShardConfigFields {
  runGroup: string;
  shardIndex: number;
  shardCount: number;
  startAtNs: number | null;
}

export interface CheckedShard {
  label: string;
  dbPath: string;
  run: StoredRun;
  config: ShardConfigFields & Record<string, unknown>;
}

export interface ShardCheck {
  problems: string[];
  /** In shard index order. */
  shards: CheckedShard[];
  /** Shard indexes of the group that no input holds. */
  missing: number[];
}

function shardConfig(run: StoredRun): (ShardConfigFields & Record<string, unknown>) | null {
  let c: unknown;
  try {
    c = JSON.parse(run.config);
  } catch {
    return null;
  }
  if (typeof c !== "object" || c === null) return null;
  const o = c as Record<string, unknown>;
  if (typeof o.runGroup !== "string" || typeof o.shardIndex !== "number" || typeof o.shardCount !== "number") return null;
  return o as ShardConfigFields & Record<string, unknown>;
}

export function checkShards(inputs: readonly ShardInput[]): ShardCheck {
  const problems: string[] = [];
  const shards: CheckedShard[] = [];
  for (const input of inputs) {
    if (input.runs.length !== 1) {
      problems.push(`${input.label}: holds ${input.runs.length} runs; merge takes the run directories of one sharded run's shards, one run each`);
      continue;
    }
    const run = input.runs[0]!;
    const config = shardConfig(run);
    if (config === null) {
      problems.push(`${input.label}: its run has no shard settings (made by an older llmbench?); only runs made with --shard-count can be merged`);
      continue;
    }
    shards.push({ label: input.label, dbPath: input.dbPath, run, config });
  }
  if (problems.length > 0) return { problems, shards: [], missing: [] };
  const first = shards[0]!;
  // One line for the first mismatch: more would only repeat it.
  const other = shards.find((s) => s.config.runGroup !== first.config.runGroup);
  if (other !== undefined) {
    problems.push(
      `${other.label} is from another run than ${first.label} (run group ${other.config.runGroup}, not ${first.config.runGroup}: other flags or --start-at); merge the shards of one run`,
    );
    return { problems, shards: [], missing: [] };
  }
  const byIndex = new Map<number, CheckedShard>();
  for (const s of shards) {
    const twin = byIndex.get(s.config.shardIndex);
    if (twin !== undefined) {
      problems.push(`${twin.label} and ${s.label} are both shard ${s.config.shardIndex} of ${s.config.shardCount}: name each shard once`);
      return { problems, shards: [], missing: [] };
    }
    byIndex.set(s.config.shardIndex, s);
  }
  const count = first.config.shardCount;
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  return { problems, shards: [...byIndex.values()].sort((a, b) => a.config.shardIndex - b.config.shardIndex), missing };
}
