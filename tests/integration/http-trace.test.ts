// HTTP trace phases measured against real servers: the mock (fresh and reused connections, a pool
// wait), a stand-in that holds the first body byte back by a known time, and the fetch transport,
// which cannot see most phases.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFetchTransport } from "../../src/client/fetch-transport.ts";
import { createHttp1Transport } from "../../src/client/http1-transport.ts";
import { runRequest, type RecordIdentity } from "../../src/client/request-runner.ts";
import type { TokenCounter } from "../../src/client/token-counter.ts";
import type { Transport } from "../../src/client/transport.ts";
import { httpPhases } from "../../src/metrics/http-phases.ts";
import { recordValues } from "../../src/metrics/record-values.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { traceData } from "../../src/report/http-trace-json.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { rawHttpServer } from "../helpers/raw-http-server.ts";

const ID: RecordIdentity = {
  request_index: 0,
  session_num: 0,
  conversation_id: "c0",
  turn_index: 0,
  worker_id: 0,
  phase: "profiling",
  model: "mock-model",
  scheduled_ns: 0,
  queue_ns: 0,
  input_tokens: 1,
  requested_output_tokens: null,
};
const chars: TokenCounter = { count: (t) => t.length };
const BODY = JSON.stringify({ model: "mock-model", messages: [{ role: "user", content: "hi" }], max_completion_tokens: 8 });

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function send(transport: Transport, url: string, streaming: boolean): Promise<RequestRecord> {
  return runRequest(
    transport,
    {
      url,
      endpointType: "chat",
      streaming,
      body: streaming ? JSON.stringify({ ...JSON.parse(BODY), stream: true }) : BODY,
      headers: { "content-type": "application/json" },
      requestId: crypto.randomUUID(),
      timeoutMs: 30_000,
      cancel: null,
    },
    ID,
    chars,
  );
}

let mock: MockServerHandle;
async function mockUrl(): Promise<string> {
  if (!mock) {
    mock = await startMockServer({ ttftMs: 20, itlMs: 2 });
    cleanups.push(() => mock.stop());
  }
  return `${mock.url}/v1/chat/completions`;
}

const PHASES = ["http_req_blocked", "http_req_connecting", "http_req_sending", "http_req_waiting", "http_req_receiving", "http_req_duration"] as const;

describe("http1 transport against the mock", () => {
  test("phases are non-negative, add up to http_req_duration, and duration is the latency less blocked and connecting", async () => {
    const url = await mockUrl();
    // One request on a transport of its own first: the first call in a process compiles the code before
    // the pool (URL, request bytes), which under CI load took 35 ms of the first record's gap below.
    const warm = createHttp1Transport();
    cleanups.push(() => warm.close());
    expect((await send(warm, url, false)).error).toBeNull();
    const t = createHttp1Transport();
    cleanups.push(() => t.close());
    const records = [await send(t, url, false), await send(t, url, false), await send(t, url, true), await send(t, url, true)];
    expect(records.map((r) => r.error)).toEqual([null, null, null, null]);
    expect(records.map((r) => r.http?.transport)).toEqual(["http1", "http1", "http1", "http1"]);
    expect(records.map((r) => r.http?.reused)).toEqual([false, true, true, true]);
    for (const r of records) {
      const p = httpPhases(r.http!);
      for (const tag of PHASES) expect(p[tag]).toBeGreaterThanOrEqual(0);
      // Exact in integer ns; 1 µs allows for the rounding of epoch-ns doubles.
      expect(Math.abs(p.http_req_sending! + p.http_req_waiting! + p.http_req_receiving! - p.http_req_duration!)).toBeLessThanOrEqual(1000);
      expect(p.http_req_total).toBe(p.http_req_blocked! + p.http_req_connecting! + p.http_req_duration!);
      expect(p.http_req_data_sent).toBeGreaterThan(BODY.length);
      expect(p.http_req_data_received).toBeGreaterThan(0);
      expect(p.http_req_chunks_received).toBeGreaterThanOrEqual(1);
    }
    // Non-streaming: the record ends at the transport's end, the last byte; the rest of end - start is
    // pool wait, connecting and the few µs before the pool (never negative, far below the 20 ms TTFT).
    for (const r of records.slice(0, 2)) {
      const p = httpPhases(r.http!);
      const gap = r.end_ns - r.start_ns - p.http_req_blocked! - p.http_req_connecting! - p.http_req_duration!;
      expect(gap).toBeGreaterThanOrEqual(-1000);
      expect(gap).toBeLessThan(p.http_req_duration! / 2);
      expect(p.http_req_waiting!).toBeGreaterThanOrEqual(20e6); // the mock answers after its TTFT
    }
    expect(httpPhases(records[1]!.http!).http_req_connecting).toBe(0);
    expect(httpPhases(records[1]!.http!).http_req_connection_reused).toBe(1);
    expect(httpPhases(records[0]!.http!).http_req_connection_reused).toBe(0);
  });

  test("a request waiting for the only connection is blocked until it frees, then reuses it", async () => {
    const url = await mockUrl();
    const t = createHttp1Transport({ maxConnectionsPerOrigin: 1 });
    cleanups.push(() => t.close());
    const [a, b] = await Promise.all([send(t, url, false), send(t, url, false)]);
    expect([a.error, b.error]).toEqual([null, null]);
    const pa = httpPhases(a.http!);
    const pb = httpPhases(b.http!);
    expect(pa.http_req_blocked).toBe(0);
    expect(b.http!.pool_wait_start_ns).toBeGreaterThan(0);
    // b waited while a ran on the connection: at least a's time to first byte.
    expect(pb.http_req_blocked!).toBeGreaterThanOrEqual(pa.http_req_waiting!);
    expect([a.http!.reused, b.http!.reused]).toEqual([false, true]);
    expect(pb.http_req_connecting).toBe(0);
  });
});

