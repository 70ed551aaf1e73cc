// The profile pipeline on the main thread: dataset -> workers -> sink (DuckDB, JSONL) -> summary and
// exports. Workers only send and parse. Ctrl-C (or the duration limit + grace) cancels in-flight
// requests, which are still recorded, so every request sent is accounted for.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { requestBody } from "../client/request-body.ts";
import { DeferredWork } from "../client/deferred-work.ts";
import { redactedConfig, type ProfileConfig } from "../config/profile-config.ts";
import { loadTokenizer, type TextTokenizer } from "../dataset/tokenizer.ts";
import { createBlockPromptBuilder } from "../dataset/block-prompts.ts";
import { SharedState } from "../engine/shared-state.ts";
import { WorkerPool } from "../engine/worker-pool.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";
import { scheduleJson, scheduleLines, scheduleReport, type ScheduleReport } from "../metrics/schedule-report.ts";
import { loadDataset, type LoadedDataset } from "./load-dataset.ts";
import { planPhase, UNLIMITED } from "./phase-plan.ts";
import { PromptFeeder } from "./prompt-feeder.ts";
import type { Slo } from "../metrics/goodput.ts";
import { summarize, type Summary } from "../metrics/summary.ts";
import { describeUnreachable, unreachableWindows } from "../metrics/unreachable.ts";
import { sliceRecords } from "../metrics/timeslices.ts";
import { sliceHistograms } from "../metrics/slice-histograms.ts";
import { timeslicesCsv, timeslicesJson } from "../report/timeslices-export.ts";
import { nsToSec } from "../metrics/units.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { consoleTable } from "../report/console-table.ts";
import { inputsJson } from "../report/inputs-json.ts";
import { profileExportCsv } from "../report/profile-csv.ts";
import { profileExportJson } from "../report/profile-json.ts";
import { jsonlLine } from "../report/profile-jsonl.ts";
import { renderProgress } from "../report/progress-bar.ts";
import { formatFixed2 } from "../report/py-format.ts";
import { LineWriter } from "../store/line-writer.ts";
import { ResultsWriter } from "../store/results-db.ts";
import { epochNs } from "../runtime/clock.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { VERSION } from "../version.ts";
import { EXIT_FAILURE, EXIT_OK } from "../cli/usage-error.ts";

/** Minimum finished requests before the failure fraction can abort a run (one early error is not a trend). */
const MIN_FOR_FAILURE_THRESHOLD = 10;

/** True when more than `threshold` (a fraction) of the finished requests failed; never with no threshold. */
export function exceedsFailureThreshold(finished: number, failed: number, threshold: number | null): boolean {
  return threshold !== null && finished >= MIN_FOR_FAILURE_THRESHOLD && failed / finished > threshold;
}

/** Bun's fetch in-flight cap unless BUN_CONFIG_MAX_HTTP_REQUESTS is set when the process starts. */
const FETCH_DEFAULT_CAP = 256;

/** A phase starts this long after it is posted, so every worker has it before the first send is due. */
const PHASE_START_MARGIN_NS = 20_000_000;

/** Connections opened up front when open-loop load has no --concurrency cap to size them. */
const OPEN_LOOP_PRECONNECT = 16;

export interface ProfileOutcome {
  records: RequestRecord[];
  summary: Summary;
  dir: string;
  dbPath: string;
  interrupted: boolean;
  /** Stopped because the failure fraction passed --failed-request-threshold. */
  abortedOnFailures: boolean;
  startNs: number;
  endNs: number;
  /** Open-loop runs and runs where requests queued for a slot: how well the schedule was kept. */
  schedule: ScheduleReport | null;
}

export interface ProfileOptions {
  slos: readonly Slo[];
  /** Already loaded (the CLI loads it first, so a bad --tokenizer is a usage error); else loaded here. */
  tokenizer?: TextTokenizer;
  /** Likewise for the dataset (a malformed --input-file line is a usage error). */
  dataset?: LoadedDataset;
}

