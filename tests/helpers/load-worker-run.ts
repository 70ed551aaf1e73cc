// One load worker driven through its port in this thread, as the engine's integration tests run it.
import type { Dataset, SessionSpec } from "../../src/dataset/plan-types.ts";
import { startLoadWorker } from "../../src/engine/load-worker-main.ts";
import { SharedState } from "../../src/engine/shared-state.ts";
import type { MainToWorker, PhaseSpec, WorkerConfig, WorkerToMain } from "../../src/engine/worker-protocol.ts";
import { workerSettings } from "./worker-settings.ts";

/** `sessions` single-turn sessions of a short prompt, each asking for `osl` tokens. */
export function singleTurnDataset(sessions: number, osl: number): Dataset {
  const s = (i: number): SessionSpec => ({
    sessionId: `s${i}`,
    turns: [{ prompt: { kind: "text", text: `hello number ${i}`, tokens: 3 }, maxTokens: osl, timestampMs: null, delayMs: 0 }],
  });
  return { sessions: Array.from({ length: sessions }, (_, i) => s(i)), systemPrompt: null, sampling: "sequential", blockSize: 512 };
}

/**
 * Starts a load worker for `dataset` against `url` (the full endpoint URL) with `shared` as its shared
 * state, runs the phase `phase()` makes once the worker is ready (loading its tokenizer takes ~1 s, so a
 * phase's start is set then) and cancels it; returns every message it posted, phase-done or fatal last,
 * and the phase.
 */
export async function runLoadWorker(
  url: string,
  dataset: Dataset,
  phase: () => PhaseSpec,
  shared = new SharedState(),
): Promise<{ got: WorkerToMain[]; spec: PhaseSpec }> {
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
  const config: WorkerConfig = { workerId: 0, workerCount: 1, ...workerSettings(url, dataset) };
  handler!({ type: "init", config, shared: shared.buffer });
  await ready.promise;
  const spec = phase();
  handler!({ type: "phase", spec });
  await done.promise;
  handler!({ type: "cancel" });
  return { got, spec };
}
