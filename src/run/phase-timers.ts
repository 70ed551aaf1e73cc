// A phase's timers (the duration's end, the grace period's end), counted from its start. The load
// workers keep those instants themselves and may finish the phase before this thread's timer runs (it
// runs late at idle priority, or behind the workers' last messages): a timer that was due by the end
// of the phase then runs at the end, once, so what it says and sets (the run was cancelled) is not lost.
import { epochNs } from "../runtime/clock.ts";
import { clearLongTimeout, setLongTimeout, type LongTimeout } from "../runtime/long-timer.ts";

/** `ms` after the phase's start (any length: long waits are chunked), or null for none. */
export type PhaseTimer = [number | null, () => void];

export interface TimerSeams {
  now(): number;
  arm(fn: () => void, ms: number): LongTimeout;
  clear(t: LongTimeout): void;
}

const REAL: TimerSeams = { now: epochNs, arm: (fn, ms) => setLongTimeout(fn, ms), clear: clearLongTimeout };

interface Armed {
  dueNs: number;
  fire: () => void;
  fired: boolean;
  handle: LongTimeout | null;
}

export class PhaseTimers {
  private readonly armed: Armed[] = [];

  constructor(
    timers: PhaseTimer[],
    startNs: number,
    private readonly seams: TimerSeams = REAL,
  ) {
    const toStartMs = (startNs - seams.now()) / 1e6;
    for (const [ms, fire] of timers) {
      if (ms === null) continue;
      const t: Armed = { dueNs: startNs + ms * 1e6, fire, fired: false, handle: null };
      t.handle = seams.arm(() => {
        t.fired = true;
        fire();
      }, ms + toStartMs);
      this.armed.push(t);
    }
  }

  /** The phase is over: timers not yet due never fire; one that was due but has not run yet runs now. */
  end(): void {
    const now = this.seams.now();
    for (const t of this.armed) {
      if (t.handle !== null) this.seams.clear(t.handle);
      if (!t.fired && t.dueNs <= now) {
        t.fired = true;
        t.fire();
      }
    }
  }
}
