// runRequest through its seams: a scripted fake Transport (the test plays the server's events with
// explicit timestamps), a character-counting TokenCounter and, where it matters, a queued `defer`.
import { describe, expect, test } from "bun:test";
import { type CountBatch, DONE_GRACE_MS, runRequest, type RecordIdentity, type RunRequest } from "../../../src/client/request-runner.ts";
import type { TokenCounter } from "../../../src/client/token-counter.ts";
import { COUNT_SLICE_CHARS, cutOverhead } from "../../../src/client/sliced-count.ts";
import type { HttpRequest, ResponseHandler, Transport, TransportErrorKind, TransportExchange } from "../../../src/client/transport.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";

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
  input_tokens: 3,
  requested_output_tokens: null,
};

/** Counts characters, and records the length of every text it was given. */
function charCounter(): TokenCounter & { lengths: number[] } {
  const lengths: number[] = [];
  return { lengths, count: (t) => (lengths.push(t.length), t.length) };
}

/** A transport the test drives: each send() is kept with its handler and whether it was aborted. */
class FakeTransport implements Transport {
  readonly name = "fake";
  sends: { req: HttpRequest; handler: ResponseHandler; aborted: boolean }[] = [];
  send(req: HttpRequest, handler: ResponseHandler): TransportExchange {
    const sent = { req, handler, aborted: false };
    this.sends.push(sent);
    return { abort: () => (sent.aborted = true) };
  }
  close(): void {}
  private get h(): ResponseHandler {
    return this.sends.at(-1)!.handler;
  }
  /** The runner aborted the last request. */
  get aborted(): boolean {
    return this.sends.at(-1)!.aborted;
  }
  head(status: number, at = 1_000): void {
    this.h.onHead(status, {}, at);
  }
  data(text: string, at: number): void {
    this.h.onData(new TextEncoder().encode(text), at);
  }
  end(at: number): void {
    this.h.onEnd(at);
  }
  error(kind: TransportErrorKind, message: string, at: number): void {
    this.h.onError(kind, message, at);
  }
}

const sse = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
const delta = (content: string): string => sse({ choices: [{ index: 0, delta: { content } }] });
const DONE = "data: [DONE]\n\n";

function start(
  overrides: Partial<RunRequest> = {},
  opts: { counter?: TokenCounter; defer?: (w: () => void) => void } = {},
): { t: FakeTransport; done: Promise<RequestRecord>; text: () => string } {
  const t = new FakeTransport();
  let text = "";
  const req: RunRequest = {
    url: "http://127.0.0.1:1/v1/chat/completions",
    endpointType: "chat",
    streaming: true,
    body: "{}",
    headers: {},
    requestId: "r1",
    timeoutMs: 60_000,
    cancel: null,
    onText: (s) => (text = s),
    ...overrides,
  };
  const counter = opts.counter ?? charCounter();
  const done = runRequest(t, req, ID, counter, counter, opts.defer);
  return { t, done, text: () => text };
}

