// Turns a phase's load settings and the dataset into the PhaseSpec every worker runs: lane start
// offsets, arrival offsets (rate), trace offsets in send order (fixed schedule), or users' first sends
// with their turn counts and gap (user-centric rate).
import type { LoadSpec } from "../config/load-spec.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import type { BenchmarkPhase } from "../record/request-record.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";
import { arrivalOffsetsNs } from "../schedule/arrivals.ts";
import { fixedScheduleOffsetsNs } from "../schedule/fixed-schedule.ts";
import { laneStartOffsetsNs } from "../schedule/lane-ramp.ts";
import { ownedItems, shareOf, shareOfCap, type ShardSlot } from "../schedule/shard.ts";
import { sessionIndexFor, shufflePass } from "../engine/session-order.ts";
import { userCentricPlan } from "../schedule/user-centric.ts";

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
  /** This process's share of a sharded run (schedule/shard.ts), or null for the whole of it. */
  shard?: ShardSlot | null;
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

/**
 * The longest the first request of a fixed schedule may wait, in wall time at --trace-speedup, unless
 * --fixed-schedule-auto-offset is given. Traces hold ms since their own start; a first timestamp a day
 * or more away almost always means absolute (epoch) times, and a run that sits silent for days
 * (epoch ms: ~54 years) is never what was meant.
 */
export const MAX_FIRST_WAIT_MS = 24 * 3600 * 1000;

type FixedLoad = Extract<LoadSpec, { kind: "fixed" }>;

/** A session without a first timestamp, or null. */
function missingTimestamp(dataset: Pick<Dataset, "sessions">): string | null {
  const i = dataset.sessions.findIndex((s) => (s.turns[0]?.timestampMs ?? null) === null);
  if (i < 0) return null;
  return `--fixed-schedule: session ${dataset.sessions[i]!.sessionId} (entry ${i + 1}) has no timestamp; every entry needs one`;
}

/**
 * Why a dataset cannot be replayed on this fixed schedule, or null: a session without a first timestamp,
 * or (without auto offset) a first request due more than MAX_FIRST_WAIT_MS after the start.
 */
export function fixedScheduleProblem(dataset: Pick<Dataset, "sessions">, load: FixedLoad, inputFile: string | null): string | null {
  const missing = missingTimestamp(dataset);
  if (missing !== null || load.autoOffset || dataset.sessions.length === 0) return missing;
  // A loop, not Math.min(...): traces can have more entries than a call has arguments.
  let firstMs = Infinity;
  for (const s of dataset.sessions) firstMs = Math.min(firstMs, s.turns[0]!.timestampMs!);
  const zeroMs = load.startOffsetMs ?? 0;
  const waitMs = (firstMs - zeroMs) / load.speedup;
  if (!(waitMs > MAX_FIRST_WAIT_MS)) return null;
  const from = load.startOffsetMs === null ? "" : ` after --fixed-schedule-start-offset ${zeroMs}`;
  return (
    `--input-file ${inputFile ?? "(trace)"}: the first timestamp is ${firstMs} ms${from}, so the first request would wait ` +
    `${formatWait(waitMs)} at --trace-speedup ${load.speedup} (more than ${MAX_FIRST_WAIT_MS / 3_600_000} h); ` +
    `for absolute timestamps add --fixed-schedule-auto-offset to start at the first one`
  );
}

/** "30.0 h", "19675 days (53.9 years)". */
function formatWait(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 48) return `${h.toFixed(1)} h`;
  const days = h / 24;
  return days < 365 ? `${Math.round(days)} days` : `${Math.round(days)} days (${(days / 365.25).toFixed(1)} years)`;
}

/**
 * The plan of one process. With a shard, everything the single-process plan numbers (lanes, arrivals,
 * trace entries, requests, caps) is that shard's share; `order` stays whole, indexed by global ordinal.
 */
