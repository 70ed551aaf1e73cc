// What sending finished requests' texts to the count worker costs, by message shape: one message per
// request with its texts as strings (how counts went before), or requests coalesced, 4 or 16 to a
// message, as one string and the texts' lengths (off-thread-counter.ts' countMessage, answered by
// count-worker-main.ts' countTexts). Each request has 42 texts: the output, the reasoning, and a content
// and a reasoning piece for each of 20 chunks. Counting is a length here, so the figures are the
// messages' cost. Medians over alternating rounds of each thread's CPU per request (us).
//   bun scripts/bench-count-post.ts [requests=4000] [rounds=5]
// Prints one JSON line per shape. Bench tooling.
import { countMessage } from "../src/engine/off-thread-counter.ts";

const REQUESTS = Number(process.argv[2] ?? 4000);
const ROUNDS = Number(process.argv[3] ?? 5);
const WORDS = [" Hello", " world", ",", " this", " is", " a", " test", " of", " the", " stream"];
const texts = Array.from({ length: REQUESTS }, (_, i) => {
  const pieces = Array.from({ length: 20 }, (_, k) => WORDS[(i + k) % WORDS.length]!);
  return [pieces.join(""), "", ...pieces.flatMap((p) => [p, ""])];
});
const cpuUs = (): number => {
  const u = process.threadCpuUsage();
  return u.user + u.system;
};
const worker = new Worker(new URL("./bench-count-post-worker.ts", import.meta.url).href);

async function round(perMessage: number): Promise<{ sender_us: number; worker_us: number }> {
  let answered = 0;
  const finished = Promise.withResolvers<number>();
  worker.onmessage = (e: MessageEvent<{ ids?: number[]; id?: number; cpu_us?: number }>) => {
    if (e.data.cpu_us !== undefined) finished.resolve(e.data.cpu_us);
    else answered += e.data.ids ? e.data.ids.length : 1;
  };
  worker.postMessage({ start: true });
  await Bun.sleep(20);
  const t0 = cpuUs();
  for (let i = 0; i < REQUESTS; i += perMessage) {
    if (perMessage === 1) worker.postMessage({ type: "count", id: i, texts: texts[i] });
    else worker.postMessage(countMessage(texts.slice(i, i + perMessage).map((t, k) => ({ id: i + k, texts: t }))));
    // Spaced as requests finish in a run, so neither thread is handed one long queue.
    if (i % (4 * perMessage) === 0) await Bun.sleep(1);
  }
  while (answered < REQUESTS) await Bun.sleep(2);
  const sender = cpuUs() - t0;
  worker.postMessage({ end: true });
  return { sender_us: sender / REQUESTS, worker_us: (await finished.promise) / REQUESTS };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const shapes = [1, 4, 16];
const runs = new Map<number, { sender_us: number; worker_us: number }[]>(shapes.map((s) => [s, []]));
for (let r = 0; r < ROUNDS; r++) for (const s of shapes) runs.get(s)!.push(await round(s));
worker.terminate();
for (const [s, rs] of runs) {
  console.log(
    JSON.stringify({
      requests_per_message: s,
      texts_per_request: texts[0]!.length,
      requests: REQUESTS,
      rounds: ROUNDS,
      sender_us_per_request: median(rs.map((x) => x.sender_us)),
      count_worker_us_per_request: median(rs.map((x) => x.worker_us)),
    }),
  );
}