/** Raw server: sends the response head at once, the body `delayMs` later. */
function startDelayedBodyServer(delayMs: number): string {
  const srv = rawHttpServer((s) => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "hello" } }] });
    s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    setTimeout(() => s.write(body), delayMs);
  });
  cleanups.push(() => srv.stop());
  return srv.url;
}

test("http_req_waiting runs to the first body byte: a server holding the body back 150 ms after the head waits >= 150 ms", async () => {
  const url = startDelayedBodyServer(150);
  const t = createHttp1Transport();
  cleanups.push(() => t.close());
  const r = await send(t, url, false);
  expect(r.error).toBeNull();
  const p = httpPhases(r.http!);
  expect(p.http_req_waiting!).toBeGreaterThanOrEqual(150e6);
  expect(r.ack_ns).toBeLessThan(r.http!.first_byte_ns); // the head came first
  expect(p.http_req_receiving).toBe(0); // the body came in one read
});

test("fetch transport: only the body's first and last read are seen; the other phases are null, so only http_req_receiving is a metric", async () => {
  const url = await mockUrl();
  const r = await send(createFetchTransport(), url, true);
  expect(r.error).toBeNull();
  const h = r.http!;
  expect(h.transport).toBe("fetch");
  expect([h.pool_wait_start_ns, h.connect_start_ns, h.send_start_ns, h.send_end_ns, h.bytes_sent, h.bytes_received, h.reads, h.reused]).toEqual([
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ]);
  expect(h.first_byte_ns).toBeGreaterThan(0);
  expect(h.last_byte_ns).toBeGreaterThanOrEqual(h.first_byte_ns);
  const tags = [...recordValues(r, { streaming: true }).keys()].filter((k) => k.startsWith("http_req_"));
  expect(tags).toEqual(["http_req_receiving"]);
});

test("a refused connect: the trace keeps when the connect started, and trace_data says when it failed", async () => {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true); // nothing listens there now
  const t = createHttp1Transport();
  cleanups.push(() => t.close());
  const r = await send(t, `http://127.0.0.1:${port}/v1/chat/completions`, false);
  expect(r.error?.type).toBe("connection_error");
  expect(r.http!.connect_start_ns).toBeGreaterThanOrEqual(r.start_ns);
  expect([r.http!.send_start_ns, r.http!.first_byte_ns, r.http!.reused]).toEqual([0, 0, false]);
  const td = traceData(r) as Record<string, unknown>;
  expect(td.tcp_connect_start_ns).toBe(r.http!.connect_start_ns);
  expect(td.error_timestamp_ns).toBe(r.end_ns);
  expect(td.request_send_start_ns).toBeUndefined();
});

// TLS: a self-signed certificate made with openssl (skipped when openssl is missing).
const openssl = Bun.which("openssl");
test.skipIf(!openssl)(
  "https, insecure, a certificate for another name (CN=localhost, URL 127.0.0.1): it connects; connecting runs to the end of the TLS handshake; the next request reuses the connection",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "llmbench-trace-tls-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    const args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"];
    const gen = Bun.spawnSync([openssl!, ...args], { stdout: "ignore", stderr: "pipe" });
    expect(gen.exitCode, gen.stderr.toString()).toBe(0);
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "hello" } }] });
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      tls: { cert: Bun.file(cert), key: Bun.file(key) },
      fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
    });
    cleanups.push(() => server.stop(true));
    const t = createHttp1Transport({ insecure: true });
    cleanups.push(() => t.close());
    const url = `https://127.0.0.1:${server.port}/v1/chat/completions`;
    const [first, second] = [await send(t, url, false), await send(t, url, false)];
    expect([first.error, second.error]).toEqual([null, null]);
    const h = first.http!;
    expect(h.reused).toBe(false);
    // The handshake's callback is what readies the connection: the request is written at that stamp.
    expect(h.connect_end_ns).toBe(h.send_start_ns);
    expect(httpPhases(h).http_req_connecting!).toBeGreaterThan(0);
    expect(httpPhases(second.http!)).toMatchObject({ http_req_connecting: 0, http_req_connection_reused: 1 });
  },
);
