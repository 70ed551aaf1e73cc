// Runs a sweep's plan step by step: the pause, then the point's run as a normal run in its own
// directory, then the summary rewritten (so what is done stays readable whatever happens next).
// Ctrl-C cancels the run in progress as in a single run and ends the sweep there; a run that passes
// --failed-request-threshold or cannot write its files ends it too. The console gets one line per run
// and the summary table at the end.
import type { ConsolaInstance } from "consola";
import { join } from "node:path";
import type { FlagValue } from "../config/flag-spec.ts";
import type { Io } from "../runtime/io.ts";
import { terminalWidth } from "../runtime/terminal-width.ts";
import { UsageError } from "../runtime/usage-error.ts";
import type { SweepSpec } from "./multi-run-spec.ts";
import { runStep, StopSignal, stepRaw, writeWhole } from "./point-run.ts";
import { autoPlot } from "./profile-run.ts";
import { type PointEntry, type RunEntry, runMetrics, summarizePoints, sweepConsole, sweepSummaryCsv, sweepSummaryJson, wrap } from "./sweep-summary.ts";

export interface SweepContext {
  /** Raw flag values shared by every run (the model filled in). */
  raw: Record<string, FlagValue>;
  given: ReadonlySet<string>;
  io: Io;
  log: ConsolaInstance;
  /** Absolute; exists and is empty. */
  dir: string;
}

/** "1235 out tok/s, TTFT p99 45.1 ms, ITL p99 5.2 ms, 0 errors". */
export function runLine(m: Record<string, number | null>): string {
  const f = (v: number | null | undefined, d = 1) => (v == null ? "-" : v.toFixed(d));
  const parts = [`${f(m.output_token_throughput_avg)} out tok/s`];
  if (m.time_to_first_token_p99 != null) parts.push(`TTFT p99 ${f(m.time_to_first_token_p99)} ms`);
  if (m.inter_token_latency_p99 != null) parts.push(`ITL p99 ${f(m.inter_token_latency_p99, 2)} ms`);
  if (m.time_to_first_token_p99 == null) parts.push(`latency p99 ${f(m.request_latency_p99)} ms`);
  if (m.good_request_fraction_avg != null) parts.push(`good ${(m.good_request_fraction_avg * 100).toFixed(1)}%`);
  parts.push(`${m.error_request_count ?? 0} errors`);
  return parts.join(", ");
}

const STOP_REASONS = {
  cancelled: "interrupted (Ctrl-C)",
  aborted: "a run passed --failed-request-threshold",
  storage_failure: "a run could not write its files",
} as const;

export async function runSweep(spec: SweepSpec, ctx: SweepContext): Promise<number> {
  const { io, log, dir } = ctx;
  const sweepId = crypto.randomUUID();
  const swept = spec.axes.length > 0;
  const entries: PointEntry[] = spec.points.map((p) => ({ point: p.index + 1, values: p.values, label: p.label || "the runs", runs: [] }));
  const opts = { axes: spec.axes, repeats: spec.repeats, confidence: spec.confidence, gpus: spec.gpus };
  const startedAt = new Date().toISOString();
  let stopReason: string | null = null;
  let exit = 0;
  const write = (status: string) => {
    const points = summarizePoints(entries, opts);
    const meta = { sweep_id: sweepId, dir, status, stop_reason: stopReason, started_at: startedAt, sweep_type: ctx.raw["sweep-type"] ?? "grid" };
    writeWhole(join(dir, "sweep_summary.json"), sweepSummaryJson(points, opts, { ...meta, parameter_sweep_mode: ctx.raw["parameter-sweep-mode"] }));
    writeWhole(join(dir, "sweep_summary.csv"), sweepSummaryCsv(points, opts));
    return points;
  };
  write("running");
  const what = swept ? `${spec.points.length} points (${spec.axes.map((a) => a.flag).join(" x ")})` : "1 point";
  log.info(`sweep: ${what} x ${spec.repeats} run${spec.repeats === 1 ? "" : "s"} = ${spec.steps.length} runs, in ${dir}`);
  let raw = ctx.raw;
  const stop = new StopSignal(io);
  try {
    for (const [i, step] of spec.steps.entries()) {
      if (step.cooldownSec > 0 && !stop.requested) {
        log.info(`cooldown: ${step.cooldownSec} s`);
        await stop.sleep(step.cooldownSec * 1000);
      }
      if (stop.requested) {
        stopReason = STOP_REASONS.cancelled;
        break;
      }
      const point = spec.points[step.point]!;
      const runOf = spec.repeats > 1 ? ` run ${step.repeat + 1}/${spec.repeats}` : "";
      const label = swept ? `point ${step.point + 1}/${spec.points.length} ${point.label}${runOf}` : runOf.trim();
      log.info(`${label}: ${join(dir, step.dir)}`);
      let run: Awaited<ReturnType<typeof runStep>>;
      try {
        run = await runStep(stepRaw(raw, { values: point.values, dir: join(dir, step.dir), seed: step.seed, warmup: step.warmup }), ctx.given, io, {
          label,
          sweep: { sweepId, point: step.point + 1, repeat: step.repeat + 1 },
        });
      } catch (e) {
        // The first run fails as a single run would; later, the sweep keeps what it has.
        if (i === 0) throw e;
        stopReason = e instanceof UsageError ? e.problems.join("; ") : e instanceof Error ? e.message.split("\n")[0]! : String(e);
        log.error(`${label}: ${stopReason}`);
        exit = 1;
        break;
      }
      // The server and model were checked before the first run; later runs skip the pre-flight request.
      raw = { ...raw, model: run.prepared.config.models, preflight: false };
      const metrics = runMetrics(run.outcome.results, spec.gpus);
      const entry: RunEntry = { repeat: step.repeat + 1, dir: step.dir, runId: run.outcome.runId, status: run.status, exitCode: run.exitCode, metrics };
      entries[step.point]!.runs.push(entry);
      exit = Math.max(exit, run.exitCode);
      log.info(`${label}: ${runLine(metrics)}${run.status === "ok" ? "" : ` (${run.status})`}`);
      if (run.status in STOP_REASONS) stopReason = STOP_REASONS[run.status as keyof typeof STOP_REASONS];
      write(stopReason === null ? "running" : "stopped");
      if (stopReason !== null) break;
    }
  } finally {
    stop.dispose();
  }
  const points = write(stopReason === null ? "complete" : "stopped");
  if (ctx.raw["auto-plot"] === true) await autoPlot(dir, log);
  const done = entries.filter((e) => e.runs.length > 0).length;
  const width = terminalWidth(io.env, io.stdoutColumns);
  const lines = [`Sweep: ${what}, ${spec.repeats} run${spec.repeats === 1 ? "" : "s"} each`, ...sweepConsole(points, opts, width)];
  if (stopReason !== null) lines.push(`Stopped after ${done} of ${spec.points.length} points: ${stopReason}.`);
  lines.push(...wrap(`Sweep summary: ${join(dir, "sweep_summary.csv")} and .json; each run in its own directory below (llmbench query ${dir} "...").`, width));
  io.out(`\n${lines.join("\n")}\n`);
  return stopReason === null ? exit : 1;
}
