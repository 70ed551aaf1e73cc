// Splits "when did it arrive" from "what does it mean". Socket callbacks for many streams fire back
// to back in one event-loop turn; if each parsed its chunk before returning, the last stream's
// timestamp would be taken only after every other stream's parsing. So callbacks only stamp and
// queue, and the queue is worked off once per turn (setImmediate), in arrival order.

export class DeferredWork {
  private queue: (() => void)[] = [];
  private scheduled = false;

  add(fn: () => void): void {
    this.queue.push(fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const q = this.queue;
    this.queue = [];
    for (const fn of q) fn();
  };
}
