// Warmup, then profiling (as AIPerf's phases: profiling starts once warmup has drained). Each phase is
// planned (phase-plan.ts), primed with trace prompts when it needs them, then run on every worker;
// time bounds (warmup duration, benchmark duration + grace period) are timers around it.
import { availableParallelism } from "node:os";
import type { ProfileConfig } from "../config/profile-config.ts";
import { shardSlot } from "../config/shard-config.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import type { SharedState } from "../engine/shared-state.ts";
import type { WorkerPool } from "../engine/worker-pool.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";
import { epochNs } from "../runtime/clock.ts";
import { profilingBase } from "../schedule/shard.ts";
import type { PhaseCpu } from "./client-cpu.ts";
import { planPhase, UNLIMITED } from "./phase-plan.ts";
import { PhaseTimers, type PhaseTimer } from "./phase-timers.ts";
import { PromptFeeder, type SessionTexts } from "./prompt-feeder.ts";
import type { RunControl } from "./run-control.ts";
import { sleepUntilShortlyBefore, startInstant, type StartGate } from "./start-gate.ts";

/** A phase starts this long after it is posted, so every worker has it before the first send is due. */
const PHASE_START_MARGIN_NS = 20_000_000;

type Plan = Omit<PhaseSpec, "startNs">;

export interface PhaseContext {
  cfg: ProfileConfig;
  dataset: Dataset;
  pool: WorkerPool;
  shared: SharedState;
  control: RunControl;
  /** Trace prompts built while the run goes (hash-id blocks), or null when every prompt is in the dataset. */
  prompts: SessionTexts | null;
  /** Told how many fed prompts each worker used (the current phase's feeder). */
  feeding: { feeder: PromptFeeder | null };
  /** --start-at: the first phase starts at that instant; null starts it now. */
  startGate?: StartGate | null;
  /** Told when a phase is about to start (its first send is due at `startNs`): the metric scrapers mark the boundary. */
  onPhaseStart?: (phase: Plan["phase"], startNs: number) => void;
}

const s2ns = (s: number | undefined): number | null => (s === undefined ? null : s * 1e9);

/** The profiling phase's plan (also tells the progress line how many requests to expect). */
export function profilingPlan(ctx: Pick<PhaseContext, "cfg" | "dataset" | "prompts">): Plan {
  const { cfg } = ctx;
  return planPhase({
    ...commonPlan(ctx),
    phase: "profiling",
    load: cfg.load,
    requestLimit: cfg.requestCount,
    durationNs: s2ns(cfg.benchmarkDuration),
    requestBase: 0,
    sessionBase: 0,
    onePass: cfg.onePass,
  });
}

function commonPlan({ cfg, dataset, prompts }: Pick<PhaseContext, "cfg" | "dataset" | "prompts">) {
  return {
    dataset,
    seed: cfg.randomSeed,
    prefillCap: cfg.prefillConcurrency ?? null,
    cancellation: cfg.cancellation,
    fedPrompts: prompts !== null,
    shard: shardSlot(cfg),
  };
}

/** A phase as it ran: its start (epoch ns), and the CPU the client used in it (null: it never ran). */
export interface PhaseRan {
  startNs: number;
  cpu: PhaseCpu | null;
}

/**
 * Primes trace prompts, waits for the start (`gate`: a common instant), then runs the phase with its
 * timers counted from the start; the timers never outlive it.
 */
async function runPlan(ctx: PhaseContext, plan: Plan, timers: PhaseTimer[], gate: StartGate | null): Promise<PhaseRan> {
  ctx.shared.resetPhase();
  if (ctx.prompts !== null) {
    const feeder = new PromptFeeder(ctx.pool, ctx.pool.size, ctx.dataset, ctx.prompts, plan, ctx.cfg.randomSeed, (e) => ctx.control.feedFailed(e));
    ctx.feeding.feeder = feeder;
    await feeder.primed;
  }
  let timing: PhaseTimers | null = null;
  try {
    let startNs = epochNs() + PHASE_START_MARGIN_NS;
    if (gate !== null) {
      if (!(await sleepUntilShortlyBefore(gate.atNs, () => ctx.control.cancelled))) return { startNs: epochNs(), cpu: null };
      const start = startInstant(gate.atNs, epochNs(), PHASE_START_MARGIN_NS);
      startNs = start.startNs;
      gate.onStart(start.lagNs);
    }
    ctx.onPhaseStart?.(plan.phase, startNs);
    timing = new PhaseTimers(timers, startNs);
    const cpuBefore = process.cpuUsage();
    const mainBefore = process.threadCpuUsage();
    const postedNs = epochNs();
    const workers = await ctx.pool.runPhase({ ...plan, startNs });
    const cpu = process.cpuUsage(cpuBefore);
    const main = process.threadCpuUsage(mainBefore);
    return {
      startNs,
      cpu: {
        wallNs: epochNs() - postedNs,
        processCpuUs: cpu.user + cpu.system,
        workers,
        mainCpuUs: main.user + main.system,
        cores: availableParallelism(),
      },
    };
  } finally {
    timing?.end();
    ctx.feeding.feeder?.close();
    ctx.feeding.feeder = null;
  }
}

/** Requests the warmup issued (the profiling phase's ids start after them); -1 when there is no warmup. */
async function runWarmup(ctx: PhaseContext): Promise<number> {
  const { cfg, control } = ctx;
  if (cfg.warmupRequestCount === 0 && cfg.warmupDuration === undefined) return -1;
  const limit = cfg.warmupDuration === undefined ? cfg.warmupRequestCount : UNLIMITED;
  const plan = planPhase({
    ...commonPlan(ctx),
    phase: "warmup",
    load: cfg.warmupLoad,
    requestLimit: limit,
    durationNs: s2ns(cfg.warmupDuration),
    requestBase: 0,
    sessionBase: 0,
  });
  // A timed warmup stops sending when its time is up; what is in flight then still finishes.
  const stopMs = cfg.warmupDuration === undefined ? null : cfg.warmupDuration * 1000;
  await runPlan(ctx, plan, [[stopMs, () => control.stopSending()]], ctx.startGate ?? null);
  return Math.min(ctx.shared.issued, plan.requestLimit);
}

/** Runs both phases; returns the profiling phase's start (epoch ns) and the CPU the client used in it. */
export async function runPhases(ctx: PhaseContext, profiling: Plan): Promise<PhaseRan> {
  const { cfg, control } = ctx;
  const warmIssued = control.cancelled ? 0 : await runWarmup(ctx);
  if (control.cancelled) return { startNs: epochNs(), cpu: null };
  const durationMs = cfg.benchmarkDuration === undefined ? null : cfg.benchmarkDuration * 1000;
  const graceEndMs = durationMs === null ? null : durationMs + cfg.benchmarkGracePeriod * 1000;
  const base = profilingBase(Math.max(0, warmIssued), cfg.warmupDuration === undefined ? cfg.warmupRequestCount : null, profiling.shard);
  // Without a warmup, the profiling phase is the first: it waits for --start-at.
  const gate = warmIssued < 0 ? (ctx.startGate ?? null) : null;
  return runPlan(
    ctx,
    { ...profiling, requestBase: base, sessionBase: base, cancelAfterNs: graceEndMs === null ? null : graceEndMs * 1e6 },
    [
      [durationMs, () => control.stopSending()],
      [graceEndMs, () => control.cancelAll("grace period over: cancelling requests still in flight")],
    ],
    gate,
  );
}
