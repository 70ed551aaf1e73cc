// A minimal SSE server for measuring the CLIENT's timing error: Bun.listen raw sockets, each chunk
// written with socket.write and timestamped right after the write returns (the bytes are in the
// kernel), unlike a framework server whose enqueue may reach the socket later. Logs one JSON line per
// request: {request_id, received_ns, chunks: [sent_ns...]}. Usage:
//   bun scripts/truth-server.ts <record.jsonl> <ttft_ms> <itl_ms> <tokens>
// Prints its URL on stdout. Loopback only. Bench tooling, not part of llmbench.
import { appendFileSync } from "node:fs";
import { newModelMetrics, renderPrometheus } from "../src/mock/prometheus.ts";
import { epochNs } from "../src/runtime/clock.ts";

const [recordPath = "truth.jsonl", ttftArg = "50", itlArg = "10", tokensArg = "20"] = process.argv.slice(2);
const TTFT_MS = Number(ttftArg);
const ITL_MS = Number(itlArg);
const TOKENS = Number(tokensArg);
const enc = new TextEncoder();
const HEAD = enc.encode("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
const chunked = (s: string) => enc.encode(`${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`);
const tokenEvent = (i: number) =>
  chunked(`data: {"choices":[{"index":0,"delta":{"content":" the"},"finish_reason":${i === TOKENS - 1 ? '"length"' : "null"}}]}\n\n`);
const DONE = enc.encode(`${Buffer.byteLength("data: [DONE]\n\n").toString(16)}\r\ndata: [DONE]\n\n\r\n0\r\n\r\n`);
/** GET /metrics (the mock's Prometheus text) and GET /v1/models (an OpenAI model list), or null. */
function otherRoute(head: string): Uint8Array | null {
  const path = /^GET (\S+)/.exec(head)?.[1];
  if (path === "/metrics") return plainAnswer("text/plain; version=0.0.4; charset=utf-8", METRICS_TEXT);
  if (path === "/v1/models") return plainAnswer("application/json", MODELS_JSON);
  return null;
}
const METRICS_TEXT = renderPrometheus([["mock-model", newModelMetrics()]]);
const MODELS_JSON = JSON.stringify({ object: "list", data: [{ id: "mock-model", object: "model", created: 0, owned_by: "truth-server" }] });
const plainAnswer = (type: string, body: string) =>
  enc.encode(`HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
let lines: string[] = [];
const flush = () => {
  if (lines.length) appendFileSync(recordPath, lines.join(""));
  lines = [];
};
setInterval(flush, 200);

interface Conn {
  buf: string;
}

function write(s: { write(b: Uint8Array): number }, b: Uint8Array): number {
  s.write(b);
  return epochNs();
}

const server = Bun.listen<Conn>({
  hostname: "127.0.0.1",
  port: 0,
  socket: {
    open(s) {
      s.data = { buf: "" };
    },
    data(s, bytes) {
      const received_ns = epochNs();
      s.data.buf += new TextDecoder().decode(bytes);
      const headEnd = s.data.buf.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const head = s.data.buf.slice(0, headEnd);
      const len = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (s.data.buf.length < headEnd + 4 + len) return;
      s.data.buf = s.data.buf.slice(headEnd + 4 + len);
      // A server's other routes, answered as vLLM does, so a client's pre-flight and metric scrapes
      // cost what they cost against one; not logged.
      const plain = otherRoute(head);
      if (plain !== null) {
        s.write(plain);
        return;
      }
      const request_id = /x-request-id:\s*(\S+)/i.exec(head)?.[1] ?? "";
      const sent: number[] = [];
      write(s, HEAD);
      let i = 0;
      const next = () => {
        if (i < TOKENS) {
          sent.push(write(s, tokenEvent(i)));
          i++;
          setTimeout(next, ITL_MS);
        } else {
          write(s, DONE);
          lines.push(`${JSON.stringify({ request_id, received_ns, chunks: sent })}\n`);
        }
      };
      setTimeout(next, TTFT_MS);
    },
  },
});
console.log(`http://127.0.0.1:${server.port}`);
process.on("SIGINT", () => {
  flush();
  process.exit(0);
});
