// What `llmbench merge` tells about the shards it joined: requests per shard, how together they
// started, and every loss (a shard missing, or one that never finished: killed, its pod evicted).

export interface ShardFacts {
  shardIndex: number;
  label: string;
  /** Requests it recorded (warmup included). */
  requests: number;
  /** Its share of --request-count (warmup included), when a count bounds the run. */
  expected: number | null;
  /** Its results file was closed at the end of its run. */
  finished: boolean;
  /** How late it started after --start-at (null without one). */
  startLagNs: number | null;
  /** Its first request (by schedule): sent minus due, ns; null when it sent nothing. */
  firstSendDelayNs: number | null;
}

export interface MergeReport {
  info: string[];
  warnings: string[];
  /** Some shard's share of the load is not (all) in the results. */
  lost: boolean;
  /** Spread of the shards' starts (lag + first send delay), ns; null with fewer than two shards that sent. */
  startSkewNs: number | null;
}

const ms = (ns: number): string => (ns / 1e6).toFixed(3);

export function mergeReport(group: string, count: number, facts: readonly ShardFacts[], missing: readonly number[]): MergeReport {
  const info: string[] = [];
  const warnings: string[] = [];
  const total = facts.reduce((a, f) => a + f.requests, 0);
  info.push(
    `merged ${facts.length} of ${count} shards of run ${group}: ${total} requests (${facts.map((f) => `shard ${f.shardIndex}: ${f.requests}`).join(", ")})`,
  );
  const starts = facts.filter((f) => f.firstSendDelayNs !== null).map((f) => ({ f, at: (f.startLagNs ?? 0) + f.firstSendDelayNs! }));
  let startSkewNs: number | null = null;
  if (starts.length >= 2) {
    const early = starts.reduce((a, b) => (b.at < a.at ? b : a));
    const late = starts.reduce((a, b) => (b.at > a.at ? b : a));
    startSkewNs = late.at - early.at;
    info.push(
      `start skew between shards: ${ms(startSkewNs)} ms (first send against the schedule${facts.some((f) => f.startLagNs !== null) ? ", late starts included" : ""}: earliest shard ${early.f.shardIndex}, latest shard ${late.f.shardIndex})`,
    );
  }
  for (const f of facts) {
    if ((f.startLagNs ?? 0) > 0)
      warnings.push(`shard ${f.shardIndex} (${f.label}) started ${(f.startLagNs! / 1e9).toFixed(3)} s after --start-at: it was not ready in time`);
  }
  for (const i of missing) warnings.push(`shard ${i} of ${count} is missing: its share of the load is not in the results`);
  for (const f of facts) {
    if (f.finished) continue;
    const of = f.expected === null ? "" : ` of its ${f.expected}`;
    warnings.push(
      `shard ${f.shardIndex} (${f.label}) did not finish (killed?): ${f.requests}${of} requests recorded; the rest of its share is not in the results`,
    );
  }
  return { info, warnings, lost: missing.length > 0 || facts.some((f) => !f.finished), startSkewNs };
}
