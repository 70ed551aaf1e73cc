// Splits "when did it arrive" from "what does it mean". Socket callbacks for many streams fire back
// to back in one event-loop turn; if each parsed its chunk before returning, the last stream's
// timestamp would be taken only after every other stream's parsing. So callbacks only stamp and
// queue, and the queue is worked off in arrival order in slices of at most SLICE_MS, yielding to the
// event loop between slices so reads that arrive meanwhile are stamped within about a slice.
// 0.1 ms measured best here (bench: 1,000 streams, TTFT p99 error 97 ms unsliced -> ~10 ms).

const SLICE_MS = 0.1;

export class DeferredWork {
  private queue: (() => void)[] = [];
  private head = 0;
  private scheduled = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  add(fn: () => void): void {
    this.queue.push(fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  /** Items waiting (for tests and diagnostics). */
  get pending(): number {
    return this.queue.length - this.head;
  }

  private readonly run = (): void => {
    const deadline = this.now() + SLICE_MS;
    while (this.head < this.queue.length) {
      const fn = this.queue[this.head]!;
      this.head++;
      fn();
      if (this.now() >= deadline) break;
    }
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.scheduled = false;
    } else {
      setImmediate(this.run);
    }
  };
}
