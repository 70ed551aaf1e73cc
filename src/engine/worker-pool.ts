// Main-thread side of the load workers: spawn, wait until all are ready (tokenizer loaded, connections
// open), run phases on all of them together, forward fed prompts, collect record batches, stop/cancel.
// It also starts the count workers the load workers share (one per LOAD_WORKERS_PER_COUNT_WORKER).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { embeddedPackPath } from "../dataset/tokenizer.ts";
import type { EncodedRecords } from "../record/record-codec.ts";
import { spawnCountWorker } from "../spawn-count-worker.ts";
import { spawnLoadWorker } from "../spawn-load-worker.ts";
import type { CountWorkerIn } from "./count-worker-main.ts";
import { RemotePromptBuilder } from "./remote-prompt-builder.ts";
import type { SharedState } from "./shared-state.ts";
import type { FedPrompt, MainToWorker, PhaseSpec, WorkerConfig, WorkerPhaseCpu, WorkerToMain } from "./worker-protocol.ts";

export interface PoolOptions {
  workers: number;
  config: Omit<WorkerConfig, "workerId" | "workerCount">;
  shared: SharedState;
  /** Finished records, still encoded (record-codec.ts): decoded where they are stored. */
  onRecords(batch: EncodedRecords): void;
  /** A worker reported how many fed prompts it has used this phase. */
  onConsumed?(workerId: number, consumed: number): void;
  readyTimeoutMs?: number;
  /** Starts a count worker (tests give one that fails). */
  spawnCountWorker?: () => Worker;
  /** The tokenizer as this thread loaded it: count workers rebuild it from its pack instead of the files. */
  tokenizerPack?: TokenizerPack;
}

/** A tokenizer's pack for the count workers: the file that holds it (TextTokenizer.packFile), else the pack itself (TextTokenizer.pack). */
export interface TokenizerPack {
  packFile: string | null;
  packed: Uint8Array | null;
}

/**
 * Load workers per count worker. A count worker is a JS heap with a tokenizer (~70 MB RSS, ~1 s of CPU
 * to load); one per load worker cost ~3 GB on a 64-core machine (47 load workers by default). Counting
 * one request's texts takes ~20-50 us on the count worker against ~300 us of a load worker's time to
 * run it, so four load workers keep one count worker well under a core.
 */
export const LOAD_WORKERS_PER_COUNT_WORKER = 4;

/** How many count workers `loadWorkers` load workers share. */
export const countWorkersFor = (loadWorkers: number): number => Math.ceil(Math.max(1, loadWorkers) / LOAD_WORKERS_PER_COUNT_WORKER);

/**
 * Starts the count workers and gives each load worker a line to one of them (load worker i to count
 * worker floor(i / LOAD_WORKERS_PER_COUNT_WORKER)). `lineFor(i)` is load worker i's end; if its count
 * worker dies, `lost(i)` is called for each load worker it served.
 */
export function startCountWorkers(
  loadWorkers: number,
  tokenizer: TokenizerPack & { spec: string },
  spawn: () => Worker,
  lost: (loadWorker: number) => void,
): { lineFor: (i: number) => MessagePort | undefined; workers: Worker[] } {
  const workers: Worker[] = [];
  const lines: (MessagePort | undefined)[] = [];
  const countWorkers = countWorkersFor(loadWorkers);
  const pack = sharesPack(countWorkers, tokenizer) ? sharedPack(tokenizer) : tokenizer;
  for (let c = 0; c < countWorkers; c++) {
    const served = Array.from({ length: loadWorkers }, (_, i) => i).filter((i) => Math.floor(i / LOAD_WORKERS_PER_COUNT_WORKER) === c);
    let w: Worker;
    try {
      w = spawn();
    } catch {
      // No line: those load workers start their own count worker (or count on their thread).
      continue;
    }
    workers.push(w);
    watchClose(w);
    w.unref();
    w.onerror = () => {
      for (const i of served) lost(i);
    };
    w.postMessage({ type: "init", tokenizer: tokenizer.spec, packed: pack.packed, packFile: pack.packFile } satisfies CountWorkerIn);
    for (const i of served) {
      const channel = new MessageChannel();
      w.postMessage({ type: "connect", port: channel.port1 } satisfies CountWorkerIn, [channel.port1]);
      lines[i] = channel.port2;
    }
  }
  return { lineFor: (i) => lines[i], workers };
}

