// The profile pipeline on the main thread, stage by stage:
//   artifacts -> sinks (DuckDB, JSONL, live counts) -> workers -> phases -> drain -> results -> exports.
// Workers only send and parse. Whatever stops the run early (Ctrl-C, the failure threshold, a failed
// write) cancels in-flight requests, which are still recorded, so every request sent is accounted for.
import { ENDPOINT_INFO } from "../client/endpoint-types.ts";
import { hostname } from "node:os";
import { join } from "node:path";
import { redactedConfig, type ProfileConfig } from "../config/profile-config.ts";
import { blockBytesFor } from "../store/block-size.ts";
import { chunkRowsBound, shardRequestBound } from "./request-bound.ts";
import { formatRfc3339 } from "../config/rfc3339.ts";
import { processConcurrency } from "../config/shard-config.ts";
import { createBlockPromptBuilder } from "../dataset/block-prompts.ts";
import { SharedState } from "../engine/shared-state.ts";
import { WorkerPool } from "../engine/worker-pool.ts";
import type { TextTokenizer } from "../dataset/tokenizer.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";
import type { RecordOptions } from "../metrics/record-values.ts";
import { scheduleLines } from "../metrics/schedule-report.ts";
import { describeUnreachable, UnreachableTracker, type UnreachableWindow } from "../metrics/unreachable.ts";
import { LiveStats } from "../report/live-stats.ts";
import { LineWriter } from "../store/line-writer.ts";
import { ResultsWriter } from "../store/results-db.ts";
import { epochNs } from "../runtime/clock.ts";
import { loadSettingsLine } from "../runtime/jit-env.ts";
import { globalPosition } from "../schedule/shard.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { terminalWidth } from "../runtime/terminal-width.ts";
import { VERSION } from "../version.ts";
import { createArtifactDir } from "./artifact-dir.ts";
import { consoleReport } from "./console-report.ts";
import { traceTimingReport } from "./trace-timing-report.ts";
import { exitCode } from "./exit-code.ts";
import { computeResults, emptyResults, openRecordsJsonl, writeExports, type RunResults } from "./exports.ts";
import { writeInputsJson } from "./inputs-file.ts";
import { profilingPlan, runPhases, type PhaseContext } from "./phases.ts";
import type { PreparedProfile } from "./prepare.ts";
import { RunControl } from "./run-control.ts";
import { runWarnings } from "./run-warnings.ts";
import { startEcho } from "./start-echo.ts";
import { HeapGovernor } from "../runtime/heap-governor.ts";
import { clientBusyWarning, clientCpuLine, type PhaseCpu } from "./client-cpu.ts";
import { countHeldWarning, heldWarning, jsonlSink, LiveCounts, outageSink, receiveHeldWarning, RecordFanout } from "./sinks.ts";
import { storagePriorityStage } from "./storage-priority.ts";
import { normalJitPolicy, onceJitPolicy } from "../runtime/jit-policy.ts";
import { liveSources, LiveView } from "./live-view.ts";
import { localSessionTexts, type PromptFeeder, remoteSessionTexts, type SessionTexts, withFallback } from "./prompt-feeder.ts";
import { runLoadColumns, type SweepTag } from "./run-load-columns.ts";
import { ServerSideStage } from "./server-side-stage.ts";
import type { StartGate } from "./start-gate.ts";
import { peakRssKiB } from "../runtime/peak-rss.ts";

/** Bun's fetch in-flight cap unless BUN_CONFIG_MAX_HTTP_REQUESTS is set when the process starts. */
const FETCH_DEFAULT_CAP = 256;

/** Connections opened up front when open-loop load has no --concurrency cap to size them. */
const OPEN_LOOP_PRECONNECT = 16;

/** The config fields load workers get, as they are named there. */
const WORKER_SETTINGS = [
  "urls",
  "endpointType",
  "streaming",
  "model",
  "headers",
  "extraInputs",
  "rankingsPassagesMean",
  "requestTimeoutSeconds",
  "transport",
  "insecure",
  "tokenizer",
  "randomSeed",
  "sessionHeader",
  "useLegacyMaxTokens",
] as const;

function pick<T, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}

export interface ProfileOutcome {
  results: RunResults;
  /** The run's id in the runs table. */
  runId: string;
  dir: string;
  dbPath: string;
  interrupted: boolean;
  /** Stopped because the failure fraction passed --failed-request-threshold. */
  abortedOnFailures: boolean;
  /** One line naming the file and cause when a write failed (the run then stopped). */
  storageFailure: string | null;
  startNs: number;
  endNs: number;
}

