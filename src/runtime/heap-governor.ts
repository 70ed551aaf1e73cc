// Keeps a thread's JavaScript heap near what it really holds. JavaScriptCore lets a heap grow to about
// twice its live size before a full collection, and on a machine with plenty of RAM it grows further:
// measured on the main thread of a 200,000-request run, the heap swung between 70 and 220 MB and the
// process RSS crept up with each swing (peak 1.2 GB). Here a full collection runs as soon as the heap
// is `budgetBytes` over its size after the previous one. JavaScriptCore's heap size is updated at each
// collection, and young ones run every few MB of allocation, so the size looked at is what survived
// them: the old generation that only a full collection frees. Only for threads that do not stamp
// arrivals: a synchronous collection pauses the thread (tens of ms).
import { heapSize } from "bun:jsc";

export interface HeapGovernorOptions {
  /** Growth over the last post-collection size that triggers a collection (bytes). */
  budgetBytes: number;
  /** How often the heap size is looked at (ms). */
  everyMs: number;
  /** Heap size in bytes; JavaScriptCore's (as of its last collection) by default. */
  size?: () => number;
  /** A full, synchronous collection; Bun.gc(true) by default. */
  collect?: () => void;
}

export class HeapGovernor {
  /** Heap size after the last collection (bytes). */
  private baseline: number;
  /** Full collections this governor ran. */
  collections = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly size: () => number;
  private readonly collect: () => void;

  constructor(private readonly opts: HeapGovernorOptions) {
    this.size = opts.size ?? heapSize;
    this.collect = opts.collect ?? (() => Bun.gc(true));
    this.baseline = this.size();
  }

  /** Collects if the heap outgrew its budget; true when it did. */
  check(): boolean {
    const now = this.size();
    if (now < this.baseline) this.baseline = now; // JavaScriptCore collected on its own
    if (now - this.baseline <= this.opts.budgetBytes) return false;
    this.collect();
    this.collections++;
    this.baseline = this.size();
    return true;
  }

  start(): this {
    this.timer ??= setInterval(() => this.check(), this.opts.everyMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
