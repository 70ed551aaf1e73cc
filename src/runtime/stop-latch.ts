// A phase's stop, for racing waits against it without leaking. `Promise.race([wait, stopped])` adds a
// reaction to the long-lived `stopped` promise on every call, and each keeps the race's promise, and so
// its value, alive until the phase ends: with fed prompts that value was the prompt texts, and a
// Mooncake replay held every prompt it had sent (~250 MB of the load worker's heap by the end). Here a
// waiter is dropped as soon as its own promise settles.
export class StopLatch {
  private readonly waiters = new Set<() => void>();
  private done = false;

  get fired(): boolean {
    return this.done;
  }

  /** Waiters still attached (for tests: 0 once every raced promise has settled). */
  get attached(): number {
    return this.waiters.size;
  }

  fire(): void {
    if (this.done) return;
    this.done = true;
    for (const w of [...this.waiters]) w();
    this.waiters.clear();
  }

  /** `p`'s value, or `onStop` if the latch fires first. */
  race<T, S>(p: Promise<T>, onStop: S): Promise<T | S> {
    if (this.done) return Promise.resolve(onStop);
    return new Promise<T | S>((resolve, reject) => {
      const stopped = (): void => resolve(onStop);
      this.waiters.add(stopped);
      p.then(
        (v) => {
          this.waiters.delete(stopped);
          resolve(v);
        },
        (e: unknown) => {
          this.waiters.delete(stopped);
          reject(e);
        },
      );
    });
  }
}
