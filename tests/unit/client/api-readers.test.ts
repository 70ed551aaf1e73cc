// The per-API readers, event by event: what each event of each API means (text, reasoning, usage,
// end, error, nothing), and what each non-streaming body means.
import { describe, expect, test } from "bun:test";
import type { ChunkInfo } from "../../../src/client/openai-chunk.ts";
import { responseReader } from "../../../src/client/response-reader.ts";
import type { EndpointType } from "../../../src/client/endpoint-types.ts";

const ev = (data: unknown, event = "message") => ({ event, data: typeof data === "string" ? data : JSON.stringify(data), id: null });
const delta = (over: Partial<Extract<ChunkInfo, { kind: "delta" }>> = {}): ChunkInfo => ({
  kind: "delta",
  content: "",
  reasoning: "",
  finishReason: null,
  usage: null,
  ...over,
});
const usage = (p: number | null, c: number | null, t: number | null, r: number | null) => ({
  prompt_tokens: p,
  completion_tokens: c,
  total_tokens: t,
  reasoning_tokens: r,
});

/** Feeds the events to one reader of `type` (state carries over) and returns what each meant. */
function feed(type: EndpointType, events: unknown[]): ChunkInfo[] {
  const r = responseReader(type);
  return events.map((e) => r.event(ev(e)));
}

describe("responses events", () => {
  test("deltas, output_text.done not repeated, completed with usage ends", () => {
    expect(
      feed("responses", [
        { type: "response.created", response: { id: "r" } },
        { type: "response.reasoning_summary_text.delta", delta: "think" },
        { type: "response.output_text.delta", output_index: 1, content_index: 0, delta: "Hi" },
        { type: "response.output_text.done", output_index: 1, content_index: 0, text: "Hi" },
        // A part with no deltas: its done event is its text.
        { type: "response.output_text.done", output_index: 2, content_index: 0, text: "Also" },
        {
          type: "response.completed",
          response: { usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7, output_tokens_details: { reasoning_tokens: 1 } } },
        },
      ]),
    ).toEqual([
      delta(),
      delta({ reasoning: "think" }),
      delta({ content: "Hi" }),
      delta(),
      delta({ content: "Also" }),
      delta({ usage: usage(3, 4, 7, 1), finishReason: "stop", end: true }),
    ]);
  });
  test("incomplete ends with its reason; failed and error are errors; [DONE] is done; not JSON is malformed", () => {
    expect(
      feed("responses", [
        { type: "response.incomplete", response: { incomplete_details: { reason: "max_output_tokens" }, usage: null } },
        { type: "response.failed", response: { error: { code: "rate_limit_exceeded", message: "slow down" } } },
        { type: "error", code: null, message: "bad" },
        "[DONE]",
        "{oops",
      ]),
    ).toEqual([
      delta({ finishReason: "max_output_tokens", end: true }),
      { kind: "error", message: "slow down", code: null, type: "rate_limit_exceeded" },
      { kind: "error", message: "bad", code: null, type: null },
      { kind: "done" },
      { kind: "malformed", raw: "{oops", reason: "invalid JSON" },
    ]);
  });
});

describe("messages events", () => {
  test("thinking and text deltas; signature, ping and stops carry nothing; usage merged; message_stop ends", () => {
    expect(
      feed("messages", [
        { type: "message_start", message: { usage: { input_tokens: 9, output_tokens: 1 } } },
        { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
        { type: "ping" },
        { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } },
        { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "xx" } },
        { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Yes" } },
        { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "{" } },
        { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 12 } },
        { type: "message_stop" },
      ]),
    ).toEqual([
      delta({ usage: usage(9, 1, null, null) }),
      delta(),
      delta(),
      delta({ reasoning: "hmm" }),
      delta(),
      delta({ content: "Yes" }),
      delta(),
      delta({ usage: usage(9, 12, null, null), finishReason: "end_turn" }),
      delta({ end: true }),
    ]);
  });
  test("error event", () => {
    expect(feed("messages", [{ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }])).toEqual([
      { kind: "error", message: "Overloaded", code: null, type: "overloaded_error" },
    ]);
  });
});

describe("huggingface_generate events", () => {
  test("token text, special tokens carry none, the generated_text event ends with the server's count", () => {
    expect(
      feed("huggingface_generate", [
        { token: { id: 1, text: " a", special: false }, generated_text: null, details: null },
        { token: { id: 2, text: "</s>", special: true }, generated_text: " a", details: { finish_reason: "eos_token", generated_tokens: 2 } },
        { error: "boom", error_type: "generation" },
        { generated_text: "x" },
      ]),
    ).toEqual([
      delta({ content: " a", end: false }),
      delta({ finishReason: "eos_token", usage: usage(null, 2, null, null), end: true }),
      { kind: "error", message: "boom", code: null, type: "generation" },
      { kind: "malformed", raw: '{"generated_text":"x"}', reason: "no token object" },
    ]);
  });
});

describe("bodies", () => {
  test.each([
    [
      "responses",
      { object: "response", status: "failed", error: { code: "server_error", message: "x" } },
      { kind: "error", message: "x", code: null, type: "server_error" },
    ],
    ["responses", { object: "response", output: [] }, delta()],
    ["responses", { object: "response" }, { kind: "malformed", raw: '{"object":"response"}', reason: "no output[] in the response" }],
    [
      "messages",
      { type: "error", error: { type: "invalid_request_error", message: "max_tokens: Field required" } },
      { kind: "error", message: "max_tokens: Field required", code: null, type: "invalid_request_error" },
    ],
    ["huggingface_generate", [{ generated_text: "hi" }], delta({ content: "hi" })],
    [
      "huggingface_generate",
      { error: "Input validation error", error_type: "validation" },
      { kind: "error", message: "Input validation error", code: null, type: "validation" },
    ],
    ["nim_rankings", { rankings: [{ index: 0, logit: 1.5 }] }, { kind: "answer" }],
    ["nim_rankings", { rankings: [{ index: 0 }] }, { kind: "invalid", message: 'rankings answer entry without a numeric index and logit: {"index":0}' }],
    ["hf_tei_rankings", [{ index: 1, score: 0.5 }], { kind: "answer" }],
    ["hf_tei_rankings", [], { kind: "empty", what: "rankings answer with an empty list" }],
    ["cohere_rankings", { results: [{ index: 0, relevance_score: 0.9 }] }, { kind: "answer" }],
    ["cohere_rankings", { rankings: [] }, { kind: "invalid", message: 'rankings answer is not a "results" list of {index, relevance_score}' }],
    ["template", { choices: [{ message: { content: "c", reasoning_content: "r" } }] }, delta({ content: "c", reasoning: "r" })],
    ["template", { generated_text: "g" }, delta({ content: "g" })],
    ["template", { data: [{ embedding: [0.1] }] }, { kind: "answer" }],
    ["template", { nothing: 1 }, { kind: "empty", what: "no text found in the answer" }],
    ["template", "plain words", delta({ content: "plain words" })],
  ] as const)("%s %j", (type, body, want) => {
    expect(responseReader(type).body(typeof body === "string" ? body : JSON.stringify(body))).toEqual(want as never);
  });
});
