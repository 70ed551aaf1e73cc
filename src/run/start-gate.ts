// --start-at: the first phase starts at one instant in every shard. The main thread sleeps (a chunked
// long timer: the instant may be days away) until shortly before it, then posts the phase with that
// instant as its start; the workers' precise waits do the rest. A shard that is ready only after the
// instant starts at once, and its lag is told and recorded.
import { epochNs } from "../runtime/clock.ts";
import { clearLongTimeout, setLongTimeout } from "../runtime/long-timer.ts";

/** The main thread wakes this long before the instant: a timer can fire late, the workers' waits cannot. */
const WAKE_AHEAD_NS = 250_000_000;
/** How often a long wait looks for Ctrl-C. */
const CANCEL_POLL_MS = 100;

export interface StartGate {
  atNs: number;
  /** Told once the phase is posted: how late the start is (0 when on time). */
  onStart(lagNs: number): void;
}

/** The phase's start: the instant itself, or (too late for it) as soon as workers can have the phase. */
export function startInstant(atNs: number, nowNs: number, marginNs: number): { startNs: number; lagNs: number } {
  const startNs = Math.max(atNs, nowNs + marginNs);
  return { startNs, lagNs: startNs - atNs };
}

/** Sleeps until shortly before `atNs`; false if `cancelled()` turned true meanwhile. */
export function sleepUntilShortlyBefore(atNs: number, cancelled: () => boolean): Promise<boolean> {
  const waitMs = (atNs - WAKE_AHEAD_NS - epochNs()) / 1e6;
  if (!(waitMs > 0)) return Promise.resolve(!cancelled());
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearLongTimeout(timer);
      clearInterval(poll);
      resolve(ok);
    };
    const timer = setLongTimeout(() => done(true), waitMs);
    const poll = setInterval(() => {
      if (cancelled()) done(false);
    }, CANCEL_POLL_MS);
  });
}
