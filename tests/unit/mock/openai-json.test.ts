import { describe, expect, test } from "bun:test";
import {
  chatChunkJson,
  chunkPrefix,
  completionBodyJson,
  completionChunkJson,
  errorJson,
  sseEvent,
  usageChunkJson,
  usageOf,
} from "../../../src/mock/openai-json.ts";

const chatId = { endpoint: "chat" as const, id: "chatcmpl-1", created: 1700000000, model: 'q"m' };
const cmplId = { ...chatId, endpoint: "completions" as const, id: "cmpl-1" };

describe("openai json", () => {
  test("first chat chunk carries the role; reasoning uses reasoning_content", () => {
    const j = JSON.parse(chatChunkJson(chunkPrefix(chatId), "reasoning", ' a "b"', true, null));
    expect(j).toEqual({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1700000000,
      model: 'q"m',
      choices: [{ index: 0, delta: { role: "assistant", reasoning_content: ' a "b"' }, logprobs: null, finish_reason: null }],
    });
  });

  test("last chat chunk carries finish_reason", () => {
    const j = JSON.parse(chatChunkJson(chunkPrefix(chatId), "content", " x", false, "length"));
    expect(j.choices[0]).toEqual({ index: 0, delta: { content: " x" }, logprobs: null, finish_reason: "length" });
  });

  test("completion chunk", () => {
    const j = JSON.parse(completionChunkJson(chunkPrefix(cmplId), " x", "stop"));
    expect(j.object).toBe("text_completion");
    expect(j.choices[0]).toEqual({ index: 0, text: " x", logprobs: null, finish_reason: "stop" });
  });

  test("usage chunk has no choices; reasoning details only when asked", () => {
    expect(JSON.parse(usageChunkJson(chatId, usageOf(3, 5, 2)))).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8, completion_tokens_details: { reasoning_tokens: 2 } },
    });
    expect(usageOf(3, 5, null)).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
  });

  test("non-streaming bodies", () => {
    const c = JSON.parse(completionBodyJson(chatId, " r", " c", "stop", usageOf(1, 2, 1)));
    expect(c.object).toBe("chat.completion");
    expect(c.choices[0].message).toEqual({ role: "assistant", content: " c", reasoning_content: " r" });
    const t = JSON.parse(completionBodyJson(cmplId, null, " c", "length", usageOf(1, 1, null)));
    expect([t.object, t.choices[0].text, t.choices[0].finish_reason]).toEqual(["text_completion", " c", "length"]);
  });

  test("sse framing and errors", () => {
    expect(sseEvent("{}")).toBe("data: {}\n\n");
    expect(JSON.parse(errorJson("bad", "invalid_request_error", 400, "model"))).toEqual({
      error: { message: "bad", type: "invalid_request_error", param: "model", code: 400 },
    });
  });
});
