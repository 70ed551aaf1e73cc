import { describe, expect, test } from "bun:test";
import { interpretChunk, interpretFullResponse } from "../../../src/client/openai-chunk.ts";
import type { ChunkInfo, Usage } from "../../../src/client/openai-chunk.ts";

type Endpoint = "chat" | "completions";

const delta = (content: string, reasoning = "", finishReason: string | null = null, usage: Usage | null = null): ChunkInfo => ({
  kind: "delta",
  content,
  reasoning,
  finishReason,
  usage,
});

const usage = (prompt_tokens: number | null, completion_tokens: number | null, total_tokens: number | null, reasoning_tokens: number | null = null): Usage => ({
  prompt_tokens,
  completion_tokens,
  total_tokens,
  reasoning_tokens,
});

const j = (v: unknown): string => JSON.stringify(v);
const chatChunk = (d: unknown, extra: Record<string, unknown> = {}): string =>
  j({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: d, finish_reason: null }], ...extra });

interface Case {
  name: string;
  data: string;
  endpoint: Endpoint;
  want: ChunkInfo;
}

const chunkCases: Case[] = [
  // [DONE]
  { name: "[DONE]", data: "[DONE]", endpoint: "chat", want: { kind: "done" } },
  { name: "[DONE] on completions", data: "[DONE]", endpoint: "completions", want: { kind: "done" } },
  { name: "[DONE] with surrounding whitespace", data: " [DONE] ", endpoint: "chat", want: { kind: "done" } },
  { name: "[done] in lower case is not DONE", data: "[done]", endpoint: "chat", want: { kind: "malformed", raw: "[done]", reason: "invalid JSON" } },

  // chat content
  { name: "chat content", data: chatChunk({ content: "Hello" }), endpoint: "chat", want: delta("Hello") },
  { name: "chat role-only first chunk", data: chatChunk({ role: "assistant" }), endpoint: "chat", want: delta("") },
  { name: "chat role with empty content", data: chatChunk({ role: "assistant", content: "" }), endpoint: "chat", want: delta("") },
  { name: "chat null content", data: chatChunk({ content: null }), endpoint: "chat", want: delta("") },
  { name: "chat empty delta object", data: chatChunk({}), endpoint: "chat", want: delta("") },
  {
    name: "chat chunk without delta (finish only)",
    data: j({ choices: [{ index: 0, finish_reason: "stop" }] }),
    endpoint: "chat",
    want: delta("", "", "stop"),
  },
  { name: "chat null delta", data: j({ choices: [{ index: 0, delta: null }] }), endpoint: "chat", want: delta("") },
  {
    name: "chat finish_reason stop",
    data: j({ choices: [{ index: 0, delta: { content: "" }, finish_reason: "stop" }] }),
    endpoint: "chat",
    want: delta("", "", "stop"),
  },
  {
    name: "chat finish_reason length with content",
    data: j({ choices: [{ index: 0, delta: { content: "end" }, finish_reason: "length" }] }),
    endpoint: "chat",
    want: delta("end", "", "length"),
  },
  {
    name: "chat non-string finish_reason is null",
    data: j({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: 3 }] }),
    endpoint: "chat",
    want: delta("x"),
  },
  { name: "chat non-ASCII and escapes", data: chatChunk({ content: 'caf\u00e9 \ud83d\ude80\n"q"' }), endpoint: "chat", want: delta('café 🚀\n"q"') },
  {
    name: "chat uses only choices[0]",
    data: j({
      choices: [
        { index: 0, delta: { content: "a" } },
        { index: 1, delta: { content: "b" } },
      ],
    }),
    endpoint: "chat",
    want: delta("a"),
  },
  {
    name: "chat ignores choices[0].text",
    data: j({ choices: [{ index: 0, text: "t", delta: { content: "c" } }] }),
    endpoint: "chat",
    want: delta("c"),
  },

  // reasoning
  { name: "reasoning_content (SGLang/DeepSeek)", data: chatChunk({ content: null, reasoning_content: "think" }), endpoint: "chat", want: delta("", "think") },
  { name: "reasoning (newer vLLM)", data: chatChunk({ reasoning: "think" }), endpoint: "chat", want: delta("", "think") },
  {
    name: "both reasoning fields with the same text are not doubled",
    data: chatChunk({ reasoning_content: "think", reasoning: "think" }),
    endpoint: "chat",
    want: delta("", "think"),
  },
  {
    name: "null reasoning_content falls back to reasoning",
    data: chatChunk({ reasoning_content: null, reasoning: "r" }),
    endpoint: "chat",
    want: delta("", "r"),
  },
  {
    name: "empty reasoning_content falls back to reasoning",
    data: chatChunk({ reasoning_content: "", reasoning: "r" }),
    endpoint: "chat",
    want: delta("", "r"),
  },
  { name: "content and reasoning in one chunk", data: chatChunk({ content: "c", reasoning_content: "r" }), endpoint: "chat", want: delta("c", "r") },
  { name: "both reasoning fields null", data: chatChunk({ content: "c", reasoning_content: null, reasoning: null }), endpoint: "chat", want: delta("c") },

  // completions
  {
    name: "completions text",
    data: j({ id: "x", object: "text_completion", choices: [{ index: 0, text: " upon", logprobs: null, finish_reason: null }] }),
    endpoint: "completions",
    want: delta(" upon"),
  },
  { name: "completions null text", data: j({ choices: [{ index: 0, text: null }] }), endpoint: "completions", want: delta("") },
  { name: "completions absent text", data: j({ choices: [{ index: 0, finish_reason: "length" }] }), endpoint: "completions", want: delta("", "", "length") },
  {
    name: "completions ignores a chat delta",
    data: j({ choices: [{ index: 0, delta: { content: "c" }, text: "t" }] }),
    endpoint: "completions",
    want: delta("t"),
  },
  {
    name: "chat endpoint ignores completions text",
    data: j({ choices: [{ index: 0, text: "t" }] }),
    endpoint: "chat",
    want: delta(""),
  },

  // usage
  {
    name: "usage-only chunk (choices: [])",
    data: j({ id: "c", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 17, completion_tokens: 12, total_tokens: 29 } }),
    endpoint: "chat",
    want: delta("", "", null, usage(17, 12, 29)),
  },
  {
    name: "usage-only chunk on completions",
    data: j({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 } }),
    endpoint: "completions",
    want: delta("", "", null, usage(4, 7, 11)),
  },
  {
    name: "usage with reasoning_tokens in completion_tokens_details",
    data: j({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 18, total_tokens: 27, completion_tokens_details: { reasoning_tokens: 11 } } }),
    endpoint: "chat",
    want: delta("", "", null, usage(9, 18, 27, 11)),
  },
  {
    name: "usage with top-level reasoning_tokens",
    data: j({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, reasoning_tokens: 1 } }),
    endpoint: "chat",
    want: delta("", "", null, usage(1, 2, 3, 1)),
  },
  {
    name: "usage with null details",
    data: j({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, completion_tokens_details: null } }),
    endpoint: "chat",
    want: delta("", "", null, usage(1, 2, 3)),
  },
  {
    name: "usage with missing and non-numeric counts",
    data: j({ choices: [], usage: { prompt_tokens: "5", completion_tokens: 2 } }),
    endpoint: "chat",
    want: delta("", "", null, usage(null, 2, null)),
  },
  {
    name: "usage without choices field",
    data: j({ usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    endpoint: "chat",
    want: delta("", "", null, usage(1, 2, 3)),
  },
  {
    name: "content chunk with continuous usage stats",
    data: chatChunk({ content: "x" }, { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }),
    endpoint: "chat",
    want: delta("x", "", null, usage(5, 1, 6)),
  },
  { name: "usage: null", data: chatChunk({ content: "x" }, { usage: null }), endpoint: "chat", want: delta("x") },
  { name: "empty choices without usage (Azure prompt filter chunk)", data: j({ choices: [], prompt_filter_results: [] }), endpoint: "chat", want: delta("") },

  // errors
  {
    name: "error object (OpenAI / newer vLLM)",
    data: j({ error: { message: "context too long", type: "BadRequestError", param: null, code: 400 } }),
    endpoint: "chat",
    want: { kind: "error", message: "context too long", code: 400, type: "BadRequestError" },
  },
  {
    name: "error object on completions",
    data: j({ error: { message: "boom", type: "InternalServerError", code: 500 } }),
    endpoint: "completions",
    want: { kind: "error", message: "boom", code: 500, type: "InternalServerError" },
  },
  {
    name: "legacy vLLM error shape (object: error)",
    data: j({ object: "error", message: "Engine loop has died", type: "InternalServerError", param: null, code: 500 }),
    endpoint: "chat",
    want: { kind: "error", message: "Engine loop has died", code: 500, type: "InternalServerError" },
  },
  {
    name: "error with numeric string code",
    data: j({ error: { message: "m", type: "t", code: "429" } }),
    endpoint: "chat",
    want: { kind: "error", message: "m", code: 429, type: "t" },
  },
  {
    name: "OpenAI error with string code and null type",
    data: j({ error: { message: "slow down", type: null, code: "rate_limit_exceeded" } }),
    endpoint: "chat",
    want: { kind: "error", message: "slow down", code: null, type: "rate_limit_exceeded" },
  },
  {
    name: "error without code or type",
    data: j({ error: { message: "m" } }),
    endpoint: "chat",
    want: { kind: "error", message: "m", code: null, type: null },
  },
  {
    name: "error without message keeps the whole error",
    data: j({ error: { code: 503 } }),
    endpoint: "chat",
    want: { kind: "error", message: '{"code":503}', code: 503, type: null },
  },
  {
    name: "error as a plain string",
    data: j({ error: "overloaded" }),
    endpoint: "chat",
    want: { kind: "error", message: "overloaded", code: null, type: null },
  },
  {
    name: "error wins over choices",
    data: j({ choices: [{ index: 0, delta: { content: "x" } }], error: { message: "m", code: 500 } }),
    endpoint: "chat",
    want: { kind: "error", message: "m", code: 500, type: null },
  },
  { name: "error: null is not an error", data: chatChunk({ content: "x" }, { error: null }), endpoint: "chat", want: delta("x") },

  // malformed
  { name: "not JSON", data: "hello", endpoint: "chat", want: { kind: "malformed", raw: "hello", reason: "invalid JSON" } },
  {
    name: "truncated JSON",
    data: '{"choices":[{"delta":{"content":"x"',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[{"delta":{"content":"x"', reason: "invalid JSON" },
  },
  { name: "empty data", data: "", endpoint: "chat", want: { kind: "malformed", raw: "", reason: "invalid JSON" } },
  { name: "JSON array", data: "[1,2]", endpoint: "chat", want: { kind: "malformed", raw: "[1,2]", reason: "not a JSON object" } },
  { name: "JSON null", data: "null", endpoint: "chat", want: { kind: "malformed", raw: "null", reason: "not a JSON object" } },
  { name: "JSON string", data: '"x"', endpoint: "chat", want: { kind: "malformed", raw: '"x"', reason: "not a JSON object" } },
  { name: "JSON number", data: "42", endpoint: "chat", want: { kind: "malformed", raw: "42", reason: "not a JSON object" } },
  { name: "empty object", data: "{}", endpoint: "chat", want: { kind: "malformed", raw: "{}", reason: "no choices and no usage" } },
  {
    name: "choices is an object",
    data: '{"choices":{}}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":{}}', reason: "choices is not an array" },
  },
  {
    name: "choices[0] is a string",
    data: '{"choices":["x"]}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":["x"]}', reason: "choices[0] is not an object" },
  },
  {
    name: "choices[0] is null",
    data: '{"choices":[null]}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[null]}', reason: "choices[0] is not an object" },
  },
  {
    name: "delta is a string",
    data: '{"choices":[{"delta":"x"}]}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[{"delta":"x"}]}', reason: "choices[0].delta is not an object" },
  },
  {
    name: "content is a number",
    data: '{"choices":[{"delta":{"content":5}}]}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[{"delta":{"content":5}}]}', reason: "choices[0].delta.content is not a string" },
  },
  {
    name: "reasoning is an object",
    data: '{"choices":[{"delta":{"reasoning":{}}}]}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[{"delta":{"reasoning":{}}}]}', reason: "choices[0].delta reasoning is not a string" },
  },
  {
    name: "completions text is an array",
    data: '{"choices":[{"text":["a"]}]}',
    endpoint: "completions",
    want: { kind: "malformed", raw: '{"choices":[{"text":["a"]}]}', reason: "choices[0].text is not a string" },
  },
  {
    name: "usage is a number",
    data: '{"choices":[],"usage":3}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[],"usage":3}', reason: "usage is not an object" },
  },
];

