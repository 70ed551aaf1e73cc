// `llmbench merge OUT SHARD...`: the shards of one sharded run become one run directory, as if one
// process had run the whole load: one results.duckdb with every request (run and shard ids kept), the
// slice histograms summed, and the summary and AIPerf exports computed again from all the requests,
// by the code a run uses, so they are exact, not averages of the shards'. Losses are said, not hidden.
import { ENDPOINT_INFO } from "../client/endpoint-types.ts";
import { closeSync, copyFileSync, existsSync, openSync, readSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProfileConfig } from "../config/profile-config.ts";
import { parseGoodput } from "../metrics/goodput.ts";
import { mergeSliceHistograms } from "../metrics/merge-histograms.ts";
import type { RecordOptions } from "../metrics/record-values.ts";
import { epochNs } from "../runtime/clock.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { terminalWidth } from "../runtime/terminal-width.ts";
import { UsageError } from "../runtime/usage-error.ts";
import { LineWriter } from "../store/line-writer.ts";
import type { SliceHistogram } from "../metrics/slice-histograms.ts";
import { MergedDb } from "../store/merge-db.ts";
import { queryRuns, RunBusyError } from "../store/read-db.ts";
import { VERSION } from "../version.ts";
import { artifactDirProblem, createArtifactDir } from "./artifact-dir.ts";
import { shardRequestBound } from "./request-bound.ts";
import { consoleReport } from "./console-report.ts";
import { exitCode } from "./exit-code.ts";
import { computeResults, writeExports } from "./exports.ts";
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
      expected: shardRequestBound(cfg, s.config.shardIndex),
      finished: s.run.ended_ns !== null,
      startLagNs: s.run.start_lag_ns,
      firstSendDelayNs: got?.delay ?? null,
    };
  });
}

/** Requests per second the whole schedule asked for: the rate, or (trace) its sessions' first turns over their span. */
function requestedRate(cfg: ProfileConfig, span: { firstTurns: number; firstTurnSpanNs: number }): number | null {
  if (cfg.load.kind === "rate") return cfg.load.ratePerSec;
  if (cfg.load.kind !== "fixed") return null;
  return span.firstTurns >= 2 && span.firstTurnSpanNs > 0 ? ((span.firstTurns - 1) * 1e9) / span.firstTurnSpanNs : null;
}

/**
 * profile_export.jsonl of every profiling request: the shards' files one after another (a line depends
 * only on its request and the run's options, the same in every shard). A shard that never finished may
 * have been stopped mid-line: its file is taken up to its last whole line.
 */
function writeJsonl(path: string, shards: readonly CheckedShard[]): void {
  const out = openSync(path, "w");
  try {
    for (const s of shards) {
      const own = join(dirname(s.dbPath), "profile_export.jsonl");
      if (existsSync(own)) copyWholeLines(out, own);
    }
  } finally {
    closeSync(out);
  }
}

/** Appends a file's whole lines to an open file, a few MB at a time (a last line without its newline is left out). */
function copyWholeLines(out: number, path: string): void {
  const buf = Buffer.allocUnsafe(8 << 20);
  const fd = openSync(path, "r");
  try {
    let carry = 0;
    for (let n = readSync(fd, buf, carry, buf.length - carry, null); n > 0; n = readSync(fd, buf, carry, buf.length - carry, null)) {
      const filled = carry + n;
      const end = buf.lastIndexOf(10, filled - 1) + 1;
      if (end === 0 && filled === buf.length) throw new Error(`${path}: a line longer than ${buf.length} bytes`);
      writeSync(out, buf, 0, end);
      buf.copy(buf, 0, end, filled);
      carry = filled - end;
    }
  } finally {
    closeSync(fd);
  }
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
  // How long each step took, for the log (a merge of millions of requests is worth watching).
  const steps: string[] = [];
  let stepMs = startedMs;
  const step = (what: string): void => {
    const now = performance.now();
    steps.push(`${what} ${((now - stepMs) / 1000).toFixed(2)} s`);
    stepMs = now;
  };
  let db: MergedDb;
  try {
    db = await MergedDb.create(
      dbPath,
      shards.map((s) => ({ path: s.dbPath, shardIndex: s.config.shardIndex })),
    );
  } catch (e) {
    // Its flush timer would keep the process alive.
    await logFile.close();
    throw e;
  }
  try {
    const recordOpts: RecordOptions = {
      streaming: cfg.streaming,
      slos: parseGoodput(cfg.goodput ?? [], { streaming: cfg.streaming }).slos,
      timed: cfg.load.kind !== "concurrency",
      producesTokens: ENDPOINT_INFO[cfg.endpointType].producesTokens,
      useServerTokenCount: cfg.useServerTokenCount,
    };
    step("tables copied");
    // The statistics of all the requests, in SQL, by the code a run's end uses.
    const span = await db.profilingSpan();
    const results = await computeResults(db, { cfg, recordOpts, requestedRatePerSec: requestedRate(cfg, span) });
    step("statistics");

    // Slice histograms: each shard's, summed; a shard that never finished stored none, so its own are built.
    if (cfg.sliceDuration !== undefined) {
      const sliceNs = Math.round(cfg.sliceDuration * 1e9);
      const stored = await db.shardSlices();
      const rows: SliceHistogram[] = [];
      for (const [i, list] of stored.entries()) {
        const s = shards[i]!;
        rows.push(...(list.length > 0 || s.run.ended_ns !== null ? list : await db.runSliceHistograms(s.run.run_id, recordOpts, sliceNs)));
      }
      await db.appendSlices(group, mergeSliceHistograms(rows));
      step("slice histograms summed");
    }
    const facts = await shardFacts(db, shards, cfg);
    const report = mergeReport(group, cfg.shardCount, facts, checked.missing);
    await db.addRun({
      run_id: group,
      tool_version: VERSION,
      host: `merged: ${shards.map((s) => s.run.host).join(", ")}`,
      config: JSON.stringify(cfg),
      started_ns: Math.min(...shards.map((s) => s.run.started_ns)),
      ended_ns: epochNs(),
    });

    writeJsonl(join(req.out, "profile_export.jsonl"), shards);
    const problemsWriting = writeExports(req.out, cfg, results, {
      runId: group,
      cancelled: report.lost,
      startNs: span.firstStartNs ?? first.run.started_ns,
      endNs: span.lastEndNs ?? epochNs(),
    });
    step("exports written");
    const inputs = shards.map((s) => join(dirname(s.dbPath), "inputs.json")).find((p) => existsSync(p));
    if (inputs !== undefined) copyFileSync(inputs, join(req.out, "inputs.json"));

    for (const line of report.info) fileLog.info(line);
    for (const line of report.warnings) fileLog.warn(line);
    for (const p of problemsWriting) fileLog.error(p);
    fileLog.info(`merged in ${((performance.now() - startedMs) / 1000).toFixed(2)} s into ${req.out} (${steps.join(", ")})`);
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
