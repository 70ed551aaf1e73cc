// Where does a whole run's memory grow? Drives one layer alone in this thread against a running
// server (e.g. `llmbench mock --port 0 --ttft-ms 0 --itl-ms 0`), 128 requests in flight, and prints
// RSS after a full GC every 50,000 requests. A flat line clears that layer.
//   bun scripts/memory-probe.ts transport|runner URL [N=300000]
import { createHttp1Transport } from "../src/client/http1-transport.ts";
import { type RecordIdentity, runRequest } from "../src/client/request-runner.ts";

const [layer, url, nArg] = process.argv.slice(2);
if ((layer !== "transport" && layer !== "runner") || url === undefined) {
  console.error("usage: bun scripts/memory-probe.ts transport|runner URL [N]");
  process.exit(2);
}
const N = Number(nArg ?? 300_000);
const IN_FLIGHT = 128;
const SAMPLE_EVERY = 50_000;
const endpoint = `${url.replace(/\/$/, "")}/v1/chat/completions`;
const transport = createHttp1Transport({});
const body = JSON.stringify({ model: "mock-model", messages: [{ role: "user", content: "hello there friend" }], max_completion_tokens: 4 });
const headers = { "content-type": "application/json" };
const id: RecordIdentity = {
  request_index: 0,
  x_correlation_id: "c",
  session_num: 0,
  conversation_id: "s",
  turn_index: 0,
  worker_id: 0,
  phase: "profiling",
  model: "mock-model",
  scheduled_ns: 0,
  queue_ns: 0,
  input_tokens: 4,
  requested_output_tokens: 4,
};
const rssMiB = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

/** One request through the layer under test; calls `done` when it is over. */
function sendOne(i: number, done: () => void): void {
  if (layer === "transport") {
    const handler = { onHead() {}, onData() {}, onEnd: done, onError: done };
    transport.send({ url: endpoint, method: "POST", headers, body }, handler, new AbortController().signal);
    return;
  }
  const req = { url: endpoint, endpointType: "chat" as const, streaming: false, body, headers, requestId: `r${i}`, timeoutMs: 600_000, cancel: null };
  void runRequest(transport, req, id, { count: (s) => s.length >> 2 }).then(done);
}

const samples: string[] = [];
let started = 0;
let finished = 0;
await new Promise<void>((resolve) => {
  const next = (): void => {
    if (started >= N) {
      if (finished >= N) resolve();
      return;
    }
    sendOne(started++, () => {
      finished++;
      if (finished % SAMPLE_EVERY === 0) {
        Bun.gc(true);
        samples.push(`${finished}: ${rssMiB()} MiB`);
      }
      next();
    });
  };
  for (let i = 0; i < IN_FLIGHT; i++) next();
});
console.log(`${layer}: ${samples.join(", ")}`);
process.exit(0);