describe("interpretChunk", () => {
  for (const c of chunkCases) {
    test(`${c.endpoint}: ${c.name}`, () => {
      expect(interpretChunk(c.data, c.endpoint)).toStrictEqual(c.want);
    });
  }

  test("never throws, whatever the input", () => {
    const nasty = [
      "[".repeat(100_000) + "]".repeat(100_000), // deep nesting: JSON.parse may throw RangeError
      '{"__proto__":{"choices":[]}}',
      '{"choices":[{"delta":{"content":"x","__proto__":null}}]}',
      "\u0000",
      '{"error":[1,2]}',
      '{"error":0}',
      '{"object":"error"}',
      '{"choices":[{"delta":[]}]}',
      '{"choices":[[]]}',
    ];
    for (const s of nasty) {
      for (const ep of ["chat", "completions"] as const) {
        expect(() => interpretChunk(s, ep)).not.toThrow();
        expect(() => interpretFullResponse(s, ep)).not.toThrow();
        expect(["done", "delta", "error", "malformed"]).toContain(interpretChunk(s, ep).kind);
      }
    }
  });

  test("odd error payloads are still errors", () => {
    expect(interpretChunk('{"error":[1,2]}', "chat")).toEqual({ kind: "error", message: "[1,2]", code: null, type: null });
    expect(interpretChunk('{"object":"error"}', "chat")).toEqual({ kind: "error", message: '{"object":"error"}', code: null, type: null });
  });

  test("a JSON object with __proto__ key is not confused with the prototype", () => {
    expect(interpretChunk('{"__proto__":{"choices":[]}}', "chat")).toEqual({
      kind: "malformed",
      raw: '{"__proto__":{"choices":[]}}',
      reason: "no choices and no usage",
    });
  });
});

