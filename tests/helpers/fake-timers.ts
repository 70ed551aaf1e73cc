// A fake clock and setTimeout for the timer modules (runtime/long-timer.ts, runtime/deadline-list.ts).
import { MAX_TIMER_MS, type TimerApi } from "../../src/runtime/long-timer.ts";

/** A fake clock and setTimeout: advance() runs due timers in order; arms records every delay asked for. */
export function fakeTimers(lateMs = 0) {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const arms: number[] = [];
  const api: TimerApi = {
    setTimeout: (fn, ms) => {
      arms.push(ms);
      // What the real one does with a delay it cannot hold: fire after ~1 ms.
      const at = now + (ms > MAX_TIMER_MS ? 1 : ms + lateMs);
      pending.set(nextId, { at, fn });
      return nextId++;
    },
    clearTimeout: (h) => void pending.delete(h as number),
    now: () => now,
  };
  const advance = (ms: number): void => {
    const end = now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | null = null;
      for (const e of pending) if (e[1].at <= end && (next === null || e[1].at < next[1].at)) next = e;
      if (next === null) break;
      pending.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = end;
  };
  return { api, arms, advance, pending, now: () => now };
}