describe("runRequest", () => {
  test("success: per-chunk times and tokens, the whole text counted, end at [DONE]", async () => {
    const { t, done, text } = start();
    t.head(200, 1_000);
    t.data(delta("Hello"), 2_000);
    t.data(delta(" world") + sse({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }), 3_000);
    t.data(DONE, 4_000);
    t.end(5_000);
    const r = await done;
    expect(r.error).toBeNull();
    expect(r.http_status).toBe(200);
    expect([r.ack_ns, r.first_token_ns, r.first_output_token_ns, r.last_token_ns, r.end_ns]).toEqual([1_000, 2_000, 2_000, 3_000, 4_000]);
    expect(r.chunks).toEqual([
      { arrival_ns: 2_000, tokens: 5, bytes: delta("Hello").length - 8 },
      { arrival_ns: 3_000, tokens: 6, bytes: delta(" world").length - 8 },
    ]);
    expect(r.output_tokens).toBe(11);
    expect([r.usage_prompt_tokens, r.usage_completion_tokens, r.usage_total_tokens]).toEqual([3, 2, 5]);
    expect(text()).toBe("Hello world");
    expect(t.sends[0]!.req.method).toBe("POST");
  });

  test("HTTP error: the status and the server's message", async () => {
    const { t, done } = start();
    t.head(503);
    t.data('{"error":{"message":"overloaded","type":"server_busy"}}', 2_000);
    t.end(3_000);
    const r = await done;
    expect(r.error?.code).toBe(503);
    expect(r.error?.type).toBe("http_error");
    expect(r.error?.message).toContain("overloaded");
    expect([r.http_status, r.end_ns, r.chunks.length, r.output_tokens]).toEqual([503, 3_000, 0, 0]);
  });

  test("mid-stream transport error: a connection error, the chunks before it kept and counted", async () => {
    const { t, done } = start();
    t.head(200);
    t.data(delta("partial"), 2_000);
    t.error("closed", "connection reset by peer", 3_000);
    const r = await done;
    expect(r.error?.type).toBe("connection_error");
    expect(r.error?.message).toContain("connection reset by peer");
    expect([r.end_ns, r.chunks.length, r.output_tokens]).toEqual([3_000, 1, 7]);
  });

  test("mid-stream error event: the server's error, and the transport is aborted", async () => {
    const { t, done } = start();
    t.head(200);
    t.data(delta("a"), 2_000);
    t.data(sse({ error: { message: "engine died", code: 500 } }), 3_000);
    const r = await done;
    expect(r.error).toEqual({ code: 500, type: "server_error", message: "engine died" });
    expect([r.end_ns, r.chunks.length]).toEqual([3_000, 1]);
    expect(t.aborted).toBe(true);
  });

  test("stream ended without [DONE]: incomplete", async () => {
    const { t, done } = start();
    t.head(200);
    t.data(delta("a"), 2_000);
    t.end(3_000);
    const r = await done;
    expect(r.error?.type).toBe("incomplete_response");
    expect(r.output_tokens).toBe(1);
  });

  test("cancellation: recorded as cancelled (499) and the transport aborted", async () => {
    const cancel = new AbortController();
    const { t, done } = start({ cancel: cancel.signal });
    t.head(200);
    t.data(delta("abc"), 2_000);
    cancel.abort();
    const r = await done;
    expect(r.cancelled).toBe(true);
    expect(r.error?.code).toBe(499);
    expect(r.error?.type).toBe("cancelled");
    expect(r.chunks.length).toBe(1);
    expect(t.aborted).toBe(true);
  });

  test("cancelled before sending: nothing is sent", async () => {
    const cancel = new AbortController();
    cancel.abort();
    const { t, done } = start({ cancel: cancel.signal });
    const r = await done;
    expect([r.cancelled, r.error?.code, t.sends.length]).toEqual([true, 499, 0]);
  });

  test("timeout: recorded as 408 and the transport aborted", async () => {
    const { t, done } = start({ timeoutMs: 20 });
    t.head(200);
    const r = await done;
    expect(r.error?.code).toBe(408);
    expect(r.error?.type).toBe("timeout");
    expect(t.aborted).toBe(true);
  });

  describe("a 200 without content is an error (empty_response)", () => {
    test.each([
      ["only choices: [] then [DONE]", [sse({ choices: [] }), sse({ choices: [] }), DONE]],
      ["only [DONE]", [DONE]],
      ["only a usage chunk then [DONE]", [sse({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 } }), DONE]],
      ["empty and null deltas", [delta(""), sse({ choices: [{ index: 0, delta: { content: null } }] }), DONE]],
    ])("streaming: %s", async (_, events) => {
      const { t, done } = start();
      t.head(200);
      for (const [i, e] of events.entries()) t.data(e, 2_000 + i);
      t.end(9_000);
      const r = await done;
      expect(r.error?.type).toBe("empty_response");
      expect(r.chunks).toEqual([]);
    });

    test.each([
      ["chat, empty choices", "chat", '{"choices":[]}'],
      ["chat, null content", "chat", '{"choices":[{"index":0,"message":{"role":"assistant","content":null}}]}'],
      ["chat, empty content", "chat", '{"choices":[{"index":0,"message":{"role":"assistant","content":""}}]}'],
      ["completions, empty text", "completions", '{"choices":[{"index":0,"text":""}]}'],
      ["an empty body", "chat", ""],
      ["embeddings, empty data[]", "embeddings", '{"object":"list","data":[]}'],
    ] as const)("non-streaming: %s", async (_, endpointType, body) => {
      const { t, done } = start({ streaming: false, endpointType });
      t.head(200);
      if (body) t.data(body, 2_000);
      t.end(3_000);
      const r = await done;
      expect(r.error?.type).toBe("empty_response");
    });

    test.each([
      ["chat with text", "chat", '{"choices":[{"index":0,"message":{"content":"hi"}}]}'],
      ["chat with reasoning only", "chat", '{"choices":[{"index":0,"message":{"content":null,"reasoning_content":"hmm"}}]}'],
      ["embeddings with a vector (judged by its own shape)", "embeddings", '{"object":"list","data":[{"embedding":[0.1,0.2]}]}'],
    ] as const)("non-streaming, not empty: %s", async (_, endpointType, body) => {
      const { t, done } = start({ streaming: false, endpointType });
      t.head(200);
      t.data(body, 2_000);
      t.end(3_000);
      expect((await done).error).toBeNull();
    });

    test("streaming reasoning only is content", async () => {
      const { t, done } = start();
      t.head(200);
      t.data(sse({ choices: [{ index: 0, delta: { reasoning_content: "thinking" } }] }) + DONE, 2_000);
      t.end(3_000);
      const r = await done;
      expect(r.error).toBeNull();
      expect(r.reasoning_tokens).toBe(8);
    });
  });

  describe("[DONE] ends the request at once", () => {
    test("the body never ends: the record ends at [DONE] and is handed back after the grace period, the transport aborted", async () => {
      const { t, done } = start();
      t.head(200);
      t.data(delta("hi"), 2_000);
      t.data(DONE, 3_000);
      const r = await done; // hung until the request timeout (6 h by default) before
      expect(r.error).toBeNull();
      expect([r.end_ns, r.output_tokens]).toEqual([3_000, 2]);
      expect(t.aborted).toBe(true);
    });

    test("the body ends after [DONE]: handed back then, the transport left alone (its connection is reusable)", async () => {
      const { t, done } = start();
      let resolved = false;
      void done.then(() => (resolved = true));
      t.head(200);
      t.data(delta("hi") + DONE, 2_000);
      await Bun.sleep(10);
      expect(resolved).toBe(false);
      t.end(3_000);
      const r = await done;
      expect([r.error, r.end_ns]).toEqual([null, 2_000]);
      await Bun.sleep(DONE_GRACE_MS + 100);
      expect(t.aborted).toBe(false);
    });

    test("the body already ended when [DONE] is parsed: handed back at once", async () => {
      const queue: (() => void)[] = [];
      const { t, done } = start({}, { defer: (w) => queue.push(w) });
      t.head(200);
      t.data(delta("hi") + DONE, 2_000);
      t.end(3_000); // the transport's end is seen before the deferred parse runs
      for (let w = queue.shift(); w; w = queue.shift()) w();
      const r = await done;
      expect([r.error, r.end_ns, t.aborted]).toEqual([null, 2_000, false]);
    });

    test("events after [DONE] are ignored", async () => {
      const { t, done } = start();
      t.head(200);
      t.data(delta("hi") + DONE + delta("late"), 2_000);
      t.end(3_000);
      const r = await done;
      expect([r.error, r.chunks.length, r.output_tokens]).toEqual([null, 1, 2]);
    });
  });

  test("a huge output is counted in bounded slices, each in its own deferred step", async () => {
    const counter = charCounter();
    cutOverhead(counter);
    counter.lengths.length = 0;
    const queue: (() => void)[] = [];
    const { t, done } = start({}, { counter, defer: (w) => queue.push(w) });
    let resolved = false;
    void done.then(() => (resolved = true));
    const big = "x".repeat(200_000);
    t.head(200);
    t.data(delta(big) + DONE, 2_000);
    t.end(3_000);
    let steps = 0;
    while (queue.length > 0) {
      expect(resolved).toBe(false);
      queue.shift()!();
      steps++;
      await Promise.resolve();
    }
    const r = await done;
    // one step parses the data, then the chunk's and the whole text's slices
    expect(steps).toBeGreaterThanOrEqual(1 + 2 * (200_000 / COUNT_SLICE_CHARS));
    expect(counter.lengths.length).toBeGreaterThanOrEqual(2 * (200_000 / COUNT_SLICE_CHARS));
    expect(counter.lengths.filter((n) => n > COUNT_SLICE_CHARS)).toEqual([]);
    expect([r.error, r.output_tokens, r.chunks[0]?.tokens]).toEqual([null, 200_000, 200_000]);
  });
});