/** Requests per second the schedule asks of this process: the rate (a shard's share), or a trace's entries over its span. */
function requestedRate(cfg: ProfileConfig, spec: Pick<PhaseSpec, "offsetsNs">): number | null {
  if (cfg.load.kind === "rate") return cfg.load.ratePerSec / cfg.shardCount;
  const o = spec.offsetsNs;
  if (cfg.load.kind === "fixed" && o !== null && o.length >= 2) {
    const span = o[o.length - 1]! - o[0]!;
    return span > 0 ? ((o.length - 1) * 1e9) / span : null;
  }
  return null;
}

/** Requests a timed plan can send: every turn of the sessions it starts (this shard's, with one). */
function turnsOf(dataset: { sessions: { turns: unknown[] }[] }, plan: Pick<PhaseSpec, "sessionLimit" | "order" | "shard">): number {
  const n = dataset.sessions.length;
  const counted = Math.min(plan.sessionLimit, n);
  let turns = 0;
  for (let k = 0; k < counted; k++) {
    const j = globalPosition(k, plan.shard);
    turns += dataset.sessions[plan.order?.[j] ?? j % n]!.turns.length;
  }
  return plan.sessionLimit <= n ? turns : Math.round((turns / counted) * plan.sessionLimit);
}

/** --start-at: said when the run is set up, and how late the load started once it did (logged if late, stored). */
function startGate(cfg: ProfileConfig, db: ResultsWriter, log: ReturnType<typeof createLogger>): StartGate | null {
  const shardName = cfg.shardCount > 1 ? `shard ${cfg.shardIndex} of ${cfg.shardCount} (run group ${cfg.runGroup})` : "the load";
  if (cfg.startAtNs === null) {
    if (cfg.shardCount > 1) log.info(`${shardName}: starting now (no --start-at: shards start when each is ready)`);
    return null;
  }
  const at = formatRfc3339(cfg.startAtNs);
  log.info(`${shardName}: starts at ${at}`);
  return {
    atNs: cfg.startAtNs,
    onStart(lagNs) {
      if (lagNs > 0)
        log.warn(`${shardName} started ${(lagNs / 1e9).toFixed(3)} s after --start-at ${at}: it was not ready in time (recorded as runs.start_lag_ns)`);
      db.setStartLag(lagNs).catch(() => {});
    },
  };
}

/**
 * Main thread: a full collection once the heap grows 24 MB past its last live size, looked at 4 times a
 * second. Against 48 MB (and the count worker's build budget 32 MB rather than 16), alternating: the
 * Mooncake replay at 20x peaked at 418-440 vs 436-458 MiB (4 pairs, lower in 4; CPU 39.8-43.1 vs
 * 39.8-42.6 s, replay lag p99 2.3-2.9 vs 2.4-3.1 ms); 10,000 streams 490 / 507 vs 506 / 606 MiB;
 * 1,000 streams' error p99s and CPU within their spread (2 pairs).
 */
const MAIN_HEAP_BUDGET = { budgetBytes: 24 * 2 ** 20, everyMs: 250 };

/** A run inside a sweep or search. */
export interface ExecuteOptions {
  /** Shown before the model in the live view's title ("point 3/5 concurrency=100"). */
  label?: string;
  /** Stored in the runs table with the run's load. */
  sweep?: SweepTag;
}