/** Requests per second the schedule asks for: the rate, or a trace's entries over its span. */
function requestedRate(cfg: ProfileConfig, spec: Pick<PhaseSpec, "offsetsNs">): number | null {
  if (cfg.load.kind === "rate") return cfg.load.ratePerSec;
  const o = spec.offsetsNs;
  if (cfg.load.kind === "fixed" && o !== null && o.length >= 2) {
    const span = o[o.length - 1]! - o[0]!;
    return span > 0 ? ((o.length - 1) * 1e9) / span : null;
  }
  return null;
}

export async function executeProfile(cfg: ProfileConfig, io: Io, opts: ProfileOptions): Promise<ProfileOutcome> {
  const tokenizer = opts.tokenizer ?? (await loadTokenizer(cfg.tokenizer));
  const dir = resolve(io.cwd, cfg.artifactDir);
  mkdirSync(join(dir, "logs"), { recursive: true });
  const logFile = new LineWriter(join(dir, "logs", "llmbench.log"));
  const log = createLogger(io, "llmbench", logFile);
  const runId = crypto.randomUUID();
  const shared = new SharedState();
  let interrupted = false;
  let abortedOnFailures = false;
  // Set once the workers exist; read by the signal handler and the clean-up.
  const live: { pool: WorkerPool | null } = { pool: null };
  const cancelAll = (why: string): void => {
    if (shared.cancelled) return;
    log.warn(why);
    shared.cancelAll();
    live.pool?.cancel();
  };
  // Registered first, so a Ctrl-C during set-up is not lost: workers then start and issue nothing.
  let progressShown = false;
  const removeSignal = io.onSignal(() => {
    if (interrupted) {
      // Second Ctrl-C: leave now. DuckDB and the JSONL were flushed at most 0.5 s ago.
      if (progressShown) io.err("\n");
      log.warn("interrupted twice: exiting now");
      io.exit(130);
      return;
    }
    interrupted = true;
    cancelAll("interrupted: cancelling in-flight requests (press Ctrl-C again to exit at once); they are recorded as cancelled");
  });
  try {
    return await run();
  } finally {
    removeSignal();
    live.pool?.terminate();
    await logFile.close();
  }

  async function run(): Promise<ProfileOutcome> {
    const { dataset, skipped } = opts.dataset ?? loadDataset(cfg, tokenizer, io.cwd);
    if (skipped > 0) log.info(`${skipped} --input-file entries lie outside the fixed-schedule offsets and were skipped`);
    // Trace prompts (hash-id blocks) are built while the run goes; writing them all first would
    // defeat that (and a big trace's text runs to hundreds of MB), so inputs.json is left out.
    const fedPrompts = dataset.sessions.some((s) => s.turns.some((t) => t.prompt.kind === "blocks"));
    if (fedPrompts) {
      log.info("inputs.json not written: the hash-id prompts are built during the run (they are reproducible from --random-seed)");
    } else {
      writeFileSync(
        join(dir, "inputs.json"),
        inputsJson(
          dataset.sessions.map((s) => ({
            session_id: s.sessionId,
            payloads: s.turns.map(
              (t) =>
                requestBody({
                  endpointType: cfg.endpointType,
                  model: cfg.model,
                  prompt: t.prompt.kind === "text" ? t.prompt.text : "",
                  maxTokens: t.maxTokens,
                  streaming: cfg.streaming,
                  includeUsage: true,
                  extra: cfg.extraInputs,
                  systemPrompt: dataset.systemPrompt,
                }) as never,
            ),
          })),
        ),
      );
    }

    const dbPath = join(dir, "results.duckdb");
    // A re-run into the same directory replaces its artifacts (as AIPerf's exports are replaced),
    // so the database never mixes an old run with the new exports.
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
    const jsonl = new LineWriter(join(dir, "profile_export.jsonl"));
    const writer = await ResultsWriter.create(
      dbPath,
      { run_id: runId, tool_version: VERSION, host: hostname(), config: JSON.stringify(redactedConfig(cfg)), started_ns: epochNs(), ended_ns: null },
      { streaming: cfg.streaming },
    );
    let finished = 0;
    const timed = cfg.load.kind !== "concurrency";
    const recordOpts = { streaming: cfg.streaming, slos: opts.slos, timed };
    let errors = 0;
    const store = (r: RequestRecord): void => {
      finished++;
      if (r.error !== null) errors++;
      if (exceedsFailureThreshold(finished, errors, cfg.failedRequestThreshold)) {
        abortedOnFailures = true;
        cancelAll(`aborting: ${errors} of ${finished} requests failed, more than --failed-request-threshold ${cfg.failedRequestThreshold}`);
      }
      writer.append(r);
      if (r.phase === "profiling") {
        const line = jsonlLine(r, recordOpts);
        if (line !== null) jsonl.write(line);
      }
    };
    // Storing costs ~0.1 ms a record; done in short slices with pauses between them, so on a small
    // machine the worker stamping arrivals is not kept off its core by a burst of finished requests.
    // Past 2,000 waiting records it stops pausing, so the lag (and the DuckDB flush delay) stays bounded.
    const sinkWork = new DeferredWork({ sliceMs: 0.5, pauseMs: 1, maxBacklog: 2000 });
    const sink = (batch: RequestRecord[]): void => {
      for (const r of batch) sinkWork.add(() => store(r));
    };

    if (cfg.transport === "fetch" && (cfg.concurrency ?? Infinity) > FETCH_DEFAULT_CAP && !io.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
      log.warn(
        `fetch keeps at most ${FETCH_DEFAULT_CAP} requests in flight and queues the rest, inflating latency; ` +
          "set BUN_CONFIG_MAX_HTTP_REQUESTS=65535 in the environment, or use --transport http",
      );
    }
    log.info(`starting ${cfg.workers} worker(s): ${describeLoad(cfg)} (${cfg.transport} transport)`);
    let feedError: Error | null = null;
    // The current phase's prompt feeder (trace prompts only): told how many prompts each worker used.
    const feeding: { feeder: PromptFeeder | null } = { feeder: null };
    const pool = await WorkerPool.start({
      workers: cfg.workers,
      shared,
      onRecords: sink,
      onConsumed: (w, n) => feeding.feeder?.onConsumed(w, n),
      config: {
        urls: cfg.urls,
        endpointType: cfg.endpointType,
        streaming: cfg.streaming,
        model: cfg.model,
        headers: cfg.headers,
        extraInputs: cfg.extraInputs,
        timeoutMs: cfg.requestTimeoutMs,
        transport: cfg.transport,
        insecure: cfg.insecure,
        tokenizer: cfg.tokenizer,
        dataset,
        seed: cfg.randomSeed,
        preconnect: cfg.concurrency ?? OPEN_LOOP_PRECONNECT,
      },
    });
    live.pool = pool;
    const blocks = fedPrompts ? createBlockPromptBuilder(tokenizer, { seed: cfg.randomSeed, blockSize: dataset.blockSize }) : null;
    const runPhase = async (plan: Omit<PhaseSpec, "startNs">): Promise<void> => {
      shared.resetPhase();
      if (blocks !== null) {
        const feeder = new PromptFeeder(pool, pool.size, dataset, blocks, plan, cfg.randomSeed, (e) => {
          feedError ??= e;
          cancelAll(`stopping: a trace prompt could not be built (${e.message})`);
        });
        feeding.feeder = feeder;
        await feeder.primed;
      }
      try {
        await pool.runPhase({ ...plan, startNs: epochNs() + PHASE_START_MARGIN_NS });
      } finally {
        feeding.feeder?.close();
        feeding.feeder = null;
      }
    };
    const common = {
      dataset,
      seed: cfg.randomSeed,
      prefillCap: cfg.prefillConcurrency,
      cancellation: cfg.cancellation,
      fedPrompts,
    };

    const timers: ReturnType<typeof setTimeout>[] = [];
    let startNs = epochNs();
    const profilingPlan = planPhase({
      ...common,
      phase: "profiling",
      load: cfg.load,
      requestLimit: cfg.requestCount,
      durationNs: cfg.benchmarkDurationMs === null ? null : cfg.benchmarkDurationMs * 1e6,
      requestBase: 0,
      sessionBase: 0,
      onePass: cfg.onePass,
    });
    const plannedProfiling = Math.min(cfg.requestCount, profilingPlan.offsetsNs === null && !cfg.onePass ? cfg.requestCount : turnsOf(dataset, profilingPlan));
    const total = cfg.benchmarkDurationMs === null && cfg.warmupDurationMs === null ? cfg.warmupRequestCount + plannedProfiling : null;
    const drawProgress = (): void =>
      io.err(`\r${renderProgress({ done: shared.done, total, inFlight: shared.inFlight, errors, elapsedMs: (epochNs() - startNs) / 1e6, durationMs: cfg.benchmarkDurationMs })}`);
    const progress = cfg.ui === "simple" ? setInterval(drawProgress, 250) : null;
    progressShown = progress !== null;
    try {
      let warmIssued = 0;
      if ((cfg.warmupRequestCount > 0 || cfg.warmupDurationMs !== null) && !shared.cancelled) {
        const limit = cfg.warmupDurationMs === null ? cfg.warmupRequestCount : UNLIMITED;
        const durationNs = cfg.warmupDurationMs === null ? null : cfg.warmupDurationMs * 1e6;
        // A timed warmup stops sending when its time is up; what is in flight then still finishes.
        const warmupTimer = cfg.warmupDurationMs === null ? null : setTimeout(() => {
          shared.stopSending();
          pool.stop();
        }, cfg.warmupDurationMs);
        try {
          await runPhase(planPhase({ ...common, phase: "warmup", load: cfg.warmupLoad, requestLimit: limit, durationNs, requestBase: 0, sessionBase: 0 }));
        } finally {
          if (warmupTimer !== null) clearTimeout(warmupTimer);
        }
        warmIssued = Math.min(shared.issued, limit);
      }
      if (!shared.cancelled) {
        startNs = epochNs();
        if (cfg.benchmarkDurationMs !== null) {
          timers.push(setTimeout(() => {
            shared.stopSending();
            pool.stop();
          }, cfg.benchmarkDurationMs));
          timers.push(setTimeout(() => cancelAll("grace period over: cancelling requests still in flight"), cfg.benchmarkDurationMs + cfg.gracePeriodMs));
        }
        await runPhase({ ...profilingPlan, requestBase: warmIssued, sessionBase: warmIssued });
      }
    } finally {
      for (const t of timers) clearTimeout(t);
      if (progress) {
        clearInterval(progress);
        drawProgress();
        io.err("\n");
      }
    }
    sinkWork.drain();
    if (feedError !== null) log.error(`trace prompts: ${(feedError as Error).message}`);
    const endNs = epochNs();
    // Statistics come from the stored file, in arrival order, not from a list kept in memory.
    const records = await writer.readRecords();
    const slices = cfg.sliceNs === null ? [] : sliceRecords(records, cfg.sliceNs);
    if (slices.length > 0) await writer.appendSlices(sliceHistograms(slices, recordOpts));
    await writer.close(endNs);
    await jsonl.close();

    const summaryOpts = { ...recordOpts, percentiles: cfg.extraPercentiles };
    const summary = summarize(records, summaryOpts);
    const schedule =
      timed || records.some((r) => r.queue_ns > 0)
        ? scheduleReport(records, { requestedRatePerSec: requestedRate(cfg, profilingPlan), streaming: cfg.streaming })
        : null;

    writeFileSync(join(dir, "profile_export_aiperf.csv"), profileExportCsv(summary));
    writeFileSync(
      join(dir, "profile_export_aiperf.json"),
      profileExportJson(summary, {
        toolVersion: VERSION,
        benchmarkId: runId,
        inputConfig: redactedConfig(cfg),
        wasCancelled: interrupted || shared.cancelled,
        startNs,
        endNs,
        schedule: schedule === null ? undefined : scheduleJson(schedule),
      }),
    );
    if (slices.length > 0) {
      const perSlice = slices.map((sl) => ({ index: sl.index, summary: summarize(sl.records, summaryOpts) }));
      writeFileSync(join(dir, "profile_export_aiperf_timeslices.csv"), timeslicesCsv(perSlice));
      writeFileSync(join(dir, "profile_export_aiperf_timeslices.json"), timeslicesJson(perSlice, redactedConfig(cfg)));
    }
    // Peak memory of the whole process (all threads), for sizing runs: KiB, as the OS reports it.
    const peakRssKiB = process.resourceUsage().maxRSS;
    if (schedule !== null) for (const line of scheduleLines(schedule)) logFile.write(line);
    for (const w of unreachableWindows(records)) log.warn(describeUnreachable(w, { withUrl: cfg.urls.length > 1 }));
    log.info(`${records.length} requests recorded (${errors} failed); peak RSS ${Math.round(peakRssKiB / 1024)} MiB, peak in flight ${shared.peakInFlight}`);
    return { records, summary, dir, dbPath, interrupted, abortedOnFailures, startNs, endNs, schedule };
  }
}

