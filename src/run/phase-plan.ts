// Turns a phase's load settings and the dataset into the PhaseSpec every worker runs: lane start
// offsets, arrival offsets (rate), or trace offsets in send order (fixed schedule).
import type { LoadSpec } from "../config/profile-config.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import type { BenchmarkPhase } from "../record/request-record.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";
import { arrivalOffsetsNs } from "../schedule/arrivals.ts";
import { fixedScheduleOffsetsNs } from "../schedule/fixed-schedule.ts";
import { laneStartOffsetsNs } from "../schedule/lane-ramp.ts";
import { shufflePass } from "../engine/session-order.ts";

/** No limit, as an int32 (the shared counters are Int32). */
export const UNLIMITED = 2 ** 31 - 1;

export interface PhasePlanInput {
  phase: BenchmarkPhase;
  load: LoadSpec;
  dataset: Dataset;
  requestLimit: number;
  /** Stop issuing after this long (profiling --benchmark-duration), or null. */
  durationNs: number | null;
  seed: number;
  prefillCap: number | null;
  cancellation: PhaseSpec["cancellation"];
  requestBase: number;
  sessionBase: number;
  fedPrompts: boolean;
  /** Each dataset session once, then stop (an input file without a request count or duration). */
  onePass?: boolean;
}

/**
 * One pass visits every session once: a random pick (random_pool) would repeat some and miss others,
 * so it becomes one shuffled pass. Null keeps the dataset's own sampling (sequential or shuffle are
 * already one of each per pass).
 */
function onePassOrder(p: PhasePlanInput): Int32Array | null {
  if (!p.onePass || p.dataset.sampling !== "random") return null;
  return Int32Array.from(shufflePass(p.dataset.sessions.length, p.seed, 0));
}

/** Why a dataset cannot be replayed on a fixed schedule (a session without a first timestamp), or null. */
export function fixedScheduleProblem(dataset: Pick<Dataset, "sessions">): string | null {
  const i = dataset.sessions.findIndex((s) => (s.turns[0]?.timestampMs ?? null) === null);
  if (i < 0) return null;
  return `--fixed-schedule: session ${dataset.sessions[i]!.sessionId} (entry ${i + 1}) has no timestamp; every entry needs one`;
}

export function planPhase(p: PhasePlanInput): Omit<PhaseSpec, "startNs"> {
  const base = {
    phase: p.phase,
    requestBase: p.requestBase,
    sessionBase: p.sessionBase,
    requestLimit: p.requestLimit,
    prefillCap: p.prefillCap,
    cancellation: p.cancellation,
    fedPrompts: p.fedPrompts,
  };
  const load = p.load;
  if (load.kind === "concurrency") {
    return {
      ...base,
      sessionLimit: p.onePass ? p.dataset.sessions.length : UNLIMITED,
      lanes: load.concurrency,
      laneStartNs: load.rampNs > 0 ? laneStartOffsetsNs(load.concurrency, load.rampNs) : null,
      offsetsNs: null,
      inFlightCap: null,
      order: onePassOrder(p),
      trace: null,
    };
  }
  if (load.kind === "rate") {
    // One arrival per session; a session's later turns follow its own delays.
    const offsetsNs = arrivalOffsetsNs({
      pattern: load.pattern,
      ratePerSec: load.ratePerSec,
      smoothness: load.smoothness,
      rampNs: load.rampNs,
      maxCount: p.onePass ? p.dataset.sessions.length : p.requestLimit < UNLIMITED ? p.requestLimit : undefined,
      maxOffsetNs: p.durationNs ?? undefined,
      // Warmup draws its own arrivals, so the profiling schedule is the same with or without warmup.
      seed: p.phase === "warmup" ? p.seed ^ 0x3a3a_3a3a : p.seed,
    });
    return { ...base, sessionLimit: offsetsNs.length, lanes: 0, laneStartNs: null, offsetsNs, inFlightCap: load.cap, order: onePassOrder(p), trace: null };
  }
  const sessions = p.dataset.sessions;
  const problem = fixedScheduleProblem(p.dataset);
  if (problem !== null) throw new Error(problem);
  const firstTs = sessions.map((s) => s.turns[0]!.timestampMs!);
  const opts = { autoOffset: load.autoOffset, startOffsetMs: load.startOffsetMs, endOffsetMs: load.endOffsetMs, speedup: load.speedup };
  const unsorted = fixedScheduleOffsetsNs(firstTs, opts);
  const order = Int32Array.from(sessions.keys()).sort((a, b) => unsorted[a]! - unsorted[b]! || a - b);
  const offsetsNs = Float64Array.from(order, (i) => unsorted[i]!);
  // A loop, not Math.min(...firstTs): traces can have more entries than a call has arguments.
  const zeroMs = load.autoOffset ? firstTs.reduce((a, b) => Math.min(a, b), Infinity) : (load.startOffsetMs ?? 0);
  return {
    ...base,
    sessionLimit: sessions.length,
    lanes: 0,
    laneStartNs: null,
    offsetsNs,
    inFlightCap: load.cap,
    order,
    trace: { zeroMs, speedup: load.speedup },
  };
}
