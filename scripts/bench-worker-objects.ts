// One scenario of `bun scripts/bench.ts worker-objects`: the JavaScript objects a load worker makes per
// request, by kind. The load worker's code runs on this thread (driven through its port, as the engine
// does) against the mock in another process; two closed-loop phases of REQUESTS and 3 x REQUESTS, and the
// difference of the heap's object counts between their ends, divided by 2 x REQUESTS. Run with
// collection off (BUN_JSC_useGC=0, which bench.ts sets), so every object made is still counted.
//   bun scripts/bench-worker-objects.ts URL STREAMING(0|1) OSL CONCURRENCY REQUESTS
// Prints one JSON line: objects per request in all and by kind (those at 0.5 or more).
import { heapStats } from "bun:jsc";
import type { Dataset, SessionSpec } from "../src/dataset/plan-types.ts";
import { startLoadWorker } from "../src/engine/load-worker-main.ts";
import { SharedState } from "../src/engine/shared-state.ts";
import type { MainToWorker, WorkerToMain } from "../src/engine/worker-protocol.ts";
import { closedLoopPhase } from "../tests/helpers/phase-spec.ts";
import { workerSettings } from "../tests/helpers/worker-settings.ts";

const [url = "", streamingArg = "1", oslArg = "20", concArg = "50", requestsArg = "1000"] = process.argv.slice(2);
const streaming = streamingArg === "1";
const OSL = Number(oslArg);
const CONCURRENCY = Number(concArg);
const REQUESTS = Number(requestsArg);
if (!url) {
  console.error("usage: bun scripts/bench-worker-objects.ts URL STREAMING(0|1) OSL CONCURRENCY REQUESTS");
  process.exit(2);
}

function dataset(sessions: number): Dataset {
  const s = (i: number): SessionSpec => ({
    sessionId: `s${i}`,
    turns: [{ prompt: { kind: "text", text: `a prompt of a few words, number ${i}`, tokens: 9 }, maxTokens: OSL, timestampMs: null, delayMs: 0 }],
  });
  return { sessions: Array.from({ length: sessions }, (_, i) => s(i)), systemPrompt: null, sampling: "sequential", blockSize: 512 };
}

let handler: ((m: MainToWorker) => void) | null = null;
let phaseDone = Promise.withResolvers<void>();
const ready = Promise.withResolvers<void>();
let records = 0;
startLoadWorker({
  post: (m: WorkerToMain) => {
    if (m.type === "ready") ready.resolve();
    if (m.type === "records") records += m.batch.count;
    if (m.type === "fatal") phaseDone.reject(new Error(m.message));
    if (m.type === "phase-done") phaseDone.resolve();
  },
  onMessage: (h) => (handler = h),
});
const ds = dataset(4 * REQUESTS);
const shared = new SharedState();
handler!({ type: "init", config: { workerId: 0, workerCount: 1, ...workerSettings(url, ds, { streaming }) }, shared: shared.buffer });
await ready.promise;

async function phase(requests: number): Promise<Record<string, number>> {
  phaseDone = Promise.withResolvers<void>();
  handler!({ type: "phase", spec: closedLoopPhase(ds, requests, CONCURRENCY) });
  await phaseDone.promise;
  return { ...(heapStats().objectTypeCounts as Record<string, number>) };
}

const before = await phase(REQUESTS);
const after = await phase(3 * REQUESTS);
const perRequest: Record<string, number> = {};
let total = 0;
for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
  const n = ((after[kind] ?? 0) - (before[kind] ?? 0)) / (2 * REQUESTS);
  total += n;
  if (n >= 0.5) perRequest[kind] = Math.round(n * 10) / 10;
}
const byKind = Object.fromEntries(Object.entries(perRequest).sort((a, b) => b[1] - a[1]));
console.log(
  JSON.stringify({ streaming, osl: OSL, concurrency: CONCURRENCY, requests: records, objects_per_request: Math.round(total * 10) / 10, by_kind: byKind }),
);
process.exit(0);
