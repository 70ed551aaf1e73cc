// --endpoint-type huggingface_generate against a stand-in written from TGI's published API:
// /generate_stream with --streaming, /generate without; the body is {inputs, parameters}; one chunk
// per token event, stamped by the event that carried it; the final event (special EOS token with
// generated_text) ends the request and adds no text; details.generated_tokens is the server's count;
// an error event mid-stream is the record's error.
import { afterAll, describe, expect, test } from "bun:test";
import { runAgainst } from "../helpers/standins/run-against.ts";
import { expectChunkTimes, startScriptedServer, type Script } from "../helpers/standins/scripted-server.ts";
import { tgiBody, tgiStream } from "../helpers/standins/tgi.ts";

const TOKENS = [" Because", " of", " Rayleigh", " scattering."];

let next: Script | null = null;
const server = startScriptedServer(() => next ?? { status: 404, contentType: "application/json", frames: [{ afterMs: 0, text: "{}" }] });
afterAll(() => server.stop());

describe("huggingface_generate against the TGI stand-in", () => {
  test("streaming: /generate_stream, TTFT, chunk times, tokens, generated_tokens", async () => {
    const plan = tgiStream({ tokens: TOKENS, gapMs: 40 });
    next = plan.script;
    const rec = await runAgainst(server.url, "huggingface_generate", true, { extra: { temperature: 0.5 }, systemPrompt: null });
    expect(rec.error).toBeNull();
    const ex = server.exchanges.at(-1)!;
    expect(ex.path).toBe("/generate_stream");
    expect(ex.body).toEqual({ inputs: "why is the sky blue", parameters: { max_new_tokens: 16, temperature: 0.5 } });
    expectChunkTimes(rec, plan.script, plan.deltaFrames, ex.sentNs);
    expect(rec.first_token_ns).toBe(rec.chunks[0]!.arrival_ns);
    expect(rec.first_output_token_ns).toBe(rec.chunks[0]!.arrival_ns);
    expect(rec.end_ns).toBeGreaterThanOrEqual(ex.sentNs[plan.endFrame]!);
    expect(rec.chunks.map((c) => c.tokens)).toEqual([1, 1, 1, 1]);
    expect(rec.output_tokens).toBe(4);
    expect(rec.reasoning_tokens).toBe(0);
    expect(rec.usage_completion_tokens).toBe(5);
    expect(rec.usage_prompt_tokens).toBeNull();
  });

  test("streaming: an error event after two tokens is the record's error", async () => {
    const plan = tgiStream({ tokens: TOKENS, gapMs: 40, failAfter: 2 });
    next = plan.script;
    const rec = await runAgainst(server.url, "huggingface_generate", true);
    expect(rec.error).toEqual({ code: 500, type: "generation", message: "Request failed during generation: Server error: CUDA out of memory" });
    expectChunkTimes(rec, plan.script, plan.deltaFrames, server.exchanges.at(-1)!.sentNs);
    expect(rec.output_tokens).toBe(2);
  });

  test("a stream cut before the final generated_text event is incomplete", async () => {
    const plan = tgiStream({ tokens: TOKENS, gapMs: 0 });
    next = { ...plan.script, frames: plan.script.frames.slice(0, plan.endFrame) };
    const rec = await runAgainst(server.url, "huggingface_generate", true);
    expect(rec.error).toEqual({ code: 0, type: "incomplete_response", message: "stream ended without a final event with generated_text" });
  });

  for (const asList of [false, true]) {
    test(`non-streaming: /generate, generated_text${asList ? " in a one-element list" : ""}`, async () => {
      next = tgiBody("Because of Rayleigh scattering.", 6, asList);
      const rec = await runAgainst(server.url, "huggingface_generate", false);
      expect(rec.error).toBeNull();
      expect(server.exchanges.at(-1)!.path).toBe("/generate");
      expect(rec.output_tokens).toBe(4);
      expect(rec.usage_completion_tokens).toBe(6);
    });
  }
});
