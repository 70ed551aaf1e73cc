// A load worker at a constant rate: while storing, receiving or counting falls behind (short of a
// hold), its waits for a send's time nap (the thread blocked) instead of spinning, and it says how
// long in phase-done; otherwise it never naps. Every request is still sent and recorded.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BEHIND_UNRECEIVED_BYTES } from "../../src/engine/load-worker-main.ts";
import { SharedState } from "../../src/engine/shared-state.ts";
import type { WorkerPhaseCpu } from "../../src/engine/worker-protocol.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { decodeRecords } from "../../src/record/record-codec.ts";
import { planPhase } from "../../src/run/phase-plan.ts";
import { epochNs } from "../../src/runtime/clock.ts";
import { runLoadWorker, singleTurnDataset } from "../helpers/load-worker-run.ts";
import { planInput } from "../helpers/phase-spec.ts";

let mock: MockServerHandle;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, ttftMs: 0, itlMs: 0 });
});
afterAll(() => mock.stop());

const REQUESTS = 150;
const RATE_PER_S = 300;

/** One constant-rate phase of REQUESTS requests with `shared` as the workers' shared state: its records and its CPU report. */
async function constantRate(shared: SharedState): Promise<{ records: number; failed: number; cpu: WorkerPhaseCpu }> {
  const ds = singleTurnDataset(REQUESTS, 4);
  const load = { kind: "rate", ratePerSec: RATE_PER_S, pattern: "constant", smoothness: 1, rampNs: 0, cap: null } as const;
  const phase = () => ({ ...planPhase(planInput(load, ds, { requestLimit: REQUESTS })), startNs: epochNs() + 20e6 });
  const { got } = await runLoadWorker(`${mock.url}/v1/chat/completions`, ds, phase, shared);
  expect(got.filter((m) => m.type === "fatal")).toEqual([]);
  const done = got.at(-1);
  if (done?.type !== "phase-done") throw new Error(`the last message was ${done?.type}, not phase-done`);
  const records = got.flatMap((m) => (m.type === "records" ? decodeRecords(m.batch) : []));
  return { records: records.length, failed: records.filter((r) => r.error !== null).length, cpu: done.cpu };
}

describe("load worker: waits for a send's time while others fall behind", () => {
  // Records posted and not yet taken in by the main thread: past BEHIND_UNRECEIVED_BYTES (a quarter of the hold's mark) the waits nap.
  const MiB = 2 ** 20;
  const cases: [string, (shared: SharedState) => void, boolean][] = [
    ["nobody behind: the waits are spun, never napped", () => {}, false],
    ["storage marked behind (the fanout's signal): most of each wait is napped", (shared) => shared.setBehind(true), true],
    ["1 MiB more unreceived than the mark: napped too", (shared) => shared.notePosted(BEHIND_UNRECEIVED_BYTES + MiB), true],
    ["1 MiB less unreceived than the mark: spun as before", (shared) => shared.notePosted(BEHIND_UNRECEIVED_BYTES - MiB), false],
  ];
  for (const [what, setUp, naps] of cases) {
    test(what, async () => {
      const shared = new SharedState();
      setUp(shared);
      const run = await constantRate(shared);
      expect(run.records).toBe(REQUESTS);
      expect(run.failed).toBe(0);
      expect(shared.receiveHolds).toBe(0);
      if (naps) {
        // Naps end 0.1 ms before each send; only that margin is spun.
        expect(run.cpu.napUs).toBeGreaterThan(REQUESTS * 200);
        expect(run.cpu.napUs).toBeGreaterThan(2 * run.cpu.spinUs);
      } else {
        expect(run.cpu.napUs).toBe(0);
        // ~1.5 ms of each of the ~3.3 ms between sends is spun.
        expect(run.cpu.spinUs).toBeGreaterThan(REQUESTS * 200);
      }
    }, 30_000);
  }
});
