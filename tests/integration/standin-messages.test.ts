// --endpoint-type messages against a stand-in written from Anthropic's Messages streaming reference:
// x-api-key and anthropic-version instead of a Bearer token, TTFT at the first thinking delta, time
// to first output token at the first text delta, one chunk per text/thinking delta (signature, ping
// and block events carry none), usage merged from message_start (input) and message_delta (output),
// and an error event mid-stream as the record's error.
import { afterAll, describe, expect, test } from "bun:test";
import { messagesBody, messagesStream } from "../helpers/standins/anthropic-messages.ts";
import { runAgainst } from "../helpers/standins/run-against.ts";
import { expectChunkTimes, startScriptedServer, type Script } from "../helpers/standins/scripted-server.ts";

const THINKING = [" Light scatters", " off air."];
const TEXT = [" Blue light", " scatters", " the most."];
const USAGE = { input_tokens: 12, output_tokens: 17 };

let next: Script | null = null;
const server = startScriptedServer((path) => {
  if (path !== "/v1/messages" || next === null) return { status: 404, contentType: "application/json", frames: [{ afterMs: 0, text: "{}" }] };
  return next;
});
afterAll(() => server.stop());

describe("messages against the Anthropic Messages stand-in", () => {
  test("streaming: headers, body, TTFT, first output token, chunk times, tokens, merged usage", async () => {
    const plan = messagesStream({ thinking: THINKING, text: TEXT, gapMs: 40, usage: USAGE });
    next = plan.script;
    const rec = await runAgainst(server.url, "messages", true, { systemPrompt: "Be brief." }, "sk-ant-secret");
    expect(rec.error).toBeNull();
    const ex = server.exchanges.at(-1)!;
    expect(ex.headers["x-api-key"]).toBe("sk-ant-secret");
    expect(ex.headers["anthropic-version"]).toBe("2023-06-01");
    expect(ex.headers.authorization).toBeUndefined();
    expect(ex.body).toEqual({
      messages: [{ role: "user", content: "why is the sky blue" }],
      model: "standin-model",
      max_tokens: 16,
      stream: true,
      system: "Be brief.",
    });
    expectChunkTimes(rec, plan.script, plan.deltaFrames, ex.sentNs);
    expect(rec.first_token_ns).toBe(rec.chunks[0]!.arrival_ns);
    expect(rec.first_output_token_ns).toBe(rec.chunks[THINKING.length]!.arrival_ns);
    expect(rec.end_ns).toBeGreaterThanOrEqual(ex.sentNs[plan.endFrame]!);
    expect(rec.chunks.map((c) => c.tokens)).toEqual([2, 2, 2, 1, 2]);
    expect(rec.reasoning_tokens).toBe(4);
    expect(rec.output_tokens).toBe(5);
    expect([rec.usage_prompt_tokens, rec.usage_completion_tokens, rec.usage_total_tokens, rec.usage_reasoning_tokens]).toEqual([12, 17, null, null]);
  });

  test("streaming: an error event after two text deltas is the record's error, the chunks before it are kept", async () => {
    const plan = messagesStream({ thinking: [], text: TEXT, gapMs: 40, usage: USAGE, failAfter: 2 });
    next = plan.script;
    const rec = await runAgainst(server.url, "messages", true);
    expect(rec.error).toEqual({ code: 500, type: "overloaded_error", message: "Overloaded" });
    expectChunkTimes(rec, plan.script, plan.deltaFrames, server.exchanges.at(-1)!.sentNs);
    expect(rec.output_tokens).toBe(3);
    // Input usage from message_start is kept.
    expect(rec.usage_prompt_tokens).toBe(12);
  });

  test("without --max-tokens the body still carries max_tokens (the API requires it), as AIPerf's 16384", async () => {
    const plan = messagesStream({ thinking: [], text: TEXT, gapMs: 0, usage: USAGE });
    next = plan.script;
    await runAgainst(server.url, "messages", true, { maxTokens: null });
    expect((server.exchanges.at(-1)!.body as { max_tokens: number }).max_tokens).toBe(16384);
  });

  test("non-streaming: text and thinking from content[], usage", async () => {
    next = messagesBody("light scatters off air", "Blue light scatters the most.", USAGE);
    const rec = await runAgainst(server.url, "messages", false);
    expect(rec.error).toBeNull();
    expect(rec.output_tokens).toBe(5);
    expect(rec.reasoning_tokens).toBe(4);
    expect(rec.usage_prompt_tokens).toBe(12);
    expect(rec.usage_completion_tokens).toBe(17);
  });

  test("a stream cut before message_stop is incomplete", async () => {
    const plan = messagesStream({ thinking: [], text: TEXT, gapMs: 0, usage: USAGE });
    next = { ...plan.script, frames: plan.script.frames.slice(0, plan.endFrame) };
    const rec = await runAgainst(server.url, "messages", true);
    expect(rec.error).toEqual({ code: 0, type: "incomplete_response", message: "stream ended without a message_stop event" });
  });
});