export async function executeProfile(prepared: PreparedProfile, io: Io, opts: ExecuteOptions = {}): Promise<ProfileOutcome> {
  const { config: cfg, dir, slos, tokenizer } = prepared;
  const dataset = prepared.dataset.dataset;
  // Stage 1: the artifact directory and the run's log.
  createArtifactDir(dir, cfg.overwrite);
  const shared = new SharedState();
  let control: RunControl | null = null;
  // The live view (--ui) owns stderr while it is up: messages go through live.io.
  const live = new LiveView(io);
  const logFile = new LineWriter(join(dir, "logs", "llmbench.log"), (e, path) => control?.storageFailed(e, path));
  const log = createLogger(live.io, "llmbench", logFile);
  control = new RunControl(shared, live.io, log);
  const runId = crypto.randomUUID();
  const dbPath = join(dir, "results.duckdb");
  let writer: ResultsWriter | null = null;
  let serverSide: ServerSideStage | null = null;
  const jsonl = openRecordsJsonl(dir, cfg, (e, path) => control?.storageFailed(e, path));
  // This thread stores every record: its heap is kept near its live size, so memory does not creep with the run's length.
  const heap = new HeapGovernor(MAIN_HEAP_BUDGET).start();
  try {
    if (prepared.dataset.skipped > 0) log.info(`${prepared.dataset.skipped} --input-file entries lie outside the fixed-schedule offsets and were skipped`);
    const fedPrompts = writeInputsJson(dir, cfg, dataset, log);

    // Stage 2: the sinks every finished request goes to.
    writer = await ResultsWriter.create(
      dbPath,
      {
        run_id: runId,
        tool_version: VERSION,
        host: hostname(),
        config: JSON.stringify(redactedConfig(cfg)),
        started_ns: epochNs(),
        ended_ns: null,
        load: runLoadColumns(cfg, opts.sweep),
      },
      { onError: (e, path) => control?.storageFailed(e, path), blockBytes: blockBytesFor(shardRequestBound(cfg, cfg.shardIndex), chunkRowsBound(cfg)) },
    );
    const db = writer;
    // The server's /metrics and GPU telemetry, scraped on this thread while the phases run (off the workers' path).
    const scrapers = await ServerSideStage.start(cfg, { connect: () => db.connect(), path: dbPath }, runId, io.env, log);
    serverSide = scrapers;
    const recordOpts: RecordOptions = {
      streaming: cfg.streaming,
      slos,
      timed: cfg.load.kind !== "concurrency",
      producesTokens: ENDPOINT_INFO[cfg.endpointType].producesTokens,
      useServerTokenCount: cfg.useServerTokenCount,
    };
    const ctl = control;
    const counts = new LiveCounts(cfg.failedRequestThreshold, (failed, finished) => ctl.tooManyFailures(failed, finished, cfg.failedRequestThreshold));
    // Outages are said as they end (and at the end, for one still going): when and for how long.
    const outages = new UnreachableTracker();
    const describe = (w: UnreachableWindow): string => describeUnreachable(w, { withUrl: cfg.urls.length > 1 });
    const liveStats = new LiveStats();
    const fanout = new RecordFanout(
      [
        { add: (r, values) => db.append(r, values) },
        ...(jsonl ? [jsonlSink(jsonl, cfg.exportHttpTrace)] : []),
        counts,
        outageSink(outages, (w) => log.warn(describe(w))),
        live.recordSink(liveStats),
      ],
      recordOpts,
      { hold: (on) => shared.setHold(on), behind: (on) => shared.setBehind(on) },
    );

    // Stage 3: the workers.
    if (cfg.transport === "fetch" && (processConcurrency(cfg) ?? Infinity) > FETCH_DEFAULT_CAP && !io.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
      log.warn(
        `fetch keeps at most ${FETCH_DEFAULT_CAP} requests in flight and queues the rest, inflating latency; set BUN_CONFIG_MAX_HTTP_REQUESTS=65535 in the environment, or use --transport http`,
      );
    }
    log.info(startEcho(cfg));
    for (const w of runWarnings(cfg)) log.warn(w);
    const feeding: { feeder: PromptFeeder | null } = { feeder: null };
    // The count workers read the pack from its file when it has one: sent (then as a string), a copy
    // (~6 MB for o200k) stayed on this thread and on the count worker for the run. A small run's heaps after its
    // load: this thread's 15.8 vs 21.6 MB, the count worker's 7.3 vs 13.1; its peak RSS 173.7 vs 176.9
    // MiB with 4 workers (8 alternating pairs, lower in 8), 162.6 vs 163.4 with one (lower in 5).
    const packFile = tokenizer.packFile();
    const tokenizerPack = { packFile, packed: packFile === null ? tokenizer.pack() : null };
    // The dataset is built. A process that holds this one run (a sweep reuses the tokenizer) and builds
    // no prompts during the load needs no tokenizer on this thread again: its vocabulary goes before
    // the workers take their share.
    const ownRun = io.ownsProcess === true && opts.sweep === undefined;
    if (ownRun && !fedPrompts) tokenizer.release();
    Bun.gc(true);
    const lowerStorage = storagePriorityStage({
      priority: cfg.storagePriority,
      ownsProcess: io.ownsProcess === true,
      inSweep: opts.sweep !== undefined,
      feedsPrompts: fedPrompts,
      platform: process.platform,
      transport: cfg.transport,
    });
    const pool = await WorkerPool.start({
      workers: cfg.workers,
      shared,
      tokenizerPack,
      onRecords: (batch) => fanout.addBatch(batch),
      onConsumed: (w, n) => feeding.feeder?.onConsumed(w, n),
      config: {
        ...pick(cfg, WORKER_SETTINGS),
        dataset,
        preconnect: processConcurrency(cfg) ?? OPEN_LOOP_PRECONNECT,
      },
    });
    control.pool = pool;
    // The log file only: the console has nothing to act on.
    logFile.write(`${new Date().toISOString()} INFO ${lowerStorage()}`);
    logFile.write(`${new Date().toISOString()} INFO ${loadSettingsLine(io.env)}`);

    // Stage 4: warmup and profiling. What runs on this thread from here runs per record.
    normalJitPolicy();
    const prompts = fedPrompts ? tracePrompts(pool, tokenizer, cfg.randomSeed, dataset.blockSize) : null;
    // Built on a count worker: as for a run without trace prompts, this thread needs its tokenizer no more.
    if (prompts?.remote === true && ownRun) {
      tokenizer.release();
      Bun.gc(true); // before the load: its vocabulary is most of this thread's heap
    }
    const phaseCtx: PhaseContext = {
      cfg,
      dataset,
      pool,
      shared,
      control,
      prompts: prompts?.texts ?? null,
      feeding,
      startGate: startGate(cfg, db, log),
      onPhaseStart: (phase) => scrapers.phaseStarted(phase),
    };
    const plan = profilingPlan(phaseCtx);
    const planned = Math.min(plan.requestLimit, plan.offsetsNs === null && !cfg.onePass ? plan.requestLimit : turnsOf(dataset, plan));
    let startNs = epochNs();
    let profilingCpu: PhaseCpu | null = null;
    await live.start(cfg.ui, liveSources(cfg, shared, liveStats, planned, opts.label));
    try {
      ({ startNs, cpu: profilingCpu } = await runPhases(phaseCtx, plan));
    } finally {
      live.stop();
    }

    // Stage 5: everything recorded is stored; then statistics and exports from the stored records.
    onceJitPolicy();
    // The final scrapes close the server-side window: every profiling request has ended. The run's end
    // is taken then, before the workers' teardown and the storing of what is still queued.
    await scrapers.stop();
    const endNs = epochNs();
    await releaseWorkers(control, pool);
    fanout.drain();
    jsonl?.flush();
    if (fanout.holds > 0) log.warn(heldWarning(fanout.heldMs, fanout.holds));
    if (shared.countHolds > 0) log.warn(countHeldWarning(shared.countHolds));
    if (shared.receiveHolds > 0) log.warn(receiveHeldWarning(shared.receiveHolds));
    if (control.feedFailure !== null) log.error(`trace prompts: ${control.feedFailure}`);
    db.flush();
    // Memory, not data: a refusal leaves the results as they are, and is said.
    await db.loadEnded().catch((e: unknown) => log.warn(`storage memory setting refused: ${e instanceof Error ? e.message : String(e)}`));
    const statsStartMs = performance.now();
    const results = await computeResults(db, {
      cfg,
      recordOpts,
      requestedRatePerSec: requestedRate(cfg, plan),
      storageHeld: fanout.holds > 0 || shared.countHolds > 0 || shared.receiveHolds > 0,
    }).catch((e: unknown) => {
      // The file could not be read back (it failed mid-write): the run still ends with one line, not a crash.
      control?.storageFailed(e instanceof Error ? e : new Error(String(e)), dbPath);
      return emptyResults();
    });
    log.info(`statistics from ${results.counts.total} records in ${(performance.now() - statsStartMs).toFixed(0)} ms`);
    await scrapers.summarize(runId, results, cfg.sliceDuration === undefined ? null : Math.round(cfg.sliceDuration * 1e9));
    await db.close(endNs).catch((e: unknown) => control?.storageFailed(e instanceof Error ? e : new Error(String(e)), dbPath));
    writer = null;
    await jsonl?.close();
    for (const p of writeExports(dir, cfg, results, { runId, cancelled: control.interrupted || shared.cancelled, startNs, endNs, sweep: opts.sweep }))
      control.storageFailed(new Error(p), dir);
    if (cfg.autoPlot && control.storageFailure === null) await autoPlot(dir, log);
    // Peak memory of the whole process (all threads), for sizing runs: KiB, as the OS reports it.
    const peakKiB = peakRssKiB();
    if (results.schedule !== null) for (const line of scheduleLines(results.schedule)) logFile.write(line);
    for (const w of outages.windows()) if (!w.recovered) log.warn(describe(w));
    if (profilingCpu !== null) {
      log.info(clientCpuLine(profilingCpu, results.counts.total));
      const busy = clientBusyWarning(profilingCpu);
      if (busy !== null) log.warn(busy);
    }
    log.info(
      `${results.counts.total} profiling requests recorded (${results.counts.failed} failed); peak RSS ${Math.round(peakKiB / 1024)} MiB, peak in flight ${shared.peakInFlight}`,
    );
    return {
      results,
      runId,
      dir,
      dbPath,
      interrupted: control.interrupted,
      abortedOnFailures: control.abortedOnFailures,
      storageFailure: control.storageFailure,
      startNs,
      endNs,
    };
  } finally {
    heap.stop();
    control.dispose();
    serverSide?.close();
    await writer?.close(epochNs()).catch(() => {});
    await jsonl?.close();
    await logFile.close();
  }
}

