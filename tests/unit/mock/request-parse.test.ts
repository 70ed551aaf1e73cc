import { describe, expect, test } from "bun:test";
import { parseGenerationRequest, parseJsonObject } from "../../../src/mock/request-parse.ts";
import { contentTokens, countWords, promptInputTokens } from "../../../src/mock/prompt-tokens.ts";

const chat = (extra: Record<string, unknown>) => ({ model: "m", messages: [{ role: "user", content: "one two three" }], ...extra });

describe("prompt token estimate", () => {
  const words: [string, number][] = [
    ["", 0],
    ["   ", 0],
    ["one", 1],
    [" the of\tand\nto  ", 4],
    ["a,b c", 2],
  ];
  for (const [t, n] of words) test(JSON.stringify(t), () => expect(countWords(t)).toBe(n));
  test("content parts and prompt shapes", () => {
    expect(contentTokens([{ type: "text", text: "a b" }, { type: "image_url", image_url: {} }, "c"])).toBe(3);
    expect(contentTokens(null)).toBe(0);
    expect(promptInputTokens(["a b", "c"])).toBe(3);
    expect(promptInputTokens([1, 2, 3])).toBe(3);
    expect(promptInputTokens([[1, 2], [3]])).toBe(3);
  });
});

describe("parseJsonObject", () => {
  for (const t of ["", "{", "[]", "null", "3"]) test(JSON.stringify(t), () => expect(parseJsonObject(t).ok).toBe(false));
  test("object", () => expect(parseJsonObject('{"a":1}')).toEqual({ ok: true, value: { a: 1 } }));
});

describe("parseGenerationRequest", () => {
  const bad: [string, "chat" | "completions", Record<string, unknown>, string | null][] = [
    ["no model", "chat", { messages: [{ role: "user", content: "x" }] }, "model"],
    ["no messages", "chat", { model: "m" }, "messages"],
    ["empty messages", "chat", { model: "m", messages: [] }, "messages"],
    ["message without role", "chat", { model: "m", messages: [{ content: "x" }] }, "messages"],
    ["no prompt", "completions", { model: "m" }, "prompt"],
    ["prompt object", "completions", { model: "m", prompt: { a: 1 } }, "prompt"],
    ["max_tokens 0", "chat", chat({ max_tokens: 0 }), "max_tokens"],
    ["max_tokens float", "chat", chat({ max_tokens: 1.5 }), "max_tokens"],
    ["max_completion_tokens string", "chat", chat({ max_completion_tokens: "9" }), "max_completion_tokens"],
    ["min > max", "chat", chat({ max_tokens: 5, min_tokens: 6 }), "min_tokens"],
    ["stream not bool", "chat", chat({ stream: "yes" }), "stream"],
    ["include_usage not bool", "chat", chat({ stream_options: { include_usage: 1 } }), "stream_options"],
  ];
  for (const [name, ep, body, param] of bad) {
    test(`400: ${name}`, () => {
      const r = parseGenerationRequest(ep, body);
      expect(r).toMatchObject({ ok: false, error: { param } });
    });
  }

  test("chat: max_completion_tokens takes precedence; fields read", () => {
    const r = parseGenerationRequest(
      "chat",
      chat({ max_tokens: 50, max_completion_tokens: 9, min_tokens: 2, stream: true, ignore_eos: true, stream_options: { include_usage: true } }),
    );
    expect(r).toEqual({
      ok: true,
      value: { endpoint: "chat", model: "m", stream: true, includeUsage: true, promptTokens: 3, maxTokens: 9, minTokens: 2, ignoreEos: true },
    });
  });

  test("completions: max_completion_tokens is not a completions field", () => {
    const r = parseGenerationRequest("completions", { model: "m", prompt: "a b", max_tokens: 4, max_completion_tokens: 9 });
    expect(r.ok && r.value.maxTokens).toBe(4);
  });

  test("null values count as absent", () => {
    const r = parseGenerationRequest("chat", chat({ max_tokens: null, stream: null, stream_options: null }));
    expect(r.ok && [r.value.maxTokens, r.value.stream, r.value.includeUsage]).toEqual([null, false, false]);
  });
});
