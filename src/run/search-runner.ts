// Runs an SLO capacity search: the planner names a load, each probe is a normal run (or
// --num-profile-runs of them) in its own directory, and the probe passes when its good fraction
// (the mean over its runs) is at least --slo-attainment-fraction. search_summary.json is rewritten
// after every probe; the answer and the probes are printed at the end.
import { join } from "node:path";
import type { FlagValue } from "../config/flag-spec.ts";
import { paddedValue } from "../config/sweep-axes.ts";
import { terminalWidth } from "../runtime/terminal-width.ts";
import { UsageError } from "../runtime/usage-error.ts";
import type { CapacitySearchSpec } from "./multi-run-spec.ts";
import { runStep, StopSignal, stepRaw, writeWhole } from "./point-run.ts";
import { autoPlot } from "./profile-run.ts";
import { MonotonicSearch } from "./search-planner.ts";
import { runDirName } from "./sweep-plan.ts";
import { fitColumns, type PointEntry, pointValue, type RunEntry, runMetrics, summarizePoints, wrap } from "./sweep-summary.ts";
import { runLine, type SweepContext } from "./sweep-runner.ts";

export interface Probe {
  probe: number;
  value: number;
  dir: string;
  /** Mean over the probe's finished runs; null when none measured it. */
  goodFraction: number | null;
  feasible: boolean;
  entry: PointEntry;
}

/** Console lines: the probes (fitted to `width`), then the answer. */
export function searchConsole(
  spec: CapacitySearchSpec,
  probes: readonly Probe[],
  planner: MonotonicSearch,
  stopReason: string | null,
  width: number,
): string[] {
  const points = summarizePoints(
    probes.map((p) => p.entry),
    { axes: [], repeats: spec.repeats, confidence: spec.confidence, gpus: spec.gpus },
  );
  const num = (v: number | null, d: number) => (v === null ? "-" : v.toFixed(d));
  const col = (header: string, priority: number, cells: string[]) => ({ header, priority, cells });
  const { lines } = fitColumns(
    [
      col(
        "probe",
        -1,
        probes.map((p) => String(p.probe)),
      ),
      col(
        spec.flag,
        -1,
        probes.map((p) => String(p.value)),
      ),
      col(
        "good",
        -1,
        probes.map((p) => (p.goodFraction === null ? "-" : `${(p.goodFraction * 100).toFixed(1)}%`)),
      ),
      col(
        "verdict",
        -1,
        probes.map((p) => (p.feasible ? "pass" : "fail")),
      ),
      col(
        "out tok/s",
        0,
        points.map((p) => num(pointValue(p.metrics.output_token_throughput_avg), 0)),
      ),
      col(
        "TTFT p99",
        1,
        points.map((p) => num(pointValue(p.metrics.time_to_first_token_p99), 1)),
      ),
      col(
        "ITL p99",
        2,
        points.map((p) => num(pointValue(p.metrics.inter_token_latency_p99), 2)),
      ),
      col(
        "lat p99",
        3,
        points.map((p) => num(pointValue(p.metrics.request_latency_p99), 1)),
      ),
      col(
        "errors",
        4,
        points.map((p) => num(pointValue(p.metrics.error_request_count), 0)),
      ),
    ],
    width,
  );
  const target = `good fraction >= ${spec.target} with ${spec.goodput.join(" ")}`;
  const answer =
    planner.feasibleMax === null
      ? `no ${spec.flag} from ${spec.lo} passes`
      : `${spec.flag} ${planner.feasibleMax}${planner.infeasibleMin === null ? ` (the maximum searched: nothing up to ${spec.hi} fails)` : ` (${planner.infeasibleMin} fails)`}`;
  return [
    ...wrap(`Capacity search: the largest ${spec.flag} with ${target}`, width),
    ...lines,
    "Latencies in ms.",
    ...wrap(
      stopReason === null
        ? `Answer: ${answer}; ${probes.length} probes, ${planner.ended ?? "ended"}.`
        : `Stopped after ${probes.length} probes: ${stopReason}. So far: ${answer}.`,
      width,
    ),
  ];
}