describe("runRequest: counted in one batch elsewhere (countBatch)", () => {
  /** A batch counter that counts characters after a turn of the event loop, and keeps what it was sent. */
  function batchCounter(): { batches: string[][]; count: CountBatch } {
    const batches: string[][] = [];
    return {
      batches,
      count: (texts, sink) => {
        batches.push(texts);
        setTimeout(() => sink.counted(texts.map((t) => t.length)), 1);
      },
    };
  }
  const reasoningDelta = (reasoning_content: string): string => sse({ choices: [{ index: 0, delta: { reasoning_content } }] });

  test("no count on this thread; one batch of output, reasoning and each chunk's pieces, filled in when it resolves", async () => {
    const batch = batchCounter();
    const counter = charCounter();
    const hooks: string[] = [];
    let countedChunks = -1;
    const { t, done, text } = start(
      {
        countBatch: batch.count,
        onCountStart: (rec) => hooks.push(`start ${rec.x_request_id}`),
        onCounted: (rec) => {
          hooks.push(`counted ${rec.x_request_id}`);
          countedChunks = rec.chunks.length;
        },
      },
      { counter },
    );
    t.head(200, 1_000);
    t.data(reasoningDelta("think"), 2_000);
    t.data(delta("Hello"), 3_000);
    t.data(delta(" world") + DONE, 4_000);
    t.end(5_000);
    const r = await done;
    // Handed back at the end of the request: the lane goes on while the counts are made elsewhere;
    // the chunks are made with their counts.
    expect([r.output_tokens, r.reasoning_tokens, r.chunks.length, hooks]).toEqual([0, 0, 0, ["start r1"]]);
    await Bun.sleep(20);
    expect(counter.lengths).toEqual([]);
    expect(batch.batches).toEqual([["Hello world", "think", "", "think", "Hello", "", " world", ""]]);
    expect(r.chunks).toEqual([
      { arrival_ns: 2_000, tokens: 5, bytes: reasoningDelta("think").length - 8 },
      { arrival_ns: 3_000, tokens: 5, bytes: delta("Hello").length - 8 },
      { arrival_ns: 4_000, tokens: 6, bytes: delta(" world").length - 8 },
    ]);
    expect([hooks, countedChunks]).toEqual([["start r1", "counted r1"], 3]);
    expect([r.output_tokens, r.reasoning_tokens, r.error, r.end_ns]).toEqual([11, 5, null, 4_000]);
    expect(text()).toBe("Hello world");
  });

  test("an HTTP error is not counted: no batch", async () => {
    const batch = batchCounter();
    const { t, done } = start({ countBatch: batch.count });
    t.head(500);
    t.data("boom", 2_000);
    t.end(3_000);
    const r = await done;
    expect(r.error?.code).toBe(500);
    expect(batch.batches).toEqual([]);
    expect([r.output_tokens, r.chunks.length]).toEqual([0, 0]);
  });

  test("a batch that fails leaves the counts 0 and still makes the chunks and says so", async () => {
    const counted: number[] = [];
    const { t, done } = start({ countBatch: (_texts, sink) => setTimeout(() => sink.counted(null), 1), onCounted: (rec) => counted.push(rec.chunks.length) });
    t.head(200, 1_000);
    t.data(delta("Hello") + delta(" world") + DONE, 2_000);
    t.end(3_000);
    const r = await done;
    await Bun.sleep(5);
    expect(counted).toEqual([2]);
    expect([r.error, r.output_tokens, r.chunks.map((c) => [c.arrival_ns, c.tokens])]).toEqual([
      null,
      0,
      [
        [2_000, 0],
        [2_000, 0],
      ],
    ]);
  });
});
