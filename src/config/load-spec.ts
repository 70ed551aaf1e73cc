// The load of each phase (closed loop, rate, trace schedule, user-centric) from the profile flags.
import type { ArrivalPattern } from "../schedule/arrivals.ts";
import type { ProfileFlags } from "./profile-flags.ts";

/** How requests are paced in one phase (warmup or profiling). */
export type LoadSpec =
  /** Closed loop: `concurrency` lanes, each sending its next request when the last finished. */
  | { kind: "concurrency"; concurrency: number; rampNs: number }
  /** Open loop: arrivals at `ratePerSec`; `cap` bounds requests in flight (late ones queue). */
  | { kind: "rate"; ratePerSec: number; pattern: ArrivalPattern; smoothness: number; rampNs: number; cap: number | null }
  /** Trace timestamps (ms), replayed `speedup` times as fast. */
  | { kind: "fixed"; autoOffset: boolean; startOffsetMs: number | null; endOffsetMs: number | null; speedup: number; cap: number | null }
  /** AIPerf's user-centric rate: `numUsers` users share `ratePerSec`, each user's turns numUsers / ratePerSec apart (schedule/user-centric.ts). */
  | { kind: "user_centric"; ratePerSec: number; numUsers: number; cap: number | null };

const s2ns = (s: number): number => Math.round(s * 1e9);

/** The load of the profiling phase and of the warmup phase. */
export function resolveLoads(f: ProfileFlags, given: ReadonlySet<string>, fixed: boolean, problems: string[]): { load: LoadSpec; warmupLoad: LoadSpec } {
  const pattern = (p: ProfileFlags["arrivalPattern"], flag: string): ArrivalPattern => {
    if (p === "concurrency_burst") {
      problems.push(`${flag} concurrency_burst is only for --concurrency without a rate; use poisson, constant or gamma with a rate`);
      return "poisson";
    }
    // --arrival-smoothness alone implies gamma (its only use).
    return p ?? (given.has("arrivalSmoothness") ? "gamma" : "poisson");
  };
  let load: LoadSpec;
  if (fixed) {
    load = {
      kind: "fixed",
      autoOffset: f.fixedScheduleAutoOffset,
      startOffsetMs: f.fixedScheduleStartOffset ?? null,
      endOffsetMs: f.fixedScheduleEndOffset ?? null,
      speedup: f.traceSpeedup,
      cap: f.concurrency ?? null,
    };
  } else if (f.userCentricRate !== undefined) {
    load = { kind: "user_centric", ratePerSec: f.userCentricRate, numUsers: f.numUsers ?? 1, cap: f.concurrency ?? null };
  } else if (f.requestRate !== undefined) {
    load = {
      kind: "rate",
      ratePerSec: f.requestRate,
      pattern: pattern(f.arrivalPattern, "--arrival-pattern"),
      smoothness: f.arrivalSmoothness,
      rampNs: s2ns(f.requestRateRampDuration),
      cap: f.concurrency ?? null,
    };
  } else {
    if (f.arrivalPattern !== undefined && f.arrivalPattern !== "concurrency_burst") problems.push(`--arrival-pattern ${f.arrivalPattern} needs --request-rate`);
    load = { kind: "concurrency", concurrency: f.concurrency ?? 1, rampNs: s2ns(f.concurrencyRampDuration) };
  }
  const concurrency = load.kind === "concurrency" ? load.concurrency : load.cap;
  let warmupLoad: LoadSpec;
  if (f.warmupRequestRate !== undefined) {
    warmupLoad = {
      kind: "rate",
      ratePerSec: f.warmupRequestRate,
      pattern: pattern(f.warmupArrivalPattern ?? (load.kind === "rate" ? load.pattern : undefined), "--warmup-arrival-pattern"),
      smoothness: f.arrivalSmoothness,
      rampNs: 0,
      cap: f.warmupConcurrency ?? null,
    };
  } else if (f.warmupConcurrency !== undefined || load.kind !== "rate") {
    warmupLoad = { kind: "concurrency", concurrency: f.warmupConcurrency ?? concurrency ?? 1, rampNs: 0 };
  } else {
    warmupLoad = { ...load, rampNs: 0 };
  }
  return { load, warmupLoad };
}

/** Python's str(float): 10 -> "10.0", 2.5 -> "2.5". */
function pyFloatStr(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** The stimulus part of AIPerf's artifact directory name. */
export function stimulusName(load: LoadSpec): string {
  if (load.kind === "fixed") return "fixed_schedule";
  if (load.kind === "concurrency") return `concurrency${load.concurrency}`;
  if (load.kind === "user_centric") return `user_centric-users${load.numUsers}-qps${pyFloatStr(load.ratePerSec)}`;
  const rate = `request_rate${pyFloatStr(load.ratePerSec)}`;
  return load.cap === null ? rate : `concurrency${load.cap}-${rate}`;
}
