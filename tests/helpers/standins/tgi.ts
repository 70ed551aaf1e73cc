// Stand-in for Hugging Face Text Generation Inference, written from TGI's published API (not from
// the mock): /generate_stream sends `data:{...}` events (no space after the colon) with one token
// each, the last one being the special EOS token that carries generated_text and details; no
// [DONE]. Errors come as {"error", "error_type"} events. /generate answers {generated_text, details}.
import type { Frame, Script } from "./scripted-server.ts";

export interface TgiScript {
  tokens: string[];
  gapMs: number;
  /** Send a generation error event after this many tokens instead of the end. */
  failAfter?: number;
}

export interface TgiPlan {
  script: Script;
  deltaFrames: number[];
  endFrame: number;
}

export function tgiStream(s: TgiScript): TgiPlan {
  const frames: Frame[] = [];
  const deltaFrames: number[] = [];
  const data = (json: unknown, afterMs: number): void => {
    frames.push({ afterMs, text: `data:${JSON.stringify(json)}\n\n` });
  };
  s.tokens.forEach((text, i) => {
    if (s.failAfter !== undefined && i >= s.failAfter) return;
    deltaFrames.push(frames.length);
    data({ index: i + 1, token: { id: 100 + i, text, logprob: -0.25, special: false }, generated_text: null, details: null }, s.gapMs);
  });
  if (s.failAfter !== undefined) {
    data({ error: "Request failed during generation: Server error: CUDA out of memory", error_type: "generation" }, s.gapMs);
  } else {
    data(
      {
        index: s.tokens.length + 1,
        token: { id: 2, text: "</s>", logprob: -0.01, special: true },
        generated_text: s.tokens.join(""),
        details: { finish_reason: "eos_token", generated_tokens: s.tokens.length + 1, seed: null },
      },
      s.gapMs,
    );
  }
  return { script: { contentType: "text/event-stream", frames }, deltaFrames, endFrame: frames.length - 1 };
}

export function tgiBody(text: string, generatedTokens: number, asList = false): Script {
  const one = { generated_text: text, details: { finish_reason: "length", generated_tokens: generatedTokens, seed: null } };
  return { contentType: "application/json", frames: [{ afterMs: 30, text: JSON.stringify(asList ? [one] : one) }] };
}
