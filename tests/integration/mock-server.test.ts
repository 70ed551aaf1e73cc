// The mock server over real HTTP on 127.0.0.1:0, driven with fetch.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import type { MockOptions } from "../../src/mock/mock-options.ts";
import type { MockRecord } from "../../src/mock/recorder.ts";

const dir = mkdtempSync(join(tmpdir(), "mock-it-"));
const servers: MockServerHandle[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(opts: Partial<MockOptions>): Promise<MockServerHandle> {
  const s = await startMockServer(opts);
  servers.push(s);
  return s;
}

/** Reads a body to its end or to a transport error: the text that arrived, and the error (null if none). */
async function readBody(res: Response): Promise<{ text: string; error: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: null };
      text += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    return { text, error: e };
  }
}

interface SseEvent {
  data: string;
  atMs: number;
}

/** Reads an SSE body to the end (or throws on a transport error); `data:` payloads with arrival times. */
async function readSse(res: Response): Promise<SseEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const at = performance.now();
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      for (const line of block.split("\n")) if (line.startsWith("data: ")) events.push({ data: line.slice(6), atMs: at });
    }
  }
  return events;
}

function post(s: MockServerHandle, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(s.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
}

const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: "mock-model",
  messages: [{ role: "user", content: "one two three four five six" }],
  ...extra,
});

/** Response JSON, loosely typed: tests assert on its shape. */
// biome-ignore lint/suspicious/noExplicitAny: test payloads are checked field by field
async function jsonOf(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

const parsed = (events: SseEvent[]) => events.filter((e) => e.data !== "[DONE]").map((e) => JSON.parse(e.data));

async function readRecords(path: string): Promise<MockRecord[]> {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as MockRecord);
}

