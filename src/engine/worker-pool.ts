// Main-thread side of the load workers: spawn, wait until all are ready (tokenizer loaded, connections
// open), run phases on all of them together, forward fed prompts, collect record batches, stop/cancel.
import type { RequestRecord } from "../record/request-record.ts";
import { spawnLoadWorker } from "../spawn-load-worker.ts";
import type { SharedState } from "./shared-state.ts";
import type { FedPrompt, MainToWorker, PhaseSpec, WorkerConfig, WorkerToMain } from "./worker-protocol.ts";

export interface PoolOptions {
  workers: number;
  config: Omit<WorkerConfig, "workerId" | "workerCount">;
  shared: SharedState;
  onRecords(records: RequestRecord[]): void;
  /** A worker reported how many fed prompts it has used this phase. */
  onConsumed?(workerId: number, consumed: number): void;
  readyTimeoutMs?: number;
}

/** Splits `total` over exactly `n` parts, as evenly as possible (earlier parts get the remainder). */
export function evenSplit(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

export class WorkerPool {
  private phaseDone: (() => void)[] = [];
  private failure: ((e: Error) => void) | null = null;

  private constructor(private readonly workers: Worker[]) {}

  get size(): number {
    return this.workers.length;
  }

  static async start(o: PoolOptions): Promise<WorkerPool> {
    const count = Math.max(1, o.workers);
    const preconnect = evenSplit(o.config.preconnect, count);
    const workers: Worker[] = [];
    const readies: Promise<void>[] = [];
    let pool: WorkerPool | null = null;
    for (let workerId = 0; workerId < count; workerId++) {
      const w = spawnLoadWorker();
      workers.push(w);
      let ready!: () => void;
      let readyFail!: (e: Error) => void;
      readies.push(new Promise<void>((res, rej) => ((ready = res), (readyFail = rej))));
      const fail = (err: Error): void => {
        readyFail(err);
        pool?.failure?.(err);
      };
      w.onmessage = (e: MessageEvent<WorkerToMain>) => {
        const m = e.data;
        if (m.type === "records") {
          o.onRecords(m.records);
          o.onConsumed?.(workerId, m.consumed);
        } else if (m.type === "ready") ready();
        else if (m.type === "phase-done") {
          o.onConsumed?.(workerId, m.consumed);
          pool?.phaseDone[workerId]?.();
        } else if (m.type === "fatal") fail(new Error(`worker ${workerId}: ${m.message}`));
      };
      w.onerror = (e) => fail(new Error(`worker ${workerId} crashed: ${e.message}`));
      const init: MainToWorker = {
        type: "init",
        config: { ...o.config, workerId, workerCount: count, preconnect: preconnect[workerId] ?? 0 },
        shared: o.shared.buffer,
      };
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
    pool = new WorkerPool(workers);
    return pool;
  }

  /** Runs one phase on every worker; resolves when all have finished it and flushed their records. */
  runPhase(spec: PhaseSpec): Promise<void> {
    const dones = this.workers.map((_, i) => new Promise<void>((res) => (this.phaseDone[i] = res)));
    const failed = new Promise<never>((_, rej) => (this.failure = rej));
    for (const w of this.workers) w.postMessage({ type: "phase", spec } satisfies MainToWorker);
    return Promise.race([Promise.all(dones).then(() => undefined), failed]).finally(() => {
      this.failure = null;
    });
  }

  /** Prompts built ahead for `workerId`'s sessions. */
  feed(workerId: number, items: FedPrompt[]): void {
    this.workers[workerId]?.postMessage({ type: "prompts", items } satisfies MainToWorker);
  }

  /** Issue nothing more this phase; in-flight requests finish. */
  stop(): void {
    for (const w of this.workers) w.postMessage({ type: "stop" } satisfies MainToWorker);
  }

  /** Aborts in-flight requests in every worker (they are still recorded, as cancelled). */
  cancel(): void {
    for (const w of this.workers) w.postMessage({ type: "cancel" } satisfies MainToWorker);
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}
