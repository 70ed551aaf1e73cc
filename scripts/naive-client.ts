// The floor llmbench's timing is compared with: a single-thread Bun.connect client that does nothing
// but send and stamp. Each of `concurrency` connections sends a streaming request, stamps every socket
// read, gives each SSE content event in a read that read's stamp (an indexOf, no JSON), and sends the
// next request when the body ends. No storage until the end, no tokenizer, no worker threads.
//   bun scripts/naive-client.ts <url> <concurrency> <requests> <out.jsonl>
// Writes one line per request: {request_id, index, start_ns, chunks: [arrival_ns...]}; prints its CPU
// seconds (user + system) on stdout, the whole run's and then those from the send of request
// `concurrency` (the first after one warmup wave) to the last response: the steady part llmbench's
// profiling phase is compared with. Bench tooling, not part of llmbench.
import { writeFileSync } from "node:fs";
import { epochNs } from "../src/runtime/clock.ts";

const [urlArg, concArg, reqArg, outPath = "naive.jsonl"] = process.argv.slice(2);
if (!urlArg || !concArg || !reqArg) {
  console.error("usage: bun scripts/naive-client.ts URL CONCURRENCY REQUESTS OUT.jsonl");
  process.exit(2);
}
const url = new URL(urlArg);
const CONCURRENCY = Number(concArg);
const REQUESTS = Number(reqArg);
const body = JSON.stringify({ model: "mock-model", messages: [{ role: "user", content: "hello" }], stream: true });
const enc = new TextEncoder();
const request = (id: string): Uint8Array =>
  enc.encode(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nx-request-id: ${id}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );

interface Done {
  request_id: string;
  index: number;
  start_ns: number;
  chunks: number[];
}
interface Conn {
  current: Done | null;
}

const done: Done[] = [];
/** CPU used when the first request after the warmup wave was sent. */
let steadyFrom: NodeJS.CpuUsage | null = null;
let next = 0;
let finished = 0;
const decoder = new TextDecoder();

function sendNext(s: { write(b: Uint8Array): number; data: Conn; end(): void }): void {
  if (next >= REQUESTS) {
    s.data.current = null;
    s.end();
    return;
  }
  const index = next++;
  if (index === CONCURRENCY) steadyFrom = process.cpuUsage();
  const id = `naive-${index}`;
  s.data.current = { request_id: id, index, start_ns: epochNs(), chunks: [] };
  s.write(request(id));
}

const allDone = Promise.withResolvers<void>();
for (let c = 0; c < CONCURRENCY; c++) {
  await Bun.connect<Conn>({
    hostname: url.hostname,
    port: Number(url.port),
    data: { current: null },
    socket: {
      open(s) {
        sendNext(s);
      },
      data(s, bytes) {
        const at = epochNs();
        const cur = s.data.current;
        if (cur === null) return;
        const text = decoder.decode(bytes);
        for (let i = text.indexOf('"content"'); i >= 0; i = text.indexOf('"content"', i + 9)) cur.chunks.push(at);
        // The chunked body's last chunk ends the response.
        if (text.endsWith("0\r\n\r\n")) {
          done.push(cur);
          if (++finished === REQUESTS) allDone.resolve();
          sendNext(s);
        }
      },
      error() {},
      close() {},
    },
  });
}
await allDone.promise;
const steady = process.cpuUsage(steadyFrom ?? undefined);
writeFileSync(outPath, `${done.map((d) => JSON.stringify(d)).join("\n")}\n`);
const cpu = process.cpuUsage();
console.log(`${((cpu.user + cpu.system) / 1e6).toFixed(3)} ${((steady.user + steady.system) / 1e6).toFixed(3)}`);
process.exit(0);