describe("mock server: protocol", () => {
  let s: MockServerHandle;
  beforeAll(async () => {
    s = await server({ ttftMs: 2, itlMs: 1, models: ["mock-model", "other"] });
  });

  test("url is loopback with the bound port", () => {
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
  });

  test("streaming chat: one chunk per token, role first, finish_reason length, [DONE]", async () => {
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 8 }), { "x-request-id": "rid-1" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("x-request-id")).toBe("rid-1");
    const events = await readSse(res);
    expect(events.at(-1)!.data).toBe("[DONE]");
    const chunks = parsed(events);
    expect(chunks.length).toBe(8);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.model === "mock-model")).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
    const text = chunks.map((c) => c.choices[0].delta.content).join("");
    expect(text.split(" ").length - 1).toBe(8);
  });

  test("streaming completions: choices[0].text, text_completion", async () => {
    const res = await post(s, "/v1/completions", { model: "x", prompt: "a b c", stream: true, max_tokens: 5 });
    const events = await readSse(res);
    expect(events.at(-1)!.data).toBe("[DONE]");
    const chunks = parsed(events);
    expect(chunks.length).toBe(5);
    expect(chunks.every((c) => c.object === "text_completion" && typeof c.choices[0].text === "string")).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
  });

  test("include_usage adds a choices-less usage chunk before [DONE]", async () => {
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 4, stream_options: { include_usage: true } }));
    const events = await readSse(res);
    const chunks = parsed(events);
    expect(chunks.length).toBe(5);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 } });
    expect(chunks.at(-1).usage.completion_tokens_details).toBeUndefined();
    expect(events.at(-1)!.data).toBe("[DONE]");
  });

  test("max_completion_tokens beats max_tokens; no max gives 0.5x..1.5x the prompt", async () => {
    const a = await jsonOf(post(s, "/v1/chat/completions", chatBody({ max_tokens: 50, max_completion_tokens: 3 })));
    expect(a.usage.completion_tokens).toBe(3);
    const words = Array.from({ length: 40 }, () => "w").join(" ");
    const b = await jsonOf(post(s, "/v1/completions", { model: "m", prompt: words }));
    expect(b.usage.completion_tokens).toBeGreaterThanOrEqual(20);
    expect(b.usage.completion_tokens).toBeLessThan(60);
    expect(b.choices[0].finish_reason).toBe("stop");
  });

  test("non-streaming chat body with usage", async () => {
    const res = await post(s, "/v1/chat/completions", chatBody({ max_tokens: 6 }));
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await jsonOf(res);
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.role).toBe("assistant");
    expect(body.choices[0].message.content.split(" ").length - 1).toBe(6);
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.usage).toEqual({ prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 });
  });

  test("bad requests are 400 with an OpenAI error body", async () => {
    for (const [path, body] of [
      ["/v1/chat/completions", "{not json"],
      ["/v1/chat/completions", { model: "m" }],
      ["/v1/completions", { prompt: "x" }],
      ["/v1/chat/completions", chatBody({ max_tokens: -1 })],
      ["/v1/embeddings", { model: "m" }],
    ] as const) {
      const res = await post(s, path, body);
      expect(res.status).toBe(400);
      const err = (await jsonOf(res)).error;
      expect(typeof err.message).toBe("string");
      expect(err.type).toBe("invalid_request_error");
      expect(err.code).toBe(400);
    }
    const bad = await post(s, "/v1/chat/completions", chatBody(), { "x-mock-fault": "explode" });
    expect(bad.status).toBe(400);
  });

  test("embeddings: deterministic vectors of embeddingDim, usage, base64", async () => {
    const a = await jsonOf(post(s, "/v1/embeddings", { model: "e", input: ["a b", "c"] }));
    expect(a.object).toBe("list");
    expect(a.data.length).toBe(2);
    expect(a.data[0].embedding.length).toBe(16);
    expect(a.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    const b = await jsonOf(post(s, "/v1/embeddings", { model: "e", input: "a b" }));
    expect(b.data[0].embedding).toEqual(a.data[0].embedding);
    const c = await jsonOf(post(s, "/v1/embeddings", { model: "e", input: "a b", encoding_format: "base64" }));
    const floats = new Float32Array(new Uint8Array(Buffer.from(c.data[0].embedding, "base64")).buffer);
    expect(Array.from(floats)).toEqual(a.data[0].embedding);
  });

  test("models, health, 404, 405", async () => {
    const models = await jsonOf(fetch(s.url + "/v1/models"));
    expect(models).toMatchObject({
      object: "list",
      data: [
        { id: "mock-model", object: "model" },
        { id: "other", object: "model" },
      ],
    });
    expect((await fetch(s.url + "/health")).status).toBe(200);
    expect((await fetch(s.url + "/nope")).status).toBe(404);
    expect((await fetch(s.url + "/v1/chat/completions")).status).toBe(405);
  });

  test("metrics: vLLM names, counters grow with requests", async () => {
    const before = await (await fetch(s.url + "/metrics")).text();
    const gen = (t: string): number => Number(/vllm:generation_tokens_total\{model_name="mock-model"\} (\S+)/.exec(t)![1]);
    await jsonOf(post(s, "/v1/chat/completions", chatBody({ max_tokens: 7 })));
    await readSse(await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 5 })));
    const res = await fetch(s.url + "/metrics");
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    const text = await res.text();
    expect(gen(text) - gen(before)).toBe(12);
    for (const needle of [
      "# TYPE vllm:num_requests_running gauge",
      "# TYPE vllm:num_requests_waiting gauge",
      "# TYPE vllm:prompt_tokens_total counter",
      "# TYPE vllm:time_to_first_token_seconds histogram",
      'vllm:num_requests_running{model_name="mock-model"} 0.0',
      'vllm:time_to_first_token_seconds_bucket{model_name="mock-model",le="+Inf"}',
    ]) {
      expect(text).toContain(needle);
    }
    const count = Number(/vllm:time_to_first_token_seconds_count\{model_name="mock-model"\} (\S+)/.exec(text)![1]);
    expect(count).toBeGreaterThanOrEqual(2);
  });
});

