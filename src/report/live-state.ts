// What a live view shows at one moment (pure): the phase, its progress and ETA from the plan and the
// live counters. The dashboard and the progress line both render a LiveState.
import type { BenchmarkPhase } from "../record/request-record.ts";
import type { LiveSnapshot } from "./live-stats.ts";

/** What the run was asked to do, for progress and ETA. */
export interface LivePlan {
  /** A warmup phase runs first. */
  warmup: boolean;
  /** Warmup requests, when the warmup is bounded by count. */
  warmupTotal: number | null;
  warmupDurationMs: number | null;
  /** Profiling requests, when bounded by count (null for a duration or an unknown total). */
  profilingTotal: number | null;
  profilingDurationMs: number | null;
}

export interface PhaseProgress {
  phase: BenchmarkPhase;
  /** Requests of this phase finished (any outcome) and failed. */
  done: number;
  failed: number;
  total: number | null;
  /** 0..1 by count, else by time for a duration-bounded phase; null when unknown. */
  fraction: number | null;
  elapsedMs: number;
  etaMs: number | null;
  /** The phase's length when bounded by time. */
  durationMs: number | null;
}

export interface LiveState {
  /** Model and URL, as given (views escape it). */
  title: string;
  progress: PhaseProgress;
  inFlight: number;
  /** Sending stopped (duration over) or everything cancelled (Ctrl-C, failure threshold). */
  stopping: "stopping" | "cancelling" | null;
  streaming: boolean;
  stats: LiveSnapshot;
  /** Recent log messages (plain text, oldest first). */
  logs: readonly string[];
}

/** The phase running now: the latest record's, or what the plan says must come next. */
export function currentPhase(plan: LivePlan, snap: Pick<LiveSnapshot, "done" | "lastPhase">): BenchmarkPhase {
  if (snap.lastPhase === "profiling" || snap.done.profiling > 0 || !plan.warmup) return "profiling";
  // A count-bounded warmup is over once all its requests finished (profiling starts right after).
  if (plan.warmupTotal !== null && snap.done.warmup >= plan.warmupTotal) return "profiling";
  return "warmup";
}

/** Remaining time: by time for a duration, else remaining requests over the recent finish rate. */
export function estimateEtaMs(p: Pick<PhaseProgress, "done" | "total" | "elapsedMs" | "durationMs">, finishedPerSec: number | null): number | null {
  if (p.durationMs !== null) return Math.max(0, p.durationMs - p.elapsedMs);
  if (p.total === null) return null;
  const left = p.total - p.done;
  if (left <= 0) return 0;
  if (finishedPerSec === null || !(finishedPerSec > 0)) return null;
  return (left / finishedPerSec) * 1000;
}

/** Progress of `phase`, which started at `phaseStartNs`. */
export function phaseProgress(plan: LivePlan, snap: LiveSnapshot, phase: BenchmarkPhase, phaseStartNs: number, nowNs: number): PhaseProgress {
  const warm = phase === "warmup";
  const total = warm ? plan.warmupTotal : plan.profilingTotal;
  const durationMs = warm ? plan.warmupDurationMs : plan.profilingDurationMs;
  const done = snap.done[phase];
  const elapsedMs = Math.max(0, (nowNs - phaseStartNs) / 1e6);
  const fraction = total !== null && total > 0 ? Math.min(1, done / total) : durationMs !== null && durationMs > 0 ? Math.min(1, elapsedMs / durationMs) : null;
  const base = { done, total, elapsedMs, durationMs };
  return { phase, ...base, failed: snap.failed[phase], fraction, etaMs: estimateEtaMs(base, snap.finishedPerSec) };
}

/** What a live view knows besides the counters: the title, the plan, and when it started. */
export interface LiveFrameSource {
  title: string;
  plan: LivePlan;
  streaming: boolean;
}

/** Builds LiveStates over a run: remembers when profiling was first seen (the phase's start for its ETA). */
export class LiveStateBuilder {
  private profilingSeenNs: number | null = null;

  constructor(
    private readonly src: LiveFrameSource,
    /** When the view started (the warmup's start), epoch ns. */
    private readonly startNs: number,
  ) {}

  build(snap: LiveSnapshot, nowNs: number, inFlight: number, stopping: LiveState["stopping"], logs: readonly string[]): LiveState {
    const phase = currentPhase(this.src.plan, snap);
    if (phase === "profiling" && this.profilingSeenNs === null) this.profilingSeenNs = nowNs;
    // Profiling started when its first request did (seen in the records), or when it was first noticed.
    const phaseStartNs = phase === "warmup" ? this.startNs : Math.min(this.profilingSeenNs ?? nowNs, snap.profilingStartNs ?? Number.POSITIVE_INFINITY);
    return {
      title: this.src.title,
      progress: phaseProgress(this.src.plan, snap, phase, phaseStartNs, nowNs),
      inFlight,
      stopping,
      streaming: this.src.streaming,
      stats: snap,
      logs,
    };
  }
}