/** Requests a timed plan can send: every turn of the sessions it starts. */
function turnsOf(dataset: { sessions: { turns: unknown[] }[] }, plan: Pick<PhaseSpec, "sessionLimit" | "order">): number {
  const n = dataset.sessions.length;
  if (plan.order !== null) return dataset.sessions.reduce((a, s) => a + s.turns.length, 0);
  let turns = 0;
  for (let j = 0; j < Math.min(plan.sessionLimit, n); j++) turns += dataset.sessions[j]!.turns.length;
  return plan.sessionLimit <= n ? turns : Math.round((turns / n) * plan.sessionLimit);
}

function describeLoad(cfg: ProfileConfig): string {
  const l = cfg.load;
  const cap = (c: number | null): string => (c === null ? "" : `, at most ${c} in flight`);
  if (l.kind === "concurrency") return `${l.concurrency} concurrent requests${l.rampNs > 0 ? ` (ramped over ${l.rampNs / 1e9} s)` : ""}`;
  if (l.kind === "rate") return `${l.ratePerSec} req/s ${l.pattern}${l.rampNs > 0 ? ` (ramped over ${l.rampNs / 1e9} s)` : ""}${cap(l.cap)}`;
  return `fixed schedule at ${l.speedup}x${cap(l.cap)}`;
}