describe("mock server: client aborts and jitter", () => {
  const gauge = (t: string, name: string): number => Number(new RegExp(`${name}\\{model_name="mock-model"\\} (\\S+)`).exec(t)![1]);

  test("a client abort frees the request: running gauge back to 0, no more tokens generated", async () => {
    const s = await server({ ttftMs: 1, itlMs: 2 });
    const ac = new AbortController();
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 500 }), {}, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    const during = await (await fetch(s.url + "/metrics")).text();
    expect(gauge(during, "vllm:num_requests_running")).toBe(1);
    ac.abort();
    await Bun.sleep(30);
    const after = await (await fetch(s.url + "/metrics")).text();
    expect(gauge(after, "vllm:num_requests_running")).toBe(0);
    await Bun.sleep(30);
    const later = await (await fetch(s.url + "/metrics")).text();
    expect(gauge(later, "vllm:generation_tokens_total")).toBe(gauge(after, "vllm:generation_tokens_total"));
    expect(gauge(later, "vllm:generation_tokens_total")).toBeLessThan(100);
  });

  test("jitterPct spreads the gaps within +-pct of itl", async () => {
    const path = join(dir, "jitter.jsonl");
    const s = await startMockServer({ ttftMs: 5, itlMs: 10, jitterPct: 80, recordPath: path });
    await readSse(await post(s, "/v1/completions", { model: "m", prompt: "x", stream: true, max_tokens: 25 }));
    await s.stop();
    const [r] = await readRecords(path);
    const sent = r!.chunks.filter((c) => c.tokens > 0).map((c) => c.sent_ns);
    const gapsMs = sent.slice(1).map((t, i) => (t - sent[i]!) / 1e6);
    expect(Math.min(...gapsMs)).toBeLessThan(7);
    expect(Math.max(...gapsMs)).toBeGreaterThan(13);
    // Targets are absolute, so single late timers do not add up: the span is ttft + sum of jittered gaps.
    expect(gapsMs.reduce((a, b) => a + b, 0)).toBeLessThan(24 * 18 + 20);
  });
});

describe("mock server: reasoning, bundling, seeds", () => {
  test("reasoning_content comes before content; usage counts both", async () => {
    const s = await server({ ttftMs: 1, itlMs: 1, reasoningTokens: 3 });
    const chunks = parsed(
      await readSse(await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 7, stream_options: { include_usage: true } }))),
    );
    const kinds = chunks.slice(0, -1).map((c) => ("reasoning_content" in c.choices[0].delta ? "r" : "c"));
    expect(kinds.join("")).toBe("rrrcccc");
    expect(chunks.at(-1).usage).toEqual({
      prompt_tokens: 6,
      completion_tokens: 7,
      total_tokens: 13,
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    const body = await jsonOf(post(s, "/v1/chat/completions", chatBody({ max_tokens: 7 })));
    expect(body.choices[0].message.reasoning_content.split(" ").length - 1).toBe(3);
    expect(body.choices[0].message.content.split(" ").length - 1).toBe(4);
  });

  test("tokensPerChunk bundles tokens into chunks", async () => {
    const s = await server({ ttftMs: 1, itlMs: 1, tokensPerChunk: 3 });
    const chunks = parsed(await readSse(await post(s, "/v1/completions", { model: "m", prompt: "x", stream: true, max_tokens: 10 })));
    expect(chunks.map((c) => c.choices[0].text.split(" ").length - 1)).toEqual([3, 3, 3, 1]);
  });

  test("same seed and request sequence: same lengths and text; another seed differs", async () => {
    const run = async (seed: number): Promise<string[]> => {
      const s = await server({ ttftMs: 0, itlMs: 0, seed });
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const b = await jsonOf(post(s, "/v1/completions", { model: "m", prompt: "a b c d e f g h i j k l m n o p q r s t" }));
        out.push(b.choices[0].text);
      }
      return out;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });
});

