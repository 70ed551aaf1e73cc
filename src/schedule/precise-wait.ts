// Sending on time without burning a core. In Bun, setTimeout rounds up to whole ms and fires 0.1–0.25 ms
// late; Atomics.waitAsync with a timeout spins a core and Atomics.wait blocks the thread (and is late).
// So: sleep with setTimeout until the target is within a spin window, then close in by spinning in
// short synchronous slices (SPIN_SLICE_NS) with a setImmediate turn between them, so socket callbacks
// keep running. Yielding every turn instead (~1.5 µs each) allocated a promise per turn: at 5,000
// req/s that garbage alone triggered a GC pause (~1-2 ms) many times a second, and send lag followed.
// The turns between slices are callbacks, not awaits: one promise per wait, and per turn only the
// Immediate that setImmediate makes (an awaited promise per turn was ~6 objects: at 1,000 req/s, where
// every wait is spun, ~50 turns a request).
// A spin holds the core, though, and on a small machine the threads that store and count results get
// only what the load worker leaves (storing runs at idle priority). While `yieldCore()` says they are
// falling behind, the wait up to NAP_MARGIN_NS before the target is slept instead, the thread blocked
// (Atomics.wait) in slices of at most NAP_SLICE_NS with an event-loop turn between them, and only the
// rest is spun. Blocking always costs precision (at 1,000 req/s send lag p99 0.33-0.38 -> 1.5-3.4 ms:
// a woken thread waits for the core), so it is the exception, not the rule.

import { epochNs } from "../runtime/clock.ts";
import { MAX_TIMER_MS } from "../runtime/long-timer.ts";

/** How close to the target we stop sleeping and start yield-spinning; covers setTimeout's lateness. */
export const SPIN_WINDOW_NS = 1_500_000;
/** Longest synchronous spin between event-loop turns: the most a socket read waits for us. */
export const SPIN_SLICE_NS = 20_000;
/** How far before the target a nap ends: a blocked wait of 20-200 us woke 72-88 us late at p50, 92-114 us at p99 (Linux's default 50 us timer slack). */
export const NAP_MARGIN_NS = 100_000;
/** Longest nap: while blocked no socket read is stamped, so the event loop gets a turn this often. */
export const NAP_SLICE_NS = 250_000;
/** Naps shorter than this are spun instead. */
export const MIN_NAP_NS = 20_000;

export interface WaitDeps {
  now?: () => number;
  sleepMs?: (ms: number) => Promise<void>;
  /** Calls `fn` on a later event-loop turn (after the sockets made ready meanwhile). */
  yieldTurn?: (fn: () => void) => void;
  /** Busy-waits until now() >= ns (the default spins on now()). */
  spinUntil?: (ns: number) => void;
  /** True while other threads need this core: the wait is napped rather than spun, up to NAP_MARGIN_NS before the target. */
  yieldCore?: () => boolean;
  /** Blocks the thread for about `ns` (the default: Atomics.wait). */
  nap?: (ns: number) => void;
}

const NS_PER_MS = 1e6;

const timerSleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const immediateTurn = (fn: () => void): void => {
  setImmediate(fn);
};

const spinOn =
  (now: () => number) =>
  (ns: number): void => {
    while (now() < ns) {
      // spin
    }
  };
const spinOnEpoch = spinOn(epochNs);

const DONE = Promise.resolve();
const NEVER = (): boolean => false;
/** Never notified: a wait on it only times out. */
const napCell = new Int32Array(new SharedArrayBuffer(4));
const blockFor = (ns: number): void => {
  Atomics.wait(napCell, 0, 0, ns / NS_PER_MS);
};

/** ns this thread has spun in waits so far (by its clock): the part of its CPU that waited, not worked. */
let spunNs = 0;

/** ns this thread has napped in waits so far (by its clock): blocked so that threads behind got the core. */
let nappedNs = 0;

/** ns spun in waits on this thread since it started (each thread has its own count). */
export function spunNsSoFar(): number {
  return spunNs;
}

/** ns napped (blocked while `yieldCore()`) in waits on this thread since it started. */
export function nappedNsSoFar(): number {
  return nappedNs;
}

/** Resolves once now() >= targetNs (epoch ns by default), never before. A wait inside the spin window is one promise. */
export function waitUntilNs(targetNs: number, deps: WaitDeps = {}, spinWindowNs = SPIN_WINDOW_NS): Promise<void> {
  const now = deps.now ?? epochNs;
  const yieldTurn = deps.yieldTurn ?? immediateTurn;
  const spinUntil = deps.spinUntil ?? (deps.now === undefined ? spinOnEpoch : spinOn(now));
  const remainingNs = targetNs - now();
  if (remainingNs <= 0) return DONE;
  const close: CloseIn = { now, spinUntil, yieldTurn, yieldCore: deps.yieldCore ?? NEVER, nap: deps.nap ?? blockFor };
  if (remainingNs < spinWindowNs + NS_PER_MS) return spinTo(targetNs, close);
  return sleepThenSpin(targetNs, remainingNs, deps.sleepMs ?? timerSleepMs, close, spinWindowNs);
}

/** How the last stretch of a wait is closed in on. */
interface CloseIn {
  now: () => number;
  spinUntil: (ns: number) => void;
  yieldTurn: (fn: () => void) => void;
  yieldCore: () => boolean;
  nap: (ns: number) => void;
}

async function sleepThenSpin(
  targetNs: number,
  remainingNs: number,
  sleepMs: (ms: number) => Promise<void>,
  close: CloseIn,
  spinWindowNs: number,
): Promise<void> {
  const now = close.now;
  // Sleep only whole ms that still leave the window for the timer's lateness (it rounds up to whole
  // ms and fires up to ~1.1 ms late here); a shorter remainder is yielded away instead. No sleep is
  // longer than setTimeout honours (a longer one fires at once): a far target takes several.
  while (remainingNs >= spinWindowNs + NS_PER_MS) {
    await sleepMs(Math.min(MAX_TIMER_MS, Math.floor((remainingNs - spinWindowNs) / NS_PER_MS)));
    remainingNs = targetNs - now();
  }
  if (remainingNs <= 0) return;
  await spinTo(targetNs, close);
}

/**
 * Spins to `targetNs` in slices of SPIN_SLICE_NS with a turn of the event loop between them; while
 * `yieldCore()`, naps (NAP_SLICE_NS at most) until NAP_MARGIN_NS before it first.
 */
function spinTo(targetNs: number, { now, spinUntil, yieldTurn, yieldCore, nap }: CloseIn): Promise<void> {
  return new Promise((resolve) => {
    const slice = (): void => {
      const t = now();
      if (t >= targetNs) return resolve();
      const napNs = Math.min(targetNs - t - NAP_MARGIN_NS, NAP_SLICE_NS);
      if (napNs >= MIN_NAP_NS && yieldCore()) {
        nap(napNs);
        nappedNs += now() - t;
        return yieldTurn(slice);
      }
      spinUntil(Math.min(targetNs, t + SPIN_SLICE_NS));
      const after = now();
      spunNs += after - t;
      if (after >= targetNs) return resolve();
      yieldTurn(slice);
    };
    slice();
  });
}
