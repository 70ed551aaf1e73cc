import { describe, expect, test } from "bun:test";
import { inputsJson } from "../../../src/report/inputs-json.ts";

describe("inputs.json", () => {
  test("orjson OPT_INDENT_2 layout, payloads as sent (nulls kept), no trailing newline", () => {
    const text = inputsJson([
      {
        session_id: "session_000000",
        payloads: [
          {
            messages: [{ role: "user", name: "text", content: 'hi "there"' }],
            model: "openai/gpt-oss-20b",
            stream: false,
            max_completion_tokens: 57,
            temperature: 0.7,
            stop: null,
          },
        ],
      },
      { session_id: "s1", payloads: [] },
    ]);
    // Expected: orjson.dumps(..., option=OPT_INDENT_2) of the same data.
    expect(text).toBe(
      '{\n  "data": [\n    {\n      "session_id": "session_000000",\n      "payloads": [\n        {\n          "messages": [\n            {\n              "role": "user",\n              "name": "text",\n              "content": "hi \\"there\\""\n            }\n          ],\n          "model": "openai/gpt-oss-20b",\n          "stream": false,\n          "max_completion_tokens": 57,\n          "temperature": 0.7,\n          "stop": null\n        }\n      ]\n    },\n    {\n      "session_id": "s1",\n      "payloads": []\n    }\n  ]\n}',
    );
  });
  test("no sessions", () => {
    expect(inputsJson([])).toBe('{\n  "data": []\n}');
  });
});