export async function runSearch(spec: CapacitySearchSpec, ctx: SweepContext): Promise<number> {
  const { io, log, dir } = ctx;
  const sweepId = crypto.randomUUID();
  const integer = spec.flag === "concurrency";
  const planner = new MonotonicSearch({ lo: spec.lo, hi: spec.hi, integer, maxProbes: spec.maxProbes, precision: spec.precision });
  const width = Math.max(4, String(Math.trunc(spec.hi)).length);
  const column = spec.flag.replace(/-/g, "_");
  const probes: Probe[] = [];
  let stopReason: string | null = null;
  const summaryPath = join(dir, "search_summary.json");
  const write = (status: string) => {
    const doc = {
      search_id: sweepId,
      dir,
      status,
      stop_reason: stopReason,
      recipe: spec.recipe,
      search_style: "monotonic",
      dimension: column,
      slo_attainment_fraction: spec.target,
      slos: spec.goodput,
      bounds: { min: spec.lo, max: spec.hi },
      max_iterations: spec.maxProbes,
      precision: spec.precision,
      answer: { feasible_max: planner.feasibleMax, infeasible_min: planner.infeasibleMin },
      convergence_reason: planner.ended,
      probes: probes.map((p) => ({
        probe: p.probe,
        [column]: p.value,
        dir: p.dir,
        good_request_fraction: p.goodFraction,
        feasible: p.feasible,
        runs: p.entry.runs.map((r) => ({ repeat: r.repeat, dir: r.dir, run_id: r.runId, status: r.status, exit_code: r.exitCode, metrics: r.metrics })),
      })),
    };
    writeWhole(summaryPath, `${JSON.stringify(doc, null, 2)}\n`);
  };
  write("running");
  log.info(
    `capacity search (${spec.recipe}): ${spec.flag} from ${spec.lo} to ${spec.hi}, good fraction >= ${spec.target} with ${spec.goodput.join(" ")}, in ${dir}`,
  );
  let raw: Record<string, FlagValue> = { ...ctx.raw, goodput: spec.goodput };
  const stop = new StopSignal(io);
  try {
    for (let value = planner.next(); value !== null; value = planner.next()) {
      const n = probes.length + 1;
      const probeDir = `probe_${String(n).padStart(2, "0")}_${column}_${paddedValue(String(value), width)}`;
      const entry: PointEntry = { point: n, values: { [spec.flag]: String(value) }, label: `${spec.flag}=${value}`, runs: [] };
      let failedRun = false;
      for (let r = 0; r < spec.repeats && stopReason === null; r++) {
        const pause = n === 1 && r === 0 ? 0 : r === 0 ? spec.probeCooldownSec : spec.runCooldownSec;
        if (pause > 0 && !stop.requested) {
          log.info(`cooldown: ${pause} s`);
          await stop.sleep(pause * 1000);
        }
        if (stop.requested) {
          stopReason = "interrupted (Ctrl-C)";
          break;
        }
        const runDir = spec.repeats === 1 ? probeDir : `${probeDir}/${runDirName(r, spec.repeats)}`;
        const label = `probe ${n} ${spec.flag}=${value}${spec.repeats > 1 ? ` run ${r + 1}/${spec.repeats}` : ""}`;
        log.info(`${label}: ${join(dir, runDir)}`);
        let run: Awaited<ReturnType<typeof runStep>>;
        try {
          run = await runStep(stepRaw(raw, { values: entry.values, dir: join(dir, runDir), warmup: r === 0 }), ctx.given, io, {
            label,
            sweep: { sweepId, point: n, repeat: r + 1 },
          });
        } catch (e) {
          if (n === 1 && r === 0) throw e;
          stopReason = e instanceof UsageError ? e.problems.join("; ") : e instanceof Error ? e.message.split("\n")[0]! : String(e);
          log.error(`${label}: ${stopReason}`);
          break;
        }
        raw = { ...raw, model: run.prepared.config.models, preflight: false };
        const metrics = runMetrics(run.outcome.results, spec.gpus);
        const runEntry: RunEntry = { repeat: r + 1, dir: runDir, runId: run.outcome.runId, status: run.status, exitCode: run.exitCode, metrics };
        entry.runs.push(runEntry);
        log.info(`${label}: ${runLine(metrics)}${run.status === "ok" ? "" : ` (${run.status})`}`);
        if (run.status === "cancelled") stopReason = "interrupted (Ctrl-C)";
        else if (run.status === "storage_failure") stopReason = "a run could not write its files";
        // Past --failed-request-threshold: the load fails, whatever its other runs would say.
        else if (run.status === "aborted") failedRun = true;
        if (failedRun) break;
      }
      if (stopReason !== null) break;
      const finished = entry.runs.filter((r) => r.status === "ok" || r.status === "failed");
      const fractions = finished.map((r) => r.metrics.good_request_fraction_avg ?? 0);
      const goodFraction = fractions.length === 0 ? null : fractions.reduce((a, b) => a + b, 0) / fractions.length;
      const feasible = !failedRun && goodFraction !== null && goodFraction >= spec.target;
      planner.tell(value, feasible);
      probes.push({ probe: n, value, dir: probeDir, goodFraction, feasible, entry });
      log.info(`probe ${n} ${spec.flag}=${value}: good ${goodFraction === null ? "-" : `${(goodFraction * 100).toFixed(1)}%`}: ${feasible ? "pass" : "fail"}`);
      write("running");
    }
  } finally {
    stop.dispose();
  }
  write(stopReason === null ? "complete" : "stopped");
  if (ctx.raw["auto-plot"] === true) await autoPlot(dir, log);
  const lines = searchConsole(spec, probes, planner, stopReason, terminalWidth(io.env, io.stdoutColumns));
  lines.push(
    ...wrap(`Search summary: ${summaryPath}; each probe in its own directory below (llmbench query ${dir} "...").`, terminalWidth(io.env, io.stdoutColumns)),
  );
  io.out(`\n${lines.join("\n")}\n`);
  return stopReason === null && planner.feasibleMax !== null ? 0 : 1;
}
