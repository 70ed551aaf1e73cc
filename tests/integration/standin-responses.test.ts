// --endpoint-type responses against a stand-in written from OpenAI's Responses API event reference:
// TTFT at the first reasoning delta, time to first output token at the first output_text delta, one
// chunk per text delta (each stamped after it was sent and before the next was), token counts of
// what was sent (output_text.done's repeat not counted again), usage from response.completed, and
// error / response.failed mid-stream as record errors that keep the chunks before them.
import { afterAll, describe, expect, test } from "bun:test";
import { responsesBody, responsesStream, type ResponsesPlan } from "../helpers/standins/openai-responses.ts";
import { runAgainst } from "../helpers/standins/run-against.ts";
import { expectChunkTimes, startScriptedServer, type Script } from "../helpers/standins/scripted-server.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";

const REASONING = [" The user asks", " about the sky."];
const CONTENT = [" Rayleigh", " scattering makes", " it look", " blue."];
const USAGE = { input_tokens: 11, output_tokens: 13, reasoning_tokens: 5 };
const GAP_MS = 40;

let next: Script | null = null;
const server = startScriptedServer((path) => {
  if (path !== "/v1/responses" || next === null) return { status: 404, contentType: "application/json", frames: [{ afterMs: 0, text: "{}" }] };
  return next;
});
afterAll(() => server.stop());

function expectChunksMatch(rec: RequestRecord, plan: ResponsesPlan, deltas: number): void {
  expectChunkTimes(rec, plan.script, plan.deltaFrames.slice(0, deltas), server.exchanges.at(-1)!.sentNs);
}

describe("responses against the OpenAI Responses stand-in", () => {
  test("streaming: TTFT, first output token, chunk times, tokens and usage", async () => {
    const plan = responsesStream({ reasoning: REASONING, content: CONTENT, gapMs: GAP_MS, usage: USAGE });
    next = plan.script;
    const rec = await runAgainst(server.url, "responses", true);
    expect(rec.error).toBeNull();
    expect(rec.http_status).toBe(200);
    const ex = server.exchanges.at(-1)!;
    expect(ex.body).toEqual({ input: [{ role: "user", content: "why is the sky blue" }], model: "standin-model", stream: true, max_output_tokens: 16 });
    expectChunksMatch(rec, plan, REASONING.length + CONTENT.length);
    expect(rec.first_token_ns).toBe(rec.chunks[0]!.arrival_ns);
    expect(rec.first_output_token_ns).toBe(rec.chunks[REASONING.length]!.arrival_ns);
    expect(rec.last_token_ns).toBe(rec.chunks.at(-1)!.arrival_ns);
    expect(rec.end_ns).toBeGreaterThanOrEqual(ex.sentNs[plan.endFrame]!);
    expect(rec.chunks.map((c) => c.tokens)).toEqual([3, 3, 1, 2, 2, 1]);
    expect(rec.reasoning_tokens).toBe(6);
    // Four content words; output_text.done repeats them and is not counted again.
    expect(rec.output_tokens).toBe(6);
    expect([rec.usage_prompt_tokens, rec.usage_completion_tokens, rec.usage_total_tokens, rec.usage_reasoning_tokens]).toEqual([11, 13, 24, 5]);
  });

  for (const how of ["error", "response.failed"] as const) {
    test(`streaming: ${how} after two deltas is the record's error, the two chunks are kept`, async () => {
      const plan = responsesStream({ reasoning: [], content: CONTENT, gapMs: GAP_MS, usage: USAGE, failAfter: { deltas: 2, how } });
      next = plan.script;
      const rec = await runAgainst(server.url, "responses", true);
      expect(rec.error).toEqual({
        code: 500,
        type: "server_error",
        message: how === "error" ? "The server had an error while processing your request" : "The model failed to generate a response",
      });
      expectChunksMatch(rec, plan, 2);
      expect(rec.output_tokens).toBe(3);
    });
  }

  test("non-streaming: text from output[].content[] output_text, reasoning from the summary, usage", async () => {
    next = responsesBody("thinking about light", "Rayleigh scattering", USAGE);
    const rec = await runAgainst(server.url, "responses", false);
    expect(rec.error).toBeNull();
    expect(rec.output_tokens).toBe(2);
    expect(rec.reasoning_tokens).toBe(3);
    expect(rec.chunks.length).toBe(1);
    expect(rec.usage_completion_tokens).toBe(13);
    expect(rec.usage_reasoning_tokens).toBe(5);
  });

  test("a stream that ends before response.completed is incomplete", async () => {
    const plan = responsesStream({ reasoning: [], content: CONTENT, gapMs: 0, usage: USAGE });
    next = { ...plan.script, frames: plan.script.frames.slice(0, plan.endFrame) };
    const rec = await runAgainst(server.url, "responses", true);
    expect(rec.error).toEqual({ code: 0, type: "incomplete_response", message: "stream ended without a response.completed event" });
  });
});
