// Main-thread side of the load workers: spawn, hand each its share of the lanes, wait until all
// are ready (tokenizer loaded), start them together, collect record batches, cancel on demand.
import type { RequestRecord } from "../record/request-record.ts";
import { spawnLoadWorker } from "../spawn-load-worker.ts";
import type { SharedState } from "./shared-state.ts";
import type { MainToWorker, WorkerConfig, WorkerToMain } from "./worker-protocol.ts";

export interface PoolOptions {
  workers: number;
  concurrency: number;
  config: Omit<WorkerConfig, "workerId" | "lanes">;
  shared: SharedState;
  onRecords(records: RequestRecord[]): void;
  readyTimeoutMs?: number;
}

/** Splits `concurrency` lanes over at most `workers` workers, as evenly as possible. */
export function splitLanes(concurrency: number, workers: number): number[] {
  const n = Math.max(1, Math.min(workers, concurrency));
  return Array.from({ length: n }, (_, i) => Math.floor(concurrency / n) + (i < concurrency % n ? 1 : 0));
}

export class WorkerPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly done: Promise<void>,
  ) {}

  static async start(o: PoolOptions): Promise<WorkerPool> {
    const lanes = splitLanes(o.concurrency, o.workers);
    const workers: Worker[] = [];
    const readies: Promise<void>[] = [];
    const dones: Promise<void>[] = [];
    for (const [workerId, laneCount] of lanes.entries()) {
      const w = spawnLoadWorker();
      workers.push(w);
      let ready!: () => void;
      let readyFail!: (e: Error) => void;
      let done!: () => void;
      let doneFail!: (e: Error) => void;
      readies.push(new Promise<void>((res, rej) => ((ready = res), (readyFail = rej))));
      dones.push(new Promise<void>((res, rej) => ((done = res), (doneFail = rej))));
      w.onmessage = (e: MessageEvent<WorkerToMain>) => {
        const m = e.data;
        if (m.type === "records") o.onRecords(m.records);
        else if (m.type === "ready") ready();
        else if (m.type === "done") done();
        else if (m.type === "fatal") {
          const err = new Error(`worker ${workerId}: ${m.message}`);
          readyFail(err);
          doneFail(err);
        }
      };
      w.onerror = (e) => {
        const err = new Error(`worker ${workerId} crashed: ${e.message}`);
        readyFail(err);
        doneFail(err);
      };
      const init: MainToWorker = { type: "init", config: { ...o.config, workerId, lanes: laneCount }, shared: o.shared.buffer };
      w.postMessage(init);
    }
    const timeoutMs = o.readyTimeoutMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.all(readies),
        new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`workers not ready within ${timeoutMs / 1000} s`)), timeoutMs))),
      ]);
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return new WorkerPool(workers, Promise.all(dones).then(() => undefined));
  }

  /** Starts every worker; resolves when all have finished and flushed their records. */
  run(): Promise<void> {
    for (const w of this.workers) w.postMessage({ type: "start" } satisfies MainToWorker);
    return this.done;
  }

  /** Aborts in-flight requests in every worker (they are still recorded, as cancelled). */
  cancel(): void {
    for (const w of this.workers) w.postMessage({ type: "cancel" } satisfies MainToWorker);
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}
