// A load worker driven through its port against the mock: token counts are made on its count worker,
// yet every record leaves the worker with its counts filled in, and all of them before "phase-done"
// (a record sent after it could miss the phase's storage).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Dataset, SessionSpec } from "../../src/dataset/plan-types.ts";
import { startLoadWorker } from "../../src/engine/load-worker-main.ts";
import { SharedState } from "../../src/engine/shared-state.ts";
import type { MainToWorker, WorkerConfig, WorkerToMain } from "../../src/engine/worker-protocol.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { planPhase } from "../../src/run/phase-plan.ts";
import { epochNs } from "../../src/runtime/clock.ts";
import { workerSettings } from "../helpers/worker-settings.ts";

let mock: MockServerHandle;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, ttftMs: 0, itlMs: 0 });
});
afterAll(() => mock.stop());

const OSL = 12;
function dataset(sessions: number): Dataset {
  const s = (i: number): SessionSpec => ({
    sessionId: `s${i}`,
    turns: [{ prompt: { kind: "text", text: `hello number ${i}`, tokens: 3 }, maxTokens: OSL, timestampMs: null, delayMs: 0 }],
  });
  return { sessions: Array.from({ length: sessions }, (_, i) => s(i)), systemPrompt: null, sampling: "sequential", blockSize: 512 };
}

describe("load worker: counts on the count worker", () => {
  test("every record carries its counts, and all records come before phase-done", async () => {
    const REQUESTS = 200;
    const got: WorkerToMain[] = [];
    let handler: ((m: MainToWorker) => void) | null = null;
    const done = Promise.withResolvers<void>();
    const ready = Promise.withResolvers<void>();
    startLoadWorker({
      post: (m) => {
        got.push(m);
        if (m.type === "ready") ready.resolve();
        if (m.type === "phase-done" || m.type === "fatal") done.resolve();
      },
      onMessage: (h) => (handler = h),
    });
    const shared = new SharedState();
    const ds = dataset(REQUESTS);
    const config: WorkerConfig = { workerId: 0, workerCount: 1, ...workerSettings(`${mock.url}/v1/chat/completions`, ds) };
    handler!({ type: "init", config, shared: shared.buffer });
    await ready.promise;
    const spec = {
      ...planPhase({
        phase: "profiling",
        load: { kind: "concurrency", concurrency: 16, rampNs: 0 },
        dataset: ds,
        requestLimit: REQUESTS,
        durationNs: null,
        seed: 1,
        prefillCap: null,
        cancellation: null,
        requestBase: 0,
        sessionBase: 0,
        fedPrompts: false,
        onePass: false,
      }),
      startNs: epochNs(),
    };
    handler!({ type: "phase", spec });
    await done.promise;
    handler!({ type: "cancel" });

    expect(got.filter((m) => m.type === "fatal")).toEqual([]);
    const doneAt = got.findIndex((m) => m.type === "phase-done");
    expect(doneAt).toBe(got.length - 1);
    const records = got.flatMap((m) => (m.type === "records" ? m.records : []));
    expect(records.length).toBe(REQUESTS);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    // The mock sends OSL tokens of its word list, one per chunk: counted by the real tokenizer.
    expect(records.filter((r) => r.output_tokens !== OSL || r.usage_completion_tokens !== OSL).length).toBe(0);
    expect(records.filter((r) => r.chunks.length === 0 || r.chunks.some((c) => c.tokens < 1)).length).toBe(0);
    expect(records.filter((r) => r.chunks.reduce((n, c) => n + c.tokens, 0) !== r.output_tokens).length).toBe(0);
  }, 60_000);
});
