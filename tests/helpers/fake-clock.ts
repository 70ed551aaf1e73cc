// A virtual clock for the engine's PhaseClock seam: waits resolve in time order, one per event-loop
// turn (so everything a resumed wait sets off has run before the next one), and time jumps straight
// to each. Runs of virtual seconds take milliseconds and come out the same every time.
import type { PhaseClock } from "../../src/engine/phase-runner.ts";

export class FakeClock implements PhaseClock {
  private waiters: { ns: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  private scheduled = false;

  constructor(private t: number) {}

  /** Waits that were told when to leave the core (PhaseClock.waitUntil's `yieldCore`). */
  yieldingWaits = 0;

  now = (): number => this.t;

  waitUntil = (ns: number, yieldCore?: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      if (yieldCore !== undefined) this.yieldingWaits++;
      this.waiters.push({ ns, seq: this.seq++, resolve });
      this.kick();
    });

  sleepMs = (ms: number): Promise<void> => this.waitUntil(this.t + ms * 1e6);

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiters.sort((a, b) => a.ns - b.ns || a.seq - b.seq);
      const w = this.waiters.shift();
      if (w === undefined) return;
      this.t = Math.max(this.t, w.ns);
      w.resolve();
      if (this.waiters.length > 0) this.kick();
    });
  }
}