describe("mock server: faults via X-Mock-Fault", () => {
  let s: MockServerHandle;
  beforeAll(async () => {
    // Random faults at 100% prove the header overrides them.
    s = await server({ ttftMs: 2, itlMs: 2, stallSeconds: 30, fault500Pct: 100 });
  });

  test("percentages apply without the header", async () => {
    expect((await post(s, "/v1/chat/completions", chatBody())).status).toBe(500);
  });

  test("500", async () => {
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true }), { "x-mock-fault": "500" });
    expect(res.status).toBe(500);
    expect((await jsonOf(res)).error.code).toBe(500);
  });

  test("429 with Retry-After", async () => {
    const res = await post(s, "/v1/completions", { model: "m", prompt: "x" }, { "x-mock-fault": "429" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect((await jsonOf(res)).error.type).toBe("rate_limit_error");
  });

  test("none forces a clean response", async () => {
    const res = await post(s, "/v1/chat/completions", chatBody({ max_tokens: 2 }), { "x-mock-fault": "none" });
    expect(res.status).toBe(200);
  });

  test("drop after a burst of due chunks (--itl-ms 0): the chunks written before the cut still arrive", async () => {
    const fast = await server({ ttftMs: 0, itlMs: 0 });
    for (let i = 0; i < 3; i++) {
      const res = await post(fast, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 10 }), { "x-mock-fault": "drop" });
      expect(res.status).toBe(200);
      const { text, error } = await readBody(res);
      expect(error).not.toBeNull();
      expect(text.split("data: ").length - 1).toBe(5);
    }
  });

  test("drop: some chunks arrive, then fetch's body read fails, no [DONE]", async () => {
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 10 }), { "x-mock-fault": "drop" });
    expect(res.status).toBe(200);
    const { text, error } = await readBody(res);
    expect(error).not.toBeNull();
    expect(text).not.toContain("[DONE]");
    expect(text.split("data: ").length - 1).toBe(5);
  });

  test("drop on a non-streaming request: fetch itself fails", async () => {
    await expect(post(s, "/v1/chat/completions", chatBody({ max_tokens: 4 }), { "x-mock-fault": "drop" })).rejects.toThrow();
  });

  test("malformed: exactly one chunk is not valid JSON, the stream still ends with [DONE]", async () => {
    const events = await readSse(await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 6 }), { "x-mock-fault": "malformed" }));
    expect(events.at(-1)!.data).toBe("[DONE]");
    const bad = events.slice(0, -1).filter((e) => {
      try {
        JSON.parse(e.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad.length).toBe(1);
    expect(events.length).toBe(7);
  });

  test("stall: first chunk arrives, then a client timeout shorter than stallSeconds fires", async () => {
    const ac = new AbortController();
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 5 }), { "x-mock-fault": "stall" }, ac.signal);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("data: ")) text += decoder.decode((await reader.read()).value!, { stream: true });
    const timeout = Symbol("timeout");
    const next = await Promise.race([reader.read(), Bun.sleep(300).then(() => timeout)]);
    expect(next).toBe(timeout);
    ac.abort();
  });

  test("stall then continue: the gap after the first chunk is stallSeconds", async () => {
    // Measured where the mock sends, from its record: a client's read times move with the test machine's load.
    const path = join(dir, "stall.jsonl");
    const s2 = await startMockServer({ ttftMs: 1, itlMs: 1, stallSeconds: 0.25, recordPath: path });
    const events = await readSse(await post(s2, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 4 }), { "x-mock-fault": "stall" }));
    await s2.stop();
    expect(events.length).toBe(5);
    const records = await readRecords(path);
    expect(records.length).toBe(1);
    const r = records[0]!;
    const sentNs = r.chunks.filter((c) => c.tokens > 0).map((c) => c.sent_ns);
    expect(sentNs.length).toBe(4);
    // Chunks keep deadlines from the request's arrival (a late first chunk does not push the rest):
    // the second leaves no sooner than TTFT + ITL + the stall (1 + 1 + 250 ms, less 1 ms of timer rounding).
    expect((sentNs[1]! - r.received_ns) / 1e6).toBeGreaterThanOrEqual(251);
    expect((sentNs[1]! - sentNs[0]!) / 1e6).toBeGreaterThan(200);
    expect((sentNs[3]! - sentNs[1]!) / 1e6).toBeLessThan(200);
  });
});

