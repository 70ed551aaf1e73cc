// llmbench's client path alone, for its memory per stream: `concurrency` lanes, each sending `rounds`
// streaming requests one after another through the HTTP/1.1 transport and the request runner, body
// work deferred as the load worker defers it, counts in one batch per request (characters, on this
// thread), records dropped. No storage, no workers, no tokenizer.
//   bun scripts/client-path.ts <url> <concurrency> <rounds> [output tokens]
// Prints one JSON line: peak RSS (MiB, sampled every 50 ms), requests, chunks, failed. Bench tooling.
import { DeferredWork } from "../src/client/deferred-work.ts";
import { createHttp1Transport } from "../src/client/http1-transport.ts";
import { type CountBatch, type RecordIdentity, runRequest } from "../src/client/request-runner.ts";

const [url = "", concArg = "", roundsArg = "3", oslArg = ""] = process.argv.slice(2);
const CONCURRENCY = Number(concArg);
const ROUNDS = Number(roundsArg);
if (!url || !(CONCURRENCY > 0)) {
  console.error("usage: bun scripts/client-path.ts URL CONCURRENCY [ROUNDS] [OUTPUT_TOKENS]");
  process.exit(2);
}
const transport = createHttp1Transport();
const deferred = new DeferredWork();
const defer = (work: () => void): void => deferred.add(work);
const notHere = {
  count(): number {
    throw new Error("counted in batches");
  },
};
const countBatch: CountBatch = (texts, sink) => queueMicrotask(() => sink.counted(texts.map((t) => t.length)));
/** Output tokens asked for (max_tokens = min_tokens), or the mock's own choice when not given. */
const OSL = oslArg === "" ? null : Number(oslArg);
const body = JSON.stringify({
  model: "mock-model",
  messages: [{ role: "user", content: "hello" }],
  stream: true,
  ...(OSL !== null ? { max_tokens: OSL, min_tokens: OSL } : {}),
});
const identity = (index: number): RecordIdentity => ({
  request_index: index,
  session_num: index,
  conversation_id: `c${index}`,
  turn_index: 0,
  worker_id: 0,
  phase: "profiling",
  model: "mock-model",
  scheduled_ns: 0,
  queue_ns: 0,
  input_tokens: 1,
  requested_output_tokens: null,
});

let peak = 0;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
let requests = 0;
let chunks = 0;
let failed = 0;
async function lane(g: number): Promise<void> {
  for (let r = 0; r < ROUNDS; r++) {
    const index = g * ROUNDS + r;
    const rec = await runRequest(
      transport,
      {
        url,
        endpointType: "chat",
        streaming: true,
        body,
        headers: { "content-type": "application/json" },
        requestId: `req-${index}`,
        timeoutMs: 120_000,
        cancel: null,
        countBatch,
      },
      identity(index),
      notHere,
      notHere,
      defer,
    );
    requests++;
    chunks += rec.chunks.length;
    if (rec.error !== null) failed++;
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, (_, g) => lane(g)));
clearInterval(sample);
console.log(JSON.stringify({ peak_rss_mib: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20), requests, chunks, failed }));
process.exit(0);
