// `llmbench merge OUT SHARD...`: the shards of one sharded run become one run directory, as if one
// process had run the whole load: one results.duckdb with every request (run and shard ids kept), the
// slice histograms summed, and the summary and AIPerf exports computed again from all the requests,
// by the code a run uses, so they are exact, not averages of the shards'. Losses are said, not hidden.
import { copyFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProfileConfig } from "../config/profile-config.ts";
import { NO_REQUEST_LIMIT } from "../config/profile-config.ts";
import { shardSlot } from "../config/shard-config.ts";
import { parseGoodput } from "../metrics/goodput.ts";
import { mergeSliceHistograms } from "../metrics/merge-histograms.ts";
import { recordValues, type RecordOptions } from "../metrics/record-values.ts";
import { sliceHistograms } from "../metrics/slice-histograms.ts";
import { sliceRecords } from "../metrics/timeslices.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { jsonlLine } from "../report/profile-jsonl.ts";
import { epochNs } from "../runtime/clock.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { terminalWidth } from "../runtime/terminal-width.ts";
import { UsageError } from "../runtime/usage-error.ts";
import { shareOf } from "../schedule/shard.ts";
import { LineWriter } from "../store/line-writer.ts";
import { MergedDb } from "../store/merge-db.ts";
import { queryRuns, RunBusyError } from "../store/read-db.ts";
import { VERSION } from "../version.ts";
import { artifactDirProblem, createArtifactDir } from "./artifact-dir.ts";
import { consoleReport } from "./console-report.ts";
import { exitCode } from "./exit-code.ts";
import { resultsFromRecords, writeExports } from "./exports.ts";
import { type CheckedShard, checkShards, type ShardInput, type StoredRun } from "./merge-check.ts";
import { mergeReport, type ShardFacts } from "./merge-report.ts";

