// Warmup, then profiling (as AIPerf's phases: profiling starts once warmup has drained). Each phase is
// planned (phase-plan.ts), primed with trace prompts when it needs them, then run on every worker;
// time bounds (warmup duration, benchmark duration + grace period) are timers around it.
import type { ProfileConfig } from "../config/profile-config.ts";
import type { BlockPromptBuilder } from "../dataset/block-prompts.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import type { SharedState } from "../engine/shared-state.ts";
import type { WorkerPool } from "../engine/worker-pool.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";
import { epochNs } from "../runtime/clock.ts";
import { clearLongTimeout, setLongTimeout } from "../runtime/long-timer.ts";
import { planPhase, UNLIMITED } from "./phase-plan.ts";
import { PromptFeeder } from "./prompt-feeder.ts";
import type { RunControl } from "./run-control.ts";

/** A phase starts this long after it is posted, so every worker has it before the first send is due. */
const PHASE_START_MARGIN_NS = 20_000_000;

type Plan = Omit<PhaseSpec, "startNs">;

export interface PhaseContext {
  cfg: ProfileConfig;
  dataset: Dataset;
  pool: WorkerPool;
  shared: SharedState;
  control: RunControl;
  /** Builds hash-id prompts on this thread, when the dataset has them. */
  blocks: BlockPromptBuilder | null;
  /** Told how many fed prompts each worker used (the current phase's feeder). */
  feeding: { feeder: PromptFeeder | null };
}

const s2ns = (s: number | undefined): number | null => (s === undefined ? null : s * 1e9);

/** The profiling phase's plan (also tells the progress line how many requests to expect). */
export function profilingPlan(ctx: Pick<PhaseContext, "cfg" | "dataset" | "blocks">): Plan {
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

function commonPlan({ cfg, dataset, blocks }: Pick<PhaseContext, "cfg" | "dataset" | "blocks">) {
  return { dataset, seed: cfg.randomSeed, prefillCap: cfg.prefillConcurrency ?? null, cancellation: cfg.cancellation, fedPrompts: blocks !== null };
}

async function runPlan(ctx: PhaseContext, plan: Plan): Promise<void> {
  ctx.shared.resetPhase();
  if (ctx.blocks !== null) {
    const feeder = new PromptFeeder(ctx.pool, ctx.pool.size, ctx.dataset, ctx.blocks, plan, ctx.cfg.randomSeed, (e) => ctx.control.feedFailed(e));
    ctx.feeding.feeder = feeder;
    await feeder.primed;
  }
  try {
    await ctx.pool.runPhase({ ...plan, startNs: epochNs() + PHASE_START_MARGIN_NS });
  } finally {
    ctx.feeding.feeder?.close();
    ctx.feeding.feeder = null;
  }
}

/** Runs `fn` with timers that fire after `ms` each (any length: long waits are chunked); the timers never outlive it. */
async function withTimers(timers: [number | null, () => void][], fn: () => Promise<void>): Promise<void> {
  const handles = timers.filter((t): t is [number, () => void] => t[0] !== null).map(([ms, f]) => setLongTimeout(f, ms));
  try {
    await fn();
  } finally {
    for (const h of handles) clearLongTimeout(h);
  }
}

/** Requests the warmup issued (the profiling phase's ids start after them). */
async function runWarmup(ctx: PhaseContext): Promise<number> {
  const { cfg, control } = ctx;
  if (cfg.warmupRequestCount === 0 && cfg.warmupDuration === undefined) return 0;
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
  await withTimers([[stopMs, () => control.stopSending()]], () => runPlan(ctx, plan));
  return Math.min(ctx.shared.issued, limit);
}

/** Runs both phases; returns when the profiling phase started (epoch ns). */
export async function runPhases(ctx: PhaseContext, profiling: Plan): Promise<number> {
  const { cfg, control } = ctx;
  let startNs = epochNs();
  const warmIssued = control.cancelled ? 0 : await runWarmup(ctx);
  if (control.cancelled) return startNs;
  startNs = epochNs();
  const durationMs = cfg.benchmarkDuration === undefined ? null : cfg.benchmarkDuration * 1000;
  const graceEndMs = durationMs === null ? null : durationMs + cfg.benchmarkGracePeriod * 1000;
  await withTimers(
    [
      [durationMs, () => control.stopSending()],
      [graceEndMs, () => control.cancelAll("grace period over: cancelling requests still in flight")],
    ],
    () => runPlan(ctx, { ...profiling, requestBase: warmIssued, sessionBase: warmIssued }),
  );
  return startNs;
}