describe("mock server: record file", () => {
  const path = join(dir, "record.jsonl");
  const TTFT_MS = 40;
  const ITL_MS = 10;
  let records: MockRecord[] = [];

  beforeAll(async () => {
    const s = await startMockServer({ ttftMs: TTFT_MS, itlMs: ITL_MS, recordPath: path });
    await readSse(
      await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 12 }), { "x-request-id": "timed", authorization: "Bearer sk-secret-123" }),
    );
    // Client walks away after two token chunks.
    const ac = new AbortController();
    const res = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 200 }), { "x-request-id": "gone" }, ac.signal);
    const reader = res.body!.getReader();
    let seen = "";
    while ((seen.match(/data: /g) ?? []).length < 2) seen += new TextDecoder().decode((await reader.read()).value!);
    ac.abort();
    await Bun.sleep(50);
    await post(s, "/v1/completions", { model: "m", prompt: "x" }, { "x-request-id": "e500", "x-mock-fault": "500" });
    // A non-streaming client gives up before the body is ready.
    const ac2 = new AbortController();
    const pending = post(s, "/v1/chat/completions", chatBody({ max_tokens: 50 }), { "x-request-id": "gone-json" }, ac2.signal).catch(() => null);
    await Bun.sleep(10);
    ac2.abort();
    await pending;
    await Bun.sleep(20);
    // A stream still running at stop() is ended and recorded.
    const open = await post(s, "/v1/chat/completions", chatBody({ stream: true, max_tokens: 1000 }), { "x-request-id": "open" });
    const openRead = readSse(open).catch(() => []);
    await Bun.sleep(TTFT_MS + 30);
    await s.stop();
    await openRead;
    records = await readRecords(path);
  });

  test("one line per request, never the Authorization header", () => {
    expect(records.map((r) => r.request_id).sort()).toEqual(["e500", "gone", "gone-json", "open", "timed"]);
    expect(readFileSync(path, "utf8")).not.toContain("sk-secret");
  });

  test("chunk sent_ns increase and follow ttft then itl", () => {
    const r = records.find((x) => x.request_id === "timed")!;
    expect(r).toMatchObject({
      path: "/v1/chat/completions",
      model: "mock-model",
      stream: true,
      status: 200,
      fault: null,
      prompt_tokens: 6,
      completion_tokens: 12,
      max_tokens: 12,
      client_disconnected: false,
    });
    const tokenChunks = r.chunks.filter((c) => c.tokens > 0);
    expect(tokenChunks.length).toBe(12);
    expect(r.chunks.length).toBe(13); // + [DONE]
    for (let i = 1; i < r.chunks.length; i++) expect(r.chunks[i]!.sent_ns).toBeGreaterThanOrEqual(r.chunks[i - 1]!.sent_ns);
    expect(r.headers_sent_ns!).toBeGreaterThanOrEqual(r.received_ns);
    expect(r.first_token_ns).toBe(tokenChunks[0]!.sent_ns);
    // The mock never sends a chunk early: token chunk i leaves no sooner than TTFT + i x ITL after the
    // request arrived (a late one, on a loaded machine, is followed by the rest on their own deadlines).
    for (const [i, c] of tokenChunks.entries()) expect((c.sent_ns - r.received_ns) / 1e6).toBeGreaterThanOrEqual(TTFT_MS + i * ITL_MS - 1);
    expect(r.end_ns).toBeGreaterThanOrEqual(r.chunks.at(-1)!.sent_ns);
    expect(r.chunks.every((c) => c.bytes > 0)).toBe(true);
  });

  test("client disconnect is recorded with the tokens sent so far", () => {
    const r = records.find((x) => x.request_id === "gone")!;
    expect(r.client_disconnected).toBe(true);
    expect(r.completion_tokens).toBeGreaterThanOrEqual(2);
    expect(r.completion_tokens).toBeLessThan(200);
  });

  test("a non-streaming client that leaves is recorded as 499 without a response", () => {
    expect(records.find((x) => x.request_id === "gone-json")).toMatchObject({
      stream: false,
      status: 499,
      client_disconnected: true,
      headers_sent_ns: null,
      first_token_ns: null,
      chunks: [],
    });
  });

  test("faults and server stop are recorded", () => {
    expect(records.find((x) => x.request_id === "e500")).toMatchObject({ status: 500, fault: "500", completion_tokens: 0, chunks: [] });
    const open = records.find((x) => x.request_id === "open")!;
    expect(open.completion_tokens).toBeGreaterThan(0);
    expect(open.completion_tokens).toBeLessThan(1000);
  });
});

