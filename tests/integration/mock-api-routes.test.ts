// The mock's routes for the other APIs: what each refuses (as the real API would, with a 400 naming
// the field) and the event sequence each streams.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { parsePieces } from "../helpers/sse.ts";

let mock: MockServerHandle;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, ttftMs: 1, itlMs: 1, reasoningTokens: 2 });
});
afterAll(() => mock.stop());

const post = (path: string, body: unknown) =>
  fetch(`${mock.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("refused requests", () => {
  test.each([
    ["/v1/messages", { model: "m", messages: [{ role: "user", content: "hi" }] }, "max_tokens: Field required"],
    ["/v1/messages", { model: "m", max_tokens: 4 }, "messages: Field required (a non-empty array)"],
    ["/v1/responses", { model: "m" }, "input is required: a string or a non-empty array of items"],
    ["/v1/responses", { model: "m", input: "hi", max_output_tokens: 0 }, "max_output_tokens must be an integer >= 1"],
    ["/generate", { parameters: {} }, "inputs must be a non-empty string"],
    ["/generate_stream", { inputs: "hi", parameters: { max_new_tokens: "4" } }, "max_new_tokens must be an integer >= 1"],
    ["/v1/ranking", { model: "m", query: "q", passages: [] }, "query.text is required"],
    ["/rerank", { query: "q", texts: [1] }, "texts must be a list of strings"],
    ["/v2/rerank", { query: "q", documents: ["a"] }, "model is required"],
  ])("%s %j", async (path, body, message) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(message);
  });

  test("GET on an API route is 405", async () => {
    expect((await fetch(`${mock.url}/v1/responses`)).status).toBe(405);
  });
});

describe("streamed event sequences", () => {
  const types = async (path: string, body: unknown): Promise<string[]> => {
    const res = await post(path, body);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    return parsePieces([await res.text()]).map((e) => (e.event === "message" ? ((JSON.parse(e.data) as { type?: string }).type ?? "data") : e.event));
  };

  test("responses: created, reasoning deltas, text deltas, output_text.done, completed", async () => {
    expect(await types("/v1/responses", { model: "m", input: "hi there", stream: true, max_output_tokens: 4 })).toEqual([
      "response.created",
      "response.reasoning_text.delta",
      "response.reasoning_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.completed",
    ]);
  });

  test("messages: start, thinking block, text block, message_delta, message_stop", async () => {
    expect(await types("/v1/messages", { model: "m", max_tokens: 3, stream: true, messages: [{ role: "user", content: "hi" }] })).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  test("generate_stream: one data event per token, the last with generated_text, no [DONE]", async () => {
    const res = await post("/generate_stream", { inputs: "hi", parameters: { max_new_tokens: 3 } });
    const events = parsePieces([await res.text()]).map(
      (e) => JSON.parse(e.data) as { generated_text: string | null; details: { generated_tokens: number } | null },
    );
    expect(events.length).toBe(3);
    expect(events.map((e) => e.generated_text === null)).toEqual([true, true, false]);
    expect(events[2]!.details!.generated_tokens).toBe(3);
  });
});