export interface MergeRequest {
  /** Absolute output directory. */
  out: string;
  inputs: { label: string; dbPath: string }[];
  overwrite: boolean;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The runs rows of one shard's file (read-only; a shard still running is refused as busy). */
async function storedRuns(dbPath: string): Promise<StoredRun[]> {
  const rs = await queryRuns([dbPath], "SELECT * FROM runs");
  const col = (name: string) => rs.columns.indexOf(name);
  return rs.rows.map((r) => ({
    run_id: String(r[col("run_id")]),
    tool_version: String(r[col("tool_version")]),
    host: String(r[col("host")]),
    config: String(r[col("config")]),
    started_ns: num(r[col("started_ns")]) ?? 0,
    ended_ns: num(r[col("ended_ns")]),
    start_lag_ns: col("start_lag_ns") < 0 ? null : num(r[col("start_lag_ns")]),
  }));
}

async function readInputs(inputs: MergeRequest["inputs"]): Promise<ShardInput[]> {
  const out: ShardInput[] = [];
  for (const i of inputs) {
    try {
      out.push({ ...i, runs: await storedRuns(i.dbPath) });
    } catch (e) {
      if (e instanceof RunBusyError) throw new Error(`${i.label} is still being written by its shard; merge once every shard has finished`);
      throw new UsageError([`${i.label}: not a readable results.duckdb (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`]);
    }
  }
  return out;
}

/** The merged run's config: the shards' own, without the one field that differs between them. */
function mergedConfig(first: CheckedShard, out: string): ProfileConfig {
  const { shardIndex: _, ...rest } = first.config;
  return { ...(rest as unknown as ProfileConfig), artifactDir: out };
}

/** A count-bound run's requests per shard (warmup included); null when time or the dataset bounds it. */
function expectedRequests(cfg: ProfileConfig, shardIndex: number): number | null {
  if (cfg.onePass || cfg.warmupDuration !== undefined || cfg.requestCount >= NO_REQUEST_LIMIT) return null;
  const slot = shardSlot({ shardIndex, shardCount: cfg.shardCount });
  return shareOf(cfg.warmupRequestCount, slot) + shareOf(cfg.requestCount, slot);
}

async function shardFacts(db: MergedDb, shards: readonly CheckedShard[], cfg: ProfileConfig): Promise<ShardFacts[]> {
  const rows = await db.conn.runAndReadAll(
    `SELECT shard_index, count(*), arg_min(start_ns - scheduled_ns, scheduled_ns) FILTER (WHERE start_ns > 0) FROM requests GROUP BY shard_index`,
  );
  const byShard = new Map(rows.getRows().map((r) => [Number(r[0]), { n: Number(r[1]), delay: num(r[2]) }]));
  return shards.map((s) => {
    const got = byShard.get(s.config.shardIndex);
    return {
      shardIndex: s.config.shardIndex,
      label: s.label,
      requests: got?.n ?? 0,
      expected: expectedRequests(cfg, s.config.shardIndex),
      finished: s.run.ended_ns !== null,
      startLagNs: s.run.start_lag_ns,
      firstSendDelayNs: got?.delay ?? null,
    };
  });
}

/** Requests per second the whole schedule asked for: the rate, or (trace) its first turns over their span. */
function requestedRate(cfg: ProfileConfig, records: readonly RequestRecord[]): number | null {
  if (cfg.load.kind === "rate") return cfg.load.ratePerSec;
  if (cfg.load.kind !== "fixed") return null;
  let first = Infinity;
  let last = -Infinity;
  let n = 0;
  for (const r of records) {
    if (r.phase !== "profiling" || r.turn_index !== 0) continue;
    n++;
    first = Math.min(first, r.scheduled_ns);
    last = Math.max(last, r.scheduled_ns);
  }
  return n >= 2 && last > first ? ((n - 1) * 1e9) / (last - first) : null;
}

export async function mergeRuns(req: MergeRequest, io: Io): Promise<number> {
  const checked = checkShards(await readInputs(req.inputs));
  const dirProblem = artifactDirProblem(req.out, req.overwrite);
  const inside = req.inputs.find((i) => dirname(i.dbPath) === req.out);
  const problems = [...checked.problems, ...(dirProblem === null ? [] : [dirProblem.replace("--artifact-dir", "OUT")])];
  if (inside !== undefined) problems.push(`OUT ${req.out} is ${inside.label} itself; write the merged run elsewhere`);
  if (problems.length > 0) throw new UsageError(problems);
  const shards = checked.shards;
  const first = shards[0]!;
  const cfg = mergedConfig(first, req.out);
  const group = first.config.runGroup;

  createArtifactDir(req.out, req.overwrite);
  const logFile = new LineWriter(join(req.out, "logs", "llmbench.log"));
  const fileLog = createLogger(io, "merge", logFile);
  const dbPath = join(req.out, "results.duckdb");
  const startedMs = performance.now();
  const db = await MergedDb.create(
    dbPath,
    shards.map((s) => ({ path: s.dbPath, shardIndex: s.config.shardIndex })),
  );
  try {
    const recordOpts: RecordOptions = {
      streaming: cfg.streaming,
      slos: parseGoodput(cfg.goodput ?? [], { streaming: cfg.streaming }).slos,
      timed: cfg.load.kind !== "concurrency",
    };
    // TODO(lead): once store/summary-db.ts (summarizeDb) is on main, compute these in SQL over the merged
    // file (runId undefined = every row) instead of reading the records back; as a run will.
    // One at a time: a DuckDB connection streams one result at a time.
    const perShard: RequestRecord[][] = [];
    for (const s of shards) perShard.push(await db.readRecords(s.run.run_id));
    const records = perShard.flat().sort((a, b) => a.end_ns - b.end_ns);
    const { results } = resultsFromRecords(records, { cfg, recordOpts, requestedRatePerSec: requestedRate(cfg, records) });

    // Slice histograms: each shard's, summed; a shard that never finished never stored its own.
    if (cfg.sliceDuration !== undefined) {
      const sliceNs = Math.round(cfg.sliceDuration * 1e9);
      const stored = await db.shardSlices();
      const rows = stored.flatMap((list, i) =>
        list.length > 0 || shards[i]!.run.ended_ns !== null ? list : sliceHistograms(sliceRecords(perShard[i]!, sliceNs), recordOpts),
      );
      await db.appendSlices(group, mergeSliceHistograms(rows));
    }

    const facts = await shardFacts(db, shards, cfg);
    const report = mergeReport(group, cfg.shardCount, facts, checked.missing);
    const startNs = records.reduce((a, r) => (r.phase === "profiling" && r.start_ns > 0 ? Math.min(a, r.start_ns) : a), Infinity);
    const endNs = records.reduce((a, r) => Math.max(a, r.end_ns), 0);
    await db.addRun({
      run_id: group,
      tool_version: VERSION,
      host: `merged: ${shards.map((s) => s.run.host).join(", ")}`,
      config: JSON.stringify(cfg),
      started_ns: Math.min(...shards.map((s) => s.run.started_ns)),
      ended_ns: epochNs(),
    });

    // profile_export.jsonl: every profiling request, in the order they ended (as a run writes it).
    const jsonl = new LineWriter(join(req.out, "profile_export.jsonl"));
    for (const r of records) {
      if (r.phase !== "profiling") continue;
      const line = jsonlLine(r, recordValues(r, recordOpts));
      if (line !== null) jsonl.write(line);
    }
    await jsonl.close();
    const problemsWriting = writeExports(req.out, cfg, results, {
      runId: group,
      cancelled: report.lost,
      startNs: Number.isFinite(startNs) ? startNs : first.run.started_ns,
      endNs: endNs > 0 ? endNs : epochNs(),
    });
    const inputs = shards.map((s) => join(dirname(s.dbPath), "inputs.json")).find((p) => existsSync(p));
    if (inputs !== undefined) copyFileSync(inputs, join(req.out, "inputs.json"));

    for (const line of report.info) fileLog.info(line);
    for (const line of report.warnings) fileLog.warn(line);
    for (const p of problemsWriting) fileLog.error(p);
    fileLog.info(`merged in ${((performance.now() - startedMs) / 1000).toFixed(2)} s into ${req.out}`);
    io.out(
      consoleReport(
        { results, dir: req.out, dbPath, interrupted: report.lost, abortedOnFailures: false },
        { threshold: cfg.failedRequestThreshold, width: terminalWidth(io.env, io.stdoutColumns), extraPercentiles: cfg.extraPercentiles ?? [] },
      ),
    );
    const code = exitCode({
      counts: results.counts,
      interrupted: report.lost,
      abortedOnFailures: false,
      storageFailed: problemsWriting.length > 0,
      threshold: cfg.failedRequestThreshold,
    });
    if (report.lost) fileLog.warn("the merged run lacks part of the load (see above): exit code 1");
    return code;
  } finally {
    await db.close();
    await logFile.close();
  }
}