describe("mock server: batched decode", () => {
  test("knee: TTFT climbs for queued requests, throughput stays under the cap", async () => {
    const BATCH = 4;
    const STEP_MS = 5;
    const TOKENS = 10;
    const path = join(dir, "batch.jsonl");
    const s = await startMockServer({ maxBatchSize: BATCH, stepMs: STEP_MS, recordPath: path });
    let peakWaiting = 0;
    const poll = (async () => {
      for (let i = 0; i < 20; i++) {
        const m = /vllm:num_requests_waiting\{model_name="mock-model"\} (\S+)/.exec(await (await fetch(s.url + "/metrics")).text());
        peakWaiting = Math.max(peakWaiting, Number(m![1]));
        await Bun.sleep(10);
      }
    })();
    const counts = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const events = await readSse(await post(s, "/v1/completions", { model: "mock-model", prompt: "x", stream: true, max_tokens: TOKENS }));
        return events.filter((e) => e.data !== "[DONE]").length;
      }),
    );
    await poll;
    await s.stop();
    expect(counts.every((n) => n === TOKENS)).toBe(true);
    expect(peakWaiting).toBeGreaterThan(0);

    const records = await readRecords(path);
    expect(records.length).toBe(16);
    // Four waves of ten 5 ms steps: the last wave's first token comes ~150 ms after the first wave's.
    const ttftsMs = records.map((r) => (r.first_token_ns! - r.received_ns) / 1e6).sort((a, b) => a - b);
    // Relative checks only: on a loaded machine timers fire late, which shifts every TTFT, not the knee.
    expect(ttftsMs[12]!).toBeGreaterThan(ttftsMs[3]! + 80);
    expect(ttftsMs[15]!).toBeGreaterThanOrEqual(30 * STEP_MS - 5);

    // Throughput cap, in aggregate (late timers can only lengthen the span; the per-step cap is
    // checked on a fake clock in tests/unit/mock/batch-scheduler.test.ts).
    const sentNs = records.flatMap((r) => r.chunks.filter((c) => c.tokens > 0).map((c) => c.sent_ns)).sort((a, b) => a - b);
    expect(sentNs.length).toBe(16 * TOKENS);
    const spanMs = (sentNs.at(-1)! - sentNs[0]!) / 1e6;
    expect(spanMs).toBeGreaterThanOrEqual(((16 * TOKENS) / BATCH - 1) * STEP_MS - 1);
  });
});

describe("mock server: scale", () => {
  test("1000 concurrent streams complete with every chunk", async () => {
    const s = await server({ ttftMs: 20, itlMs: 5 });
    const N = 1000;
    const counts = await Promise.all(
      Array.from({ length: N }, async () => {
        const res = await post(s, "/v1/completions", { model: "m", prompt: "x", stream: true, max_tokens: 20 });
        const events = await readSse(res);
        return events.at(-1)!.data === "[DONE]" ? events.length - 1 : -1;
      }),
    );
    expect(counts.filter((c) => c === 20).length).toBe(N);
    const metrics = await (await fetch(s.url + "/metrics")).text();
    expect(metrics).toContain('vllm:num_requests_running{model_name="m"} 0.0');
  }, 20_000);
});