/** Splits `total` over exactly `n` parts, as evenly as possible (earlier parts get the remainder). */
export function evenSplit(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/**
 * Whether count workers get the pack file's bytes in one SharedArrayBuffer rather than each reading its
 * own copy: with several of them, the tables (4.6 MB for o200k) are then in memory once. Not for one
 * count worker, nor for the builtin pack inside the binary, whose mapped pages every thread shares already.
 * A 16-request run with o200k from a cached pack (`--tokenizer <its tokenizer.json>`): 185 vs 200 MiB
 * with 16 load workers (4 count workers), 155 vs 160 with 8 (5 of 5 pairs each); the builtin unchanged.
 */
export function sharesPack(countWorkers: number, t: TokenizerPack): boolean {
  return countWorkers > 1 && t.packFile !== null && t.packFile !== embeddedPackPath();
}

/** The pack file read straight into shared memory (no buffer of this thread's first); unchanged when it cannot be read whole. */
export function sharedPack(t: TokenizerPack): TokenizerPack {
  if (t.packFile === null) return t;
  let fd: number | null = null;
  try {
    fd = openSync(t.packFile, "r");
    const shared = new Uint8Array(new SharedArrayBuffer(fstatSync(fd).size));
    for (let at = 0; at < shared.length; ) {
      const n = readSync(fd, shared, at, shared.length - at, at);
      if (n <= 0) return t;
      at += n;
    }
    return { packFile: null, packed: shared };
  } catch {
    return t;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Longest close() waits for the workers' threads to end (ms); they take ~5-20 ms. */
const CLOSE_TIMEOUT_MS = 2_000;

/** When each worker's thread ended, watched from its start: one that died before close() was asked for is not waited for. */
const closedWorkers = new WeakMap<Worker, Promise<void>>();

function watchClose(w: Worker): void {
  closedWorkers.set(w, new Promise<void>((resolve) => w.addEventListener("close", () => resolve(), { once: true })));
}

export class WorkerPool {
  /** Each worker's end of the current phase, with its thread's CPU in it. */
  private phaseDone: ((cpu: WorkerPhaseCpu) => void)[] = [];
  private failure: ((e: Error) => void) | null = null;

  private constructor(
    private readonly workers: Worker[],
    private readonly countWorkers: Worker[],
  ) {}

  get size(): number {
    return this.workers.length;
  }

  static async start(o: PoolOptions): Promise<WorkerPool> {
    const count = Math.max(1, o.workers);
    const preconnect = evenSplit(o.config.preconnect, count);
    const workers: Worker[] = [];
    const readies: Promise<void>[] = [];
    let pool: WorkerPool | null = null;
    const counting = startCountWorkers(
      count,
      { spec: o.config.tokenizer, ...(o.tokenizerPack ?? { packFile: null, packed: null }) },
      o.spawnCountWorker ?? spawnCountWorker,
      (i) => workers[i]?.postMessage({ type: "counts-lost" } satisfies MainToWorker),
    );
    for (let workerId = 0; workerId < count; workerId++) {
      const w = spawnLoadWorker();
      workers.push(w);
      watchClose(w);
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
          o.shared.noteReceived(m.batch.bytes);
          o.onRecords(m.batch);
          o.onConsumed?.(workerId, m.consumed);
        } else if (m.type === "ready") ready();
        else if (m.type === "phase-done") {
          o.onConsumed?.(workerId, m.consumed);
          pool?.phaseDone[workerId]?.(m.cpu);
        } else if (m.type === "fatal") fail(new Error(`worker ${workerId}: ${m.message}`));
      };
      w.onerror = (e) => fail(new Error(`worker ${workerId} crashed: ${e.message}`));
      const counts = counting.lineFor(workerId);
      const init: MainToWorker = {
        type: "init",
        config: { ...o.config, workerId, workerCount: count, preconnect: preconnect[workerId] ?? 0 },
        shared: o.shared.buffer,
        ...(counts ? { counts } : {}),
      };
      w.postMessage(init, counts ? [counts] : []);
    }
    const timeoutMs = o.readyTimeoutMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.all(readies),
        new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`workers not ready within ${timeoutMs / 1000} s`)), timeoutMs))),
      ]);
    } catch (e) {
      for (const w of [...workers, ...counting.workers]) w.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    pool = new WorkerPool(workers, counting.workers);
    return pool;
  }

  /**
   * Runs one phase on every worker; resolves when all have finished it and flushed their records, with
   * each worker thread's CPU during the phase (by worker id).
   */
  runPhase(spec: PhaseSpec): Promise<WorkerPhaseCpu[]> {
    const dones = this.workers.map((_, i) => new Promise<WorkerPhaseCpu>((res) => (this.phaseDone[i] = res)));
    const failed = new Promise<never>((_, rej) => (this.failure = rej));
    for (const w of this.workers) w.postMessage({ type: "phase", spec } satisfies MainToWorker);
    return Promise.race([Promise.all(dones), failed]).finally(() => {
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

  /** Builds hash-id prompts on the first count worker, or null when there is none (the caller builds them). */
  promptBuilder(seed: number, blockSize: number): RemotePromptBuilder | null {
    const w = this.countWorkers[0];
    return w === undefined ? null : new RemotePromptBuilder(w, seed, blockSize);
  }

  /** Count workers started for the load workers. */
  get countWorkerCount(): number {
    return this.countWorkers.length;
  }

  terminate(): void {
    for (const w of [...this.workers, ...this.countWorkers]) w.terminate();
  }

  /**
   * Ends every worker (the load is over and all its records are in) and resolves once each thread has
   * closed, or after `timeoutMs` whichever comes first: a worker that does not close never holds the run up.
   */
  async close(timeoutMs = CLOSE_TIMEOUT_MS): Promise<void> {
    const all = [...this.workers, ...this.countWorkers];
    const closed = all.map((w) => closedWorkers.get(w) ?? Promise.resolve());
    for (const w of all) w.terminate();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
