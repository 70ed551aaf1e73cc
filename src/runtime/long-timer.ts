// Timers for user- or data-controlled durations. setTimeout keeps its delay in an int32: anything
// above 2^31-1 ms (~24.8 days) fires after ~1 ms instead (Bun prints TimeoutOverflowWarning). So a
// long wait is armed in chunks of at most MAX_TIMER_MS, re-armed against a monotonic clock until the
// deadline, and fires once at the end. A wait that fits in one chunk is one plain setTimeout.

import { monoMs } from "./clock.ts";

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer primitives underneath (injected in tests). */
export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Monotonic ms. */
  now(): number;
}

export const realTimers: TimerApi = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: monoMs,
};

export interface LongTimeout {
  /** The chunk now armed, or null once fired or cleared. */
  current: unknown;
  readonly api: TimerApi;
}

/**
 * Calls `fn` once after `ms` (any length; Infinity = never; NaN or negative = as soon as possible).
 * Cancel with clearLongTimeout.
 */
export function setLongTimeout(fn: () => void, ms: number, api: TimerApi = realTimers): LongTimeout {
  const t: LongTimeout = { current: null, api };
  if (ms === Infinity) return t;
  const delayMs = ms > 0 ? ms : 0; // NaN and negatives: at once (Math.max would keep NaN)
  const deadlineMs = api.now() + delayMs;
  const arm = (remainingMs: number): void => {
    // The last chunk fires as setTimeout does: no re-check, so a timer a hair early is not re-armed.
    const last = remainingMs <= MAX_TIMER_MS;
    t.current = api.setTimeout(
      () => {
        if (t.current === null) return;
        if (last) {
          t.current = null;
          fn();
        } else arm(Math.max(0, deadlineMs - api.now()));
      },
      last ? remainingMs : MAX_TIMER_MS,
    );
  };
  arm(delayMs);
  return t;
}

export function clearLongTimeout(t: LongTimeout | null | undefined): void {
  if (!t || t.current === null) return;
  t.api.clearTimeout(t.current);
  t.current = null;
}
