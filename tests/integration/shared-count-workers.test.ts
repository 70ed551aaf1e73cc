// Load workers share count workers that the main thread starts (one per LOAD_WORKERS_PER_COUNT_WORKER
// load workers), through the real worker threads against the mock: every record still carries its
// counts; and when a count worker dies, the load workers it served count on their own threads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset, SessionSpec } from "../../src/dataset/plan-types.ts";
import { SharedState } from "../../src/engine/shared-state.ts";
import { LOAD_WORKERS_PER_COUNT_WORKER, WorkerPool, countWorkersFor, type PoolOptions, type TokenizerPack } from "../../src/engine/worker-pool.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { workerSettings } from "../helpers/worker-settings.ts";
import { closedLoopPhase } from "../helpers/phase-spec.ts";
import { decodeRecords } from "../../src/record/record-codec.ts";
import { threadIds, threadName } from "../../src/runtime/thread-priority.ts";
import { loadTokenizer } from "../../src/dataset/tokenizer.ts";

let mock: MockServerHandle;
let scratch: string;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, ttftMs: 0, itlMs: 0 });
  scratch = mkdtempSync(join(tmpdir(), "llmbench-count-workers-"));
});
afterAll(() => {
  mock.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const OSL = 9;
function dataset(sessions: number): Dataset {
  const s = (i: number): SessionSpec => ({
    sessionId: `s${i}`,
    turns: [{ prompt: { kind: "text", text: `hello number ${i}`, tokens: 3 }, maxTokens: OSL, timestampMs: null, delayMs: 0 }],
  });
  return { sessions: Array.from({ length: sessions }, (_, i) => s(i)), systemPrompt: null, sampling: "sequential", blockSize: 512 };
}

/** A pool of `workers` load workers over `ds` against the mock; records go to `onRecords`. */
function startPool(
  workers: number,
  ds: Dataset,
  onRecords: PoolOptions["onRecords"],
  spawnCountWorker?: () => Worker,
  tokenizerPack?: TokenizerPack,
): Promise<WorkerPool> {
  return WorkerPool.start({
    workers,
    config: workerSettings(`${mock.url}/v1/chat/completions`, ds),
    shared: new SharedState(),
    onRecords,
    readyTimeoutMs: 20_000,
    ...(spawnCountWorker ? { spawnCountWorker } : {}),
    ...(tokenizerPack ? { tokenizerPack } : {}),
  });
}

async function run(
  workers: number,
  requests: number,
  spawnCountWorker?: () => Worker,
  tokenizerPack?: TokenizerPack,
): Promise<{ records: RequestRecord[]; countWorkers: number }> {
  const ds = dataset(requests);
  const records: RequestRecord[] = [];
  const pool = await startPool(workers, ds, (batch) => records.push(...decodeRecords(batch)), spawnCountWorker, tokenizerPack);
  try {
    const spec = closedLoopPhase(ds, requests, 2 * workers);
    await pool.runPhase(spec);
    return { records, countWorkers: pool.countWorkerCount };
  } finally {
    pool.terminate();
  }
}

/** This process's threads (Linux task ids) named as Bun names a Worker's. */
const workerThreads = (): Set<number> => new Set(threadIds().filter((tid) => threadName(tid) === "Worker"));

const badCounts = (records: RequestRecord[]): RequestRecord[] =>
  records.filter((r) => r.error !== null || r.output_tokens !== OSL || r.chunks.reduce((n, c) => n + c.tokens, 0) !== OSL);

describe("count workers shared by load workers", () => {
  test.each([
    [1, 1],
    [4, 1],
    [5, 2],
    [47, 12],
  ])("%i load workers share %i count worker(s)", (load, count) => {
    expect(countWorkersFor(load)).toBe(count);
    expect(LOAD_WORKERS_PER_COUNT_WORKER).toBe(4);
  });

  test("5 load workers, 2 count workers: every record carries its counts", async () => {
    const { records, countWorkers } = await run(5, 100);
    expect(countWorkers).toBe(2);
    expect(records.length).toBe(100);
    expect(badCounts(records)).toEqual([]);
  }, 60_000);

  test.skipIf(process.platform !== "linux")(
    "close() ends every load and count worker's thread before it resolves",
    async () => {
      const before = workerThreads();
      const ds = dataset(10);
      let countClosed = 0;
      const pool = await startPool(
        5,
        ds,
        () => {},
        () => {
          const w = new Worker(new URL("../../src/count-worker.ts", import.meta.url).href);
          w.addEventListener("close", () => countClosed++);
          return w;
        },
      );
      try {
        await pool.runPhase(closedLoopPhase(ds, 10, 5));
        // Threads of an earlier test's pool may still be ending: this pool's are those new since before.
        const ours = [...workerThreads()].filter((tid) => !before.has(tid));
        expect(ours.length).toBe(7);
        await pool.close();
        expect(countClosed).toBe(2);
        const left = workerThreads();
        expect(ours.filter((tid) => left.has(tid))).toEqual([]);
      } finally {
        pool.terminate();
      }
    },
    60_000,
  );

  test("5 load workers, 2 count workers rebuilding the tokenizer from one pack file read into shared memory: every record carries its counts", async () => {
    // The builtin tokenizer is loaded once a process: a test before this one may have loaded it without
    // a pack cache, and then it has no pack file of its own. Its pack, written here, is one either way.
    const tok = await loadTokenizer("builtin", join(scratch, "tokenizers"));
    let packFile = tok.packFile();
    if (packFile === null) {
      const packed = tok.pack();
      expect(packed).not.toBeNull();
      packFile = join(scratch, "builtin.pack");
      writeFileSync(packFile, packed!);
    }
    const { records, countWorkers } = await run(5, 100, undefined, { packFile, packed: null });
    expect(countWorkers).toBe(2);
    expect(records.length).toBe(100);
    expect(badCounts(records)).toEqual([]);
  }, 60_000);

  test("the count worker dies: its load workers count on their own threads, and every record still has its counts", async () => {
    // A count worker that takes its lines and then crashes: no count ever comes back from it.
    const crashing = join(scratch, "crashing-count-worker.ts");
    writeFileSync(
      crashing,
      `self.onmessage = (e) => { if (e.data.type === "connect") setTimeout(() => { throw new Error("count worker crashed on purpose"); }, 20); };\n`,
    );
    let spawned = 0;
    const { records, countWorkers } = await run(2, 40, () => (spawned++, new Worker(crashing)));
    expect(spawned).toBe(1);
    expect(countWorkers).toBe(1);
    expect(records.length).toBe(40);
    expect(badCounts(records)).toEqual([]);
  }, 60_000);

  test("close() does not wait out its timeout for a count worker that already died", async () => {
    const crashing = join(scratch, "crashing-count-worker-2.ts");
    writeFileSync(
      crashing,
      `self.onmessage = (e) => { if (e.data.type === "connect") setTimeout(() => { throw new Error("count worker crashed on purpose"); }, 20); };\n`,
    );
    const ds = dataset(10);
    const pool = await startPool(
      1,
      ds,
      () => {},
      () => new Worker(crashing),
    );
    try {
      await pool.runPhase(closedLoopPhase(ds, 10, 2));
      // With a timeout longer than this test's own, close() resolves only because the dead worker's end was seen.
      await pool.close(120_000);
    } finally {
      pool.terminate();
    }
  }, 30_000);
});
