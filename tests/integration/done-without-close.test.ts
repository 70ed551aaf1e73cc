// `data: [DONE]` ends a request at once on both transports, even when the server keeps the body open
// (with the default 6 h timeout such a server used to hang the run); a body that does end after
// [DONE] leaves its connection reusable.
import { afterAll, describe, expect, test } from "bun:test";
import { createFetchTransport } from "../../src/client/fetch-transport.ts";
import { createHttp1Transport } from "../../src/client/http1-transport.ts";
import { DONE_GRACE_MS, runRequest, type RecordIdentity } from "../../src/client/request-runner.ts";
import type { TokenCounter } from "../../src/client/token-counter.ts";
import type { Transport } from "../../src/client/transport.ts";
import { httpChunk, type RawHttpServer, rawHttpServer } from "../helpers/raw-http-server.ts";

const ID: RecordIdentity = {
  request_index: 0,
  session_num: 0,
  conversation_id: "c0",
  turn_index: 0,
  worker_id: 0,
  phase: "profiling",
  model: "m",
  scheduled_ns: 0,
  queue_ns: 0,
  input_tokens: 1,
  requested_output_tokens: null,
};
const chars: TokenCounter = { count: (t) => t.length };
const HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
const EVENT = httpChunk('data: {"choices":[{"index":0,"delta":{"content":"hello"}}]}\n\n');
const DONE = httpChunk("data: [DONE]\n\n");
const TERMINATOR = "0\r\n\r\n";

/** Answers each request with one event and [DONE]; `terminate` says whether (and when) the body ends. */
function startServer(terminate: "never" | "later"): RawHttpServer {
  return rawHttpServer((s) => {
    s.write(HEAD + EVENT + DONE);
    if (terminate === "later") setTimeout(() => s.write(TERMINATOR), 50);
  });
}

const servers: RawHttpServer[] = [];
afterAll(() => {
  for (const s of servers) s.stop();
});

function send(transport: Transport, url: string) {
  return runRequest(
    transport,
    {
      url,
      endpointType: "chat",
      streaming: true,
      body: "{}",
      headers: { "content-type": "application/json" },
      requestId: "r",
      timeoutMs: 6 * 3600 * 1000,
      cancel: null,
    },
    ID,
    chars,
  );
}

async function until(cond: () => boolean, maxMs: number): Promise<void> {
  for (let waited = 0; !cond() && waited < maxMs; waited += 20) await Bun.sleep(20);
}

describe.each([
  ["http1", () => createHttp1Transport()],
  ["fetch", () => createFetchTransport()],
] as const)("%s transport", (_, make) => {
  test("the server keeps the body open after [DONE]: the request ends at [DONE], the connection is closed after the grace period", async () => {
    const srv = startServer("never");
    servers.push(srv);
    const transport = make();
    const r = await send(transport, srv.url); // hung for the whole 6 h timeout before the fix
    expect(r.error).toBeNull();
    expect([r.chunks.length, r.output_tokens]).toEqual([1, 5]);
    await until(() => srv.closed === 1, DONE_GRACE_MS + 5_000);
    expect(srv.closed).toBe(1);
    transport.close();
  }, 20_000);

  test("the body ends (in a later write) after [DONE]: the next request, sent at once, reuses the connection", async () => {
    const srv = startServer("later");
    servers.push(srv);
    const transport = make();
    for (let i = 0; i < 3; i++) expect((await send(transport, srv.url)).error).toBeNull();
    expect([srv.connections, srv.closed]).toEqual([1, 0]);
    transport.close();
  }, 20_000);
});
