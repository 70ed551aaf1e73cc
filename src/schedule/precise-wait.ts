// Sending on time without burning a core. In Bun, setTimeout rounds up to whole ms and fires 0.1–0.25 ms
// late; Atomics.waitAsync with a timeout spins a core and Atomics.wait blocks the thread (and is late).
// So: sleep with setTimeout until the target is within a spin window, then yield with setImmediate
// (~1.5 µs a turn) so socket callbacks keep running while we close in on the target.

import { epochNs } from "../runtime/clock.ts";

/** How close to the target we stop sleeping and start yield-spinning; covers setTimeout's lateness. */
export const SPIN_WINDOW_NS = 1_500_000;

export interface WaitDeps {
  now?: () => number;
  sleepMs?: (ms: number) => Promise<void>;
  yieldTurn?: () => Promise<void>;
}

const NS_PER_MS = 1e6;

const timerSleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const immediateTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves once now() >= targetNs (epoch ns by default), never before. */
export async function waitUntilNs(targetNs: number, deps: WaitDeps = {}, spinWindowNs = SPIN_WINDOW_NS): Promise<void> {
  const now = deps.now ?? epochNs;
  const sleepMs = deps.sleepMs ?? timerSleepMs;
  const yieldTurn = deps.yieldTurn ?? immediateTurn;
  let remainingNs = targetNs - now();
  if (remainingNs <= 0) return;
  while (remainingNs > spinWindowNs) {
    // Whole ms only (setTimeout rounds up anyway), leaving the window for its lateness.
    await sleepMs(Math.max(1, Math.floor((remainingNs - spinWindowNs) / NS_PER_MS)));
    remainingNs = targetNs - now();
  }
  while (now() < targetNs) await yieldTurn();
}
