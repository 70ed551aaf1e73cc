import { describe, expect, test } from "bun:test";
import { checkShards, type ShardInput, type StoredRun } from "../../../src/run/merge-check.ts";
import { mergeReport, type ShardFacts } from "../../../src/run/merge-report.ts";

const run = (config: Record<string, unknown>, over: Partial<StoredRun> = {}): StoredRun => ({
  run_id: `run-${String(config.shardIndex)}`,
  tool_version: "0.1.0",
  host: "h",
  config: JSON.stringify(config),
  started_ns: 1,
  ended_ns: 2,
  start_lag_ns: 0,
  ...over,
});
const shard = (label: string, shardIndex: number, over: Record<string, unknown> = {}, runs?: StoredRun[]): ShardInput => ({
  label,
  dbPath: `/r/${label}/results.duckdb`,
  runs: runs ?? [run({ runGroup: "g1", shardIndex, shardCount: 3, startAtNs: null, ...over })],
});

describe("checkShards", () => {
  test("the shards of one run, in any order: sorted by index, none missing", () => {
    const c = checkShards([shard("b", 2), shard("a", 0), shard("c", 1)]);
    expect(c.problems).toEqual([]);
    expect(c.shards.map((s) => s.label)).toEqual(["a", "c", "b"]);
    expect(c.missing).toEqual([]);
  });

  test("a missing shard is a loss to report, not a refusal", () => {
    const c = checkShards([shard("a", 0), shard("c", 2)]);
    expect(c.problems).toEqual([]);
    expect(c.missing).toEqual([1]);
  });

  test.each([
    [
      "another run group",
      [shard("a", 0), shard("b", 1, { runGroup: "g2" })],
      "b is from another run than a (run group g2, not g1: other flags or --start-at); merge the shards of one run",
    ],
    ["the same shard twice", [shard("a", 0), shard("b", 0)], "a and b are both shard 0 of 3: name each shard once"],
    [
      "a file of several runs (a merged run, say)",
      [shard("a", 0), shard("m", 1, {}, [run({ runGroup: "g1", shardIndex: 0, shardCount: 3 }), run({ runGroup: "g1", shardIndex: 1, shardCount: 3 })])],
      "m: holds 2 runs; merge takes the run directories of one sharded run's shards, one run each",
    ],
    [
      "a run without shard settings",
      [shard("old", 0, {}, [run({ model: "m" })])],
      "old: its run has no shard settings (made by an older llmbench?); only runs made with --shard-count can be merged",
    ],
    [
      "a config that is not JSON",
      [shard("bad", 0, {}, [{ ...run({}), config: "{" }])],
      "bad: its run has no shard settings (made by an older llmbench?); only runs made with --shard-count can be merged",
    ],
  ])("refused with one line: %s", (_, inputs, line) => {
    expect(checkShards(inputs).problems).toEqual([line]);
  });
});

describe("mergeReport", () => {
  const fact = (shardIndex: number, over: Partial<ShardFacts> = {}): ShardFacts => ({
    shardIndex,
    label: `s${shardIndex}`,
    requests: 100,
    expected: 100,
    finished: true,
    startLagNs: 0,
    firstSendDelayNs: 50_000,
    ...over,
  });

  test("a complete run: counts and the start skew; nothing lost", () => {
    const r = mergeReport("g", 3, [fact(0), fact(1, { firstSendDelayNs: 250_000 }), fact(2, { requests: 99 })], []);
    expect(r.info).toEqual([
      "merged 3 of 3 shards of run g: 299 requests (shard 0: 100, shard 1: 100, shard 2: 99)",
      "start skew between shards: 0.200 ms (first send against the schedule, late starts included: earliest shard 0, latest shard 1)",
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.lost).toBe(false);
    expect(r.startSkewNs).toBe(200_000);
  });

  test("a late shard, a killed one and a missing one are each said; the run lost part of its load", () => {
    const r = mergeReport(
      "g",
      4,
      [fact(0, { startLagNs: 2.5e9 }), fact(1, { finished: false, requests: 37 }), fact(2, { firstSendDelayNs: null, requests: 0 })],
      [3],
    );
    expect(r.warnings).toEqual([
      "shard 0 (s0) started 2.500 s after --start-at: it was not ready in time",
      "shard 3 of 4 is missing: its share of the load is not in the results",
      "shard 1 (s1) did not finish (killed?): 37 of its 100 requests recorded; the rest of its share is not in the results",
    ]);
    expect(r.lost).toBe(true);
    expect(r.startSkewNs).toBe(2.5e9);
  });

  test("one shard: no skew to tell", () => {
    const r = mergeReport("g", 1, [fact(0, { startLagNs: null, expected: null })], []);
    expect(r.startSkewNs).toBeNull();
    expect(r.info.length).toBe(1);
  });
});