const fullCases: Case[] = [
  {
    name: "chat message",
    data: j({
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi there" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    }),
    endpoint: "chat",
    want: delta("Hi there", "", "stop", usage(5, 2, 7)),
  },
  {
    name: "chat message with reasoning_content",
    data: j({
      choices: [{ index: 0, message: { role: "assistant", content: "4", reasoning_content: "2+2" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14, completion_tokens_details: { reasoning_tokens: 7 } },
    }),
    endpoint: "chat",
    want: delta("4", "2+2", "stop", usage(5, 9, 14, 7)),
  },
  {
    name: "chat message with reasoning (newer vLLM)",
    data: j({ choices: [{ index: 0, message: { role: "assistant", content: "4", reasoning: "r" }, finish_reason: "stop" }] }),
    endpoint: "chat",
    want: delta("4", "r", "stop"),
  },
  {
    name: "chat message with null content (tool call)",
    data: j({ choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [] }, finish_reason: "tool_calls" }] }),
    endpoint: "chat",
    want: delta("", "", "tool_calls"),
  },
  {
    name: "chat full body ignores a delta",
    data: j({ choices: [{ index: 0, delta: { content: "d" }, message: { content: "m" } }] }),
    endpoint: "chat",
    want: delta("m"),
  },
  {
    name: "chat full body without message is malformed",
    data: j({ choices: [{ index: 0, delta: { content: "d" } }] }),
    endpoint: "chat",
    want: { kind: "malformed", raw: j({ choices: [{ index: 0, delta: { content: "d" } }] }), reason: "choices[0].message is missing" },
  },
  {
    name: "chat message content of wrong type",
    data: '{"choices":[{"message":{"content":[1]}}]}',
    endpoint: "chat",
    want: { kind: "malformed", raw: '{"choices":[{"message":{"content":[1]}}]}', reason: "choices[0].message.content is not a string" },
  },
  {
    name: "completions text",
    data: j({
      object: "text_completion",
      choices: [{ index: 0, text: "Once upon", finish_reason: "length" }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    }),
    endpoint: "completions",
    want: delta("Once upon", "", "length", usage(1, 2, 3)),
  },
  {
    name: "error body",
    data: j({ error: { message: "bad", type: "BadRequestError", code: 400 } }),
    endpoint: "chat",
    want: { kind: "error", message: "bad", code: 400, type: "BadRequestError" },
  },
  {
    name: "legacy error body",
    data: j({ object: "error", message: "bad", type: "BadRequestError", code: 400 }),
    endpoint: "completions",
    want: { kind: "error", message: "bad", code: 400, type: "BadRequestError" },
  },
  { name: "[DONE] is not a full body", data: "[DONE]", endpoint: "chat", want: { kind: "malformed", raw: "[DONE]", reason: "invalid JSON" } },
  { name: "HTML error page", data: "<html>502</html>", endpoint: "chat", want: { kind: "malformed", raw: "<html>502</html>", reason: "invalid JSON" } },
  {
    name: "streaming body sent to the non-streaming parser",
    data: 'data: {"choices":[]}\n\n',
    endpoint: "chat",
    want: { kind: "malformed", raw: 'data: {"choices":[]}\n\n', reason: "invalid JSON" },
  },
];

describe("interpretFullResponse", () => {
  for (const c of fullCases) {
    test(`${c.endpoint}: ${c.name}`, () => {
      expect(interpretFullResponse(c.data, c.endpoint)).toStrictEqual(c.want);
    });
  }
});