export async function runProfile(cfg: ProfileConfig, io: Io, opts: ProfileOptions): Promise<number> {
  const out = await executeProfile(cfg, io, opts);
  io.out(`\n\n${consoleTable(out.summary)}\n`);
  if (out.summary.errorSummary.length > 0) {
    io.out("Errors:\n");
    for (const e of out.summary.errorSummary) io.out(`  ${e.count} x ${e.error.type ?? "error"} (${e.error.code ?? "-"}): ${e.error.message}\n`);
  }
  if (out.schedule !== null) io.out(`${scheduleLines(out.schedule).join("\n")}\n`);
  const dur = out.summary.benchmarkDurationNs;
  io.out(`Benchmark Duration: ${dur === null ? "N/A" : formatFixed2(nsToSec(dur))} sec${out.interrupted ? " (cancelled early)" : ""}\n`);
  io.out(`CSV Export: ${join(out.dir, "profile_export_aiperf.csv")}\n`);
  io.out(`JSON Export: ${join(out.dir, "profile_export_aiperf.json")}\n`);
  io.out(`Records: ${join(out.dir, "profile_export.jsonl")}\n`);
  io.out(`Results DB: ${out.dbPath}\n`);
  io.out(`Log File: ${join(out.dir, "logs", "llmbench.log")}\n`);
  if (out.interrupted) io.out("The profile run was cancelled early. Results shown may be incomplete or inaccurate.\n");
  if (out.abortedOnFailures) io.out(`Aborted: more than ${cfg.failedRequestThreshold} of the requests failed.\n`);
  return exitCode(out, cfg.failedRequestThreshold);
}

/**
 * 0 when the run completed and no profiling request failed, or, with --failed-request-threshold,
 * when failures stayed within it; 1 otherwise (failures, interrupted, or aborted).
 */
export function exitCode(out: Pick<ProfileOutcome, "records" | "interrupted" | "abortedOnFailures">, threshold: number | null): number {
  if (out.interrupted || out.abortedOnFailures) return EXIT_FAILURE;
  const profiling = out.records.filter((r) => r.phase === "profiling");
  const failed = profiling.filter((r) => r.error !== null).length;
  if (failed === 0) return EXIT_OK;
  return threshold !== null && profiling.length > 0 && failed / profiling.length <= threshold ? EXIT_OK : EXIT_FAILURE;
}
