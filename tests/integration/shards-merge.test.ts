// A sharded run without a cluster: N llmbench processes with shard flags (one of them told its shard
// by the environment, as an Indexed Job does) and one --start-at, against the mock, then `merge`.
// The merged run has the one-process schedule (each request at its planned arrival offset, with the
// planned session and cancellation pick) and its summary equals a recomputation over the shards'
// requests. A shard killed mid-run leaves the others and the merge valid, and the loss is reported.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { loadTokenizer } from "../../src/dataset/tokenizer.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { profilingPlan } from "../../src/run/phases.ts";
import { loadDataset } from "../../src/run/load-dataset.ts";
import { cancelAfterNs } from "../../src/schedule/cancellation.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { ensureBinary } from "../helpers/binary.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";

/**
 * Time for N processes to start before the common instant. A shard that is not ready by then starts
 * late (and records by how much), which the checks below allow for: the merged schedule is compared
 * with each shard's own start.
 */
const LEAD_MS = 8000;

let dir = "";
let mock: MockServerHandle;
/** The compiled binary: it starts in about half the time of the sources, and N of them start at once. */
let binary = "";
beforeAll(async () => {
  binary = await ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "llmbench-shards-"));
  mock = await startMockServer({ port: 0, ttftMs: 20, itlMs: 2 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const RATE_FLAGS = {
  "request-rate": "200",
  "request-count": "400",
  "random-seed": "7",
  "request-cancellation-rate": "10",
  "request-cancellation-delay": "0",
  "num-dataset-entries": "13",
  "slice-duration": "0.5",
};

function shardArgs(flags: Record<string, string>, startAt: string, artifactDir: string, extra: string[]): string[] {
  const common = ["-u", mock.url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--isl", "16", "--osl", "8", "--ui", "none", "--no-preflight"];
  return [
    binary,
    "profile",
    ...common,
    ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v]),
    "--start-at",
    startAt,
    "--artifact-dir",
    artifactDir,
    ...extra,
  ];
}

function spawnShard(args: string[], env: Record<string, string> = {}) {
  return Bun.spawn(args, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
}

const rows = async (db: string, sql: string) => (await queryReadOnly(db, sql)).rows;

/** numpy.percentile's default (linear) on sorted values. */
function percentile(sorted: number[], p: number): number {
  const x = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(x);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (x - lo);
}

test("4 shards of an open-loop run merge into the one-process schedule and exact statistics", async () => {
  const count = 4;
  const startAt = new Date(Date.now() + LEAD_MS).toISOString();
  const procs = Array.from({ length: count }, (_, i) => {
    const out = join(dir, "rate", `shard-${i}`);
    // Shard 3 learns its place from the environment, as a pod of an Indexed Job does.
    return i === 3
      ? spawnShard(shardArgs(RATE_FLAGS, startAt, out, []), { JOB_COMPLETION_INDEX: "3", LLMBENCH_SHARD_COUNT: String(count) })
      : spawnShard(shardArgs(RATE_FLAGS, startAt, out, ["--shard-count", String(count), "--shard-index", String(i)]));
  });
  const codes = await Promise.all(procs.map((p) => p.exited));
  const errs = await Promise.all(procs.map((p) => new Response(p.stderr).text()));
  expect({ codes, errs: errs.filter((_, i) => codes[i] !== 0) }).toEqual({ codes: [0, 0, 0, 0], errs: [] });

  const io = fakeIo(dir);
  const code = await runCli(["merge", "rate/merged", ...Array.from({ length: count }, (_, i) => `rate/shard-${i}`)], COMMANDS, io);
  expect(io.stderr.join("")).toContain("merged 4 of 4 shards");
  expect(io.stderr.join("")).toContain("start skew between shards:");
  expect(code).toBe(0);
  const merged = join(dir, "rate", "merged", "results.duckdb");

  // Every request of every shard, with its run and shard ids.
  const shardDbs = Array.from({ length: count }, (_, i) => join(dir, "rate", `shard-${i}`, "results.duckdb"));
  const shardRuns = await Promise.all(shardDbs.map(async (db) => (await rows(db, "select run_id, start_lag_ns from runs"))[0]!));
  const perShard = await rows(merged, "select shard_index, run_id, count(*) from requests group by all order by 1");
  expect(perShard).toEqual(shardRuns.map((r, i) => [i, r[0]!, 100]));

  // The one-process plan, as the shards' flags resolve to it.
  const cfg = testProfileConfig(mock.url, {
    requestRate: 200,
    requestCount: 400,
    randomSeed: 7,
    requestCancellationRate: 10,
    numDatasetEntries: 13,
    isl: 16,
    osl: 8,
    concurrency: undefined,
    workers: undefined,
  });
  const dataset = loadDataset(cfg, await loadTokenizer("builtin"), dir).dataset;
  const plan = profilingPlan({ cfg, dataset, prompts: null });
  expect(plan.offsetsNs!.length).toBe(400);
  const startAtNs = Date.parse(startAt) * 1e6;
  const lagByRun = new Map(shardRuns.map((r) => [String(r[0]), Number(r[1])]));
  const sent = await rows(merged, "select run_id, session_num, request_index, conversation_id, scheduled_ns, cancelled from requests order by session_num");
  expect(sent.map((r) => r[1])).toEqual(Array.from({ length: 400 }, (_, i) => i));
  for (const [runId, sessionNum, requestIndex, conversation, scheduledNs] of sent) {
    const j = Number(sessionNum);
    // Arrival offset from the (common) start: the plan's, to the resolution of an epoch-ns double.
    const offsetNs = Number(scheduledNs) - startAtNs - lagByRun.get(String(runId))!;
    expect(Math.abs(offsetNs - plan.offsetsNs![j]!)).toBeLessThan(1024);
    expect(conversation).toBe(dataset.sessions[j % 13]!.sessionId);
    expect(Number(requestIndex)).toBeGreaterThanOrEqual(0);
  }
  // Request indexes 0..399 once each, and cancelled exactly where one process would cancel.
  expect(sent.map((r) => Number(r[2])).toSorted((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  const cancelled = sent.filter((r) => r[5] === true).map((r) => Number(r[2]));
  const picks = Array.from({ length: 400 }, (_, i) => i).filter((i) => cancelAfterNs(7, i, 10, 0) !== null);
  expect(cancelled.toSorted((a, b) => a - b)).toEqual(picks);

  // The summary is the statistics of the union of the shards' requests (numpy's percentiles, population std).
  const summary = JSON.parse(readFileSync(join(dir, "rate", "merged", "profile_export_aiperf.json"), "utf8"));
  const union = (
    await Promise.all(shardDbs.map((db) => rows(db, "select request_latency, time_to_first_token from requests where error_type is null and not cancelled")))
  )
    .flat()
    .map((r) => [Number(r[0]), Number(r[1])] as const);
  expect(union.length).toBe(400 - picks.length);
  expect(summary.request_count.avg).toBe(union.length);
  for (const [tag, k] of [
    ["request_latency", 0],
    ["time_to_first_token", 1],
  ] as const) {
    const v = union.map((u) => u[k]).toSorted((a, b) => a - b);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    const want = { avg: mean, min: v[0], max: v.at(-1), p50: percentile(v, 50), p90: percentile(v, 90), p99: percentile(v, 99), std };
    for (const [stat, x] of Object.entries(want)) expect(summary[tag][stat]).toBeCloseTo(x!, 9);
  }
  // Slice histograms: one row per slice and metric, holding every successful request once.
  const slices = await rows(merged, "select sum(count) from slices where metric = 'request_latency'");
  expect(Number(slices[0]![0])).toBe(union.length);
  const jsonl = readFileSync(join(dir, "rate", "merged", "profile_export.jsonl"), "utf8")
    .trim()
    .split("\n");
  expect(jsonl.length).toBe(400);
}, 60_000);

/** Resolves once `file` holds `text` (a run's log is flushed every 0.5 s); throws after `timeoutMs`. */
async function waitForText(file: string, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let got = "";
    try {
      got = readFileSync(file, "utf8");
    } catch {
      // not there yet
    }
    if (got.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`${file} never said "${text}" within ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

test("a shard killed mid-run: the others and the merge stand, and the loss is reported", async () => {
  const startAt = new Date(Date.now() + LEAD_MS).toISOString();
  const flags = { concurrency: "6", "benchmark-duration": "3", "benchmark-grace-period": "2" };
  const procs = [0, 1, 2].map((i) =>
    spawnShard(shardArgs(flags, startAt, join(dir, "kill", `shard-${i}`), ["--shard-count", "3", "--shard-index", String(i)])),
  );
  // Once shard 1 is set up, let the load run a while, then kill it as an evicted pod dies.
  await waitForText(join(dir, "kill", "shard-1", "logs", "llmbench.log"), "shard 1 of 3", 45_000);
  await Bun.sleep(Math.max(0, Date.parse(startAt) - Date.now()) + 1500);
  procs[1]!.kill("SIGKILL");
  const codes = await Promise.all(procs.map((p) => p.exited));
  expect([codes[0], codes[2]]).toEqual([0, 0]);

  const io = fakeIo(dir);
  // As the merge Job runs it: every run directory under the run's.
  const code = await runCli(["merge", "kill/merged", "--shards-in", "kill"], COMMANDS, io);
  const err = io.stderr.join("");
  expect(err).toContain("shard 1 (kill/shard-1) did not finish (killed?)");
  expect(err).toContain("merged 3 of 3 shards");
  expect(code).toBe(1);
  const merged = join(dir, "kill", "merged", "results.duckdb");
  const shardCounts = await Promise.all(
    [0, 1, 2].map(async (i) => Number((await rows(join(dir, "kill", `shard-${i}`, "results.duckdb"), "select count(*) from requests"))[0]![0])),
  );
  expect(shardCounts[1]).toBeGreaterThan(0);
  const mergedCounts = await rows(merged, "select shard_index, count(*) from requests group by 1 order by 1");
  expect(mergedCounts).toEqual(shardCounts.map((n, i) => [i, n]));
  const runs = await rows(merged, "select shard_index, ended_ns is null from runs order by shard_index nulls last");
  expect(runs).toEqual([
    [0, false],
    [1, true],
    [2, false],
    [null, false],
  ]);
  const summary = JSON.parse(readFileSync(join(dir, "kill", "merged", "profile_export_aiperf.json"), "utf8"));
  const valid = Number((await rows(merged, "select count(*) from requests where phase = 'profiling' and error_type is null and not cancelled"))[0]![0]);
  expect(summary.request_count.avg).toBe(valid);
  expect(summary.was_cancelled).toBe(true);
}, 60_000);

test("a run ready after its --start-at starts at once, says how late, and stores the lag", async () => {
  const io = fakeIo(dir);
  const args = ["profile", "-u", mock.url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--isl", "16", "--osl", "4", "--request-count", "4"];
  const code = await runCli([...args, "--start-at", "2026-01-01T00:00:00Z", "--artifact-dir", "late", "--ui", "none", "--no-preflight"], COMMANDS, io);
  expect(code).toBe(0);
  expect(io.stderr.join("")).toMatch(
    /the load started \d+\.\d{3} s after --start-at 2026-01-01T00:00:00\.000Z: it was not ready in time \(recorded as runs\.start_lag_ns\)/,
  );
  const [[lagNs, firstScheduledNs]] = (await rows(
    join(dir, "late", "results.duckdb"),
    "select start_lag_ns, (select min(scheduled_ns) from requests) from runs",
  )) as [[unknown, unknown]];
  // The lag is the time from the instant to the start the requests were scheduled from.
  expect(Math.abs(Number(lagNs) - (Number(firstScheduledNs) - Date.UTC(2026, 0, 1) * 1e6))).toBeLessThan(1e9);
  expect(Number(lagNs)).toBeGreaterThan(0);
});

test("an input file sent once through needs a session per shard", async () => {
  writeFileSync(join(dir, "three.jsonl"), ["a", "b", "c"].map((t) => JSON.stringify({ text: t })).join("\n"));
  const io = fakeIo(dir);
  const args = ["profile", "-u", mock.url, "-m", "mock-model", "--tokenizer", "builtin", "--input-file", "three.jsonl", "--concurrency", "4"];
  expect(await runCli([...args, "--shard-count", "4", "--shard-index", "0", "--artifact-dir", "three"], COMMANDS, io)).toBe(2);
  expect(io.stderr[0]).toBe("llmbench profile: --input-file three.jsonl: 3 sessions to send, fewer than --shard-count 4; every shard needs one\n");
});

test("merge refuses shards of different runs, and the same shard twice, with one line", async () => {
  const io = fakeIo(dir);
  // The kill test's shard 0 and the rate test's shard 1: other flags, other --start-at.
  expect(await runCli(["merge", "mixed", "rate/shard-1", "kill/shard-0"], COMMANDS, io)).toBe(2);
  expect(io.stderr[0]).toMatch(
    /^llmbench merge: kill\/shard-0 is from another run than rate\/shard-1 \(run group [0-9a-f]{16}, not [0-9a-f]{16}: other flags or --start-at\); merge the shards of one run\n$/,
  );
  const again = fakeIo(dir);
  expect(await runCli(["merge", "twice", "rate/shard-2", "rate/shard-2/results.duckdb"], COMMANDS, again)).toBe(2);
  expect(again.stderr[0]).toBe("llmbench merge: rate/shard-2 and rate/shard-2/results.duckdb are both shard 2 of 4: name each shard once\n");
}, 60_000);
