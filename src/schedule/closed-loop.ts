// Closed-loop load: `concurrency` lanes, each sending its next request as soon as the previous one
// finishes, until `requestCount` were issued or `shouldStop()` says so.

export interface ClosedLoopOptions {
  concurrency: number;
  requestCount: number;
  /** Sends request number `index` (0-based, in issue order) and resolves when it is finished. */
  send(index: number): Promise<void>;
  shouldStop?(): boolean;
}

/** Resolves with the number of requests issued once all of them finished. */
export async function runClosedLoop(o: ClosedLoopOptions): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < o.requestCount && !o.shouldStop?.()) {
      const index = next++;
      await o.send(index);
    }
  };
  const lanes = Math.max(1, Math.min(o.concurrency, o.requestCount));
  await Promise.all(Array.from({ length: lanes }, lane));
  return next;
}