/**
 * The load is over and every record is in: the workers go, and this thread collects, so their heaps
 * and the memory their threads held go back to the OS before the statistics and the close's checkpoint
 * add theirs (neither alone returned any). A 16-request run's end now stays under 140 MiB, and its
 * peak was 144 vs 149 MiB with one worker and 155 vs 161.5 with four (8 of 8 pairs each; `bun
 * scripts/bench.ts small-run`), for 15-23 ms more CPU (the collection). With later changes the peak
 * comes where the load ends (130-134 MiB with one worker), and no stage after it goes higher.
 */
async function releaseWorkers(control: RunControl, pool: WorkerPool): Promise<void> {
  control.pool = null;
  await pool.close();
  Bun.gc(true); // an eden collection did not give the memory back
}

/** --auto-plot: the run's (or sweep's) report; a failure is a warning (the runs themselves succeeded). */
export async function autoPlot(dir: string, log: Pick<ReturnType<typeof createLogger>, "info" | "warn">): Promise<void> {
  try {
    const { plotDir } = await import("../plot/write-report.ts");
    const out = await plotDir(dir);
    log.info(`report: ${out.reportPath} (${out.charts} charts, ${out.pngPaths.length} PNG files)`);
  } catch (e) {
    log.warn(`--auto-plot: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
}

export async function runProfile(prepared: PreparedProfile, io: Io): Promise<number> {
  const out = await executeProfile(prepared, io);
  const threshold = prepared.config.failedRequestThreshold;
  io.out(
    consoleReport(out, {
      threshold,
      width: terminalWidth(io.env, io.stdoutColumns),
      extraPercentiles: prepared.config.extraPercentiles,
      exportLevel: prepared.config.exportLevel,
      profileExportPrefix: prepared.config.profileExportPrefix,
    }),
  );
  if (prepared.config.showTraceTiming) io.out(traceTimingReport(out.results.summary, prepared.config, terminalWidth(io.env, io.stdoutColumns)));
  if (out.storageFailure !== null) io.err(`llmbench profile: ${out.storageFailure}\n`);
  return exitCode({
    counts: out.results.counts,
    interrupted: out.interrupted,
    abortedOnFailures: out.abortedOnFailures,
    storageFailed: out.storageFailure !== null,
    threshold,
  });
}

/**
 * Trace prompts built on the first count worker, or on this thread (with `tokenizer`, which reloads
 * if it was let go) when there is none or it dies: the same texts either way.
 */
function tracePrompts(pool: WorkerPool, tokenizer: TextTokenizer, seed: number, blockSize: number): { texts: SessionTexts; remote: boolean } {
  const local = (): SessionTexts => localSessionTexts(createBlockPromptBuilder(tokenizer, { seed, blockSize }));
  const remote = pool.promptBuilder(seed, blockSize);
  if (remote === null) return { texts: local(), remote: false };
  return {
    texts: withFallback(
      remoteSessionTexts((p) => remote.build(p)),
      () => !remote.unusable,
      local,
    ),
    remote: true,
  };
}