export function planPhase(p: PhasePlanInput): Omit<PhaseSpec, "startNs"> {
  const shard = p.shard ?? null;
  const base = {
    phase: p.phase,
    requestBase: p.requestBase,
    sessionBase: p.sessionBase,
    requestLimit: p.requestLimit >= UNLIMITED ? UNLIMITED : shareOf(p.requestLimit, shard),
    durationNs: p.durationNs,
    prefillCap: shareOfCap(p.prefillCap, shard),
    cancellation: p.cancellation,
    fedPrompts: p.fedPrompts,
    shard,
  };
  const load = p.load;
  if (load.kind === "concurrency") {
    return {
      ...base,
      sessionLimit: p.onePass ? shareOf(p.dataset.sessions.length, shard) : UNLIMITED,
      lanes: shareOf(load.concurrency, shard),
      laneStartNs: load.rampNs > 0 ? ownedItems(laneStartOffsetsNs(load.concurrency, load.rampNs), shard) : null,
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
    const owned = ownedItems(offsetsNs, shard);
    return {
      ...base,
      sessionLimit: owned.length,
      lanes: 0,
      laneStartNs: null,
      offsetsNs: owned,
      inFlightCap: shareOfCap(load.cap, shard),
      order: onePassOrder(p),
      trace: null,
    };
  }
  if (load.kind === "user_centric") return { ...base, ...userCentricSpec(p, load, shard) };
  const sessions = p.dataset.sessions;
  // A far first timestamp is the CLI's concern (fixedScheduleProblem); the timers here wait any length.
  const problem = missingTimestamp(p.dataset);
  if (problem !== null) throw new Error(problem);
  const firstTs = sessions.map((s) => s.turns[0]!.timestampMs!);
  const opts = { autoOffset: load.autoOffset, startOffsetMs: load.startOffsetMs, endOffsetMs: load.endOffsetMs, speedup: load.speedup };
  const unsorted = fixedScheduleOffsetsNs(firstTs, opts);
  const order = Int32Array.from(sessions.keys()).sort((a, b) => unsorted[a]! - unsorted[b]! || a - b);
  // Whole sessions in send order are the positions a shard takes, so multi-turn sessions stay whole.
  const offsetsNs = ownedItems(
    Float64Array.from(order, (i) => unsorted[i]!),
    shard,
  );
  // A loop, not Math.min(...firstTs): traces can have more entries than a call has arguments.
  const zeroMs = load.autoOffset ? firstTs.reduce((a, b) => Math.min(a, b), Infinity) : (load.startOffsetMs ?? 0);
  return {
    ...base,
    sessionLimit: offsetsNs.length,
    lanes: 0,
    laneStartNs: null,
    offsetsNs,
    inFlightCap: shareOfCap(load.cap, shard),
    order,
    trace: { zeroMs, speedup: load.speedup },
  };
}

/** Users in send order, each a session ordinal: when it starts and how many of its session's turns it sends. */
function userCentricSpec(
  p: PhasePlanInput,
  load: Extract<LoadSpec, { kind: "user_centric" }>,
  shard: ShardSlot | null,
): Pick<PhaseSpec, "sessionLimit" | "lanes" | "laneStartNs" | "offsetsNs" | "turnLimit" | "turnGapNs" | "inFlightCap" | "order" | "trace"> {
  const sessions = p.dataset.sessions;
  let turnSum = 0;
  for (const s of sessions) turnSum += s.turns.length;
  const order = onePassOrder(p);
  const limit = Math.min(p.onePass ? sessions.length : Infinity, p.requestLimit < UNLIMITED ? p.requestLimit : Infinity);
  const plan = userCentricPlan({
    ratePerSec: load.ratePerSec,
    numUsers: load.numUsers,
    sessionTurns: Math.max(1, Math.round(turnSum / Math.max(1, sessions.length))),
    turnsOf: (j) => sessions[sessionIndexFor(j, p.dataset, order, p.seed)]!.turns.length,
    maxUsers: Number.isFinite(limit) ? limit : undefined,
    maxOffsetNs: p.durationNs ?? undefined,
  });
  const offsetsNs = ownedItems(plan.offsetsNs, shard);
  return {
    sessionLimit: offsetsNs.length,
    lanes: 0,
    laneStartNs: null,
    offsetsNs,
    turnLimit: Int32Array.from(ownedItems(Float64Array.from(plan.turns), shard)),
    turnGapNs: plan.turnGapNs,
    inFlightCap: shareOfCap(load.cap, shard),
    order,
    trace: null,
  };
}
